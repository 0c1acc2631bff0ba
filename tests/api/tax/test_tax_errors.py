"""Impossible facts raise TaxInputError whose message names the field (expected vs actual)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from api.tax import (
    MR_2535,
    MR_2563,
    ChangeKind,
    LocalPolicy,
    SignChange,
    SignType,
    TaxFacts,
    TaxInputError,
    assess,
)

T2 = SignType.THAI_MIXED


def facts(**overrides: object) -> TaxFacts:
    return TaxFacts(**{"area_cm2": 36_000, "sign_type": T2, **overrides})


# fmt: off
CASES = [
    ("negative area",      lambda: facts(area_cm2=-5),           "area_cm2 must be > 0, got -5"),
    ("zero area",          lambda: facts(area_cm2=0),            "area_cm2 must be > 0, got 0"),
    ("absurd area",        lambda: facts(area_cm2=10**9 + 1),    "area_cm2 must be <= 1000000000, got 1000000001"),
    ("float area",         lambda: facts(area_cm2=36_000.0),     "area_cm2 must be an int, got float"),
    ("unknown type",       lambda: facts(sign_type=4),           r"sign_type must be one of SignType \(1, 2, 3\), got 4"),
    ("bool type",          lambda: facts(sign_type=True),        "sign_type must be one of SignType"),
    ("unknown motion",     lambda: facts(motion="spinning"),     "motion must be one of Motion"),
    ("string date",        lambda: facts(install_date="2026-07-15"), "install_date must be a date, got str"),
    ("ci reversed",        lambda: facts(area_ci95_cm2=(40_000, 30_000)), "area_ci95_cm2 must have low <= high"),
    ("ci float",           lambda: facts(area_ci95_cm2=(30_000.5, 40_000)), "area_ci95_cm2 low must be an int"),
    ("ci shape",           lambda: facts(area_ci95_cm2=(1, 2, 3)), "area_ci95_cm2 must be a .low, high. pair"),
    ("prob unknown type",  lambda: facts(type_probabilities={4: 1.0}), "type_probabilities key must be one of SignType"),
    ("prob sum",           lambda: facts(type_probabilities={2: 0.5}), "type_probabilities must sum to 1, got 0.500000"),
    ("prob negative",      lambda: facts(type_probabilities={2: 1.2, 3: -0.2}), r"type_probabilities\[2\] must be in \[0, 1\]"),
    ("prob nan",           lambda: facts(type_probabilities={2: float("nan")}), r"type_probabilities\[2\] must be a finite number"),
    ("prob empty",         lambda: facts(type_probabilities={}), "type_probabilities must be a non-empty mapping"),
    ("unknown exemption",  lambda: facts(exemption="s8(99)"),    "exemption must be one of Exemption"),
    ("change not object",  lambda: facts(change="replace_same"), "change must be a SignChange"),
    ("change before install", lambda: facts(install_date=date(2026, 5, 1),
                                            change=SignChange(ChangeKind.FULL_CHANGE, date(2026, 4, 1))),
     "change.changed_on must be on or after install_date 2026-05-01, got 2026-04-01"),
    ("partial without previous", lambda: SignChange(ChangeKind.PARTIAL_UP, date(2026, 4, 1)),
     "change.previous_annual_baht is required for partial_up"),
    ("previous on replace", lambda: SignChange(ChangeKind.REPLACE_SAME, date(2026, 4, 1), Decimal(5)),
     "change.previous_annual_baht applies only to partial_up"),
    ("previous fractional satang", lambda: SignChange(ChangeKind.PARTIAL_UP, date(2026, 4, 1), Decimal("1.005")),
     "change.previous_annual_baht must have at most 2 decimal places"),
    ("previous float",     lambda: SignChange(ChangeKind.PARTIAL_UP, date(2026, 4, 1), 1.5),
     "change.previous_annual_baht must be Decimal baht, got float"),
    ("unknown change kind", lambda: SignChange("moved", date(2026, 4, 1)), "change.kind must be one of ChangeKind"),
    ("installed after year", lambda: assess(facts(install_date=date(2027, 1, 5)), MR_2563, tax_year=2026),
     "install_date must be in or before tax_year 2026, got 2027-01-05"),
    ("changed after year", lambda: assess(facts(change=SignChange(ChangeKind.REPLACE_SAME, date(2027, 2, 1))),
                                          MR_2563, tax_year=2026),
     "change.changed_on must be in or before tax_year 2026"),
    ("year before the Act", lambda: assess(facts(), MR_2535, tax_year=1967), "tax_year must be >= 1968, got 1967"),
    ("year as string",     lambda: assess(facts(), MR_2563, tax_year="2026"), "tax_year must be an int, got str"),
    ("table not in force", lambda: assess(facts(), MR_2563, tax_year=2019),
     "table MR-2563 is in force from 2021-01-01, after tax_year 2019"),
    ("facts not facts",    lambda: assess({"area_cm2": 1}, MR_2563, tax_year=2026), "facts must be a TaxFacts, got dict"),
    ("policy not policy",  lambda: assess(facts(), MR_2563, tax_year=2026, policy={}), "policy must be a LocalPolicy"),
    ("policy non-bool",    lambda: LocalPolicy(min_then_prorate="yes"), "min_then_prorate must be a bool, got str"),
    ("policy negative limit", lambda: LocalPolicy(indoor_exempt_max_cm2=-1), "indoor_exempt_max_cm2 must be >= 0"),
    ("policy unknown key", lambda: LocalPolicy.from_dict({"min_then_prorat": True}), r"policy has unknown keys \['min_then_prorat'\]"),
    ("facts unknown key",  lambda: TaxFacts.from_dict({"area_cm2": 1, "sign_type": 1, "colour": "red"}),
     r"facts has unknown keys \['colour'\]"),
    ("facts missing key",  lambda: TaxFacts.from_dict({"sign_type": 1}), "facts.area_cm2 is required"),
    ("facts bad iso date", lambda: TaxFacts.from_dict({"area_cm2": 1, "sign_type": 1, "install_date": "15/07/2026"}),
     "install_date must be an ISO date"),
]
# fmt: on


@pytest.mark.parametrize("label,call,message", CASES, ids=[c[0] for c in CASES])
def test_error_names_the_field(label, call, message):
    with pytest.raises(TaxInputError, match=message):
        call()


def test_tax_input_error_is_a_value_error():
    assert issubclass(TaxInputError, ValueError)


def test_datetime_install_is_reduced_to_its_date():
    assert facts(install_date=datetime(2026, 7, 15, 9, 30)).install_date == date(2026, 7, 15)


def test_old_table_may_stand_in_for_years_before_it():
    # 1968-1991 use MR-2535 (rates of that era unknown); the assessment says so
    result = assess(facts(), MR_2535, tax_year=1980)
    assert result.due_baht == Decimal("1440.00")
    assert "predates its effective year" in result.notes[0]
