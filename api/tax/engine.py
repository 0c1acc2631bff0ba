"""``assess``: the signboard tax for one sign and one tax year (tax-law §6-§8, §14).

Steps, each recorded in the assessment: units of 500 cm² (Schedule (7)(a)) x the rate for the
sign's class = base; floor at the per-sign minimum (Schedule (7)(b)) = annual; exemptions
(§8) make it 0; the first year is prorated by quarter (§7) with the minimum applied before
(reading A) or after (reading B) proration; §14(2)/(3)/§14 bis changes in the tax year
replace proration of the whole sign by their own rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ._validate import require_int
from .area import units_500
from .assessment import TaxAssessment
from .classify import SignType, sign_class_label
from .errors import TaxInputError
from .exemptions import exempt_reason
from .facts import ChangeKind, TaxFacts
from .money import ZERO, to_money, to_whole_baht
from .policy import LocalPolicy
from .proration import FULL_YEAR, proration_factor, quarter_of
from .rates import ACT_FIRST_TAX_YEAR, LAST_TAX_YEAR, RateTable, rate_table_for_year

RANGE_MIN_PROBABILITY = 0.01  # types below 1% do not widen the review range
DEFAULT_POLICY = LocalPolicy()  # frozen, so one shared default is safe


@dataclass(frozen=True, slots=True)
class _Figures:
    units: int
    rate: Decimal
    base: Decimal
    annual: Decimal
    factor: Decimal
    credit: Decimal
    due: Decimal
    minimum_applied: bool
    exempt_reason: str | None
    notes: tuple[str, ...]


def assess(
    facts: TaxFacts,
    table: RateTable,
    *,
    tax_year: int,
    policy: LocalPolicy = DEFAULT_POLICY,
) -> TaxAssessment:
    """Assess ``facts`` for Gregorian ``tax_year`` with ``table`` under ``policy``.

    Raises TaxInputError when the facts cannot belong to that year (installed or changed
    after it), the year predates the Act (1968), or the table was not yet in force. A
    superseded table is accepted (what-if comparisons); use ``rate_table_for_year`` for bills.
    """
    _check_inputs(facts, table, tax_year, policy)
    point = _figures(facts.area_cm2, facts.sign_type, facts, table, tax_year, policy)
    low, high = _due_range(point.due, facts, table, tax_year, policy)
    notes = point.notes
    if table.effective_from.year > tax_year:
        notes = (
            f"rate table {table.version} predates its effective year "
            f"{table.effective_from.year}: used as the earliest known rates",
        ) + notes
    return TaxAssessment(
        facts=facts,
        tax_year=tax_year,
        table_version=table.version,
        policy=policy,
        units_500=point.units,
        rate_baht_per_unit=to_money(point.rate),
        base_baht=point.base,
        annual_baht=point.annual,
        proration_factor=point.factor,
        due_baht=point.due,
        minimum_applied=point.minimum_applied,
        exempt_reason=point.exempt_reason,
        due_range_baht=(low, high),
        baht_at_risk=high - low,
        credit_baht=point.credit,
        notes=notes,
    )


def _check_inputs(facts: TaxFacts, table: RateTable, tax_year: int, policy: LocalPolicy) -> None:
    for name, value, cls in (
        ("facts", facts, TaxFacts),
        ("table", table, RateTable),
        ("policy", policy, LocalPolicy),
    ):
        if not isinstance(value, cls):
            raise TaxInputError(f"{name} must be a {cls.__name__}, got {type(value).__name__}")
    require_int("tax_year", tax_year, min_value=ACT_FIRST_TAX_YEAR, max_value=LAST_TAX_YEAR)
    if facts.install_date is not None and facts.install_date.year > tax_year:
        raise TaxInputError(
            f"install_date must be in or before tax_year {tax_year}, got {facts.install_date}"
        )
    if facts.change is not None and facts.change.changed_on.year > tax_year:
        raise TaxInputError(
            f"change.changed_on must be in or before tax_year {tax_year}, "
            f"got {facts.change.changed_on}"
        )
    # a table not yet in force is a caller error, except the earliest table, which stands in
    # for the unknown pre-1992 rates (see rate_table_for_year)
    if table.effective_from.year > tax_year and table != rate_table_for_year(tax_year):
        raise TaxInputError(
            f"table {table.version} is in force from {table.effective_from}, "
            f"after tax_year {tax_year}"
        )


def _figures(
    area_cm2: int,
    sign_type: SignType,
    facts: TaxFacts,
    table: RateTable,
    tax_year: int,
    policy: LocalPolicy,
) -> _Figures:
    """Every figure for one (area, type) reading of the facts."""
    notes: list[str] = []
    units = units_500(area_cm2)
    rate = table.rate(sign_type, facts.motion)
    base = to_money(units * rate)
    notes.append(
        f"{units} units x {rate} baht ({sign_class_label(sign_type, facts.motion)}, "
        f"{table.version}) = {base}"
    )
    exempt, claim_note = exempt_reason(area_cm2, facts.exemption, policy)
    if claim_note:
        notes.append(claim_note)
    minimum = table.minimum_baht
    if exempt:
        annual, minimum_applied = ZERO, False
        notes.append(f"exempt: {exempt}")
    else:
        annual, minimum_applied = max(base, minimum), base < minimum
        if minimum_applied:
            notes.append(f"per-sign minimum {minimum} applies (Schedule (7)(b))")

    factor, credit = FULL_YEAR, ZERO
    change = facts.change if facts.change and facts.change.changed_on.year == tax_year else None
    if change is not None and change.kind is ChangeKind.REPLACE_SAME:
        credit, due = annual, ZERO
        notes.append("§14(2) identical replacement: nothing due in the year of replacement")
    elif change is not None and change.kind is ChangeKind.PARTIAL_UP:
        previous = change.previous_annual_baht or ZERO
        credit = min(previous, annual)
        if policy.prorate_partial_change_increase:
            factor = proration_factor(change.changed_on)
        due = to_money((annual - credit) * factor)
        notes.append(
            f"§14(3) partial change: only the increase over {previous} is due"
            + (f", prorated from Q{quarter_of(change.changed_on)}" if factor < 1 else "")
        )
        if previous >= annual:
            notes.append("the change does not raise the tax: nothing more due this year (§24)")
    else:
        first_day = None
        if change is not None:  # FULL_CHANGE: taxed like a new sign (§14 bis)
            first_day = change.changed_on
            notes.append("§14 bis change of all content: taxed like a new sign")
        elif facts.install_date is not None and facts.install_date.year == tax_year:
            first_day = facts.install_date
        if first_day is not None:
            factor = proration_factor(first_day)
        prorated = to_money(annual * factor)
        if exempt or policy.min_then_prorate or factor == FULL_YEAR:
            due = prorated
        else:
            # reading B: the floor applies to the prorated amount, not the annual one
            raw = to_money(base * factor)
            due = max(raw, minimum)
            minimum_applied = raw < minimum
        if factor < FULL_YEAR:
            reading = (
                "A, minimum then prorate" if policy.min_then_prorate else "B, prorate then minimum"
            )
            notes.append(
                f"first year from Q{quarter_of(first_day)}: factor {factor} (§7, reading {reading})"
            )

    if policy.round_due_to_whole_baht:
        due = to_whole_baht(due)
    return _Figures(
        units, rate, base, annual, factor, credit, due, minimum_applied, exempt, tuple(notes)
    )


def _due_range(
    due: Decimal, facts: TaxFacts, table: RateTable, tax_year: int, policy: LocalPolicy
) -> tuple[Decimal, Decimal]:
    """(low, high) due over the area interval ends and every type with p >= 1%.

    The due amount never decreases with area under any rule here (units, the minimum, the
    size-based exemptions and increases are all monotone), so the interval's ends suffice.
    The point figures are always included, so the range contains ``due``.
    """
    areas = {facts.area_cm2}
    if facts.area_ci95_cm2 is not None:
        # a 0 cm² lower end is "no sign measured"; price it as the smallest real sign
        areas.update(max(a, 1) for a in facts.area_ci95_cm2)
    types = {facts.sign_type}
    if facts.type_probabilities is not None:
        types.update(t for t, p in facts.type_probabilities.items() if p >= RANGE_MIN_PROBABILITY)
    if areas == {facts.area_cm2} and types == {facts.sign_type}:
        return due, due
    dues = [_figures(a, t, facts, table, tax_year, policy).due for a in areas for t in types]
    return min(dues), max(dues)
