"""Surcharges (เงินเพิ่ม) of Act §25, tax-law §10.1. They count as tax (§26).

- (1) late filing: 10% of the tax, 5% if filed before the officer's notice of the failure;
- (2) under-declaration: 10% of the extra tax assessed, none if corrected before the
  assessment notice;
- (3) late payment: 2% of the tax per month, a part month counting as a whole month; the
  base excludes the (1)/(2) surcharges, so nothing compounds.

Amounts are baht Decimals rounded half-up to satang.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ._validate import require_bool, require_int, require_money
from .money import ZERO, percent_of
from .periods import months_after

LATE_FILING_PERCENT = 10
LATE_FILING_BEFORE_NOTICE_PERCENT = 5
UNDER_DECLARATION_PERCENT = 10
LATE_PAYMENT_PERCENT_PER_MONTH = 2


def late_filing_surcharge(tax_baht: Decimal, *, filed_before_notice: bool) -> Decimal:
    """§25(1): 5% of ``tax_baht`` if filed late but before the officer's notice, else 10%."""
    tax = require_money("tax_baht", tax_baht)
    early = require_bool("filed_before_notice", filed_before_notice)
    return percent_of(tax, LATE_FILING_BEFORE_NOTICE_PERCENT if early else LATE_FILING_PERCENT)


def under_declaration_surcharge(
    extra_tax_baht: Decimal, *, corrected_before_assessment: bool
) -> Decimal:
    """§25(2): 10% of the extra tax the officer assessed; 0 if the owner asked to correct
    the ภ.ป.1 before the assessment notice."""
    extra = require_money("extra_tax_baht", extra_tax_baht)
    if require_bool("corrected_before_assessment", corrected_before_assessment):
        return ZERO
    return percent_of(extra, UNDER_DECLARATION_PERCENT)


def late_payment_surcharge(tax_baht: Decimal, *, due_date: date, paid_date: date) -> Decimal:
    """§25(3): 2% of ``tax_baht`` per month late, part months counted whole.

    ``tax_baht`` must be the tax alone, without §25(1)/(2) surcharges. ``due_date`` is the
    last day to pay (``payment_deadline``); 0.00 if ``paid_date`` is on or before it.
    """
    tax = require_money("tax_baht", tax_baht)
    months = months_after(due_date, paid_date)
    return percent_of(tax, LATE_PAYMENT_PERCENT_PER_MONTH * months)


@dataclass(frozen=True, slots=True)
class Surcharges:
    """All §25 surcharges on one assessment, in baht."""

    late_filing_baht: Decimal = ZERO
    under_declaration_baht: Decimal = ZERO
    late_payment_baht: Decimal = ZERO
    late_payment_months: int = 0

    def __post_init__(self) -> None:
        for name in ("late_filing_baht", "under_declaration_baht", "late_payment_baht"):
            object.__setattr__(self, name, require_money(name, getattr(self, name)))
        require_int("late_payment_months", self.late_payment_months, min_value=0)

    @property
    def total_baht(self) -> Decimal:
        return self.late_filing_baht + self.under_declaration_baht + self.late_payment_baht

    def to_dict(self) -> dict[str, object]:
        return {
            "late_filing_baht": str(self.late_filing_baht),
            "under_declaration_baht": str(self.under_declaration_baht),
            "late_payment_baht": str(self.late_payment_baht),
            "late_payment_months": self.late_payment_months,
            "total_baht": str(self.total_baht),
        }


def surcharges(
    tax_baht: Decimal,
    *,
    filed_late: bool = False,
    filed_before_notice: bool = False,
    extra_tax_baht: Decimal = ZERO,
    corrected_before_assessment: bool = False,
    due_date: date | None = None,
    paid_date: date | None = None,
) -> Surcharges:
    """Every §25 surcharge for one tax bill. Late payment needs both dates (else 0)."""
    filing = (
        late_filing_surcharge(tax_baht, filed_before_notice=filed_before_notice)
        if require_bool("filed_late", filed_late)
        else ZERO
    )
    under = under_declaration_surcharge(
        extra_tax_baht, corrected_before_assessment=corrected_before_assessment
    )
    months, late = 0, ZERO
    if due_date is not None and paid_date is not None:
        months = months_after(due_date, paid_date)
        late = late_payment_surcharge(tax_baht, due_date=due_date, paid_date=paid_date)
    return Surcharges(filing, under, late, months)
