"""Images of one sign crop prepared for tesseract ("views"), and how to map back to the crop.

Tesseract reads the same sign very differently depending on scale, colour and contrast: on
the held-out synthetic crops (``signtax eval content``) a colour pass alone read no
text at all on about half of them, blurred or low-contrast boards mostly. A second view,
grey, sharpened, stretched to full contrast, dark text on light and a fixed text scale,
reads many of those; the reader merges what both views found.

How tesseract binarises a view matters as much. Its default is one global Otsu threshold for
the whole image, so a board lit unevenly (a shadow across it, a spot-lit half, a gradient
from a streetlight) loses the text on its darker or lighter part: on a clear red-on-grey
"นวดแผนไทยสันติสุข" board with a light gradient tesseract read nothing at all. The contrast
view is therefore read with Sauvola's local threshold (``Thresholding.SAUVOLA``), which
follows the board's light level. On the 300 held-out rendered crops (2026-11-27, content
network c9) that alone took the right type from 270 to 274 crops and the share sent to review
from 36 % to 33 %, and on the 332 real crops without Thai the share read as "no Thai" from 326
to 329 (``signtax eval content --synth 300``). A third view instead (the block view read with
Sauvola beside the global reading, or flattened by dividing by its closed background) cost
40 % more reading time and fixed fewer of the misses. The colour view keeps the global
threshold: read sparse (``--psm 11``) with Sauvola it found more noise fragments than words.
The single-line re-reads that verify a Thai or Chinese run (:mod:`vision.content.ocr`) keep
the global threshold too; that is how the figures above were measured.

Coordinates: a view pixel ``v`` maps to crop pixel ``(v - offset_px) / scale``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

import cv2
import numpy as np

# Contrast view: the crop is scaled so it is about this tall (a one- or two-line board then
# has text 60-150 px tall, where tesseract's LSTM reads best) ...
CONTRAST_HEIGHT_PX = 300
CONTRAST_MAX_LONG_SIDE_PX = 1800  # ... unless that makes a long fascia huge (slow)
CONTRAST_MAX_UPSCALE = 4.0
UNSHARP_SIGMA_PX = 2.0  # at view scale: about a stroke width of blur undone
UNSHARP_AMOUNT = 0.8
STRETCH_PERCENTILES = (1.0, 99.0)
PAD_HEIGHTS = 0.1  # a margin around the board: tesseract misses text that touches the edge


class Thresholding(Enum):
    """Tesseract's ``thresholding_method``: how it turns a view into black and white."""

    GLOBAL_OTSU = 0  # tesseract's default: one threshold for the whole image
    SAUVOLA = 2  # a local threshold from each pixel's neighbourhood


@dataclass(frozen=True, slots=True, eq=False)
class OcrView:
    """One image for tesseract, with the page segmentation mode and thresholding to read it."""

    name: str
    image_rgb: np.ndarray
    scale: float  # view px per crop px
    offset_px: float  # view px of margin before the crop's top-left corner
    psm: int
    thresholding: Thresholding = Thresholding.GLOBAL_OTSU

    def to_view(self, box_xyxy: tuple[float, float, float, float]) -> tuple[float, ...]:
        """A box in crop pixels, in view pixels."""
        return tuple(v * self.scale + self.offset_px for v in box_xyxy)


def _resize(crop_bgr: np.ndarray, scale: float) -> tuple[np.ndarray, float]:
    if abs(scale - 1.0) <= 0.05:
        return crop_bgr, 1.0
    interp = cv2.INTER_CUBIC if scale > 1 else cv2.INTER_AREA
    return cv2.resize(crop_bgr, None, fx=scale, fy=scale, interpolation=interp), scale


def _denoise(image_bgr: np.ndarray) -> np.ndarray:
    # Sensor noise and JPEG blocks, once upscaled, become texture that breaks tesseract's
    # page layout (whole lines go missing). An edge-preserving bilateral filter removes it
    # and keeps thin strokes; a median or Gaussian lost lines of thin serif Thai.
    return cv2.bilateralFilter(image_bgr, 9, 40, 7)


def colour_view(
    crop_bgr: np.ndarray,
    *,
    target_long_side_px: int,
    max_upscale: float,
    denoise: bool,
    psm: int,
) -> OcrView:
    """The crop in colour, long side about ``target_long_side_px`` (at most ``max_upscale``x)."""
    h, w = crop_bgr.shape[:2]
    image, scale = _resize(crop_bgr, min(max_upscale, target_long_side_px / max(h, w)))
    if denoise:
        image = _denoise(image)
    return OcrView("colour", cv2.cvtColor(image, cv2.COLOR_BGR2RGB), scale, 0.0, psm)


def contrast_view(
    crop_bgr: np.ndarray, *, psm: int = 6, thresholding: Thresholding = Thresholding.SAUVOLA
) -> OcrView:
    """Grey, sharpened, full-contrast, dark-on-light, padded; see the module docstring."""
    h, w = crop_bgr.shape[:2]
    scale = min(CONTRAST_MAX_UPSCALE, CONTRAST_HEIGHT_PX / h, CONTRAST_MAX_LONG_SIDE_PX / max(h, w))
    image, scale = _resize(crop_bgr, scale)
    grey = cv2.cvtColor(_denoise(image), cv2.COLOR_BGR2GRAY).astype(np.float32)
    blurred = cv2.GaussianBlur(grey, (0, 0), UNSHARP_SIGMA_PX)
    grey = grey * (1 + UNSHARP_AMOUNT) - blurred * UNSHARP_AMOUNT
    # Light text on a dark board: tesseract's LSTM was trained on dark text on light paper.
    if np.median(grey) < 128:
        grey = 255 - grey
    lo, hi = np.percentile(grey, STRETCH_PERCENTILES)
    grey = np.clip((grey - lo) * 255.0 / max(1.0, hi - lo), 0, 255).astype(np.uint8)
    pad = int(PAD_HEIGHTS * grey.shape[0]) + 4
    # Padding with the board's own level: a white margin around a grey board is an edge.
    grey = cv2.copyMakeBorder(grey, pad, pad, pad, pad, cv2.BORDER_CONSTANT,
                              value=int(np.median(grey)))
    return OcrView("contrast", cv2.cvtColor(grey, cv2.COLOR_GRAY2RGB), scale, float(pad), psm,
                   thresholding)
