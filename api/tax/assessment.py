"""The result of assessing one sign for one tax year, self-describing for audit.

It carries the inputs (facts, tax year, rate-table version, policy) next to every
intermediate figure, so a bill can be recomputed years later (back-assessment reaches five
years, §29) and an officer can see which rule produced the amount.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ._validate import SATANG
from .classify import sign_class_label
from .errors import TaxInputError
from .facts import TaxFacts
from .money import ZERO
from .policy import LocalPolicy


@dataclass(frozen=True, slots=True)
class TaxAssessment:
    """All money in baht as Decimal with exactly 2 places.

    - ``units_500``: 500 cm² units after the Schedule (7)(a) rounding.
    - ``rate_baht_per_unit``: from the rate table for the sign's class.
    - ``base_baht``: units x rate. ``annual_baht``: base raised to the minimum, or 0.00 when
      exempt (``exempt_reason`` says why).
    - ``proration_factor``: 1.00/0.75/0.50/0.25, the share of the year charged.
    - ``due_baht``: what this assessment charges for ``tax_year`` (for a change event, what
      the change filing adds; see ``credit_baht``).
    - ``minimum_applied``: the per-sign minimum raised the annual amount or (reading B) the
      prorated amount.
    - ``due_range_baht``: (low, high) due over the area interval and every type with
      probability >= 1%; always contains ``due_baht``. ``baht_at_risk`` = high - low.
    - ``credit_baht``: already-charged tax deducted for a §14(2)/(3) change in the tax year.
    - ``notes``: the rules applied, in order, for the officer and the audit log.
    """

    facts: TaxFacts
    tax_year: int
    table_version: str
    policy: LocalPolicy
    units_500: int
    rate_baht_per_unit: Decimal
    base_baht: Decimal
    annual_baht: Decimal
    proration_factor: Decimal
    due_baht: Decimal
    minimum_applied: bool
    exempt_reason: str | None
    due_range_baht: tuple[Decimal, Decimal]
    baht_at_risk: Decimal
    credit_baht: Decimal = ZERO
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # built by assess(); these checks catch an engine bug before it reaches a bill
        for name in (
            "rate_baht_per_unit",
            "base_baht",
            "annual_baht",
            "due_baht",
            "baht_at_risk",
            "credit_baht",
        ):
            _check_money(name, getattr(self, name))
        low, high = self.due_range_baht
        _check_money("due_range_baht low", low)
        _check_money("due_range_baht high", high)
        if not low <= self.due_baht <= high:
            raise TaxInputError(
                f"due_range_baht must contain due_baht {self.due_baht}, got ({low}, {high})"
            )
        if self.baht_at_risk != high - low:
            raise TaxInputError(
                f"baht_at_risk must equal high - low = {high - low}, got {self.baht_at_risk}"
            )

    @property
    def sign_class(self) -> str:
        """Type and sub-type as written on notices, e.g. "2(ข)"."""
        return sign_class_label(self.facts.sign_type, self.facts.motion)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: Decimals as strings ("936.00"), enums as values, dates ISO."""
        low, high = self.due_range_baht
        return {
            "facts": self.facts.to_dict(),
            "tax_year": self.tax_year,
            "table_version": self.table_version,
            "policy": self.policy.to_dict(),
            "sign_class": self.sign_class,
            "units_500": self.units_500,
            "rate_baht_per_unit": str(self.rate_baht_per_unit),
            "base_baht": str(self.base_baht),
            "annual_baht": str(self.annual_baht),
            "proration_factor": str(self.proration_factor),
            "credit_baht": str(self.credit_baht),
            "due_baht": str(self.due_baht),
            "minimum_applied": self.minimum_applied,
            "exempt_reason": self.exempt_reason,
            "due_range_baht": [str(low), str(high)],
            "baht_at_risk": str(self.baht_at_risk),
            "notes": list(self.notes),
        }


def _check_money(name: str, value: object) -> None:
    if not isinstance(value, Decimal) or value.as_tuple().exponent != SATANG.as_tuple().exponent:
        raise TaxInputError(f"{name} must be Decimal baht with 2 places, got {value!r}")
    if value < 0:
        raise TaxInputError(f"{name} must be >= 0, got {value}")
