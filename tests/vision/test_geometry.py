"""Geometry on synthetic scenes with exactly known sign size."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.factories import plane_to_image_homography, project_plane, render_plane_scene
from vision.board import detect_board
from vision.corners import refine_corners
from vision.errors import MeasurementError
from vision.geometry import (
    NoiseModel,
    bounding_rect_cm,
    measure_with_board,
    measure_with_distance,
)
from vision.types import MeasureMethod

SIZE_WH = (4000, 3000)
F_PX = 2900.0


def _sign_corners(w_cm, h_cm, yaw, pitch, dist_cm):
    h = plane_to_image_homography(f_px=F_PX, size_wh=SIZE_WH, yaw_deg=yaw, pitch_deg=pitch,
                                  distance_cm=dist_cm, centre_cm=(w_cm / 2, h_cm / 2))
    return project_plane(np.array([[0, 0], [w_cm, 0], [w_cm, h_cm], [0, h_cm]], float), h)


@pytest.mark.parametrize(
    ("w_cm", "h_cm", "yaw", "pitch", "dist_m"),
    [(300, 90, 0, 0, 6), (300, 90, 30, 10, 6), (300, 90, 50, 20, 6), (120, 40, 20, 15, 4),
     (90, 240, -35, 5, 8)],
)
def test_mode_b_exact_corners_recovers_true_size(w_cm, h_cm, yaw, pitch, dist_m):
    corners = _sign_corners(w_cm, h_cm, yaw, pitch, dist_m * 100)
    m = measure_with_distance(corners, distance_m=dist_m, focal_px=F_PX,
                              principal_px=(2000, 1500), rng=np.random.default_rng(0))
    assert m.method is MeasureMethod.EXIF_DISTANCE
    assert m.width_cm == pytest.approx(w_cm, rel=2e-3)
    assert m.height_cm == pytest.approx(h_cm, rel=2e-3)
    lo, hi = m.area_ci95_cm2
    assert lo < w_cm * h_cm < hi


def test_mode_b_interval_covers_truth_about_95_percent():
    """Coverage of the reported 95 % interval under the noise model it assumes."""
    rng = np.random.default_rng(7)
    noise = NoiseModel(corner_px=1.5, focal_rel=0.02, samples=400)
    truth, hits, trials = 300 * 90, 0, 60
    for _ in range(trials):
        yaw = rng.uniform(-40, 40)
        corners = _sign_corners(300, 90, yaw, 10, 600) + rng.normal(0, 1.5, (4, 2))
        f_meas = F_PX * rng.normal(1, 0.02)
        d_meas = 6.0 + rng.normal(0, noise.distance_m)
        m = measure_with_distance(corners, distance_m=d_meas, focal_px=f_meas,
                                  principal_px=(2000, 1500), rng=rng, noise=noise)
        hits += m.area_ci95_cm2[0] <= truth <= m.area_ci95_cm2[1]
    assert 0.85 <= hits / trials <= 1.0


def test_board_scene_end_to_end_area_within_two_percent():
    """Render sign + board in one plane; detect board, refine corners, measure."""
    size_wh = (2400, 1600)
    h = plane_to_image_homography(f_px=3000, size_wh=size_wh, yaw_deg=25, pitch_deg=10,
                                  distance_cm=420, centre_cm=(100, 40))
    image, true_corners = render_plane_scene(size_wh=size_wh, h_plane_to_img=h,
                                             sign_cm=(180, 60), sign_origin_cm=(0, 0),
                                             board_origin_cm=(20, 70))
    board = detect_board(image)
    assert board is not None and board.n_corners >= 20
    x1, y1 = true_corners.min(axis=0)
    x2, y2 = true_corners.max(axis=0)
    quad = refine_corners(image, (x1, y1, x2, y2))
    assert quad is not None
    assert np.abs(quad - true_corners).max() < 2.0
    m = measure_with_board(quad, board, rng=np.random.default_rng(0))
    assert m.area_cm2 == pytest.approx(180 * 60, rel=0.02)
    assert m.area_ci95_cm2[0] <= 180 * 60 <= m.area_ci95_cm2[1]


def test_distance_rejects_nonsense():
    corners = _sign_corners(300, 90, 0, 0, 600)
    with pytest.raises(MeasurementError, match="distance_m"):
        measure_with_distance(corners, distance_m=-1, focal_px=F_PX, principal_px=(2000, 1500),
                              rng=np.random.default_rng(0))


@settings(max_examples=50, deadline=None)
@given(w=st.floats(10, 2000), h=st.floats(10, 2000), angle=st.floats(-3.1, 3.1),
       dx=st.floats(-500, 500), dy=st.floats(-500, 500))
def test_bounding_rect_invariant_to_rotation_and_translation(w, h, angle, dx, dy):
    rect = np.array([[0, 0], [w, 0], [w, h], [0, h]], float)
    c, s = np.cos(angle), np.sin(angle)
    moved = rect @ np.array([[c, s], [-s, c]]) + [dx, dy]
    bw, bh = bounding_rect_cm(moved)
    assert bw == pytest.approx(w, rel=1e-6, abs=1e-6)
    assert bh == pytest.approx(h, rel=1e-6, abs=1e-6)


def test_refine_corners_none_on_featureless_region():
    flat = np.full((400, 600, 3), 128, np.uint8)
    assert refine_corners(flat, (100, 100, 400, 300)) is None


def test_refine_corners_subpixel_on_rendered_quad():
    img = np.full((800, 1200, 3), (90, 120, 100), np.uint8)
    pts = np.array([[300.3, 200.7], [900.2, 240.1], [880.6, 520.4], [310.9, 480.2]])
    cv2.fillPoly(img, [np.round(pts * 16).astype(np.int32)], (30, 30, 220),
                 lineType=cv2.LINE_AA, shift=4)
    quad = refine_corners(img, (300, 200, 900, 520))
    assert quad is not None
    assert np.abs(quad - pts).max() < 1.5


def test_board_on_a_large_photo_is_found_on_a_reduced_copy_and_refined():
    """A 6000 px wide photo takes the reduced-copy path; corners stay sub-pixel accurate."""
    size_wh = (6000, 4000)
    h = plane_to_image_homography(f_px=5000, size_wh=size_wh, yaw_deg=10, pitch_deg=5,
                                  distance_cm=300, centre_cm=(40, 30))
    image, _ = render_plane_scene(size_wh=size_wh, h_plane_to_img=h, sign_cm=(80, 20),
                                  sign_origin_cm=(0, -40), board_origin_cm=(0, 0), supersample=1)
    board = detect_board(image)
    assert board is not None and board.n_corners >= 20
    expected = project_plane(board.plane_pts_cm, h)
    assert np.abs(board.image_pts_px - expected).max() < 1.0
