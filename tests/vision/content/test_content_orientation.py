"""Turned text on tall crops: box mapping, and the real reader on a turned Thai banner."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from vision.content import TesseractReader, analyze
from vision.content.orientation import TURNS, is_tall, reading_strength, turn, unturn_box
from vision.content.samples import SignSpec, TextSpec, render_sign
from vision.types import Script, TextLine


def _marked_box(img: np.ndarray) -> tuple[int, int, int, int]:
    ys, xs = np.nonzero(img[..., 0])
    return int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1


@pytest.mark.parametrize("code", TURNS)
@given(w=st.integers(8, 60), h=st.integers(8, 60), data=st.data())
def test_unturn_box_maps_a_turned_rectangle_back(code, w, h, data) -> None:
    x1 = data.draw(st.integers(0, w - 2))
    x2 = data.draw(st.integers(x1 + 1, w))
    y1 = data.draw(st.integers(0, h - 2))
    y2 = data.draw(st.integers(y1 + 1, h))
    upright = np.zeros((h, w, 3), np.uint8)
    upright[y1:y2, x1:x2] = 255
    turned = turn(upright, code)
    assert turned.shape[:2] == (w, h)
    assert unturn_box(_marked_box(turned), code, (w, h)) == (x1, y1, x2, y2)


def test_unturn_box_refuses_other_codes() -> None:
    with pytest.raises(ValueError, match="quarter"):
        unturn_box((0, 0, 1, 1), cv2.ROTATE_180, (4, 4))


def test_tall_and_strength() -> None:
    assert is_tall((100, 150)) and not is_tall((100, 149))
    lines = [TextLine("ร้านยา", Script.THAI, (0, 0, 1, 1), 0.9),
             TextLine("abc", Script.LATIN, (0, 0, 1, 1), 0.2)]
    assert reading_strength(lines, 0.5) == pytest.approx(0.9 * 6)  # the Latin line is rejected


@pytest.fixture(scope="module")
def reader(tesseract) -> TesseractReader:
    return TesseractReader()


@pytest.mark.parametrize("code", TURNS, ids=["top-to-bottom", "bottom-to-top"])
def test_turned_thai_banner_is_read(reader, code) -> None:
    # A vertical banner whose one line runs along it: upright, tesseract sees no Thai.
    sign = SignSpec(rows=((TextSpec("ร้านกาแฟสด", "Loma.ttf"),),), size_wh=(640, 160),
                    background_bgr=(30, 110, 30), foreground_bgr=(255, 255, 255), logo=False)
    banner = turn(render_sign(sign), code)
    h, w = banner.shape[:2]
    assert is_tall((w, h))
    c = analyze(banner, ocr=reader)
    assert c.scripts == frozenset({Script.THAI}), c
    assert "turned" in c.note
    for line in c.lines:  # evidence boxes stay in the banner's own (upright) pixels
        x1, y1, x2, y2 = line.bbox_xyxy
        assert 0 <= x1 < x2 <= w + 1 and 0 <= y1 < y2 <= h + 1
        assert y2 - y1 > x2 - x1  # a turned line is tall in the banner


def test_upright_tall_sign_is_not_turned(reader) -> None:
    # Short stacked Thai words on a tall board read upright; no turned reading replaces them.
    sign = SignSpec(rows=((TextSpec("ร้าน", "Garuda-Bold.ttf"),), (TextSpec("ยา", "Garuda-Bold.ttf"),),
                          (TextSpec("ดี", "Garuda-Bold.ttf"),)),
                    size_wh=(200, 420), background_bgr=(255, 255, 255),
                    foreground_bgr=(0, 0, 0), logo=False)
    c = analyze(render_sign(sign), ocr=reader)
    assert "turned" not in c.note
