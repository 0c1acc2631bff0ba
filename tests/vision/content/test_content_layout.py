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
    st.floats(-500, 500),
    st.floats(0, 200),
    st.floats(0, 200),
    st.floats(5, 80),
    st.floats(5, 80),
)
def test_horizontal_shift_does_not_change_the_decision(dx, ya, yb, ha, hb) -> None:
    a = [ln(TH, ya, ya + ha), ln(LA, yb, yb + hb)]
    b = [ln(TH, ya, ya + ha, 10 + dx, 300 + dx), ln(LA, yb, yb + hb)]
    assert thai_below_foreign(a).thai_below_foreign == thai_below_foreign(b).thai_below_foreign
    assert 0.0 <= thai_below_foreign(a).confidence <= 1.0
