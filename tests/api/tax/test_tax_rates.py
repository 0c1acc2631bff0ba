"""Rate tables (tax-law §0, §1.3, §5) and which applies to a tax year."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from api.tax import (
    MR_2535,
    MR_2563,
    RATE_TABLES,
    Motion,
    RateTable,
    SignType,
    TaxInputError,
    rate_table_by_version,
    rate_table_for_year,
)

M, S = Motion.MOVING, Motion.STATIC
T1, T2, T3 = SignType.THAI_ONLY, SignType.THAI_MIXED, SignType.NO_THAI_OR_THAI_BELOW


# fmt: off
@pytest.mark.parametrize(
    "version,sign_type,motion,expected",
    [
        ("MR-2563", T1, M, "10"), ("MR-2563", T1, S, "5"),
        ("MR-2563", T2, M, "52"), ("MR-2563", T2, S, "26"),
        ("MR-2563", T3, M, "52"), ("MR-2563", T3, S, "50"),
        ("MR-2535", T1, M, "3"),  ("MR-2535", T1, S, "3"),
        ("MR-2535", T2, M, "20"), ("MR-2535", T2, S, "20"),
        ("MR-2535", T3, M, "40"), ("MR-2535", T3, S, "40"),
    ],
)
# fmt: on
def test_rate_cards(version, sign_type, motion, expected):
    table = rate_table_by_version(version)
    assert table.rate(sign_type, motion) == Decimal(expected)
    assert table.minimum_baht == Decimal("200.00")


@pytest.mark.parametrize(
    "tax_year,expected",
    [
        (1968, "MR-2535"),  # pre-1992 rates unknown: the earliest table stands in
        (1991, "MR-2535"),
        (1992, "MR-2535"),
        (2020, "MR-2535"),
        (2021, "MR-2563"),
        (2026, "MR-2563"),
        (2040, "MR-2563"),
    ],
)
def test_rate_table_for_year(tax_year, expected):
    assert rate_table_for_year(tax_year).version == expected


def test_tables_are_ordered_and_dated():
    assert RATE_TABLES == (MR_2535, MR_2563)
    assert MR_2563.effective_from == date(2021, 1, 1)
    assert [t.effective_from for t in RATE_TABLES] == sorted(t.effective_from for t in RATE_TABLES)


def test_tables_stay_under_the_act_ceilings():
    # Schedule (1)-(3) ceilings since 1991: 10 / 100 / 200 baht per 500 cm² (tax-law §1.2)
    ceilings = {T1: 10, T2: 100, T3: 200}
    for table in RATE_TABLES:
        for (sign_type, _motion), rate in table.baht_per_unit.items():
            assert rate <= ceilings[sign_type]


def test_rate_table_is_immutable_and_hashable():
    with pytest.raises(TypeError):
        MR_2563.baht_per_unit[(T1, S)] = Decimal(1)  # type: ignore[index]
    assert hash(MR_2563) == hash(rate_table_by_version("MR-2563"))


@pytest.mark.parametrize(
    "call,message",
    [
        (lambda: rate_table_for_year(1967), "tax_year must be >= 1968, got 1967"),
        (lambda: rate_table_for_year(10_000), "tax_year must be <= 9999"),
        (lambda: rate_table_for_year("2026"), "tax_year must be an int"),
        (lambda: rate_table_by_version("MR-2545"), "table_version must be one of"),
        (
            lambda: RateTable("X", date(2030, 1, 1), {(T1, S): Decimal(1)}, Decimal(200)),
            "baht_per_unit must cover every class",
        ),
        (
            lambda: RateTable(
                "X", date(2030, 1, 1), dict.fromkeys(MR_2563.baht_per_unit, 1.5), Decimal(200)
            ),
            r"baht_per_unit\[.*\] must be Decimal baht, got float",
        ),
        (
            lambda: RateTable("", date(2030, 1, 1), dict(MR_2563.baht_per_unit), Decimal(200)),
            "version must be a non-empty str",
        ),
        (
            lambda: RateTable("X", "2030", dict(MR_2563.baht_per_unit), Decimal(200)),
            "effective_from must be a date",
        ),
    ],
)
def test_rate_errors_name_the_field(call, message):
    with pytest.raises(TaxInputError, match=message):
        call()
