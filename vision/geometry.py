"""Physical width, height and area of a sign face from its image corners and one metric scale.

Two scale sources so far (measurement.md §2.1, §2.3):

* **board**: a reference board flat in the sign plane gives an image-to-plane homography in cm;
  the sign corners are mapped through it. Needs no intrinsics.
* **distance + focal length** (mode B): with intrinsics K, the homography from the unit square to
  the sign corners gives the plane's orientation; a measured range to the sign centre fixes the
  scale. This corrects for yaw/pitch, unlike the naive fronto-parallel formula.

Area follows the law: the bounding rectangle of the sign face in its own plane
(tax-law.md §6). The 95 % interval is Monte-Carlo over corner, board, focal and range noise.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from vision.board import BoardObservation
from vision.errors import MeasurementError
from vision.types import Measurement, MeasureMethod

UNIT_SQUARE = np.array([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]])


@dataclass(frozen=True, slots=True)
class NoiseModel:
    """1-sigma input noise used for the Monte-Carlo interval."""

    corner_px: float = 1.5  # refined corners (measurement.md §0: σ ≈ 1.5 px)
    board_corner_px: float = 0.3  # ChArUco sub-pixel corners
    focal_rel: float = 0.04  # EXIF 35 mm convention ambiguity (~4 %); use ~0.005 if calibrated
    distance_m: float = 0.005  # laser ±1.5 mm spec, plus aiming
    model_rel: float = 0.01  # effects not in θ: non-planarity, frame definition (§6)
    samples: int = 1000


def bounding_rect_cm(plane_quad_cm: np.ndarray) -> tuple[float, float]:
    """Width and height of the bounding rectangle aligned with the sign's own top edge.

    ``plane_quad_cm`` is (..., 4, 2), clockwise from top-left, in the sign plane.
    """
    q = np.asarray(plane_quad_cm, dtype=np.float64)
    top = q[..., 1, :] - q[..., 0, :]
    bottom = q[..., 2, :] - q[..., 3, :]
    axis = top / np.linalg.norm(top, axis=-1, keepdims=True) + bottom / np.linalg.norm(
        bottom, axis=-1, keepdims=True)
    axis = axis / np.linalg.norm(axis, axis=-1, keepdims=True)
    normal = np.stack([-axis[..., 1], axis[..., 0]], axis=-1)
    u = np.einsum("...kj,...j->...k", q, axis)
    v = np.einsum("...kj,...j->...k", q, normal)
    return u.max(axis=-1) - u.min(axis=-1), v.max(axis=-1) - v.min(axis=-1)


def _apply_h(h: np.ndarray, pts: np.ndarray) -> np.ndarray:
    p = np.c_[pts, np.ones(len(pts))] @ h.T
    return p[:, :2] / p[:, 2:3]


def _summarise(widths: np.ndarray, heights: np.ndarray, w0: float, h0: float,
               method: MeasureMethod, scale_source: str, model_rel: float,
               rng: np.random.Generator) -> Measurement:
    ok = np.isfinite(widths) & np.isfinite(heights) & (widths > 0) & (heights > 0)
    if ok.mean() < 0.9:
        raise MeasurementError("the sign geometry is unstable under input noise; retake closer")
    areas = widths[ok] * heights[ok] * rng.normal(1.0, model_rel, ok.sum())
    area = w0 * h0
    lo, hi = np.percentile(areas, [2.5, 97.5])
    return Measurement(
        width_cm=round(float(w0), 1), height_cm=round(float(h0), 1),
        area_cm2=round(float(area), 0),
        area_ci95_cm2=(round(float(min(lo, area)), 0), round(float(max(hi, area)), 0)),
        method=method, scale_source=scale_source,
    )


def measure_with_board(corners_px: np.ndarray, board: BoardObservation, *,
                       rng: np.random.Generator, noise: NoiseModel = NoiseModel(),
                       corner_sigma_px: float | None = None) -> Measurement:
    """Map the sign corners through the board's homography (board flat in the sign plane)."""
    corners = np.asarray(corners_px, dtype=np.float64).reshape(4, 2)
    w0, h0 = bounding_rect_cm(_apply_h(board.image_to_plane, corners))
    if not (w0 > 0 and h0 > 0):
        raise MeasurementError("sign corners do not map to a valid quadrilateral on the board plane")
    sigma = noise.corner_px if corner_sigma_px is None else corner_sigma_px
    ws, hs = np.empty(noise.samples), np.empty(noise.samples)
    for i in range(noise.samples):
        img_pts = board.image_pts_px + rng.normal(0, noise.board_corner_px, board.image_pts_px.shape)
        h, _ = cv2.findHomography(img_pts, board.plane_pts_cm, 0)
        if h is None:
            ws[i] = hs[i] = np.nan
            continue
        quad = _apply_h(h, corners + rng.normal(0, sigma, corners.shape))
        ws[i], hs[i] = bounding_rect_cm(quad)
    return _summarise(ws, hs, w0, h0, MeasureMethod.BOARD,
                      f"board {board.spec.size_cm[0]:g}x{board.spec.size_cm[1]:g} cm, "
                      f"{board.n_corners} corners", noise.model_rel, rng)


