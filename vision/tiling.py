"""Tiled detection for large photos: one full-frame pass plus overlapping tiles, merged.

The detector shrinks every photo to its input size (640 px): on a 4000x3000 photo a sign 60 px
tall is about 10 px there and may be lost. Each tile of a 2x2 grid (20 % overlap) is shrunk to
the same input, so the model sees it 1.8x larger (3x2: 2.4x). Tiles cut signs that cross their
borders, so the full-frame pass still runs (it sees big signs whole), and a tile's piece of a
sign is dropped where another pass has the whole sign; duplicates go by class-aware NMS, and
across passes also regardless of class (two passes often give one sign different classes: 24
of the 25 duplicates class-aware NMS left on 30 tuning scenes, seeds 901000000.., were such).

Measured with ``signtax eval detect --tiles 2x2`` (v2s, 60 scenes of 12 MP): small-sign recall
rises, but precision at the shipped threshold falls and the detector costs 4-5x as much, so the
scan path does not tile; this module serves the evaluation and later experiments.

Everything is in the full photo's upright pixels; ``detect_tiled`` is a plain function over a
detector with ``detect_pixels`` (``vision.detector.YoloDetector``), which serialises inference.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Protocol

import cv2
import numpy as np

from vision.types import Detection

Window = tuple[int, int, int, int]  # x1, y1, x2, y2 in photo pixels, x2/y2 exclusive

# A box within this many *model input* pixels of an inner tile edge is taken as cut by it: the
# model's boxes of a cut sign end at the edge, give or take a pixel or two of regression.
EDGE_MARGIN_INPUT_PX = 3.0
# A piece is the same sign as a whole detection when this share of the piece lies inside it.
PIECE_INSIDE_MIN = 0.6
MERGE_IOU = 0.5  # class-aware NMS across passes; the detector's own NMS threshold
# Two passes' boxes this close are one sign whatever their classes; the more confident stays.
# Within one pass the model's own class-aware NMS decided, as in the single pass.
CROSS_PASS_IOU = 0.7


class Edge(StrEnum):
    LEFT = "left"
    TOP = "top"
    RIGHT = "right"
    BOTTOM = "bottom"


class PixelDetector(Protocol):
    """What tiling needs of a detector (``YoloDetector`` has it)."""

    @property
    def input_size_px(self) -> int: ...

    def detect_pixels(self, pixels_bgr: np.ndarray, *, scale_xy: tuple[float, float] = (1.0, 1.0),
                      size_wh: tuple[int, int] | None = None) -> tuple[Detection, ...]: ...


@dataclass(frozen=True, slots=True)
class TileGrid:
    """Tiles along the photo's long and short sides (so one grid suits landscape and portrait
    photos), each sharing ``overlap_frac`` of its side with its neighbour."""

    long_tiles: int = 2
    short_tiles: int = 2
    overlap_frac: float = 0.2

    def __post_init__(self) -> None:
        for name in ("long_tiles", "short_tiles"):
            v = getattr(self, name)
            if not (isinstance(v, int) and 1 <= v <= 8):
                raise ValueError(f"{name} must be an integer in 1..8, got {v!r}")
        if self.long_tiles * self.short_tiles < 2:
            raise ValueError("a 1x1 grid is the full-frame pass alone; give at least 2 tiles")
        if not 0.0 <= self.overlap_frac <= 0.5:
            raise ValueError(f"overlap_frac must be in [0, 0.5], got {self.overlap_frac}")

    @classmethod
    def parse(cls, text: str, *, overlap_frac: float = 0.2) -> TileGrid:
        """``"3x2"``: 3 tiles along the long side, 2 along the short side."""
        parts = text.lower().strip().split("x")
        try:
            if len(parts) != 2:
                raise ValueError
            long_tiles, short_tiles = (int(p) for p in parts)
        except ValueError:
            raise ValueError(f"a tile grid looks like 2x2 or 3x2 (long x short side), "
                             f"got {text!r}") from None
        return cls(long_tiles, short_tiles, overlap_frac)

    def __str__(self) -> str:
        return f"{self.long_tiles}x{self.short_tiles}"

    def windows_xyxy(self, size_wh: tuple[int, int]) -> tuple[Window, ...]:
        """The tiles of a ``size_wh`` photo, row by row; together they cover every pixel."""
        w, h = size_wh
        if w < 1 or h < 1:
            raise ValueError(f"size_wh must be positive, got {size_wh}")
        n_x, n_y = ((self.long_tiles, self.short_tiles) if w >= h
                    else (self.short_tiles, self.long_tiles))
        xs = _spans(w, n_x, self.overlap_frac)
        ys = _spans(h, n_y, self.overlap_frac)
        return tuple((x1, y1, x2, y2) for y1, y2 in ys for x1, x2 in xs)


def _spans(length: int, n: int, overlap_frac: float) -> list[tuple[int, int]]:
    """``n`` equal spans of ``length`` with neighbours sharing ``overlap_frac`` of a span."""
    if n == 1:
        return [(0, length)]
    span = min(length, math.ceil(length / (n - (n - 1) * overlap_frac)))
    starts = np.linspace(0, length - span, n).round().astype(int)
    return [(int(s), int(s) + span) for s in starts]


@dataclass(frozen=True, slots=True)
class Found:
    """One detection of one pass, in photo pixels. ``window_xyxy`` is None for the full-frame
    pass; ``cut`` names the inner tile edges its box touches (the sign may go on past them)."""

    detection: Detection
    window_xyxy: Window | None = None
    cut: frozenset[Edge] = frozenset()


def to_photo(det: Detection, window_xyxy: Window) -> Detection:
    """A detection in tile pixels moved to photo pixels (box and the 4 corners)."""
    dx, dy = float(window_xyxy[0]), float(window_xyxy[1])
    x1, y1, x2, y2 = det.bbox_xyxy
    return replace(det, bbox_xyxy=(x1 + dx, y1 + dy, x2 + dx, y2 + dy),
                   corners_px=tuple((x + dx, y + dy) for x, y in det.corners_px))


def cut_edges(bbox_xyxy: tuple[float, float, float, float], window_xyxy: Window,
              size_wh: tuple[int, int], margin_px: float) -> frozenset[Edge]:
    """The window's inner edges (not the photo's border) that the box reaches within
    ``margin_px``: there the tile may have cut the sign."""
    x1, y1, x2, y2 = bbox_xyxy
    wx1, wy1, wx2, wy2 = window_xyxy
    w, h = size_wh
    out = set()
    if wx1 > 0 and x1 <= wx1 + margin_px:
        out.add(Edge.LEFT)
    if wy1 > 0 and y1 <= wy1 + margin_px:
        out.add(Edge.TOP)
    if wx2 < w and x2 >= wx2 - margin_px:
        out.add(Edge.RIGHT)
    if wy2 < h and y2 >= wy2 - margin_px:
        out.add(Edge.BOTTOM)
    return frozenset(out)


def _goes_past(whole: tuple[float, ...], window: Window, edge: Edge, margin_px: float) -> bool:
    """The whole box continues beyond the window's ``edge``, where the piece was cut."""
    if edge is Edge.LEFT:
        return whole[0] < window[0] - margin_px
    if edge is Edge.TOP:
        return whole[1] < window[1] - margin_px
    if edge is Edge.RIGHT:
        return whole[2] > window[2] + margin_px
    return whole[3] > window[3] + margin_px


