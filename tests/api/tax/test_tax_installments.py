"""§19 bis: three equal installments for at least 3,000 baht payable."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from api.tax import (
    TaxInputError,
    installment_plan,
    installments_allowed,
    split_equal,
)


@pytest.mark.parametrize(
    "payable,allowed",
    [
        ("936.00", False),
        ("1800.00", False),
        ("2999.99", False),
        ("3000.00", True),
        ("3600.00", True),
    ],
)
def test_threshold(payable, allowed):
    assert installments_allowed(Decimal(payable)) is allowed


# fmt: off
@pytest.mark.parametrize(
    "payable,parts",
    [
        ("3000.00", ("1000.00", "1000.00", "1000.00")),
        ("3000.01", ("1000.01", "1000.00", "1000.00")),
        ("3000.02", ("1000.01", "1000.01", "1000.00")),
        ("3744.00", ("1248.00", "1248.00", "1248.00")),
        ("4999.75", ("1666.59", "1666.58", "1666.58")),
    ],
)
# fmt: on
def test_parts_sum_exactly(payable, parts):
    plan = installment_plan(Decimal(payable), first_due_date=date(2026, 8, 25))
    assert tuple(str(p.amount_baht) for p in plan) == parts
    assert sum(p.amount_baht for p in plan) == Decimal(payable)


@pytest.mark.parametrize(
    "first,second,third",
    [
        (date(2026, 8, 25), date(2026, 9, 25), date(2026, 10, 25)),
        (date(2026, 8, 31), date(2026, 9, 30), date(2026, 10, 31)),
        # Feb has no 31st: ends 28 Feb; the next period starts 1 Mar, so it ends 31 Mar
        (date(2026, 1, 30), date(2026, 2, 28), date(2026, 3, 31)),
        (date(2026, 12, 15), date(2027, 1, 15), date(2027, 2, 15)),
    ],
)
def test_due_dates_one_month_apart(first, second, third):
    plan = installment_plan(Decimal("3000.00"), first_due_date=first)
    assert [p.due_date for p in plan] == [first, second, third]
    assert [p.number for p in plan] == [1, 2, 3]
    assert plan[0].to_dict() == {"number": 1, "amount_baht": "1000.00", "due_date": str(first)}


@given(st.integers(min_value=300_000, max_value=10**11))
def test_split_properties(satang):
    total = Decimal(satang).scaleb(-2)
    parts = split_equal(total)
    assert sum(parts) == total
    assert max(parts) - min(parts) <= Decimal("0.01")
    assert list(parts) == sorted(parts, reverse=True)  # leftover satang go first
    assert all(p.as_tuple().exponent == -2 for p in parts)


def test_below_threshold_is_refused():
    with pytest.raises(TaxInputError, match=r"payable_baht must be >= 3000.00 .*got 936.00"):
        installment_plan(Decimal("936.00"), first_due_date=date(2026, 8, 25))
