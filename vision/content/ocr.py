"""Text readers: the ``TextReader`` protocol and the tesseract adapter.

``pytesseract`` is imported inside a function only, so importing ``vision`` does not
need it.

How :class:`TesseractReader` reads a crop (units: crop pixels, confidences 0..1):

1. Scale the crop so its long side is about ``target_long_side_px`` (at most
   ``max_upscale`` times larger); tesseract's LSTM is happiest with text 30-100 px tall.
   Then an edge-preserving bilateral filter (``denoise``).
2. One sparse-text pass (``--psm 11``) with ``tha+eng``: words, boxes and confidences.
3. Words -> rows -> same-script runs (:mod:`vision.content.lines`).
4. Every Thai run with at least ``MIN_THAI_LETTERS`` letters, unless it is long and very
   confident (``STRONG_THAI_*``), is re-read twice as a single raw line (``--psm 13``),
   once Thai-only and once English-only. Tesseract invents Thai
   letters on Cyrillic, stylised Latin and textures, often with high per-letter confidence;
   those do not survive a Thai-only re-read and often read better as English. See
   :func:`vision.content.lines.thai_evidence`.
5. A Thai run that is not strong and sits right beside confident foreign text on its row
   loses confidence (``EMBEDDED_FACTOR``; see ``thai_run_inside_foreign_row``).
6. Runs become :class:`~vision.types.TextLine` with a calibrated confidence. Runs with
   too few letters or zero confidence are dropped.
"""

from __future__ import annotations

import os
from typing import Any, Protocol, runtime_checkable

import cv2
import numpy as np

from vision.content.lines import (
    EMBEDDED_FACTOR,
    MIN_THAI_LETTERS,
    OcrWord,
    Run,
    find_row_runs,
    foreign_line_confidence,
    thai_evidence,
    thai_line_confidence,
    thai_run_inside_foreign_row,
)
from vision.content.scripts import letter_count, thai_letter_count
from vision.errors import InvalidImage, ModelLoadError, VisionError
from vision.types import Script, TextLine


@runtime_checkable
class TextReader(Protocol):
    """Reads the text on a sign crop (HxWx3 uint8 BGR) into lines with scripts.

    ``TextLine.bbox_xyxy`` is in crop pixels; ``TextLine.confidence`` (0..1) says how sure
    the reader is that the line is real text in ``TextLine.script``. Readers may return
    low-confidence lines: :func:`vision.content.analyze` uses them to lower its own
    confidence, not as evidence.
    """

    def read(self, crop_bgr: np.ndarray) -> tuple[TextLine, ...]: ...


# A run this long and this confident is not re-read. On the 120 real non-Thai crops
# (evaluate.py --per-dataset 60) the hallucinated Thai runs with >= 8 letters had a mean
# confidence of at most 0.82; re-reading a strip that also holds part of a logo can sink
# real Thai.
STRONG_THAI_CONFIDENCE = 0.90
STRONG_THAI_LETTERS = 8


class OcrError(VisionError):
    """The OCR engine failed on a crop (crash, timeout); the crop needs a human."""


def _tesseract_dict(image_rgb: np.ndarray, lang: str, psm: int, timeout_s: float) -> dict[str, Any]:
    import pytesseract

    try:
        return pytesseract.image_to_data(
            image_rgb,
            lang=lang,
            config=f"--psm {psm}",
            output_type=pytesseract.Output.DICT,
            timeout=timeout_s,
        )
    except pytesseract.TesseractNotFoundError as exc:
        raise ModelLoadError(f"tesseract is not installed or not on PATH: {exc}") from exc
    except pytesseract.TesseractError as exc:
        msg = str(exc)
        if "Failed loading language" in msg or "Error opening data file" in msg:
            raise ModelLoadError(f"tesseract language data missing for {lang!r}: {msg}") from exc
        raise OcrError(f"tesseract failed ({lang}, psm {psm}): {msg}") from exc
    except RuntimeError as exc:  # pytesseract raises RuntimeError on timeout
        raise OcrError(f"tesseract timed out after {timeout_s} s ({lang}, psm {psm})") from exc


def _words(data: dict[str, Any], scale: float, dx: float = 0.0, dy: float = 0.0) -> list[OcrWord]:
    out = []
    for i, raw in enumerate(data["text"]):
        text = str(raw).strip()
        conf = float(data["conf"][i])
        if not text or conf < 0:
            continue
        x, y = float(data["left"][i]), float(data["top"][i])
        w, h = float(data["width"][i]), float(data["height"][i])
        if w <= 0 or h <= 0:
            continue
        out.append(
            OcrWord(
                text=text,
                bbox_xyxy=(
                    (x + dx) / scale,
                    (y + dy) / scale,
                    (x + w + dx) / scale,
                    (y + h + dy) / scale,
                ),
                confidence=min(1.0, conf / 100.0),
            )
        )
    return out


def _mean_confidence(words: list[OcrWord], script: Script) -> tuple[float, int]:
    """Letter-weighted mean confidence of the words' letters in ``script``, and the count."""
    total = 0
    acc = 0.0
    for w in words:
        if script is Script.THAI:
            k = thai_letter_count(w.text)
        else:
            k = letter_count(w.text) - thai_letter_count(w.text)
        total += k
        acc += w.confidence * k
    return (acc / total if total else 0.0), total