def _inside_share(piece: tuple[float, ...], whole: tuple[float, ...]) -> float:
    iw = min(piece[2], whole[2]) - max(piece[0], whole[0])
    ih = min(piece[3], whole[3]) - max(piece[1], whole[1])
    area = (piece[2] - piece[0]) * (piece[3] - piece[1])
    return max(iw, 0.0) * max(ih, 0.0) / area if area > 0 else 0.0


def _is_piece_of_whole(piece: Found, wholes: Sequence[Found], margin_px: float) -> bool:
    """A cut piece whose sign another pass has whole: mostly inside that detection, which goes
    on past every edge the piece was cut at. Any class: a piece may be misclassified."""
    box = piece.detection.bbox_xyxy
    for whole in wholes:
        other = whole.detection.bbox_xyxy
        if _inside_share(box, other) >= PIECE_INSIDE_MIN and all(
                _goes_past(other, piece.window_xyxy, e, margin_px) for e in piece.cut):
            return True
    return False


def _iou_one_to_many(box: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    iw = np.clip(np.minimum(box[2], boxes[:, 2]) - np.maximum(box[0], boxes[:, 0]), 0, None)
    ih = np.clip(np.minimum(box[3], boxes[:, 3]) - np.maximum(box[1], boxes[:, 1]), 0, None)
    inter = iw * ih
    union = ((box[2] - box[0]) * (box[3] - box[1])
             + (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1]) - inter)
    return inter / np.maximum(union, 1e-9)


