"""assess(): events (§14), exemptions (§8/§9), policy switches, uncertainty range, JSON."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from api.tax import (
    MR_2563,
    ChangeKind,
    Exemption,
    LocalPolicy,
    Motion,
    SignChange,
    SignType,
    TaxFacts,
    assess,
    rate_table_by_version,
)

T1, T2, T3 = SignType.THAI_ONLY, SignType.THAI_MIXED, SignType.NO_THAI_OR_THAI_BELOW
YEAR = 2026


def d(text: str) -> Decimal:
    return Decimal(text)


def run(facts: TaxFacts, **policy: object):
    return assess(facts, MR_2563, tax_year=YEAR, policy=LocalPolicy(**policy))


# fmt: off
@pytest.mark.parametrize(
    "installed,factor,due",
    [
        (None,              "1.00", "1872.00"),  # standing sign: full year
        (date(2019, 11, 3), "1.00", "1872.00"),  # installed in an earlier year
        (date(2026, 1, 1),  "1.00", "1872.00"),
        (date(2026, 3, 31), "1.00", "1872.00"),
        (date(2026, 4, 1),  "0.75", "1404.00"),
        (date(2026, 6, 30), "0.75", "1404.00"),
        (date(2026, 7, 1),  "0.50", "936.00"),
        (date(2026, 9, 30), "0.50", "936.00"),
        (date(2026, 10, 1), "0.25", "468.00"),
        (date(2026, 12, 31), "0.25", "468.00"),
    ],
)
# fmt: on
def test_first_year_quarters(installed, factor, due):
    result = run(TaxFacts(area_cm2=36_000, sign_type=T2, install_date=installed))
    assert (str(result.proration_factor), str(result.due_baht)) == (factor, due)


@pytest.mark.parametrize(
    "motion,sign_type,due",
    [
        (Motion.MOVING, T1, "720.00"),  # 72 x 10
        (Motion.MOVING, T2, "3744.00"),  # 72 x 52
        (Motion.MOVING, T3, "3744.00"),
        (Motion.STATIC, T1, "360.00"),  # 72 x 5
    ],
)
def test_moving_signs_use_the_ก_rate(motion, sign_type, due):
    result = run(TaxFacts(area_cm2=36_000, sign_type=sign_type, motion=motion))
    assert str(result.due_baht) == due


# ---- §14 events -------------------------------------------------------------------------


def change(kind: ChangeKind, on: date, previous: str | None = None) -> SignChange:
    return SignChange(kind, on, None if previous is None else Decimal(previous))


# fmt: off
@pytest.mark.parametrize(
    "area,sign_change,policy,credit,factor,due",
    [
        # §14(2): identical replacement, nothing due that year
        (36_000, change(ChangeKind.REPLACE_SAME, date(2026, 5, 2)), {}, "1872.00", "1.00", "0.00"),
        # the same replacement seen in a later year: ordinary full-year tax
        (36_000, change(ChangeKind.REPLACE_SAME, date(2025, 5, 2)), {}, "0.00", "1.00", "1872.00"),
        # §14(3): 72 -> 73 units at 26, only the increase of 26.00
        (36_421, change(ChangeKind.PARTIAL_UP, date(2026, 8, 1), "1872.00"), {}, "1872.00", "1.00", "26.00"),
        # ... prorated from Q3 when the municipality chooses to
        (36_421, change(ChangeKind.PARTIAL_UP, date(2026, 8, 1), "1872.00"),
         {"prorate_partial_change_increase": True}, "1872.00", "0.50", "13.00"),
        # a "partial_up" that does not raise the tax adds nothing this year (§24)
        (36_000, change(ChangeKind.PARTIAL_UP, date(2026, 8, 1), "1898.00"), {}, "1872.00", "1.00", "0.00"),
        # §14 bis: all content changed, taxed like a new sign from the change quarter
        (36_000, change(ChangeKind.FULL_CHANGE, date(2026, 11, 2)), {}, "0.00", "0.25", "468.00"),
        # ... and under reading B its minimum applies after proration
        (400, change(ChangeKind.FULL_CHANGE, date(2026, 11, 2)), {"min_then_prorate": False},
         "0.00", "0.25", "200.00"),
        (400, change(ChangeKind.FULL_CHANGE, date(2026, 11, 2)), {}, "0.00", "0.25", "50.00"),
    ],
)
# fmt: on
def test_change_events(area, sign_change, policy, credit, factor, due):
    facts = TaxFacts(
        area_cm2=area, sign_type=T2, install_date=date(2015, 1, 1), change=sign_change
    )
    result = run(facts, **policy)
    got = (str(result.credit_baht), str(result.proration_factor), str(result.due_baht))
    assert got == (credit, factor, due)


def test_change_in_the_tax_year_overrides_first_year_proration():
    # installed in Feb, fully changed in Oct: this assessment prices the change filing
    facts = TaxFacts(
        area_cm2=36_000,
        sign_type=T2,
        install_date=date(2026, 2, 1),
        change=change(ChangeKind.FULL_CHANGE, date(2026, 10, 5)),
    )
    assert run(facts).due_baht == d("468.00")


# ---- exemptions -------------------------------------------------------------------------


# fmt: off
@pytest.mark.parametrize(
    "area,claimed,policy,exempt,due",
    [
        (36_000, Exemption.GOVERNMENT,    {}, "§8(6)", "0.00"),
        (36_000, Exemption.RELIGION_OR_CHARITY, {}, "§8(11)", "0.00"),
        (30_000, Exemption.INDOOR_SMALL,  {}, "§8(5)", "0.00"),
        (30_001, Exemption.INDOOR_SMALL,  {}, None,    "1560.00"),  # over 3 m²: taxable
        (30_001, Exemption.INDOOR_SMALL,  {"indoor_exempt_max_cm2": 40_000}, "§8(5)", "0.00"),
        (2_000,  Exemption.PRIVATE_CAR,   {}, None,    "200.00"),  # unverified: off by default
        (2_000,  Exemption.PRIVATE_CAR,   {"exempt_private_car_signs": True}, "private car", "0.00"),
        (500,    None, {"exempt_small_signs_500cm2": True}, "500 cm²", "0.00"),
        (501,    None, {"exempt_small_signs_500cm2": True}, None,      "200.00"),
        (500,    None, {}, None, "200.00"),
    ],
)
# fmt: on
def test_exemptions(area, claimed, policy, exempt, due):
    result = run(TaxFacts(area_cm2=area, sign_type=T2, exemption=claimed), **policy)
    assert str(result.due_baht) == due
    if exempt is None:
        assert result.exempt_reason is None
        assert result.annual_baht >= d("200.00")
    else:
        assert exempt in result.exempt_reason
        assert result.annual_baht == d("0.00") and not result.minimum_applied


def test_refused_claim_is_explained_in_the_notes():
    result = run(TaxFacts(area_cm2=30_001, sign_type=T2, exemption=Exemption.INDOOR_SMALL))
    assert any("§8(5) claim not applied" in note for note in result.notes)


# ---- satang / whole-baht rounding --------------------------------------------------------


@pytest.mark.parametrize(
    "whole_baht,due", [(False, "474.50"), (True, "475.00")]
)
def test_whole_baht_rounding_is_a_policy(whole_baht, due):
    facts = TaxFacts(area_cm2=36_421, sign_type=T2, install_date=date(2026, 12, 1))
    assert str(run(facts, round_due_to_whole_baht=whole_baht).due_baht) == due


# ---- uncertainty -------------------------------------------------------------------------


# fmt: off
@pytest.mark.parametrize(
    "ci,probs,low,high",
    [
        (None,             None,                      "936.00", "936.00"),
        ((36_000, 36_000), {T2: 1.0},                 "936.00", "936.00"),
        ((35_000, 37_000), None,                      "910.00", "962.00"),   # 70..74 units x 26
        ((35_000, 37_000), {T2: 0.9, T3: 0.1},        "910.00", "1850.00"),  # up to 74 x 50
        ((35_000, 37_000), {T2: 0.995, T3: 0.005},    "910.00", "962.00"),   # < 1%: ignored
        (None,             {T1: 0.6, T2: 0.3, T3: 0.1}, "180.00", "1800.00"),  # 72 x 5 .. 72 x 50
        ((0, 36_000),      None,                      "100.00", "936.00"),   # floor: the minimum
    ],
)
# fmt: on
def test_due_range(ci, probs, low, high):
    facts = TaxFacts(
        area_cm2=36_000,
        sign_type=T2,
        install_date=date(2026, 7, 15),
        area_ci95_cm2=ci,
        type_probabilities=probs,
    )
    result = run(facts)
    assert tuple(map(str, result.due_range_baht)) == (low, high)
    assert result.baht_at_risk == Decimal(high) - Decimal(low)


def test_point_type_is_in_the_range_even_when_improbable():
    facts = TaxFacts(area_cm2=36_000, sign_type=T3, type_probabilities={T2: 0.999, T3: 0.001})
    low, high = run(facts).due_range_baht
    assert (low, high) == (d("1872.00"), d("3600.00"))


# ---- JSON and recomputation --------------------------------------------------------------


def full_facts() -> TaxFacts:
    return TaxFacts(
        area_cm2=36_421,
        sign_type=T2,
        motion=Motion.MOVING,
        install_date=date(2020, 3, 1),
        area_ci95_cm2=(35_000, 38_000),
        type_probabilities={T2: 0.7, T3: 0.3},
        change=change(ChangeKind.PARTIAL_UP, date(2026, 5, 5), "3744.00"),
        exemption=None,
    )


def test_to_dict_is_json_ready():
    result = run(full_facts(), prorate_partial_change_increase=True)
    data = result.to_dict()
    text = json.dumps(data, ensure_ascii=False)
    assert json.loads(text) == data
    assert data["due_baht"] == "39.00"  # (73 - 72) x 52 x 0.75
    assert data["rate_baht_per_unit"] == "52.00"
    assert data["proration_factor"] == "0.75"
    assert data["sign_class"] == "2(ก)"
    assert data["facts"]["sign_type"] == 2 and data["facts"]["motion"] == "moving"
    assert data["facts"]["install_date"] == "2020-03-01"
    assert data["facts"]["type_probabilities"] == {"2": 0.7, "3": 0.3}
    assert data["facts"]["change"]["kind"] == "partial_up"
    assert data["policy"]["prorate_partial_change_increase"] is True
    assert all(isinstance(v, str) for v in data["due_range_baht"])


def test_stored_assessment_recomputes_identically():
    original = run(full_facts(), min_then_prorate=False)
    data = json.loads(json.dumps(original.to_dict()))
    again = assess(
        TaxFacts.from_dict(data["facts"]),
        rate_table_by_version(data["table_version"]),
        tax_year=data["tax_year"],
        policy=LocalPolicy.from_dict(data["policy"]),
    )
    assert again == original


def test_value_types_are_frozen_and_hashable():
    facts = full_facts()
    assert hash(facts) == hash(TaxFacts.from_dict(facts.to_dict()))
    with pytest.raises(AttributeError):
        facts.area_cm2 = 1  # type: ignore[misc]
    assert hash(run(facts))


def test_stored_values_are_normalised_to_enums():
    facts = TaxFacts(area_cm2=1000, sign_type=3, motion="moving", exemption="s8(6)")
    assert facts.sign_type is T3 and facts.motion is Motion.MOVING
    assert facts.exemption is Exemption.GOVERNMENT
