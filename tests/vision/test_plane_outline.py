"""The sign outline found in the reference board's plane (vision.plane_outline)."""

from __future__ import annotations

import numpy as np
import pytest

from tests.factories import board_scene_varied, plane_to_image_homography, render_plane_scene
from vision.board import detect_board
from vision.geometry import measure_with_board
from vision.plane_outline import outline_in_board_plane


def _outcome(shared_data, seed):
    """'right' (truth inside the 95 % interval), 'wrong', or 'none' for one varied scene."""
    image, corners, (w_cm, h_cm), box = board_scene_varied(shared_data, seed)
    board = detect_board(image)
    assert board is not None
    quad = outline_in_board_plane(image, board, box)
    if quad is None:
        return "none", None
    m = measure_with_board(quad, board, rng=np.random.default_rng(0))
    truth = w_cm * h_cm
    inside = m.area_ci95_cm2[0] <= truth <= m.area_ci95_cm2[1]
    return ("right" if inside else "wrong"), float(np.max(np.linalg.norm(quad - corners, axis=1)))


@pytest.mark.slow
def test_outline_over_varied_faces_is_mostly_right_and_rarely_wrong(shared_data):
    """24 scenes: synthetic Thai fascias, banners and billboards (frames, rims, pictures) and a
    real neon face on real facades, boxes off by up to 15 %. Measured when written: 17 right
    (most corners within 2 px), 2 wrong (about 5 % area: a frame rim and a margin taken for the
    edge), 5 none.
    The guard keeps it from getting worse; 'none' costs an officer a tape, 'wrong' costs trust.
    """
    outcomes = [_outcome(shared_data, seed)[0] for seed in range(24)]
    print({k: outcomes.count(k) for k in ("right", "wrong", "none")})
    assert outcomes.count("right") >= 15
    assert outcomes.count("wrong") <= 3


def test_no_outline_when_the_face_has_no_edge():
    """A 'sign' the colour of the wall: no rectangle may be invented."""
    h = plane_to_image_homography(f_px=2800.0, size_wh=(3000, 2000), yaw_deg=15.0, pitch_deg=5.0,
                                  distance_cm=420.0, centre_cm=(120.0, 60.0))
    wall = np.full((400, 1000, 3), (150, 160, 165), np.uint8)
    image, corners = render_plane_scene(size_wh=(3000, 2000), h_plane_to_img=h,
                                        sign_cm=(240.0, 80.0), sign_origin_cm=(0.0, 0.0),
                                        sign_texture_bgr=wall, board_origin_cm=(100.0, 25.0))
    board = detect_board(image)
    assert board is not None
    x1, y1 = corners.min(axis=0)
    x2, y2 = corners.max(axis=0)
    assert outline_in_board_plane(image, board, (x1, y1 + 10, x2, y2 - 10)) is None


def test_tiny_box_is_refused(shared_data):
    image, _, _, _ = board_scene_varied(shared_data, 3)
    board = detect_board(image)
    assert outline_in_board_plane(image, board, (10.0, 10.0, 20.0, 20.0)) is None
