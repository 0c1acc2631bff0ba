"""Picture/logo cue (vision.content.graphics) and the moving-display cue."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from vision.content.graphics import detect_graphics, text_like_blobs
from vision.content.moving import detect_moving_display


def board(bg=(230, 230, 230)) -> np.ndarray:
    return np.full((200, 600, 3), bg, np.uint8)


def with_text_bars(img: np.ndarray, box=(200, 70, 560, 130)) -> np.ndarray:
    """Glyph-like vertical strokes inside ``box``: what text looks like to an edge detector."""
    x1, y1, x2, y2 = box
    for x in range(x1, x2, 14):
        cv2.rectangle(img, (x, y1), (x + 6, y2), (20, 20, 20), -1)
    return img


def with_logo(img: np.ndarray) -> np.ndarray:
    cv2.circle(img, (100, 100), 60, (30, 30, 210), -1)
    pts = np.array([[100, 50], [140, 140], [60, 140]], np.int32)
    cv2.fillPoly(img, [pts], (0, 220, 255))
    return img


TEXT_BOX = (200.0, 70.0, 560.0, 130.0)


@pytest.mark.parametrize(
    ("image", "text_boxes", "expected"),
    [
        pytest.param(board(), [], False, id="blank"),
        pytest.param(with_text_bars(board()), [TEXT_BOX], False, id="text-only"),
        pytest.param(with_logo(with_text_bars(board())), [TEXT_BOX], True, id="text-and-logo"),
        pytest.param(with_logo(board((40, 120, 40))), [], True, id="logo-on-green"),
        # text the reader did not box counts as graphics: the documented weakness
        pytest.param(with_text_bars(board()), [], True, id="unboxed-text"),
        pytest.param(
            # a thin underline is not a picture
            cv2.line(with_text_bars(board()), (200, 150), (560, 150), (0, 0, 0), 2),
            [TEXT_BOX],
            False,
            id="underline",
        ),
        pytest.param(
            # a frame at the crop border is ignored
            cv2.rectangle(with_text_bars(board()), (3, 3), (596, 196), (0, 0, 0), 5),
            [TEXT_BOX],
            False,
            id="border-frame",
        ),
    ],
)
def test_detect_graphics(image, text_boxes, expected) -> None:
    cue = detect_graphics(image, text_boxes)
    assert cue.has_graphics is expected, cue.reason
    assert 0.5 <= cue.confidence <= 0.85
    assert cue.reason


def test_graphics_ignores_sensor_noise() -> None:
    rng = np.random.default_rng(0)
    noisy = np.clip(board().astype(np.int16) + rng.normal(0, 6, (200, 600, 3)), 0, 255).astype(
        np.uint8
    )
    assert detect_graphics(noisy, []).has_graphics is False


def test_blob_boxes_are_in_crop_pixels() -> None:
    cue = detect_graphics(with_logo(board()), [])
    assert cue.blobs_xyxy
    x1, y1, x2, y2 = cue.blobs_xyxy[0]
    assert 20 <= x1 < 100 < x2 <= 180 and 20 <= y1 < 100 < y2 <= 180


@pytest.mark.parametrize(
    ("blob", "line_h", "expected"),
    [
        ((0, 0, 200, 40), 40, True),  # a line of the read lines' height
        ((0, 0, 200, 40), 10, False),  # far taller than the read text
        ((0, 0, 60, 60), 40, False),  # square: a logo, not a line
    ],
)
def test_text_like_blobs(blob, line_h, expected) -> None:
    assert bool(text_like_blobs([blob], line_h)) is expected


def test_moving_display_is_not_claimed_from_a_still() -> None:
    cue = detect_moving_display(board())
    assert cue.moving_display is False
    assert "confirm on site" in cue.note
