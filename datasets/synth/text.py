"""Text lines: script of a string, and rendering a line into a sign face with real fonts.

Pixel boxes are xyxy in face-texture pixels; the caller converts them to cm. The box of a
line is its tight ink box (what a reader or OCR sees), including stacked Thai marks.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from datasets.synth.fonts import font
from vision.types import Script

# Strings whose ink spans a script's full height, so lines of one script get one visual size
# whatever marks they happen to carry.
_REFERENCE = {Script.THAI: "ป๋ญูฎั้", Script.LATIN: "HÅgjy", Script.CJK: "國口"}
_MEASURE_PX = 100


def script_of(text: str) -> Script | None:
    """THAI if the line has Thai, else CJK, LATIN, OTHER by its letters; None without letters."""
    found: set[Script] = set()
    for ch in text:
        cp = ord(ch)
        if 0x0E00 <= cp <= 0x0E7F:
            return Script.THAI
        if 0x3400 <= cp <= 0x9FFF or 0xF900 <= cp <= 0xFAFF:
            found.add(Script.CJK)
        elif ch.isalpha():
            found.add(Script.LATIN if "LATIN" in unicodedata.name(ch, "") else Script.OTHER)
    for s in (Script.CJK, Script.LATIN, Script.OTHER):
        if s in found:
            return s
    return None


@lru_cache(maxsize=256)
def _measure(text: str, path: Path, stroke: float) -> tuple[float, float, float]:
    """(ink width, reference height, ink height) at _MEASURE_PX, stroke as a share of size."""
    f = font(path, _MEASURE_PX)
    sw = int(round(stroke * _MEASURE_PX))
    x0, y0, x1, y1 = f.getbbox(text, anchor="ls", stroke_width=sw)
    ref = _REFERENCE.get(script_of(text) or Script.LATIN, _REFERENCE[Script.LATIN])
    r0, r1 = f.getbbox(ref, anchor="ls", stroke_width=sw)[1::2]
    return float(x1 - x0), float(max(r1, y1) - min(r0, y0)), float(y1 - y0)


def fit_size(text: str, path: Path, box_w: float, box_h: float, stroke: float = 0.0) -> int:
    """Largest pixel size at which ``text`` fits a box of ``box_w`` x ``box_h`` px."""
    w, ref_h, _ = _measure(text, path, stroke)
    if w <= 0 or ref_h <= 0:
        return 4
    return max(4, int(_MEASURE_PX * min(box_w / w, box_h / ref_h)))


@dataclass(frozen=True, slots=True)
class InkLine:
    """A rendered line: 8-bit coverage masks (fill and optional outline), tight to the ink."""

    fill: np.ndarray  # HxW uint8
    outline: np.ndarray | None  # HxW uint8, same shape; stroke ring around the fill
    size_px: int


def render_line(text: str, path: Path, size_px: int, *, stroke: float = 0.0) -> InkLine:
    """Render ``text`` with libraqm shaping; masks are cropped to the ink (incl. stroke)."""
    f = font(path, size_px)
    sw = int(round(stroke * size_px))
    x0, y0, x1, y1 = f.getbbox(text, anchor="ls", stroke_width=sw)
    w, h = max(1, x1 - x0), max(1, y1 - y0)
    origin = (-x0, -y0)
    fill_img = Image.new("L", (w, h), 0)
    ImageDraw.Draw(fill_img).text(origin, text, font=f, fill=255, anchor="ls")
    outline = None
    if sw > 0:
        out_img = Image.new("L", (w, h), 0)
        ImageDraw.Draw(out_img).text(origin, text, font=f, fill=255, anchor="ls",
                                     stroke_width=sw, stroke_fill=255)
        outline = np.asarray(out_img)
    fill = np.asarray(fill_img)
    return InkLine(fill, outline, size_px)


def blend_mask(dst: np.ndarray, mask: np.ndarray, colour: tuple[int, int, int], x: int,
               y: int) -> tuple[int, int, int, int] | None:
    """Alpha-blend ``colour`` through ``mask`` into BGRA ``dst`` at (x, y); returns the
    written box xyxy (clipped to ``dst``) or None if nothing lands inside."""
    h, w = mask.shape
    H, W = dst.shape[:2]
    x0, y0, x1, y1 = max(0, x), max(0, y), min(W, x + w), min(H, y + h)
    if x1 <= x0 or y1 <= y0:
        return None
    m = mask[y0 - y:y1 - y, x0 - x:x1 - x].astype(np.float32)[..., None] / 255.0
    region = dst[y0:y1, x0:x1]
    col = np.array((*colour, 255), np.float32)
    region[:] = (region * (1 - m) + col * m).astype(np.uint8)
    return x0, y0, x1, y1