def _nms(found: list[Found], iou_min: float, cross_pass_iou_min: float) -> list[Found]:
    """Greedy NMS, highest confidence first: a box goes when a better one of its class
    overlaps it by more than ``iou_min``, or a better one of another pass (any class) by at
    least ``cross_pass_iou_min``."""
    if not found:
        return []
    found = sorted(found, key=lambda f: -f.detection.confidence)
    boxes = np.array([f.detection.bbox_xyxy for f in found], float)
    classes = np.array([f.detection.sign_class.value for f in found])
    passes = [f.window_xyxy for f in found]
    alive = np.ones(len(found), bool)
    keep = []
    for i in range(len(found)):
        if not alive[i]:
            continue
        keep.append(found[i])
        rest = np.where(alive)[0]
        rest = rest[rest > i]
        if not len(rest):
            continue
        iou = _iou_one_to_many(boxes[i], boxes[rest])
        other_pass = np.array([passes[j] != passes[i] for j in rest])
        gone = ((classes[rest] == classes[i]) & (iou > iou_min)) | (other_pass & (iou >= cross_pass_iou_min))
        alive[rest[gone]] = False
    return keep


def merge(found: Sequence[Found], *, iou_min: float = MERGE_IOU,
          cross_pass_iou_min: float = CROSS_PASS_IOU,
          margin_px: float = 0.0) -> tuple[Detection, ...]:
    """Drop cut pieces of signs some pass has whole, then NMS (class-aware, and by place alone
    across passes); best first.

    A cut piece with no whole counterpart stays: a sign larger than the overlap that the
    full-frame pass missed is better reported in pieces than not at all.
    """
    wholes = [f for f in found if not f.cut]
    kept = [f for f in found if not (f.cut and _is_piece_of_whole(f, wholes, margin_px))]
    return tuple(f.detection for f in _nms(kept, iou_min, cross_pass_iou_min))


def reduce_to_input(pixels_bgr: np.ndarray, input_size_px: int
                    ) -> tuple[np.ndarray, tuple[float, float]]:
    """A copy whose long side is the model input, by area averaging (the model then sees what
    a DCT-scaled preview gives, not the aliasing of the letterbox's linear resize); with the
    pixels of ``pixels_bgr`` per reduced pixel. Arrays already small enough are returned as is.
    """
    h, w = pixels_bgr.shape[:2]
    if max(w, h) <= input_size_px:
        return np.ascontiguousarray(pixels_bgr), (1.0, 1.0)  # a tile is a strided view
    ratio = max(w, h) / input_size_px
    small_w, small_h = max(1, round(w / ratio)), max(1, round(h / ratio))
    small = cv2.resize(pixels_bgr, (small_w, small_h), interpolation=cv2.INTER_AREA)
    return small, (w / small_w, h / small_h)


def detect_tiled(detector: PixelDetector, pixels_bgr: np.ndarray, grid: TileGrid = TileGrid(), *,
                 full_frame: Sequence[Detection] | None = None, iou_min: float = MERGE_IOU,
                 cross_pass_iou_min: float = CROSS_PASS_IOU) -> tuple[Detection, ...]:
    """Detections on the full photo ``pixels_bgr`` from a full-frame pass plus ``grid``'s tiles.

    ``full_frame``: the full-frame pass when the caller already ran it (``signtax scan`` runs
    it on the preview); otherwise it runs here on the photo reduced to the model input.
    """
    h, w = pixels_bgr.shape[:2]
    size = detector.input_size_px
    if full_frame is None:
        small, scale = reduce_to_input(pixels_bgr, size)
        full_frame = detector.detect_pixels(small, scale_xy=scale, size_wh=(w, h))
    found = [Found(d) for d in full_frame]
    margin_px = 0.0
    for window in grid.windows_xyxy((w, h)):
        x1, y1, x2, y2 = window
        small, scale = reduce_to_input(pixels_bgr[y1:y2, x1:x2], size)
        margin = EDGE_MARGIN_INPUT_PX * max(scale)
        margin_px = max(margin_px, margin)
        for det in detector.detect_pixels(small, scale_xy=scale, size_wh=(x2 - x1, y2 - y1)):
            moved = to_photo(det, window)
            found.append(Found(moved, window, cut_edges(moved.bbox_xyxy, window, (w, h), margin)))
    return merge(found, iou_min=iou_min, cross_pass_iou_min=cross_pass_iou_min,
                 margin_px=margin_px)
