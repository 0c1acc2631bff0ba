"""Images prepared for tesseract (vision.content.views): scale, contrast, margins, mapping."""

from __future__ import annotations

import numpy as np
import pytest

from vision.content.views import (
    CONTRAST_HEIGHT_PX,
    CONTRAST_MAX_LONG_SIDE_PX,
    Thresholding,
    colour_view,
    contrast_view,
)


def board(bg=(40, 40, 40), size_wh=(300, 80)) -> np.ndarray:
    """A dark board with one light square 'glyph' at x 100..120, y 30..50."""
    img = np.full((size_wh[1], size_wh[0], 3), bg, np.uint8)
    img[30:50, 100:120] = (230, 230, 230)
    return img


def test_colour_view_scales_the_long_side() -> None:
    v = colour_view(board(), target_long_side_px=900, max_upscale=3.0, denoise=True, psm=11)
    assert v.scale == pytest.approx(3.0)
    assert v.image_rgb.shape[:2] == (240, 900)
    assert v.offset_px == 0 and v.psm == 11


def test_contrast_view_is_dark_text_on_light_full_range() -> None:
    v = contrast_view(board())
    grey = v.image_rgb[..., 0]
    x1, y1, x2, y2 = (int(round(c)) for c in v.to_view((100, 30, 120, 50)))
    glyph = grey[y1 + 8 : y2 - 8, x1 + 8 : x2 - 8]
    board_px = grey[y1 + 8 : y2 - 8, x2 + 30 : x2 + 60]
    assert glyph.mean() < 40 and board_px.mean() > 215  # inverted and stretched
    assert v.psm == 6


def test_views_say_how_tesseract_thresholds_them() -> None:
    # The block view follows the board's local light level; the sparse colour view keeps
    # tesseract's global threshold (Sauvola there read more noise fragments than words).
    assert contrast_view(board()).thresholding is Thresholding.SAUVOLA
    assert contrast_view(board(), thresholding=Thresholding.GLOBAL_OTSU).thresholding is (
        Thresholding.GLOBAL_OTSU)
    colour = colour_view(board(), target_long_side_px=900, max_upscale=3.0, denoise=True, psm=11)
    assert colour.thresholding is Thresholding.GLOBAL_OTSU


def test_contrast_view_size_and_margin() -> None:
    v = contrast_view(board())
    assert v.scale == pytest.approx(CONTRAST_HEIGHT_PX / 80)
    h, w = v.image_rgb.shape[:2]
    assert h == pytest.approx(CONTRAST_HEIGHT_PX + 2 * v.offset_px, abs=2)
    assert v.offset_px > 4  # a margin: tesseract misses text touching the edge
    # a long fascia is not blown up past the cap
    long = contrast_view(board(size_wh=(2000, 60)))
    assert max(long.image_rgb.shape[:2]) <= CONTRAST_MAX_LONG_SIDE_PX + 2 * long.offset_px + 1


def test_light_board_is_not_inverted() -> None:
    img = np.full((80, 300, 3), 235, np.uint8)
    img[30:50, 100:120] = 20
    v = contrast_view(img)
    x1, y1, x2, y2 = (int(round(c)) for c in v.to_view((100, 30, 120, 50)))
    assert v.image_rgb[y1 + 8 : y2 - 8, x1 + 8 : x2 - 8].mean() < 40
