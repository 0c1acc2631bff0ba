"""Turned text on tall signs: vertical banners often carry a line turned a quarter.

Tesseract reads upright lines only. On a tall crop (``TALL_ASPECT``) that it could not read
surely upright, the reader tries the crop turned a quarter each way and keeps the reading
with the most confidently read letters (:func:`reading_strength`); the kept lines' boxes are
mapped back to the upright crop's pixels (:func:`unturn_box`), so the evidence an officer
sees still sits on the sign as photographed. Layout facts (Thai below foreign) are decided
in the turned frame, where the lines run left to right as they were written.

On the 300 held-out rendered crops of ``signtax eval content`` the two vertical banners
with turned Thai that neither reader saw were decided "no Thai" (2026-11-27).
"""

from __future__ import annotations

from collections.abc import Iterable

import cv2
import numpy as np

from vision.content.scripts import letter_count
from vision.types import TextLine

BBox = tuple[float, float, float, float]

# Height over width from which a crop may carry turned text (the content network's letterbox
# turns such crops too).
TALL_ASPECT = 1.5
# A turned reading replaces the upright one only if it reads this many times its strength:
# tesseract invents a few letters on a sideways line, so a bare majority is not enough.
TURNED_MIN_GAIN = 1.5
# Quarter turns tried: text running bottom to top (turned clockwise to be read) and top to
# bottom (counter-clockwise).
TURNS = (cv2.ROTATE_90_CLOCKWISE, cv2.ROTATE_90_COUNTERCLOCKWISE)


def is_tall(size_wh: tuple[int, int]) -> bool:
    w, h = size_wh
    return h >= TALL_ASPECT * w


def turn(crop_bgr: np.ndarray, rotate_code: int) -> np.ndarray:
    return cv2.rotate(crop_bgr, rotate_code)


def unturn_box(box_xyxy: BBox, rotate_code: int, size_wh: tuple[int, int]) -> BBox:
    """A box in the turned crop, in the pixels of the upright crop of size ``size_wh``.

    Clockwise, upright ``(x, y)`` lands at ``(H - y, x)``; counter-clockwise at ``(y, W - x)``.
    """
    w, h = size_wh
    x1, y1, x2, y2 = box_xyxy
    if rotate_code == cv2.ROTATE_90_CLOCKWISE:
        return (y1, h - x2, y2, h - x1)
    if rotate_code == cv2.ROTATE_90_COUNTERCLOCKWISE:
        return (w - y2, x1, w - y1, x2)
    raise ValueError(f"not a quarter turn: {rotate_code}")


def unturn_lines(lines: Iterable[TextLine], rotate_code: int,
                 size_wh: tuple[int, int]) -> tuple[TextLine, ...]:
    return tuple(
        TextLine(text=ln.text, script=ln.script, confidence=ln.confidence,
                 bbox_xyxy=unturn_box(ln.bbox_xyxy, rotate_code, size_wh))
        for ln in lines
    )


def reading_strength(lines: Iterable[TextLine], accept: float) -> float:
    """Letters read on accepted lines, weighted by the lines' confidence."""
    return sum(letter_count(ln.text) * ln.confidence for ln in lines if ln.confidence >= accept)
