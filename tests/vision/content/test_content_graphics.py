"""Picture/logo cue (vision.content.graphics) and the moving-display cue."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from vision.content.graphics import detect_graphics
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


def with_flat_logo(img: np.ndarray) -> np.ndarray:
    """A blurred white drop on the board: one flat region, soft edges."""
    cv2.circle(img, (100, 110), 45, (255, 255, 255), -1)
    cv2.fillPoly(img, [np.array([[100, 20], [62, 90], [138, 90]], np.int32)], (255, 255, 255))
    return cv2.GaussianBlur(img, (0, 0), 2.5)


def with_end_logo() -> np.ndarray:
    """A long fascia (1200x120) with a logo hugging its left end."""
    img = with_text_bars(np.full((120, 1200, 3), (40, 130, 20), np.uint8), (150, 30, 1100, 90))
    cv2.circle(img, (55, 60), 45, (255, 255, 255), -1)
    return img


TEXT_BOX = (200.0, 70.0, 560.0, 130.0)


@pytest.mark.parametrize(
    ("image", "text_boxes", "expected"),
    [
        pytest.param(board(), [], False, id="blank"),
        pytest.param(with_text_bars(board()), [TEXT_BOX], False, id="text-only"),
        pytest.param(with_logo(with_text_bars(board())), [TEXT_BOX], True, id="text-and-logo"),
        pytest.param(with_logo(board((40, 120, 40))), [], True, id="logo-on-green"),
        # text the reader did not box is unread text, not a picture (a row of glyphs)
        pytest.param(with_text_bars(board()), [], False, id="unboxed-text"),
        # a flat logo: few edges, plenty of ink (the old edge-density test missed these)
        pytest.param(
            with_flat_logo(with_text_bars(board((40, 130, 20)))), [TEXT_BOX], True, id="flat-logo"
        ),
        # a logo at the very end of a long fascia survives the border band
        pytest.param(with_end_logo(), [(150.0, 30.0, 1100.0, 90.0)], True, id="logo-at-end"),
        pytest.param(
            # a frame inset from the border: a big box with little ink
            cv2.rectangle(with_text_bars(board()), (20, 15), (580, 185), (0, 0, 0), 3),
            [TEXT_BOX],
            False,
            id="inset-frame",
        ),
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


def test_unread_text_rows_are_reported_apart_from_pictures() -> None:
    cue = detect_graphics(with_logo(with_text_bars(board())), [])
    assert cue.has_graphics
    assert len(cue.text_like_xyxy) == 1
    x1, y1, x2, y2 = cue.text_like_xyxy[0]
    assert x1 == pytest.approx(200, abs=6) and x2 == pytest.approx(560, abs=6)
    assert y1 == pytest.approx(70, abs=6) and y2 == pytest.approx(130, abs=6)
    assert all(b[2] <= 200 for b in cue.blobs_xyxy)  # the logo, left of the text


def test_glare_gradient_is_not_a_picture() -> None:
    """A board whose colour drifts slowly (lighting) has no region off its own colour."""
    ramp = np.linspace(0, 40, 600, dtype=np.float32)[None, :, None]
    img = np.clip(np.full((200, 600, 3), (40, 130, 20), np.float32) + ramp, 0, 255).astype(np.uint8)
    assert detect_graphics(img, []).has_graphics is False


def test_blob_boxes_are_in_crop_pixels() -> None:
    cue = detect_graphics(with_logo(board()), [])
    assert cue.blobs_xyxy
    x1, y1, x2, y2 = cue.blobs_xyxy[0]
    assert 20 <= x1 < 100 < x2 <= 180 and 20 <= y1 < 100 < y2 <= 180


def test_moving_display_is_not_claimed_from_a_still() -> None:
    cue = detect_moving_display(board())
    assert cue.moving_display is False
    assert "confirm on site" in cue.note
