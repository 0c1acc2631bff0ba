"""price_sign / render_breakdown without the CLI: the §13 example and the argument checks."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from api.forms import price_sign, render_breakdown
from api.tax import SignType, TaxFacts, TaxInputError

FACTS = TaxFacts(area_cm2=36_000, sign_type=SignType.THAI_MIXED, install_date=date(2026, 7, 15))


def test_worked_example_priced():
    p = price_sign(FACTS, tax_year=2026, notice_received=date(2026, 8, 10),
                   filed_late="after-notice", days_late=40)
    assert p.assessment.due_baht == Decimal("936.00")
    assert p.file_by == date(2026, 7, 30) and p.pay_by == date(2026, 8, 25)
    assert p.surcharges.late_filing_baht == Decimal("93.60")
    assert p.surcharges.late_payment_baht == Decimal("37.44")  # on the tax only (§25(3))
    assert p.total_baht == Decimal("1067.04")
    assert p.payable_baht == Decimal("1029.60") and not p.installments_allowed
    text = render_breakdown(p)
    assert "1,067.04 บาท (หนึ่งพันหกสิบเจ็ดบาทสี่สตางค์)" in text
    assert p.to_dict()["assessment"] == p.assessment.to_dict()


def test_full_year_sign_standing_before_the_year():
    p = price_sign(TaxFacts(area_cm2=36_000, sign_type=2), tax_year=2027)
    assert p.assessment.due_baht == Decimal("1872.00")
    assert p.file_by == date(2027, 3, 31)  # annual filing in March (§12)
    assert "full year / ทั้งปี (100%)" in render_breakdown(p)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"filed_late": "yes"}, "filed_late must be None"),
        ({"days_late": 3}, "notice_received is required with days_late"),
        ({"tax_year": 1900}, "tax_year must be >= 1968"),
    ],
)
def test_price_sign_refuses(kwargs, message):
    args = {"tax_year": 2026, **kwargs}
    with pytest.raises(TaxInputError, match=message):
        price_sign(FACTS, **args)
