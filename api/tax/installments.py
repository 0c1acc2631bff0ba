"""Payment by installments: Act §19 bis, tax-law §3.6.

If the tax payable is at least 3,000 baht, the taxpayer may ask in writing, before the §19
due date, to pay in 3 equal installments: the first by the §19 due date, the second within
one month after the last day for the first, the third within one month after that. Missing
one ends the right; the §25(3) surcharge then runs on what is unpaid.

[INTERP] The threshold applies to the amount actually payable, i.e. after proration.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from ._validate import SATANG, require_date, require_int, require_money
from .errors import TaxInputError
from .periods import month_period_end

INSTALLMENT_MIN_BAHT = Decimal("3000.00")
INSTALLMENT_COUNT = 3


@dataclass(frozen=True, slots=True)
class Installment:
    """One part: ``amount_baht`` due by ``due_date`` (inclusive)."""

    number: int
    amount_baht: Decimal
    due_date: date

    def __post_init__(self) -> None:
        require_int("number", self.number, min_value=1, max_value=INSTALLMENT_COUNT)
        object.__setattr__(self, "amount_baht", require_money("amount_baht", self.amount_baht))
        object.__setattr__(self, "due_date", require_date("due_date", self.due_date))

    def to_dict(self) -> dict[str, object]:
        return {
            "number": self.number,
            "amount_baht": str(self.amount_baht),
            "due_date": self.due_date.isoformat(),
        }


def installments_allowed(payable_baht: Decimal) -> bool:
    """True when ``payable_baht`` (after proration) is at least 3,000.00 baht."""
    return require_money("payable_baht", payable_baht) >= INSTALLMENT_MIN_BAHT


def split_equal(total_baht: Decimal, parts: int = INSTALLMENT_COUNT) -> tuple[Decimal, ...]:
    """``total_baht`` in ``parts`` amounts that differ by at most one satang and sum exactly.

    The leftover satang go to the earliest parts, so the taxpayer never pays ahead of
    schedule by more than a satang per part and the last part is never the largest.
    """
    total = require_money("total_baht", total_baht)
    parts = require_int("parts", parts, min_value=1)
    satang = int(total.scaleb(2))
    share, leftover = divmod(satang, parts)
    return tuple(
        (Decimal(share + (1 if i < leftover else 0)) * SATANG).quantize(SATANG)
        for i in range(parts)
    )


def installment_plan(payable_baht: Decimal, *, first_due_date: date) -> tuple[Installment, ...]:
    """The three §19 bis installments for ``payable_baht``.

    ``first_due_date`` is the §19 deadline (``payment_deadline``). Raises TaxInputError
    naming ``payable_baht`` when it is under 3,000.00 baht.
    """
    payable = require_money("payable_baht", payable_baht)
    first = require_date("first_due_date", first_due_date)
    if payable < INSTALLMENT_MIN_BAHT:
        raise TaxInputError(
            f"payable_baht must be >= {INSTALLMENT_MIN_BAHT} for installments (§19 bis), "
            f"got {payable}"
        )
    dues = [first]
    for _ in range(INSTALLMENT_COUNT - 1):
        # "within one month counted from the last day for the previous installment"
        dues.append(month_period_end(dues[-1] + timedelta(days=1), 1))
    return tuple(
        Installment(number=i + 1, amount_baht=amount, due_date=due)
        for i, (amount, due) in enumerate(zip(split_equal(payable), dues, strict=True))
    )
