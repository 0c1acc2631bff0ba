"""Refine a detection's corners at full resolution (measurement.md §0.7).

The detector gives an axis-aligned box (or coarse keypoints). A sign face is a perspective
quadrilateral, so inside a slightly enlarged box we look for the dominant convex
quadrilateral outline, then fit a straight line to each edge from sub-pixel gradient peaks and
intersect neighbouring lines. When no convincing quadrilateral is found the caller keeps the
box corners and says so (``corners_source == "box"``), which widens the measurement interval.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

Quad = np.ndarray  # (4, 2) float64, clockwise from top-left


@dataclass(frozen=True, slots=True)
class RefineParams:
    expand_frac: float = 0.15  # the box is often tight or short of the frame by 10 %+
    work_max_side_px: int = 900  # contour search runs on a reduced copy for speed
    min_area_frac: float = 0.35  # quad area relative to the box area
    max_area_frac: float = 1.7  # a short box can miss a third of the face
    edge_search_px: int = 4  # half-width of the normal search for gradient peaks, full-res px
    max_shift_px_frac: float = 0.12  # refined corner may move at most this fraction of box size


def order_clockwise(points: np.ndarray) -> Quad:
    """Order 4 points clockwise (image coords, y down) starting from the top-left one."""
    pts = np.asarray(points, dtype=np.float64).reshape(4, 2)
    centre = pts.mean(axis=0)
    angles = np.arctan2(pts[:, 1] - centre[1], pts[:, 0] - centre[0])
    pts = pts[np.argsort(angles)]  # y-down: increasing angle is clockwise on screen
    start = int(np.argmin(pts[:, 0] + pts[:, 1]))
    return np.roll(pts, -start, axis=0)


def box_corners(bbox_xyxy: tuple[float, float, float, float]) -> Quad:
    x1, y1, x2, y2 = bbox_xyxy
    return np.array([[x1, y1], [x2, y1], [x2, y2], [x1, y2]], dtype=np.float64)


def _candidate_quads(grey: np.ndarray) -> list[np.ndarray]:
    quads = []
    blurred = cv2.GaussianBlur(grey, (5, 5), 0)
    median = float(np.median(blurred))
    edges = cv2.Canny(blurred, int(max(0, 0.66 * median)), int(min(255, 1.33 * median) + 20))
    edges = cv2.dilate(edges, np.ones((3, 3), np.uint8))
    _, otsu = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    for mask in (edges, otsu, 255 - otsu):
        contours, _ = cv2.findContours(mask, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
        for c in contours:
            hull = cv2.convexHull(c)
            peri = cv2.arcLength(hull, True)
            if peri < 40:
                continue
            # Rounded or notched frames need a coarser polygon before they read as 4 corners.
            for eps in (0.02, 0.04, 0.07):
                approx = cv2.approxPolyDP(hull, eps * peri, True)
                if len(approx) <= 4:
                    break
            if len(approx) == 4 and cv2.isContourConvex(approx):
                quads.append(approx.reshape(4, 2).astype(np.float64))
    return quads


def _fit_edge(grad_x: np.ndarray, grad_y: np.ndarray, p0: np.ndarray, p1: np.ndarray,
              search_px: int) -> tuple[np.ndarray, np.ndarray] | None:
    """Line (point, unit direction) through the strongest gradient along the edge p0->p1."""
    length = float(np.linalg.norm(p1 - p0))
    if length < 8:
        return None
    direction = (p1 - p0) / length
    normal = np.array([-direction[1], direction[0]])
    ts = np.linspace(0.1, 0.9, max(8, int(length / 3)))  # skip corners: rounded frames
    offsets = np.arange(-search_px, search_px + 1, dtype=np.float64)
    h, w = grad_x.shape
    profiles, bases = [], []
    for t in ts:
        base = p0 + t * (p1 - p0)
        samples = base[None, :] + offsets[:, None] * normal[None, :]
        xs = np.clip(np.round(samples[:, 0]).astype(int), 0, w - 1)
        ys = np.clip(np.round(samples[:, 1]).astype(int), 0, h - 1)
        profiles.append(grad_x[ys, xs] * normal[0] + grad_y[ys, xs] * normal[1])
        bases.append(base)
    signed = np.array(profiles)
    # An edge has one polarity (panel darker or lighter than the wall) along its length;
    # text touching the edge has the opposite one in places, so keep the dominant polarity.
    peaks = signed[np.arange(len(signed)), np.argmax(np.abs(signed), axis=1)]
    polarity = 1.0 if peaks.sum() >= 0 else -1.0
    found = []
    for base, profile in zip(bases, signed * polarity, strict=True):
        k = int(np.argmax(profile))
        if profile[k] < 10 or k in (0, len(offsets) - 1):
            continue
        # Parabolic interpolation of the peak gives sub-pixel position along the normal.
        a, b, c = profile[k - 1], profile[k], profile[k + 1]
        denom = a - 2 * b + c
        sub = 0.5 * (a - c) / denom if denom != 0 else 0.0
        found.append(base + (offsets[k] + sub) * normal)
    if len(found) < 5:
        return None
    pts = np.array(found, dtype=np.float32)
    vx, vy, x0, y0 = cv2.fitLine(pts, cv2.DIST_HUBER, 0, 0.01, 0.01).ravel()
    return np.array([x0, y0], dtype=np.float64), np.array([vx, vy], dtype=np.float64)


def _intersect(l1: tuple[np.ndarray, np.ndarray], l2: tuple[np.ndarray, np.ndarray]) -> np.ndarray | None:
    (p, r), (q, s) = l1, l2
    cross = r[0] * s[1] - r[1] * s[0]
    if abs(cross) < 1e-6:
        return None
    t = ((q[0] - p[0]) * s[1] - (q[1] - p[1]) * s[0]) / cross
    return p + t * r


def refine_corners(pixels_bgr: np.ndarray, bbox_xyxy: tuple[float, float, float, float],
                   params: RefineParams = RefineParams()) -> Quad | None:
    """Sub-pixel sign corners in full-resolution pixels, or None if no clear quadrilateral."""
    img_h, img_w = pixels_bgr.shape[:2]
    x1, y1, x2, y2 = bbox_xyxy
    bw, bh = x2 - x1, y2 - y1
    if bw < 12 or bh < 12:
        return None
    ex, ey = params.expand_frac * bw, params.expand_frac * bh
    rx1, ry1 = int(max(0, x1 - ex)), int(max(0, y1 - ey))
    rx2, ry2 = int(min(img_w, x2 + ex)), int(min(img_h, y2 + ey))
    roi = cv2.cvtColor(pixels_bgr[ry1:ry2, rx1:rx2], cv2.COLOR_BGR2GRAY)
    scale = min(1.0, params.work_max_side_px / max(roi.shape))
    small = cv2.resize(roi, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else roi
    box_area = bw * bh * scale * scale
    best, best_score = None, 0.0
    sh, sw = small.shape[:2]
    for quad in _candidate_quads(small):
        # A quad on the crop's own border is the crop, not a sign (e.g. a flat wall).
        on_border = (quad[:, 0] < 2) | (quad[:, 0] > sw - 3) | (quad[:, 1] < 2) | (quad[:, 1] > sh - 3)
        if on_border.sum() >= 2:
            continue
        area_frac = cv2.contourArea(quad.astype(np.float32)) / box_area
        if not params.min_area_frac <= area_frac <= params.max_area_frac:
            continue
        score = 1.0 - abs(1.0 - area_frac)  # closest in area to the detector's box wins
        if score > best_score:
            best, best_score = quad, score
    if best is None:
        return None
    coarse = order_clockwise(best / scale + np.array([rx1, ry1]))
    search = max(params.edge_search_px, int(round(1.5 / scale)))
    refined = fit_edges(pixels_bgr, coarse, search_px=search,
                        max_shift_px=params.max_shift_px_frac * max(bw, bh))
    # A wrong quad with tight corners is worse than box corners with an honest interval.
    if refined is None or not plausible_sign_quad(refined, bbox_xyxy):
        return None
    return refined


MAX_VERTICAL_EDGE_TILT_DEG = 12.0  # roll and pitch keep a sign's sides near vertical
MAX_HORIZONTAL_EDGE_TILT_DEG = 30.0  # yaw makes top/bottom edges slope, but not past this
MIN_BOX_IOU = 0.6


def plausible_sign_quad(quad: Quad, bbox_xyxy: tuple[float, float, float, float]) -> bool:
    """Reject quads that cannot be this sign's face: edges far off their axis, or a different
    region than the detector's box."""
    q = np.asarray(quad, dtype=np.float64)
    for i, (a, b) in enumerate(zip(q, np.roll(q, -1, axis=0), strict=True)):
        dx, dy = b - a
        if i % 2 == 0:  # top, bottom
            tilt = np.degrees(np.arctan2(abs(dy), abs(dx)))
            if tilt > MAX_HORIZONTAL_EDGE_TILT_DEG:
                return False
        else:  # right, left
            tilt = np.degrees(np.arctan2(abs(dx), abs(dy)))
            if tilt > MAX_VERTICAL_EDGE_TILT_DEG:
                return False
    x1, y1 = q.min(axis=0)
    x2, y2 = q.max(axis=0)
    bx1, by1, bx2, by2 = bbox_xyxy
    inter = max(0.0, min(x2, bx2) - max(x1, bx1)) * max(0.0, min(y2, by2) - max(y1, by1))
    union = (x2 - x1) * (y2 - y1) + (bx2 - bx1) * (by2 - by1) - inter
    return union > 0 and inter / union >= MIN_BOX_IOU


