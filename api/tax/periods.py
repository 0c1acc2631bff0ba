"""Deadlines and month counting for filing, payment, installments and late payment.

Periods follow the Civil and Commercial Code's rules (§193/3, §193/5), as the Act is silent:
a period counted from a day starts the next day; a period of months ends on the day before
the corresponding day of the last month, or on that month's last day when it has no such day
(or when the period started on the 1st). Holidays are not moved here (§193/8 needs the
municipal calendar); callers shift a deadline that falls on one.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from ._validate import require_date, require_int
from .errors import TaxInputError
from .rates import ACT_FIRST_TAX_YEAR

FILING_DAYS_AFTER_EVENT = 15  # §14: file within 15 days of installing or changing a sign
PAYMENT_DAYS_AFTER_NOTICE = 15  # §19: pay within 15 days of receiving the ภ.ป.3 notice


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def month_period_end(start: date, months: int) -> date:
    """Last day of a period of ``months`` months whose first day is ``start`` (inclusive)."""
    start = require_date("start", start)
    months = require_int("months", months, min_value=1)
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    if start.day == 1:
        prev_year, prev_month = divmod(index - 1, 12)
        return date(prev_year, prev_month + 1, _last_day(prev_year, prev_month + 1))
    if start.day > _last_day(year, month):
        return date(year, month, _last_day(year, month))
    return date(year, month, start.day) - timedelta(days=1)


def months_after(deadline: date, paid_on: date) -> int:
    """Months (or part of a month) from the day after ``deadline`` up to ``paid_on``.

    0 when paid on or before the deadline. A partial month counts as a whole one (§25(3)):
    due 25 Aug and paid 4 Oct (40 days late) gives 2.
    """
    deadline = require_date("due_date", deadline)
    paid_on = require_date("paid_date", paid_on)
    if paid_on <= deadline:
        return 0
    start = deadline + timedelta(days=1)
    # the calendar-month difference is within one of the answer; step to the exact count
    months = max(1, (paid_on.year - start.year) * 12 + paid_on.month - start.month)
    while months > 1 and month_period_end(start, months - 1) >= paid_on:
        months -= 1
    while month_period_end(start, months) < paid_on:
        months += 1
    return months


def filing_deadline(
    tax_year: int, event_date: date | None = None, *, is_change: bool = False
) -> date:
    """Last day to file ภ.ป.1 for ``tax_year``.

    - No event (a sign standing at the start of the year): 31 March (§12).
    - ``event_date`` = installation: 31 March if installed January-March (the annual filing
      covers it), else installation + 15 days (§14(1)).
    - ``is_change``: a §14(2)/(3) or §14 bis change on ``event_date``: + 15 days, whatever the
      month (§14 sets no month for changes).
    """
    require_int("tax_year", tax_year, min_value=ACT_FIRST_TAX_YEAR, max_value=9999)
    march_end = date(tax_year, 3, 31)
    if event_date is None:
        if is_change:
            raise TaxInputError("event_date is required when is_change is True, got None")
        return march_end
    event_date = require_date("event_date", event_date)
    if event_date.year != tax_year:
        raise TaxInputError(f"event_date must fall in tax_year {tax_year}, got {event_date}")
    if not is_change and event_date <= march_end:
        return march_end
    return event_date + timedelta(days=FILING_DAYS_AFTER_EVENT)


def payment_deadline(notice_received_on: date) -> date:
    """Last day to pay: 15 days after receiving the assessment notice ภ.ป.3 (§19)."""
    received = require_date("notice_received_on", notice_received_on)
    return received + timedelta(days=PAYMENT_DAYS_AFTER_NOTICE)