class TesseractReader:
    """Default :class:`TextReader`: tesseract 5 with Thai + English (+ optional more).

    ``languages`` is a tesseract language string; add ``chi_sim`` to read Chinese
    (slower, and tesseract then also invents CJK on textures). Thai must stay in it.
    """

    def __init__(
        self,
        languages: str = "tha+eng",
        *,
        psm: int = 11,
        target_long_side_px: int = 900,
        max_upscale: float = 3.0,
        verify_thai: bool = True,
        denoise: bool = True,
        timeout_s: float = 30.0,
    ) -> None:
        if "tha" not in languages.split("+"):
            raise ValueError(f"languages must include 'tha', got {languages!r}")
        if target_long_side_px < 64:
            raise ValueError(f"target_long_side_px must be >= 64, got {target_long_side_px}")
        if max_upscale < 1.0:
            raise ValueError(f"max_upscale must be >= 1, got {max_upscale}")
        self.languages = languages
        self.psm = psm
        self.target_long_side_px = target_long_side_px
        self.max_upscale = max_upscale
        self.verify_thai = verify_thai
        self.denoise = denoise
        self.timeout_s = timeout_s
        # Tesseract's OpenMP threads slow it down on a shared CPU and when several crops
        # are read in parallel; one thread per process is faster in both cases.
        os.environ.setdefault("OMP_THREAD_LIMIT", "1")

    def _scaled_rgb(self, crop_bgr: np.ndarray) -> tuple[np.ndarray, float]:
        h, w = crop_bgr.shape[:2]
        scale = min(self.max_upscale, self.target_long_side_px / max(h, w))
        if abs(scale - 1.0) > 0.05:
            interp = cv2.INTER_CUBIC if scale > 1 else cv2.INTER_AREA
            crop_bgr = cv2.resize(crop_bgr, None, fx=scale, fy=scale, interpolation=interp)
        else:
            scale = 1.0
        if self.denoise:
            # Sensor noise and JPEG blocks, once upscaled, become texture that breaks
            # tesseract's page layout (whole lines go missing). An edge-preserving
            # bilateral filter removes it and keeps thin strokes; a median or Gaussian
            # lost lines of thin serif Thai (measured with evaluate.py).
            crop_bgr = cv2.bilateralFilter(crop_bgr, 9, 40, 7)
        return cv2.cvtColor(crop_bgr, cv2.COLOR_BGR2RGB), scale

    def _reread(
        self,
        image_rgb: np.ndarray,
        box: tuple[float, float, float, float],
        lang: str,
        script: Script,
    ) -> float:
        """Mean confidence of ``script`` letters when the box is re-read as one raw line."""
        x1, y1, x2, y2 = box
        pad = 0.15 * (y2 - y1)
        h, w = image_rgb.shape[:2]
        xa, ya = max(0, int(x1 - pad)), max(0, int(y1 - pad))
        xb, yb = min(w, int(np.ceil(x2 + pad))), min(h, int(np.ceil(y2 + pad)))
        if xb - xa < 4 or yb - ya < 4:
            return 0.0
        data = _tesseract_dict(image_rgb[ya:yb, xa:xb], lang, 13, self.timeout_s)
        conf, _ = _mean_confidence(_words(data, 1.0), script)
        return conf

    def _thai_confidence(
        self, run: Run, row_runs: list[Run], image_rgb: np.ndarray, scale: float
    ) -> float:
        if run.letters < MIN_THAI_LETTERS:
            return 0.0
        strong = (
            run.mean_confidence >= STRONG_THAI_CONFIDENCE and run.letters >= STRONG_THAI_LETTERS
        )
        if strong or not self.verify_thai:
            x = thai_evidence(run.mean_confidence)
        else:
            box = tuple(v * scale for v in run.bbox_xyxy)
            v_thai = self._reread(image_rgb, box, "tha", Script.THAI)
            v_latin = self._reread(image_rgb, box, "eng", Script.LATIN)
            x = thai_evidence(run.mean_confidence, v_thai, v_latin)
        conf = thai_line_confidence(x, run.letters, run.text)
        if not strong and thai_run_inside_foreign_row(run, row_runs):
            conf *= EMBEDDED_FACTOR
        return conf

    def read(self, crop_bgr: np.ndarray) -> tuple[TextLine, ...]:
        if crop_bgr.ndim != 3 or crop_bgr.shape[2] != 3 or crop_bgr.dtype != np.uint8:
            raise InvalidImage(
                f"crop_bgr must be HxWx3 uint8, got shape {crop_bgr.shape} dtype {crop_bgr.dtype}"
            )
        image_rgb, scale = self._scaled_rgb(crop_bgr)
        data = _tesseract_dict(image_rgb, self.languages, self.psm, self.timeout_s)
        lines = []
        for row_runs in find_row_runs(_words(data, scale)):
            for run in row_runs:
                if run.is_thai:
                    conf = self._thai_confidence(run, row_runs, image_rgb, scale)
                else:
                    conf = foreign_line_confidence(run.mean_confidence, run.letters)
                if conf <= 0.0:
                    continue
                lines.append(
                    TextLine(
                        text=run.text,
                        script=run.script,
                        bbox_xyxy=run.bbox_xyxy,
                        confidence=round(conf, 3),
                    )
                )
        return tuple(lines)
