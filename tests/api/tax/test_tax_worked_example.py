"""tax-law §13: the worked example and every variant, reproduced to the satang."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from api.tax import (
    MR_2535,
    LocalPolicy,
    Motion,
    SignType,
    TaxFacts,
    assess,
    filing_deadline,
    installments_allowed,
    late_filing_surcharge,
    late_payment_surcharge,
    payment_deadline,
    rate_table_for_year,
)

READING_A = LocalPolicy(min_then_prorate=True)
READING_B = LocalPolicy(min_then_prorate=False)
T1, T2, T3 = SignType.THAI_ONLY, SignType.THAI_MIXED, SignType.NO_THAI_OR_THAI_BELOW
JUL_15 = date(2026, 7, 15)


def d(text: str) -> Decimal:
    return Decimal(text)


# fmt: off
# (label, width_cm, height_cm, type, installed, tax_year, table version,
#  units, rate, base, annual, due reading A, due reading B)
VARIANTS = [
    ("main 120x300 2(ข)",       120, 300, T2, JUL_15,           2026, "MR-2563", 72, "26.00", "1872.00", "1872.00", "936.00",  "936.00"),
    ("121x301 2(ข), r421 up",   121, 301, T2, JUL_15,           2026, "MR-2563", 73, "26.00", "1898.00", "1898.00", "949.00",  "949.00"),
    ("English above Thai 3(ข)", 120, 300, T3, JUL_15,           2026, "MR-2563", 72, "50.00", "3600.00", "3600.00", "1800.00", "1800.00"),
    ("pre-2021 rate (20)",      120, 300, T2, date(2020, 7, 15), 2020, "MR-2535", 72, "20.00", "1440.00", "1440.00", "720.00",  "720.00"),
    ("20x20 2(ข), r400 up",      20,  20, T2, JUL_15,           2026, "MR-2563",  1, "26.00", "26.00",   "200.00",  "100.00",  "200.00"),
    ("15x15 1(ข) Q4, r225 drop", 15,  15, T1, date(2026, 10, 1), 2026, "MR-2563",  0, "5.00",  "0.00",    "200.00",  "50.00",   "200.00"),
]
# fmt: on


@pytest.mark.parametrize("row", VARIANTS, ids=[v[0] for v in VARIANTS])
def test_worked_example_variants(row):
    _, width, height, sign_type, installed, year, version, units, rate, base, annual = row[:11]
    due_a, due_b = row[11:]
    facts = TaxFacts(area_cm2=width * height, sign_type=sign_type, install_date=installed)
    table = rate_table_for_year(year)
    a = assess(facts, table, tax_year=year, policy=READING_A)
    b = assess(facts, table, tax_year=year, policy=READING_B)
    for result in (a, b):
        assert result.table_version == version
        assert result.units_500 == units
        assert result.rate_baht_per_unit == d(rate)
        assert result.base_baht == d(base)
        assert result.annual_baht == d(annual)
    assert str(a.due_baht) == due_a
    assert str(b.due_baht) == due_b


def test_pre_2021_rate_under_the_old_table_explicitly():
    # the same 2026 sign priced with the superseded table, as in the §13 variants table
    facts = TaxFacts(area_cm2=36_000, sign_type=T2, install_date=JUL_15)
    result = assess(facts, MR_2535, tax_year=2026)
    assert (result.table_version, result.due_baht) == ("MR-2535", d("720.00"))


def test_main_example_every_step():
    facts = TaxFacts(area_cm2=120 * 300, sign_type=T2, motion=Motion.STATIC, install_date=JUL_15)
    result = assess(facts, rate_table_for_year(2026), tax_year=2026)
    assert result.sign_class == "2(ข)"  # step 1
    assert result.rate_baht_per_unit == d("26.00")  # step 2
    assert result.facts.area_cm2 == 36_000  # step 3
    assert result.units_500 == 72  # step 4
    assert result.base_baht == d("1872.00")  # step 5
    assert result.annual_baht == d("1872.00") and not result.minimum_applied  # step 6
    assert result.proration_factor == d("0.50")  # step 7
    assert result.due_baht == d("936.00")
    assert filing_deadline(2026, JUL_15) == date(2026, 7, 30)  # step 8
    due_date = payment_deadline(date(2026, 8, 10))
    assert due_date == date(2026, 8, 25)  # step 9
    assert not installments_allowed(result.due_baht)  # step 10
    # step 11a/b/c
    assert late_filing_surcharge(result.due_baht, filed_before_notice=True) == d("46.80")
    assert late_filing_surcharge(result.due_baht, filed_before_notice=False) == d("93.60")
    paid = date(2026, 10, 4)  # 40 days after 25 Aug
    assert (paid - due_date).days == 40
    assert late_payment_surcharge(result.due_baht, due_date=due_date, paid_date=paid) == d("37.44")


def test_step_12_following_year_is_full_year():
    facts = TaxFacts(area_cm2=36_000, sign_type=T2, install_date=JUL_15)
    result = assess(facts, rate_table_for_year(2027), tax_year=2027)
    assert (result.proration_factor, result.due_baht) == (d("1.00"), d("1872.00"))
    assert filing_deadline(2027) == date(2027, 3, 31)


def test_type_3_variant_is_below_the_installment_threshold():
    facts = TaxFacts(area_cm2=36_000, sign_type=T3, install_date=JUL_15)
    result = assess(facts, rate_table_for_year(2026), tax_year=2026)
    assert result.due_baht == d("1800.00")
    assert not installments_allowed(result.due_baht)


@pytest.mark.parametrize("policy", [READING_A, READING_B], ids=["A", "B"])
def test_readings_agree_for_a_full_year(policy):
    # the readings differ only when the prorated base falls under 200 (tax-law §7)
    facts = TaxFacts(area_cm2=400, sign_type=T2, install_date=date(2026, 2, 1))
    result = assess(facts, rate_table_for_year(2026), tax_year=2026, policy=policy)
    assert (result.due_baht, result.minimum_applied) == (d("200.00"), True)
