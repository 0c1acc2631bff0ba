"""baht_text (amounts in Thai words), number words and Buddhist-era dates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from api.forms.thai_text import (
    baht_figure,
    baht_text,
    be_year,
    gregorian_year,
    number_text,
    thai_date,
    thai_date_short,
    thai_digits,
)

# fmt: off
BAHT_CASES = [
    # (amount, words): the brief's examples first, then the เอ็ด / ยี่ / ล้าน rules
    ("1872.00",      "หนึ่งพันแปดร้อยเจ็ดสิบสองบาทถ้วน"),
    ("936.50",       "เก้าร้อยสามสิบหกบาทห้าสิบสตางค์"),
    ("21",           "ยี่สิบเอ็ดบาทถ้วน"),
    ("11",           "สิบเอ็ดบาทถ้วน"),
    ("101",          "หนึ่งร้อยเอ็ดบาทถ้วน"),
    ("1000000",      "หนึ่งล้านบาทถ้วน"),
    ("0",            "ศูนย์บาทถ้วน"),
    ("1",            "หนึ่งบาทถ้วน"),
    ("2",            "สองบาทถ้วน"),
    ("10",           "สิบบาทถ้วน"),
    ("12",           "สิบสองบาทถ้วน"),
    ("20",           "ยี่สิบบาทถ้วน"),
    ("22",           "ยี่สิบสองบาทถ้วน"),
    ("31",           "สามสิบเอ็ดบาทถ้วน"),
    ("100",          "หนึ่งร้อยบาทถ้วน"),
    ("110",          "หนึ่งร้อยสิบบาทถ้วน"),
    ("111",          "หนึ่งร้อยสิบเอ็ดบาทถ้วน"),
    ("120",          "หนึ่งร้อยยี่สิบบาทถ้วน"),
    ("200",          "สองร้อยบาทถ้วน"),
    ("201",          "สองร้อยเอ็ดบาทถ้วน"),
    ("1001",         "หนึ่งพันเอ็ดบาทถ้วน"),
    ("1010",         "หนึ่งพันสิบบาทถ้วน"),
    ("3000",         "สามพันบาทถ้วน"),
    ("3520.00",      "สามพันห้าร้อยยี่สิบบาทถ้วน"),
    ("10000",        "หนึ่งหมื่นบาทถ้วน"),
    ("21000",        "สองหมื่นหนึ่งพันบาทถ้วน"),
    ("100000",       "หนึ่งแสนบาทถ้วน"),
    ("250000.25",    "สองแสนห้าหมื่นบาทยี่สิบห้าสตางค์"),
    ("1000001",      "หนึ่งล้านเอ็ดบาทถ้วน"),
    ("1000021",      "หนึ่งล้านยี่สิบเอ็ดบาทถ้วน"),
    ("2000000",      "สองล้านบาทถ้วน"),
    ("11000000",     "สิบเอ็ดล้านบาทถ้วน"),
    ("21000000",     "ยี่สิบเอ็ดล้านบาทถ้วน"),
    ("101000000",    "หนึ่งร้อยเอ็ดล้านบาทถ้วน"),
    ("12345678.90",  "สิบสองล้านสามแสนสี่หมื่นห้าพันหกร้อยเจ็ดสิบแปดบาทเก้าสิบสตางค์"),
    ("1000000000000", "หนึ่งล้านล้านบาทถ้วน"),
    ("0.01",         "หนึ่งสตางค์"),
    ("0.11",         "สิบเอ็ดสตางค์"),
    ("0.21",         "ยี่สิบเอ็ดสตางค์"),
    ("0.50",         "ห้าสิบสตางค์"),
    ("1.01",         "หนึ่งบาทหนึ่งสตางค์"),
    ("46.80",        "สี่สิบหกบาทแปดสิบสตางค์"),
    ("37.44",        "สามสิบเจ็ดบาทสี่สิบสี่สตางค์"),
    ("1020.24",      "หนึ่งพันยี่สิบบาทยี่สิบสี่สตางค์"),
]
# fmt: on


@pytest.mark.parametrize(("amount", "words"), BAHT_CASES, ids=[c[0] for c in BAHT_CASES])
def test_baht_text(amount, words):
    assert baht_text(Decimal(amount)) == words


def test_baht_text_takes_int():
    assert baht_text(21) == "ยี่สิบเอ็ดบาทถ้วน"


@pytest.mark.parametrize(
    ("amount", "error", "message"),
    [
        (Decimal("-1"), ValueError, "amount must be >= 0"),
        (Decimal("1.005"), ValueError, "at most 2 decimal places"),
        (Decimal("NaN"), ValueError, "amount must be finite"),
        (1.5, TypeError, "got float"),
        (True, TypeError, "got bool"),
    ],
)
def test_baht_text_refuses(amount, error, message):
    with pytest.raises(error, match=message):
        baht_text(amount)


@pytest.mark.parametrize(
    ("n", "words"),
    [(0, "ศูนย์"), (1, "หนึ่ง"), (11, "สิบเอ็ด"), (21, "ยี่สิบเอ็ด"), (2569, "สองพันห้าร้อยหกสิบเก้า")],
)
def test_number_text(n, words):
    assert number_text(n) == words


def test_number_text_refuses_negative():
    with pytest.raises(ValueError, match="n must be >= 0"):
        number_text(-1)


@pytest.mark.parametrize(
    ("day", "long", "short"),
    [
        (date(2026, 11, 25), "25 พฤศจิกายน 2569", "25 พ.ย. 2569"),
        (date(2026, 7, 15), "15 กรกฎาคม 2569", "15 ก.ค. 2569"),
        (date(2026, 1, 1), "1 มกราคม 2569", "1 ม.ค. 2569"),
        (date(2024, 2, 29), "29 กุมภาพันธ์ 2567", "29 ก.พ. 2567"),
        (date(1968, 12, 31), "31 ธันวาคม 2511", "31 ธ.ค. 2511"),
    ],
)
def test_buddhist_era_dates(day, long, short):
    assert thai_date(day) == long
    assert thai_date_short(day) == short


def test_years_and_digits():
    assert be_year(2026) == 2569
    assert gregorian_year(2569) == (2026, True)
    assert gregorian_year(2026) == (2026, False)
    assert gregorian_year(2400) == (1857, True)
    assert thai_digits("25 พฤศจิกายน 2569") == "๒๕ พฤศจิกายน ๒๕๖๙"
    assert baht_figure(Decimal("1872")) == "1,872.00"
