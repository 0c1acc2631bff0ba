"""The money view of content type errors: each sign priced with its true and decided type."""

from __future__ import annotations

from decimal import Decimal

import pytest

from api.pricing import full_year_baht
from api.tax import TaxInputError
from training.content_money import ErrorSums, TypeErrorCost, price_crop


def flat_price(area_cm2: float, tax_type: int, moving: bool) -> Decimal:
    """10, 20, 30 baht per 1000 cm², doubled when moving: easy to check by hand."""
    return Decimal(int(area_cm2) // 1000 * 10 * tax_type * (2 if moving else 1)).quantize(
        Decimal("0.01"))


def test_price_crop_prices_true_and_decided_type_at_the_same_size() -> None:
    p = price_crop("s", 10_000, False, 1, 3, False, flat_price)
    assert (p.true_baht, p.decided_baht, p.error_baht) == (Decimal("100.00"), Decimal("300.00"),
                                                            Decimal("200.00"))
    moving = price_crop("s", 10_000, True, 3, 2, True, flat_price)
    assert moving.error_baht == Decimal("-200.00")


def test_errors_are_split_by_review_and_direction() -> None:
    priced = [
        price_crop("right", 20_000, False, 2, 2, False, flat_price),  # no error
        price_crop("over", 10_000, False, 1, 3, False, flat_price),  # +200, reaches the roll
        price_crop("under", 10_000, False, 3, 2, False, flat_price),  # -100, reaches the roll
        price_crop("caught", 30_000, False, 2, 1, True, flat_price),  # -300, reviewed
    ]
    cost = TypeErrorCost.of(priced, "flat")
    assert cost.signs == 4
    assert cost.true_baht == Decimal("1400.00")  # 400 + 100 + 300 + 600
    assert cost.unchecked == ErrorSums(2, Decimal("200.00"), Decimal("100.00"))
    assert cost.reviewed == ErrorSums(1, Decimal("0.00"), Decimal("300.00"))
    assert cost.decided_baht - cost.true_baht == Decimal("200") - 100 - 300
    d = cost.to_dict()
    assert d["unchecked_errors"] == {"signs": 2, "over_baht": "200.00", "under_baht": "100.00"}
    text = "\n".join(cost.markdown())
    assert "| not sent to review: would reach the tax roll | 2 | 200.00 (14.3 % of the true tax)" \
        in text
    assert "| sent to review: an officer decides first | 1 | 0.00 (0.0 % of the true tax) | " \
           "300.00 (21.4 % of the true tax) |" in text


def test_a_wrong_type_at_the_same_price_is_no_error() -> None:
    """Type 2 and 3 moving signs both pay 52 baht a unit (MR-2563): the wrong type costs 0."""
    p = price_crop("led", 50_000, True, 3, 2, False, lambda a, t, m: full_year_baht(
        a, t, m, tax_year=2026))
    assert p.true_baht == p.decided_baht == Decimal("5200.00")
    assert TypeErrorCost.of([p], "x").unchecked.signs == 0
    assert not p.type_moot  # Type 1 moving pays 10 baht a unit


def test_review_whose_type_cannot_change_the_bill_is_counted() -> None:
    def price(a, t, m):
        return full_year_baht(a, t, m, tax_year=2026)

    small = price_crop("small", 1_500, False, 1, 3, True, price)  # 3 units: 200 for every type
    big = price_crop("big", 20_000, False, 1, 3, True, price)
    unchecked = price_crop("sure", 1_500, False, 2, 2, False, price)
    assert small.type_moot and not big.type_moot and small.error_baht == 0
    cost = TypeErrorCost.of([small, big, unchecked], "x")
    assert (cost.reviewed_signs, cost.reviewed_type_moot) == (2, 1)
    assert "For 1 of the 2 signs sent to review the tax is the same whatever the type" in (
        "\n".join(cost.markdown()))
    assert TypeErrorCost.of([], "x").share_of_true(Decimal(1)) is None


def test_full_year_baht_follows_the_tax_years_table() -> None:
    # 2 m x 1 m = 40 units of 500 cm²
    assert full_year_baht(20_000, 3, False, tax_year=2026) == Decimal("2000.00")  # 50 baht
    assert full_year_baht(20_000, 1, False, tax_year=2026) == Decimal("200.00")  # 5 x 40, minimum
    assert full_year_baht(20_000, 3, False, tax_year=2019) == Decimal("1600.00")  # MR-2535: 40
    assert full_year_baht(0.2, 2, False, tax_year=2026) == Decimal("200.00")  # 1 cm², minimum
    with pytest.raises(TaxInputError, match="tax_year"):
        full_year_baht(20_000, 1, False, tax_year=1900)
