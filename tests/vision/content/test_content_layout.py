"""Thai-below-foreign geometry (vision.content.layout)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vision.content.layout import AMBIGUOUS_CONFIDENCE, thai_below_foreign
from vision.types import Script, TextLine

TH, LA, CJK = Script.THAI, Script.LATIN, Script.CJK


def ln(
    script: Script, y1: float, y2: float, x1: float = 10, x2: float = 300, conf: float = 0.9
) -> TextLine:
    return TextLine(text=script.value, script=script, bbox_xyxy=(x1, y1, x2, y2), confidence=conf)


@pytest.mark.parametrize(
    ("lines", "below", "confident"),
    [
        pytest.param([ln(TH, 10, 50), ln(LA, 70, 100)], False, True, id="thai-above-latin"),
        pytest.param([ln(LA, 10, 50), ln(TH, 70, 100)], True, True, id="latin-above-thai"),
        pytest.param([ln(CJK, 10, 50), ln(TH, 70, 100)], True, True, id="cjk-above-thai"),
        pytest.param(
            [ln(TH, 10, 50, 10, 150), ln(LA, 12, 48, 170, 300)], False, True, id="side-by-side"
        ),
        pytest.param(
            # Thai in the lower-left corner, English top-right: still lower
            [ln(LA, 10, 40, 200, 300), ln(TH, 80, 110, 10, 100)],
            True,
            True,
            id="diagonal",
        ),
        pytest.param(
            # one Thai line above and one below the English: any Thai below counts
            [ln(TH, 0, 30), ln(LA, 40, 70), ln(TH, 80, 110)],
            True,
            True,
            id="thai-both-sides",
        ),
        pytest.param(
            # staggered by 40% of the height, Thai lower: below, but an officer should look
            [ln(LA, 10, 60, 200, 300), ln(TH, 40, 90, 10, 150)],
            True,
            False,
            id="staggered-60",
        ),
        pytest.param(
            # staggered by 40% the other way round is simply "Thai higher"
            [ln(TH, 10, 60, 10, 150), ln(LA, 40, 90, 200, 300)],
            False,
            True,
            id="thai-higher",
        ),
        pytest.param(
            # overlap 0.6: beside, but ambiguous
            [ln(LA, 10, 60, 200, 300), ln(TH, 30, 80, 10, 150)],
            False,
            False,
            id="staggered-40",
        ),
        pytest.param([ln(TH, 10, 50)], False, True, id="thai-only"),
        pytest.param([ln(LA, 10, 50), ln(LA, 70, 100)], False, True, id="latin-only"),
        pytest.param(
            # a low-confidence foreign line above does not count
            [ln(LA, 10, 50, conf=0.3), ln(TH, 70, 100)],
            False,
            True,
            id="weak-latin-ignored",
        ),
    ],
)
def test_thai_below_foreign(lines, below, confident) -> None:
    d = thai_below_foreign(lines)
    assert d.thai_below_foreign is below
    assert (d.confidence == 1.0) is confident
    if not confident:
        assert d.confidence == AMBIGUOUS_CONFIDENCE < 0.5
    assert d.reason


@given(
    st.floats(150, 800),
    st.booleans(),
    st.floats(0, 200),
    st.floats(0, 200),
    st.floats(5, 80),
    st.floats(5, 80),
)
def test_horizontal_shift_does_not_change_the_decision(dx, left, ya, yb, ha, hb) -> None:
    """Lines that are not stacked (sharing under half their width): where the Thai sits
    across the sign does not matter, only how high."""
    dx = -dx if left else dx
    far = [ln(TH, ya, ya + ha, 2000, 2290), ln(LA, yb, yb + hb)]
    near = [ln(TH, ya, ya + ha, 10 + dx, 300 + dx), ln(LA, yb, yb + hb)]
    assert thai_below_foreign(far).thai_below_foreign == thai_below_foreign(near).thai_below_foreign
    assert 0.0 <= thai_below_foreign(near).confidence <= 1.0


@given(st.floats(0, 200), st.floats(0, 200), st.floats(5, 80), st.floats(5, 80))
def test_stacked_lines_are_below_by_their_centres(ya, yb, ha, hb) -> None:
    """Lines sharing their width cannot be one row: the lower centre is below, whatever the
    vertical overlap of the boxes."""
    d = thai_below_foreign([ln(TH, ya, ya + ha), ln(LA, yb, yb + hb)])
    assert d.thai_below_foreign is (ya + ha / 2 > yb + hb / 2)
    assert 0.0 <= d.confidence <= 1.0


def test_a_small_thai_line_under_capitals_with_a_loose_box_is_below() -> None:
    # Tesseract's boxes on a rendered "PROMOTION" over a small "ลดราคา" (crop 123 x 161 px):
    # they overlap 0.76 of the smaller height, but the Thai sits inside the Latin's width.
    lines = [ln(LA, 112.3, 140.7, 12.0, 111.0), ln(TH, 127.7, 144.9, 44.5, 76.7)]
    d = thai_below_foreign(lines)
    assert d.thai_below_foreign and d.confidence == 1.0
    # The same boxes side by side are one row.
    beside = [ln(LA, 112.3, 140.7, 12.0, 111.0), ln(TH, 127.7, 144.9, 120.0, 152.2)]
    assert not thai_below_foreign(beside).thai_below_foreign
    # Stacked with centres almost level: decided, but for an officer to confirm.
    level = [ln(LA, 112.0, 140.0, 12.0, 111.0), ln(TH, 118.0, 136.0, 44.5, 76.7)]
    d = thai_below_foreign(level)
    assert d.thai_below_foreign and d.confidence == AMBIGUOUS_CONFIDENCE


def test_a_stacked_line_half_its_height_lower_is_surely_below_whatever_the_overlap() -> None:
    # Tuning crop 281, the same "PROMOTION" over "ลดราคา" from another render: overlap 0.747,
    # in the borderline band, but the Thai centre is 0.61 of its height lower, inside the
    # Latin's width: two rows.
    lines = [ln(LA, 112.3, 140.7, 12.0, 111.0), ln(TH, 128.3, 144.9, 44.5, 76.7)]
    d = thai_below_foreign(lines)
    assert d.thai_below_foreign and d.confidence == 1.0
    # A stacked pair under half the smaller height apart, with the overlap in the band, stays
    # for an officer: 0.4 of the height lower, overlap 0.6.
    closer = [ln(LA, 100.0, 150.0, 12.0, 111.0), ln(TH, 120.0, 170.0, 44.5, 76.7)]
    d = thai_below_foreign(closer)
    assert d.thai_below_foreign and d.confidence == AMBIGUOUS_CONFIDENCE
