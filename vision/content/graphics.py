"""A picture/logo cue: regions that differ from the board colour, are not text, and are big.

Why it matters: a picture or mark next to Thai-only text makes the sign Type 2 instead of
Type 1 (tax-law.md §4). It does not change Type 3.

Method (on a copy of the crop resized to ``WORK_WIDTH_PX`` wide):

1. Board colour: the commonest colour (CIE Lab, coarse bins) of the crop. Pixels farther
   than ``BOARD_DISTANCE`` from it are *ink*: text, pictures, logos, frames.
   A region test, not an edge test: a flat logo (a white drop on an orange board, blurred)
   has few edges but plenty of ink.
2. Ink inside the read text lines' boxes (grown by ``TEXT_PAD_HEIGHTS`` of the line height)
   and in a band at the crop border ``BORDER_FRACTION`` of its smaller side wide (frames, wall, sky) is dropped.
3. Connected components of the rest (after closing gaps of a couple of pixels).
   *Text-like*: a component in a row of at least ``ROW_MIN_GLYPHS`` components of similar
   height (letters of a line the reader missed), or one elongated like a word
   (``TEXT_LIKE_MIN_ASPECT``) no taller than ``TEXT_LIKE_MAX_HEIGHTS`` read line heights.
   These are *unread text*, not pictures: an unread Thai subtitle must not turn a Thai-only
   sign into Type 2 (before this rule the cue fired on nearly every real crop).
4. A remaining component is *graphic* when its box covers at least ``MIN_BLOB_FRACTION``
   of the crop, both its sides are at least ``MIN_BLOB_SIDE_FRACTION`` of the crop's (thin
   rules and underlines are not pictures) and ink fills at least ``MIN_FILL`` of its box
   (an inset frame is a big box with little ink).
5. ``has_graphics`` when graphic boxes cover ``HAS_GRAPHICS_FRACTION`` of the crop.

Limits, stated plainly: a picture that fills the board behind the text becomes the "board
colour"; a logo of a few letters (a monogram) is text-like; a glare or shadow patch of
another colour is a "picture"; the confidence never goes above ``MAX_CONFIDENCE``.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

WORK_WIDTH_PX = 320
TEXT_PAD_HEIGHTS = 0.25
BORDER_FRACTION = 0.08  # of the crop's smaller side
# OpenCV 8-bit Lab units (L 0..255): about 11 CIE Delta E. Sensor noise and JPEG stay under
# it; text and logos printed to be seen are far over it.
BOARD_DISTANCE = 28.0
LAB_BIN = 16  # coarse bins for the board colour, so noise does not split the mode
MIN_BLOB_FRACTION = 0.015
MIN_BLOB_SIDE_FRACTION = 0.06
MIN_FILL = 0.2
CLUSTER_PX = 3  # at work scale
MIN_GLYPH_PX = 6  # at work scale: smaller specks are noise, not letters
MAX_COMPONENTS = 300
ROW_MIN_GLYPHS = 3
ROW_HEIGHT_RATIO = 1.8  # glyphs of one line differ in height by at most this factor
ROW_GAP_HEIGHTS = 1.5  # ...and sit at most this many heights apart
HAS_GRAPHICS_FRACTION = 0.03
MAX_CONFIDENCE = 0.85
# A component this elongated, no taller than this many median read line heights, looks like
# a word or a line of text the reader missed.
TEXT_LIKE_MIN_ASPECT = 2.0
TEXT_LIKE_MAX_HEIGHTS = 2.5
NO_LINE_HEIGHT_FRACTION = 0.35  # without read lines, "line height" is at most this share of the crop

BBox = tuple[float, float, float, float]


@dataclass(frozen=True, slots=True)
class GraphicsCue:
    has_graphics: bool
    confidence: float  # 0..1, of has_graphics
    area_fraction: float  # of the crop covered by graphic blob boxes
    blobs_xyxy: tuple[BBox, ...]  # graphic regions, crop pixels
    reason: str
    text_like_xyxy: tuple[BBox, ...] = ()  # unread text-like regions, crop pixels


@dataclass(frozen=True, slots=True)
class _Component:
    x: int
    y: int
    w: int
    h: int
    ink_px: int


def _board_distance(small_bgr: np.ndarray) -> np.ndarray:
    lab = cv2.cvtColor(cv2.GaussianBlur(small_bgr, (0, 0), 0.8), cv2.COLOR_BGR2LAB)
    flat = lab.reshape(-1, 3).astype(np.int32)
    bins = flat // LAB_BIN
    keys = (bins[:, 0] * 64 + bins[:, 1]) * 64 + bins[:, 2]
    mode = np.bincount(keys).argmax()
    board = flat[keys == mode].mean(axis=0)
    return np.linalg.norm(lab.astype(np.float32) - board.astype(np.float32), axis=2)


def _components(mask: np.ndarray) -> list[_Component]:
    n, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    out = []
    for i in range(1, n):
        x, y, w, h, area = (int(v) for v in stats[i])
        if max(w, h) >= MIN_GLYPH_PX:
            out.append(_Component(x, y, w, h, area))
    # Row grouping compares every pair: on a textured wall keep the biggest only.
    out.sort(key=lambda c: c.w * c.h, reverse=True)
    return out[:MAX_COMPONENTS]


def _same_row(a: _Component, b: _Component) -> bool:
    if max(a.h, b.h) > ROW_HEIGHT_RATIO * min(a.h, b.h):
        return False
    overlap = min(a.y + a.h, b.y + b.h) - max(a.y, b.y)
    if overlap < 0.5 * min(a.h, b.h):
        return False
    gap = max(b.x - (a.x + a.w), a.x - (b.x + b.w))
    return gap <= ROW_GAP_HEIGHTS * max(a.h, b.h)


def _rows(comps: list[_Component]) -> list[int]:
    """Row id per component (union-find over _same_row)."""
    parent = list(range(len(comps)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(comps)):
        for j in range(i + 1, len(comps)):
            if _same_row(comps[i], comps[j]):
                parent[find(i)] = find(j)
    return [find(i) for i in range(len(comps))]


def _union(comps: Sequence[_Component]) -> tuple[int, int, int, int]:
    x1 = min(c.x for c in comps)
    y1 = min(c.y for c in comps)
    x2 = max(c.x + c.w for c in comps)
    y2 = max(c.y + c.h for c in comps)
    return x1, y1, x2, y2


def detect_graphics(crop_bgr: np.ndarray, text_boxes_xyxy: Sequence[BBox]) -> GraphicsCue:
    """Picture/logo cue for a sign crop (HxWx3 uint8 BGR); text boxes in crop pixels."""
    h, w = crop_bgr.shape[:2]
    s = WORK_WIDTH_PX / w
    sw, sh = WORK_WIDTH_PX, max(8, round(h * s))
    small = cv2.resize(crop_bgr, (sw, sh), interpolation=cv2.INTER_AREA)
    ink = (_board_distance(small) > BOARD_DISTANCE).astype(np.uint8)

    keep = np.zeros((sh, sw), np.uint8)
    # The band is a share of the smaller side: frames are as thick at the ends of a long
    # fascia as at its top, and a logo at its end must survive.
    bx = by = max(1, round(BORDER_FRACTION * min(sw, sh)))
    keep[by : sh - by, bx : sw - bx] = 1
    line_heights = []
    for x1, y1, x2, y2 in text_boxes_xyxy:
        line_heights.append((y2 - y1) * s)
        pad = TEXT_PAD_HEIGHTS * (y2 - y1)
        xa, ya = max(0, int((x1 - pad) * s)), max(0, int((y1 - pad) * s))
        xb, yb = min(sw, int(np.ceil((x2 + pad) * s))), min(sh, int(np.ceil((y2 + pad) * s)))
        keep[ya:yb, xa:xb] = 0
    ink = cv2.morphologyEx(ink * keep, cv2.MORPH_CLOSE, np.ones((3, 3), np.uint8))
    comps = _components(ink)

    # A word is at most this tall: the read lines tell how big text is on this sign.
    max_word_h = (
        TEXT_LIKE_MAX_HEIGHTS * statistics.median(line_heights)
        if line_heights
        else NO_LINE_HEIGHT_FRACTION * sh
    )
    row_of = _rows(comps)
    members: dict[int, list[_Component]] = {}
    for c, r in zip(comps, row_of, strict=True):
        members.setdefault(r, []).append(c)
    text_rows = {r for r, cs in members.items() if len(cs) >= ROW_MIN_GLYPHS}

    area = float(sw * sh)
    text_like: list[BBox] = [
        tuple(v / s for v in _union(members[r])) for r in sorted(text_rows)
    ]
    # Parts of one picture (petals of a lotus, a blurred logo broken by the threshold) are
    # pooled: the non-text ink, grown by CLUSTER_PX, makes the picture regions.
    picture_ink = np.zeros_like(ink)
    for c, r in zip(comps, row_of, strict=True):
        if r in text_rows:
            continue
        if c.w >= TEXT_LIKE_MIN_ASPECT * c.h and c.h <= max_word_h:
            text_like.append((c.x / s, c.y / s, (c.x + c.w) / s, (c.y + c.h) / s))
            continue
        picture_ink[c.y : c.y + c.h, c.x : c.x + c.w] |= ink[c.y : c.y + c.h, c.x : c.x + c.w]
    grown = cv2.dilate(picture_ink, np.ones((2 * CLUSTER_PX + 1,) * 2, np.uint8))
    blobs: list[BBox] = []
    covered = 0.0
    for c in _components(grown):
        # The region's box is that of its ink, not of the grown mask.
        ys, xs = np.nonzero(picture_ink[c.y : c.y + c.h, c.x : c.x + c.w])
        if ys.size == 0:
            continue
        x, y = c.x + int(xs.min()), c.y + int(ys.min())
        bw, bh = int(xs.max() - xs.min()) + 1, int(ys.max() - ys.min()) + 1
        if bw * bh < MIN_BLOB_FRACTION * area:
            continue
        if bw < MIN_BLOB_SIDE_FRACTION * sw or bh < MIN_BLOB_SIDE_FRACTION * sh:
            continue
        if ys.size < MIN_FILL * bw * bh:
            continue
        blobs.append((x / s, y / s, (x + bw) / s, (y + bh) / s))
        covered += bw * bh / area
    covered = min(1.0, covered)
    has = covered >= HAS_GRAPHICS_FRACTION
    # Distance from the threshold, in thresholds, mapped onto 0.5..MAX_CONFIDENCE.
    margin = abs(covered - HAS_GRAPHICS_FRACTION) / HAS_GRAPHICS_FRACTION
    conf = 0.5 + (MAX_CONFIDENCE - 0.5) * min(1.0, margin)
    reason = (
        f"{len(blobs)} picture-like region(s) off the board colour cover {covered:.1%} of the "
        f"crop (threshold {HAS_GRAPHICS_FRACTION:.0%}); {len(text_like)} unread text-like"
    )
    return GraphicsCue(
        has, round(conf, 3), round(covered, 4), tuple(blobs), reason, tuple(text_like)
    )