def _mode_b_size(corners: np.ndarray, k_inv: np.ndarray, distance_cm: float) -> tuple[float, float]:
    h, _ = cv2.findHomography(UNIT_SQUARE, corners, 0)
    if h is None:
        return float("nan"), float("nan")
    m = k_inv @ h  # = λ [W r1, H r2, t] for plane points (u·W, v·H)
    centre_ray = 0.5 * m[:, 0] + 0.5 * m[:, 1] + m[:, 2]
    scale = distance_cm / np.linalg.norm(centre_ray)
    # Quad in plane units, then the law's bounding rectangle (the unit square maps to a
    # rectangle only if the sign is one; a sheared result shows up as a larger rectangle).
    r1, r2 = m[:, 0] * scale, m[:, 1] * scale
    quad3 = np.array([np.zeros(3), r1, r1 + r2, r2])
    e1 = r1 / np.linalg.norm(r1)
    e2 = np.cross(np.cross(r1, r2), e1)
    e2 = e2 / np.linalg.norm(e2)
    plane = np.stack([quad3 @ e1, quad3 @ e2], axis=-1)
    if np.dot(r2, e2) < 0:
        plane[:, 1] *= -1
    w, h_ = bounding_rect_cm(plane)
    return float(w), float(h_)


def measure_with_distance(corners_px: np.ndarray, *, distance_m: float, focal_px: float,
                          principal_px: tuple[float, float], rng: np.random.Generator,
                          noise: NoiseModel = NoiseModel(), corner_sigma_px: float | None = None,
                          focal_source: str = "") -> Measurement:
    """Mode B: rectangle + intrinsics give the plane; the range to the sign centre gives scale."""
    if not distance_m > 0:
        raise MeasurementError(f"distance_m must be positive, got {distance_m}")
    if not focal_px > 0:
        raise MeasurementError(f"focal_px must be positive, got {focal_px}")
    corners = np.asarray(corners_px, dtype=np.float64).reshape(4, 2)
    cx, cy = principal_px

    def k_inv(f: float) -> np.ndarray:
        return np.linalg.inv(np.array([[f, 0, cx], [0, f, cy], [0, 0, 1.0]]))

    w0, h0 = _mode_b_size(corners, k_inv(focal_px), distance_m * 100)
    if not (np.isfinite(w0) and np.isfinite(h0) and w0 > 0 and h0 > 0):
        raise MeasurementError("sign corners are degenerate; cannot recover the sign plane")
    sigma = noise.corner_px if corner_sigma_px is None else corner_sigma_px
    ws, hs = np.empty(noise.samples), np.empty(noise.samples)
    for i in range(noise.samples):
        f = focal_px * rng.normal(1.0, noise.focal_rel)
        d = (distance_m + rng.normal(0, noise.distance_m)) * 100
        ws[i], hs[i] = _mode_b_size(corners + rng.normal(0, sigma, corners.shape), k_inv(f), d)
    source = f"distance {distance_m:.2f} m, focal {focal_px:.0f} px"
    if focal_source:
        source += f" ({focal_source})"
    return _summarise(ws, hs, w0, h0, MeasureMethod.EXIF_DISTANCE, source, noise.model_rel, rng)
