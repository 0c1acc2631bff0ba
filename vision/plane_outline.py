"""A sign's outline found in the reference board's plane, where it is an upright rectangle.

With the board pressed flat on the sign face (square to its edges, as surveyors are told),
the board's homography rectifies the face: in the rectified view its four edges are straight
rows and columns, whatever the camera's yaw and pitch. Finding them is then a 1-D search per
side for the row (or column) near the detector's box where one long edge runs across most of
the face (letters leave gaps, so text rows do not qualify); a second edge just outside it (a
frame or rim) extends the face, and a distant rival edge as good (a pillar beside the sign)
makes the side a guess, so no outline is returned. That holds for faces whose interior is busy
(neon letters, photos) and whose box from the detector is short of the frame, where the contour
search of :mod:`vision.corners` finds the text block instead of the face.

The rectangle found this way is mapped back to the photo and its edges are re-fitted at full
resolution (:func:`vision.corners.fit_edges`), which also absorbs a board set a little off
square.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from vision.board import BoardObservation
from vision.corners import Quad, fit_edges, order_clockwise, plausible_sign_quad


@dataclass(frozen=True, slots=True)
class PlaneOutlineParams:
    expand_frac: float = 0.35  # detector boxes can be short of the frame by a third
    rectified_max_side_px: int = 1200
    inner_frac: float = 0.3  # an edge may lie this far inside the box
    max_out_x_frac: float = 0.12  # ... and this far outside it at the sides
    max_out_y_frac: float = 0.3  # ... and at the top and bottom
    span_core_frac: float = 0.6  # edge support is read over this central part of a side
    support_percentile: float = 30.0  # the edge must hold over ~70 % of that span
    min_edge_grey: float = 12.0  # grey-level step an edge must have along that span
    edge_search_px: int = 6  # full-resolution re-fit: half-width of the normal search
    max_shift_px_frac: float = 0.05  # re-fit corners may move this fraction of the sign size
    proximity_scale: float = 0.15  # an edge this far from the box side (x its length) scores 1/e
    min_side_support: float = 0.6  # each whole side must carry its edge along this share
    frame_max_frac: float = 0.06  # a frame's outer edge lies this close (x the side's length)
    frame_min_strength: float = 0.35  # ... and is at least this strong relative to the inner
    rival_score_frac: float = 0.6  # a distant edge scoring this close to the best: ambiguous


def _apply_h(h: np.ndarray, pts: np.ndarray) -> np.ndarray:
    p = np.c_[pts, np.ones(len(pts))] @ h.T
    return p[:, :2] / p[:, 2:3]


def _best_line(grad: np.ndarray, span: tuple[int, int], search: tuple[int, int],
               expected: float, outward: int, params: PlaneOutlineParams) -> float | None:
    """Index of the line (row of ``grad``) inside ``search`` where the strongest straight edge
    runs along ``span``, favouring lines near ``expected`` (the detector box's side);
    ``outward`` (+1 or -1) is the direction away from the face."""
    lo, hi = span
    s0, s1 = max(1, search[0]), min(grad.shape[0] - 1, search[1])
    if hi - lo < 8 or s1 - s0 < 2:
        return None
    # Either polarity: a face of several colours is lighter than the wall in one part and
    # darker in another. Text rows fail anyway: the letters leave gaps along the line.
    seg = np.abs(grad[s0:s1, lo:hi])
    strength = np.percentile(seg, params.support_percentile, axis=1)
    # Sobel(ksize=3) is 4x a one-pixel difference.
    strong = strength >= 4.0 * params.min_edge_grey
    if not strong.any():
        return None
    # A pole or a window frame beyond the sign can be as straight and strong as its edge;
    # the box is usually close, so distance from it costs.
    lines = np.arange(s0, s1)
    distance = np.abs(lines - expected) / max(1.0, hi - lo)
    score = np.where(strong, strength * np.exp(-distance / params.proximity_scale), 0.0)
    best = int(np.argmax(score))
    reach = max(2, int(round(params.frame_max_frac * (hi - lo))))
    # Another clear edge elsewhere that scores almost as well (a pillar beside the sign, a
    # shop front below it) makes the side a guess: no outline rather than a wrong one.
    rival = strong & (np.abs(lines - lines[best]) > reach) \
        & (score >= params.rival_score_frac * score[best])
    if rival.any():
        return None
    # A frame or margin in another colour puts a second edge just outside the first; the
    # face ends at the outer one, so step out to it when it is clearly an edge too.
    near = (np.sign(lines - lines[best]) == outward) & (np.abs(lines - lines[best]) <= reach)
    frame = np.where(near & strong & (strength >= params.frame_min_strength * strength[best]))[0]
    if len(frame):
        best = int(frame.max() if outward > 0 else frame.min())
    return float(lines[best])


def _edge_support(grad: np.ndarray, line: float, lo: float, hi: float,
                  params: PlaneOutlineParams) -> float:
    """Share of the side from ``lo`` to ``hi`` along which the edge at ``line`` holds."""
    r = int(round(line - 0.5))
    a, b = int(np.ceil(lo)), int(np.floor(hi))
    if b - a < 4 or r < 1 or r >= grad.shape[0] - 1:
        return 0.0
    along = np.max(np.abs(grad[r - 1:r + 2, a:b]), axis=0)
    return float(np.mean(along >= 2.0 * params.min_edge_grey))
def outline_in_board_plane(pixels_bgr: np.ndarray, board: BoardObservation,
                           bbox_xyxy: tuple[float, float, float, float],
                           params: PlaneOutlineParams = PlaneOutlineParams()) -> Quad | None:
    """The sign face's 4 corners (clockwise from top-left, full-resolution pixels) or None."""
    img_h, img_w = pixels_bgr.shape[:2]
    x1, y1, x2, y2 = bbox_xyxy
    bw, bh = x2 - x1, y2 - y1
    if bw < 16 or bh < 16:
        return None
    ex, ey = params.expand_frac * bw, params.expand_frac * bh
    region = np.array([[max(0, x1 - ex), max(0, y1 - ey)], [min(img_w, x2 + ex), max(0, y1 - ey)],
                       [min(img_w, x2 + ex), min(img_h, y2 + ey)],
                       [max(0, x1 - ex), min(img_h, y2 + ey)]])
    to_plane = board.image_to_plane
    region_cm = _apply_h(to_plane, region)
    if not np.all(np.isfinite(region_cm)):
        return None
    u0, v0 = region_cm.min(axis=0)
    u1, v1 = region_cm.max(axis=0)
    if u1 - u0 <= 0 or v1 - v0 <= 0 or max(u1 - u0, v1 - v0) > 5000:  # beyond 50 m: not this sign
        return None
    px_per_cm = params.rectified_max_side_px / max(u1 - u0, v1 - v0)
    plane_to_rect = np.array([[px_per_cm, 0, -u0 * px_per_cm], [0, px_per_cm, -v0 * px_per_cm],
                              [0, 0, 1]])
    img_to_rect = plane_to_rect @ to_plane
    rw, rh = int(np.ceil((u1 - u0) * px_per_cm)), int(np.ceil((v1 - v0) * px_per_cm))
    rect = cv2.warpPerspective(pixels_bgr, img_to_rect, (rw, rh), flags=cv2.INTER_AREA)
    grey = cv2.cvtColor(rect, cv2.COLOR_BGR2GRAY).astype(np.float32)
    gy = cv2.Sobel(grey, cv2.CV_32F, 0, 1, ksize=3)
    gx = cv2.Sobel(grey, cv2.CV_32F, 1, 0, ksize=3)

    box_rect = _apply_h(img_to_rect, np.array([[x1, y1], [x2, y1], [x2, y2], [x1, y2]], float))
    bx0, by0 = box_rect.min(axis=0)
    bx1, by1 = box_rect.max(axis=0)
    cw, ch = bx1 - bx0, by1 - by0
    core_x = (int(bx0 + cw * (1 - params.span_core_frac) / 2), int(bx1 - cw * (1 - params.span_core_frac) / 2))
    core_y = (int(by0 + ch * (1 - params.span_core_frac) / 2), int(by1 - ch * (1 - params.span_core_frac) / 2))
    inner_x, inner_y = params.inner_frac * cw, params.inner_frac * ch
    # Detector boxes fall short of a face's top and bottom far more than of its sides.
    out_x, out_y = params.max_out_x_frac * cw, params.max_out_y_frac * ch
    top = _best_line(gy, core_x, (int(by0 - out_y), int(by0 + inner_y)), by0, -1, params)
    bottom = _best_line(gy, core_x, (int(by1 - inner_y), int(by1 + out_y)), by1, +1, params)
    left = _best_line(gx.T, core_y, (int(bx0 - out_x), int(bx0 + inner_x)), bx0, -1, params)
    right = _best_line(gx.T, core_y, (int(bx1 - inner_x), int(bx1 + out_x)), bx1, +1, params)
    if None in (top, bottom, left, right) or bottom - top < 8 or right - left < 8:
        return None
    # Sobel's peak sits between the two lines it straddles.
    top, bottom, left, right = top + 0.5, bottom + 0.5, left + 0.5, right + 0.5
    # The rectangle's whole sides, corner to corner, must be edges: a pole taken for the left
    # side leaves the top and bottom running over bare wall.
    supports = (_edge_support(gy, top, left, right, params),
                _edge_support(gy, bottom, left, right, params),
                _edge_support(gx.T, left, top, bottom, params),
                _edge_support(gx.T, right, top, bottom, params))
    if min(supports) < params.min_side_support:
        return None
    rect_quad = np.array([[left, top], [right, top], [right, bottom], [left, bottom]])
    coarse = order_clockwise(_apply_h(np.linalg.inv(img_to_rect), rect_quad))
    size = float(np.max(np.ptp(coarse, axis=0)))
    refined = fit_edges(pixels_bgr, coarse, search_px=params.edge_search_px,
                        max_shift_px=params.max_shift_px_frac * size)
    quad = refined if refined is not None else coarse
    # The face must still be the detector's sign, not a neighbouring one.
    if not plausible_sign_quad(quad, bbox_xyxy):
        return None
    return quad
