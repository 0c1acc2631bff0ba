"""Schedule (7)(a): units of 500 cm², remainder over 250 rounds up (tax-law §6.3)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from api.tax import MAX_AREA_CM2, TaxInputError, units_500


@pytest.mark.parametrize(
    "area_cm2,expected",
    [
        (0, 0),
        (1, 0),
        (250, 0),  # exactly half a unit is dropped
        (251, 1),  # over half rounds up
        (400, 1),
        (499, 1),
        (500, 1),
        (750, 1),
        (751, 2),
        (1000, 2),
        (36_000, 72),
        (36_421, 73),
        (36_250, 72),
        (36_251, 73),
        (MAX_AREA_CM2, 2_000_000),
    ],
)
def test_units_500(area_cm2, expected):
    assert units_500(area_cm2) == expected


@given(st.integers(min_value=0, max_value=MAX_AREA_CM2))
def test_units_match_an_independent_formula(area_cm2):
    # remainder r rounds up iff r >= 251, i.e. iff r + 249 reaches the next unit
    assert units_500(area_cm2) == (area_cm2 + 249) // 500


@given(st.integers(min_value=0, max_value=MAX_AREA_CM2 - 1))
def test_units_never_decrease_and_step_by_at_most_one(area_cm2):
    assert 0 <= units_500(area_cm2 + 1) - units_500(area_cm2) <= 1


@pytest.mark.parametrize(
    "bad,message",
    [
        (-1, "area_cm2 must be >= 0, got -1"),
        (MAX_AREA_CM2 + 1, "area_cm2 must be <= 1000000000"),
        (12.5, "area_cm2 must be an int, got float"),
        (True, "area_cm2 must be an int, got bool"),
        ("500", "area_cm2 must be an int, got str"),
    ],
)
def test_units_reject_bad_area(bad, message):
    with pytest.raises(TaxInputError, match=message):
        units_500(bad)
