"""§25 surcharges and the date arithmetic behind deadlines (tax-law §3, §10.1)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from api.tax import (
    TaxInputError,
    filing_deadline,
    late_filing_surcharge,
    late_payment_surcharge,
    months_after,
    payment_deadline,
    surcharges,
    under_declaration_surcharge,
)
from api.tax.periods import month_period_end


# fmt: off
@pytest.mark.parametrize(
    "due,paid,months",
    [
        (date(2026, 8, 25), date(2026, 8, 25), 0),   # on time
        (date(2026, 8, 25), date(2026, 8, 1),  0),   # early
        (date(2026, 8, 25), date(2026, 8, 26), 1),   # one day late = a whole month
        (date(2026, 8, 25), date(2026, 9, 25), 1),   # 26 Aug - 25 Sep is one month
        (date(2026, 8, 25), date(2026, 9, 26), 2),
        (date(2026, 8, 25), date(2026, 10, 4), 2),   # tax-law §13 step 11c: 40 days
        (date(2026, 8, 25), date(2027, 8, 25), 12),
        (date(2026, 8, 25), date(2027, 8, 26), 13),
        (date(2026, 1, 30), date(2026, 2, 28), 1),   # period from 31 Jan ends 28 Feb
        (date(2026, 1, 30), date(2026, 3, 1),  2),
        (date(2026, 2, 28), date(2026, 3, 31), 1),   # period from 1 Mar ends 31 Mar
        (date(2026, 2, 28), date(2026, 4, 1),  2),
        (date(2027, 12, 31), date(2028, 1, 31), 1),  # across the year end
        (date(2027, 12, 31), date(2028, 2, 1),  2),
        (date(2028, 1, 28), date(2028, 2, 28), 1),   # leap year: 29 Jan - 28 Feb
        (date(2028, 1, 28), date(2028, 2, 29), 2),
    ],
)
# fmt: on
def test_late_payment_months(due, paid, months):
    assert months_after(due, paid) == months


@given(
    st.dates(min_value=date(1968, 1, 1), max_value=date(2100, 12, 31)),
    st.integers(min_value=1, max_value=3000),
)
def test_late_months_bracket_the_payment(due, days_late):
    paid = due + timedelta(days=days_late)
    months = months_after(due, paid)
    start = due + timedelta(days=1)
    assert months >= 1
    assert paid <= month_period_end(start, months)
    if months > 1:
        assert paid > month_period_end(start, months - 1)
    assert months_after(due, paid + timedelta(days=1)) >= months  # never decreases


# fmt: off
@pytest.mark.parametrize(
    "tax,before_notice,expected",
    [("936.00", True, "46.80"), ("936.00", False, "93.60"), ("0.00", False, "0.00"),
     ("50.25", True, "2.51"),   # 2.5125 rounds half-up to satang
     ("50.50", True, "2.53")],  # 2.525 -> 2.53
)
# fmt: on
def test_late_filing(tax, before_notice, expected):
    got = late_filing_surcharge(Decimal(tax), filed_before_notice=before_notice)
    assert str(got) == expected


@pytest.mark.parametrize(
    "extra,corrected,expected", [("520.00", False, "52.00"), ("520.00", True, "0.00")]
)
def test_under_declaration(extra, corrected, expected):
    got = under_declaration_surcharge(Decimal(extra), corrected_before_assessment=corrected)
    assert str(got) == expected


# fmt: off
@pytest.mark.parametrize(
    "tax,paid,expected",
    [("936.00", date(2026, 8, 25), "0.00"), ("936.00", date(2026, 10, 4), "37.44"),
     ("474.50", date(2026, 8, 26), "9.49"), ("100.25", date(2026, 8, 26), "2.01")],
)
# fmt: on
def test_late_payment(tax, paid, expected):
    got = late_payment_surcharge(Decimal(tax), due_date=date(2026, 8, 25), paid_date=paid)
    assert str(got) == expected


def test_all_surcharges_do_not_compound():
    result = surcharges(
        Decimal("936.00"),
        filed_late=True,
        filed_before_notice=False,
        extra_tax_baht=Decimal("100.00"),
        due_date=date(2026, 8, 25),
        paid_date=date(2026, 10, 4),
    )
    # late payment is on the tax alone: 936 x 2% x 2, not on 936 + 93.60 + 10
    assert result.to_dict() == {
        "late_filing_baht": "93.60",
        "under_declaration_baht": "10.00",
        "late_payment_baht": "37.44",
        "late_payment_months": 2,
        "total_baht": "141.04",
    }


# fmt: off
@pytest.mark.parametrize(
    "year,event,is_change,expected",
    [
        (2026, None,              False, date(2026, 3, 31)),  # annual filing (§12)
        (2026, date(2026, 2, 10), False, date(2026, 3, 31)),  # new in Q1: annual filing
        (2026, date(2026, 7, 15), False, date(2026, 7, 30)),  # new after March: +15 (§14(1))
        (2026, date(2026, 2, 10), True,  date(2026, 2, 25)),  # change: +15 whatever the month
        (2026, date(2026, 12, 20), True, date(2027, 1, 4)),
    ],
)
# fmt: on
def test_filing_deadline(year, event, is_change, expected):
    assert filing_deadline(year, event, is_change=is_change) == expected


def test_payment_deadline():
    assert payment_deadline(date(2026, 8, 10)) == date(2026, 8, 25)


@pytest.mark.parametrize(
    "call,message",
    [
        (lambda: late_filing_surcharge(936.0, filed_before_notice=True), "tax_baht must be Decimal"),
        (lambda: late_filing_surcharge(Decimal(-1), filed_before_notice=True), "tax_baht must be >= 0"),
        (lambda: late_filing_surcharge(Decimal(1), filed_before_notice=None), "filed_before_notice"),
        (lambda: late_payment_surcharge(Decimal(1), due_date="x", paid_date=date(2026, 1, 1)),
         "due_date must be a date"),
        (lambda: filing_deadline(2026, date(2025, 7, 1)), "event_date must fall in tax_year 2026"),
        (lambda: filing_deadline(2026, is_change=True), "event_date is required"),
        (lambda: payment_deadline("2026-08-10"), "notice_received_on must be a date"),
    ],
)
def test_errors_name_the_field(call, message):
    with pytest.raises(TaxInputError, match=message):
        call()