def fit_edges(pixels_bgr: np.ndarray, coarse: Quad, *, search_px: int,
              max_shift_px: float) -> Quad | None:
    """Fit a line to each edge of ``coarse`` from sub-pixel gradient peaks; intersect them.

    None when an edge has too little support or a corner would move more than ``max_shift_px``.
    """
    img_h, img_w = pixels_bgr.shape[:2]
    margin = search_px + 3
    x1, y1 = np.floor(coarse.min(axis=0)).astype(int) - margin
    x2, y2 = np.ceil(coarse.max(axis=0)).astype(int) + margin
    rx1, ry1, rx2, ry2 = max(0, x1), max(0, y1), min(img_w, x2), min(img_h, y2)
    if rx2 - rx1 < 8 or ry2 - ry1 < 8:
        return None
    # Gradients over the ROI only (a 12 MP conversion per sign would dominate the cost).
    grey = cv2.cvtColor(pixels_bgr[ry1:ry2, rx1:rx2], cv2.COLOR_BGR2GRAY).astype(np.float32)
    gx = cv2.Sobel(grey, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(grey, cv2.CV_32F, 0, 1, ksize=3)
    offset = np.array([rx1, ry1], dtype=np.float64)
    local = coarse - offset
    lines = [_fit_edge(gx, gy, local[i], local[(i + 1) % 4], search_px) for i in range(4)]
    if any(line is None for line in lines):
        return None
    refined = []
    for i in range(4):
        corner = _intersect(lines[(i - 1) % 4], lines[i])
        if corner is None:
            return None
        refined.append(corner + offset)
    refined_arr = np.array(refined)
    if np.max(np.linalg.norm(refined_arr - coarse, axis=1)) > max_shift_px:
        return None
    return order_clockwise(refined_arr)


def refine_quad(pixels_bgr: np.ndarray, quad_px: np.ndarray,
                params: RefineParams = RefineParams()) -> Quad | None:
    """Refine corners that came as keypoints from the network (coarse by a few input pixels)."""
    quad = order_clockwise(np.asarray(quad_px, dtype=np.float64))
    size = float(np.max(np.ptp(quad, axis=0)))
    if size < 12:
        return None
    search = max(params.edge_search_px, int(round(0.02 * size)))
    refined = fit_edges(pixels_bgr, quad, search_px=search,
                        max_shift_px=params.max_shift_px_frac * size)
    x1, y1 = quad.min(axis=0)
    x2, y2 = quad.max(axis=0)
    if refined is None or not plausible_sign_quad(refined, (x1, y1, x2, y2)):
        return None
    return refined
