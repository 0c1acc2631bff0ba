"""The sign crop and the way back from its pixels to the photo's (vision.sign_crop)."""

from __future__ import annotations

import numpy as np
import pytest

from vision.sign_crop import SIGN_CROP_MAX_SIDE_PX, cut_sign_crop, sign_crop_frame

# A face seen at an angle: the right edge is shorter (further away) than the left.
TILTED = ((100.0, 80.0), (400.0, 110.0), (395.0, 230.0), (105.0, 260.0))


def test_the_whole_crop_maps_back_onto_the_sign_corners() -> None:
    frame = sign_crop_frame(TILTED)
    w, h = frame.size_wh
    assert (w, h) == (301, 180)  # the top and left edges' lengths
    # Pixel centres of the crop's corner pixels are the sign's corners.
    back = frame.crop_box_to_photo((0, 0, w - 1, h - 1))
    np.testing.assert_allclose(back, TILTED, atol=1e-3)


def test_a_mark_found_in_the_crop_is_placed_where_it_is_in_the_photo() -> None:
    photo = np.zeros((400, 500, 3), np.uint8)
    photo[150:170, 200:240] = 255  # a bright block inside the tilted face
    crop = cut_sign_crop(photo, TILTED)
    ys, xs = np.nonzero(crop[..., 0] > 127)
    box = (xs.min(), ys.min(), xs.max() + 1, ys.max() + 1)
    placed = np.array(sign_crop_frame(TILTED).crop_box_to_photo(box))
    assert placed[:, 0].min() == pytest.approx(200, abs=2)
    assert placed[:, 0].max() == pytest.approx(240, abs=2)
    assert placed[:, 1].min() == pytest.approx(150, abs=2)
    assert placed[:, 1].max() == pytest.approx(170, abs=2)


def test_boxes_are_clipped_to_the_crop_and_nothing_outside_it_is_placed() -> None:
    square = ((10.0, 10.0), (110.0, 10.0), (110.0, 60.0), (10.0, 60.0))
    frame = sign_crop_frame(square)
    assert frame.size_wh == (100, 50)
    # The OCR's box reaches two pixels past the crop's left and top: clipped at the edge.
    corners = frame.crop_box_to_photo((-2, -2, 49.5, 24.5))
    assert corners is not None and corners[0] == pytest.approx((10.0, 10.0))
    assert frame.crop_box_to_photo((0, 60, 40, 80)) is None  # below the crop
    assert frame.crop_box_to_photo((30, 10, 30, 20)) is None  # empty


def test_large_faces_are_cut_at_most_the_crop_limit() -> None:
    big = ((0.0, 0.0), (4000.0, 0.0), (4000.0, 1000.0), (0.0, 1000.0))
    frame = sign_crop_frame(big)
    assert frame.size_wh == (SIGN_CROP_MAX_SIDE_PX, 300)
    back = frame.crop_box_to_photo((0, 0, SIGN_CROP_MAX_SIDE_PX - 1, 299))
    np.testing.assert_allclose(back, big, atol=1e-2)
