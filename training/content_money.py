"""What the content analysis's type errors would cost in baht (``signtax eval content``).

Accuracy counts every wrong type alike, but the rates differ up to tenfold between types
(tax-law.md §5), and a wrong type the analysis sends to review is caught by an officer before
it reaches the tax roll. So each held-out synthetic sign is priced twice at its true size and
motion, once with its true type and once with the decided one, and the differences are summed
apart for the signs that reach the roll unchecked and for those sent to review.

Pricing is injected (:data:`training.baht.FullYearBaht`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from training.baht import ZERO_BAHT, FullYearBaht, share


@dataclass(frozen=True, slots=True)
class PricedCrop:
    """One sign's full-year tax with its true type and with the type the analysis decided."""

    name: str
    true_baht: Decimal
    decided_baht: Decimal
    needs_review: bool
    # The same tax whatever the type (e.g. a small sign at the 200-baht minimum under every
    # rate): its type cannot change the bill, so it needs no officer for the type.
    type_moot: bool

    @property
    def error_baht(self) -> Decimal:
        """Positive: the decided type over-assesses the owner; negative: under-assesses."""
        return self.decided_baht - self.true_baht


def price_crop(name: str, area_cm2: float, moving: bool, true_type: int, decided_type: int,
               needs_review: bool, full_year_baht: FullYearBaht) -> PricedCrop:
    by_type = {t: full_year_baht(area_cm2, t, moving) for t in (1, 2, 3)}
    return PricedCrop(name, by_type[true_type], by_type[decided_type], needs_review,
                      len(set(by_type.values())) == 1)


@dataclass(frozen=True, slots=True)
class ErrorSums:
    """Signs whose decided type prices differently from the true one, and by how much."""

    signs: int
    over_baht: Decimal  # decided above the truth: the owner would be over-assessed
    under_baht: Decimal  # decided below it: revenue lost

    @classmethod
    def of(cls, priced: Iterable[PricedCrop]) -> ErrorSums:
        errors = [p.error_baht for p in priced if p.error_baht != 0]
        return cls(len(errors), sum((e for e in errors if e > 0), ZERO_BAHT),
                   sum((-e for e in errors if e < 0), ZERO_BAHT))

    def to_dict(self) -> dict:
        return {"signs": self.signs, "over_baht": str(self.over_baht),
                "under_baht": str(self.under_baht)}


@dataclass(frozen=True, slots=True)
class TypeErrorCost:
    """The money view of one evaluation's type decisions (see the module docstring)."""

    basis: str  # how the signs were priced, e.g. "rate table MR-2563, tax year 2026, ..."
    signs: int
    true_baht: Decimal  # the signs' tax with their true types
    decided_baht: Decimal  # with the decided types, before any review
    unchecked: ErrorSums  # priced wrong and not sent to review: would reach the roll
    reviewed: ErrorSums  # priced wrong but sent to review: an officer sees them first
    reviewed_signs: int  # sent to review
    reviewed_type_moot: int  # ... of which the type cannot change the bill

    @classmethod
    def of(cls, priced: Iterable[PricedCrop], basis: str) -> TypeErrorCost:
        priced = list(priced)
        reviewed = [p for p in priced if p.needs_review]
        return cls(
            basis,
            len(priced),
            sum((p.true_baht for p in priced), ZERO_BAHT),
            sum((p.decided_baht for p in priced), ZERO_BAHT),
            ErrorSums.of(p for p in priced if not p.needs_review),
            ErrorSums.of(reviewed),
            len(reviewed),
            sum(p.type_moot for p in reviewed),
        )

    def share_of_true(self, baht: Decimal) -> float | None:
        return share(baht, self.true_baht)

    def to_dict(self) -> dict:
        return {
            "basis": self.basis,
            "signs": self.signs,
            "true_baht": str(self.true_baht),
            "decided_baht": str(self.decided_baht),
            "unchecked_errors": self.unchecked.to_dict(),
            "reviewed_errors": self.reviewed.to_dict(),
            "reviewed_signs": self.reviewed_signs,
            "reviewed_type_moot": self.reviewed_type_moot,
        }

    def markdown(self) -> list[str]:
        def of_true(baht: Decimal) -> str:
            v = self.share_of_true(baht)
            return "" if v is None else f" ({100 * v:.1f} % of the true tax)"

        def row(label: str, sums: ErrorSums) -> str:
            return (f"| {label} | {sums.signs} | {sums.over_baht:,.2f}{of_true(sums.over_baht)} | "
                    f"{sums.under_baht:,.2f}{of_true(sums.under_baht)} |")

        return [
            f"What the type errors would cost ({self.basis}): the {self.signs} signs owe "
            f"{self.true_baht:,.2f} baht a year with their true types, "
            f"{self.decided_baht:,.2f} with the decided ones.",
            "",
            "| wrong price | signs | over-assessed, baht | under-assessed, baht |",
            "|---|---|---|---|",
            row("not sent to review: would reach the tax roll", self.unchecked),
            row("sent to review: an officer decides first", self.reviewed),
            "",
            f"For {self.reviewed_type_moot} of the {self.reviewed_signs} signs sent to review "
            "the tax is the same whatever the type (the 200-baht minimum under every rate): "
            "there the doubt about the type costs nothing.",
            "",
        ]
