"""A simple picture/logo cue: strong edge structure outside the text boxes.

Why it matters: a picture or mark next to Thai-only text makes the sign Type 2 instead of
Type 1 (tax-law.md §4). It does not change Type 3.

Method (on a copy of the crop resized to ``WORK_WIDTH_PX`` wide):

1. Edges: Canny on the L, a and b channels of CIE Lab (so a red logo on a green board of
   the same brightness still has edges), OR-ed together.
2. Remove edges inside the text lines' boxes (grown by ``TEXT_PAD_HEIGHTS`` of the line
   height) and in a ``BORDER_FRACTION`` band at the crop border (frames, wall, sky).
3. Dilate and take connected components. A component is *graphic* when its bounding box
   covers at least ``MIN_BLOB_FRACTION`` of the crop, both its sides are at least
   ``MIN_BLOB_SIDE_FRACTION`` of the crop's (thin rules and underlines are not pictures),
   and edge pixels fill at least ``MIN_EDGE_DENSITY`` of the box.
4. ``has_graphics`` when graphic boxes cover ``HAS_GRAPHICS_FRACTION`` of the crop.

Limits, stated plainly: text the reader did not find (decorative lettering, small print,
text too blurred to read) is edge structure too, so it counts as graphics; flat-colour
logos with few edges, and pictures that fill the whole board behind the text, are missed;
the confidence never goes above ``MAX_CONFIDENCE``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

WORK_WIDTH_PX = 320
TEXT_PAD_HEIGHTS = 0.25
BORDER_FRACTION = 0.06
MIN_BLOB_FRACTION = 0.015
MIN_BLOB_SIDE_FRACTION = 0.06
MIN_EDGE_DENSITY = 0.06
HAS_GRAPHICS_FRACTION = 0.03
MAX_CONFIDENCE = 0.85
# A graphic blob this elongated, with a height close to the read lines', looks like a line
# of text the reader missed (see text_like_blobs).
TEXT_LIKE_MIN_ASPECT = 2.0
TEXT_LIKE_HEIGHT_RANGE = (0.5, 2.5)  # times the median read line height

BBox = tuple[float, float, float, float]


@dataclass(frozen=True, slots=True)
class GraphicsCue:
    has_graphics: bool
    confidence: float  # 0..1, of has_graphics
    area_fraction: float  # of the crop covered by graphic blob boxes
    blobs_xyxy: tuple[BBox, ...]  # crop pixels
    reason: str


def _edges(small_bgr: np.ndarray) -> np.ndarray:
    lab = cv2.cvtColor(small_bgr, cv2.COLOR_BGR2LAB)
    lab = cv2.GaussianBlur(lab, (0, 0), 1.0)
    edges = np.zeros(small_bgr.shape[:2], np.uint8)
    # Chroma channels have a smaller range than lightness, hence the lower thresholds.
    for ch, (lo, hi) in zip(cv2.split(lab), ((50, 150), (25, 75), (25, 75)), strict=True):
        edges |= cv2.Canny(ch, lo, hi)
    return edges


def detect_graphics(crop_bgr: np.ndarray, text_boxes_xyxy: Sequence[BBox]) -> GraphicsCue:
    """Picture/logo cue for a sign crop (HxWx3 uint8 BGR); text boxes in crop pixels."""
    h, w = crop_bgr.shape[:2]
    s = WORK_WIDTH_PX / w
    sw, sh = WORK_WIDTH_PX, max(8, round(h * s))
    small = cv2.resize(crop_bgr, (sw, sh), interpolation=cv2.INTER_AREA)
    edges = _edges(small)

    keep = np.zeros((sh, sw), np.uint8)
    bx, by = round(BORDER_FRACTION * sw), round(BORDER_FRACTION * sh)
    keep[by : sh - by, bx : sw - bx] = 1
    for x1, y1, x2, y2 in text_boxes_xyxy:
        pad = TEXT_PAD_HEIGHTS * (y2 - y1)
        xa, ya = max(0, int((x1 - pad) * s)), max(0, int((y1 - pad) * s))
        xb, yb = min(sw, int(np.ceil((x2 + pad) * s))), min(sh, int(np.ceil((y2 + pad) * s)))
        keep[ya:yb, xa:xb] = 0
    edges = edges * keep

    grown = cv2.dilate(edges, np.ones((7, 7), np.uint8))
    n, labels = cv2.connectedComponents(grown, connectivity=8)
    area = float(sw * sh)
    blobs: list[BBox] = []
    covered = 0.0
    for i in range(1, n):
        # The blob's box is that of its edge pixels, not of the dilated mask, so a thin
        # rule stays thin.
        ys, xs = np.nonzero((labels == i) & (edges > 0))
        if ys.size == 0:
            continue
        x, y = int(xs.min()), int(ys.min())
        bw, bh = int(xs.max()) - x + 1, int(ys.max()) - y + 1
        if bw * bh < MIN_BLOB_FRACTION * area:
            continue
        if bw < MIN_BLOB_SIDE_FRACTION * sw or bh < MIN_BLOB_SIDE_FRACTION * sh:
            continue
        if np.count_nonzero(edges[y : y + bh, x : x + bw]) / (bw * bh) < MIN_EDGE_DENSITY:
            continue
        blobs.append((x / s, y / s, (x + bw) / s, (y + bh) / s))
        covered += bw * bh / area
    covered = min(1.0, covered)
    has = covered >= HAS_GRAPHICS_FRACTION
    # Distance from the threshold, in thresholds, mapped onto 0.5..MAX_CONFIDENCE.
    margin = abs(covered - HAS_GRAPHICS_FRACTION) / HAS_GRAPHICS_FRACTION
    conf = 0.5 + (MAX_CONFIDENCE - 0.5) * min(1.0, margin)
    reason = (
        f"{len(blobs)} non-text edge region(s) cover {covered:.1%} of the crop"
        f" (threshold {HAS_GRAPHICS_FRACTION:.0%})"
    )
    return GraphicsCue(has, round(conf, 3), round(covered, 4), tuple(blobs), reason)


def text_like_blobs(blobs_xyxy: Sequence[BBox], line_height_px: float) -> tuple[BBox, ...]:
    """Graphic blobs shaped like a line of text about ``line_height_px`` tall.

    Used to doubt a "no Thai" result: an unread line-shaped region may be Thai text
    the reader missed (thin or decorative fonts, low contrast).
    """
    lo, hi = (f * line_height_px for f in TEXT_LIKE_HEIGHT_RANGE)
    out = []
    for x1, y1, x2, y2 in blobs_xyxy:
        h = y2 - y1
        if h > 0 and (x2 - x1) / h >= TEXT_LIKE_MIN_ASPECT and lo <= h <= hi:
            out.append((x1, y1, x2, y2))
    return tuple(out)
