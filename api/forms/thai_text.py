"""Thai wording for forms: baht amounts in words, Buddhist-era dates, Thai digits.

Conventions (one style throughout SignTax's forms and CLI):

- Dates are written day, Thai month name, Buddhist-era year, in Arabic digits:
  ``25 พฤศจิกายน 2569`` (B.E. = Gregorian + 543).
- Amounts in words follow the Bank of Thailand cheque style (the same as Excel's BAHTTEXT):
  ``1,872.00`` -> ``หนึ่งพันแปดร้อยเจ็ดสิบสองบาทถ้วน``, ``936.50`` ->
  ``เก้าร้อยสามสิบหกบาทห้าสิบสตางค์``. A units digit 1 after any higher digit is ``เอ็ด``
  (11 สิบเอ็ด, 101 หนึ่งร้อยเอ็ด, 1,000,001 หนึ่งล้านเอ็ด); a tens digit 2 is ``ยี่สิบ`` and a
  tens digit 1 is ``สิบ``; groups of six digits are joined by ``ล้าน``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

BE_OFFSET = 543  # Buddhist era year = Gregorian year + 543
BE_MIN_YEAR = 2400  # a year this large is read as B.E. (2400 B.E. = 1857 A.D.)

THAI_MONTHS = (
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
)
THAI_MONTHS_SHORT = (
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
)

_DIGITS = ("ศูนย์", "หนึ่ง", "สอง", "สาม", "สี่", "ห้า", "หก", "เจ็ด", "แปด", "เก้า")
_PLACES = ("", "สิบ", "ร้อย", "พัน", "หมื่น", "แสน")  # within one group of six digits
_MILLION = "ล้าน"
_SATANG = Decimal("0.01")
_THAI_DIGIT_TABLE = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


def be_year(gregorian_year: int) -> int:
    """Buddhist-era year of a Gregorian year (2026 -> 2569)."""
    return gregorian_year + BE_OFFSET


def gregorian_year(year: int) -> tuple[int, bool]:
    """(Gregorian year, was it given in B.E.) for a year typed by a person.

    Years of 2400 or more are read as Buddhist era (2569 -> 2026); smaller ones as Gregorian.
    """
    if year >= BE_MIN_YEAR:
        return year - BE_OFFSET, True
    return year, False


def thai_date(day: date) -> str:
    """``25 พฤศจิกายน 2569``: day, full Thai month, Buddhist-era year."""
    return f"{day.day} {THAI_MONTHS[day.month - 1]} {be_year(day.year)}"


def thai_date_short(day: date) -> str:
    """``25 พ.ย. 2569``: for narrow table cells."""
    return f"{day.day} {THAI_MONTHS_SHORT[day.month - 1]} {be_year(day.year)}"


def thai_digits(text: str) -> str:
    """``text`` with Arabic digits replaced by Thai digits (2569 -> ๒๕๖๙)."""
    return text.translate(_THAI_DIGIT_TABLE)


def number_text(n: int) -> str:
    """A non-negative integer in Thai words (21 -> ยี่สิบเอ็ด, 1,000,000 -> หนึ่งล้าน)."""
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"n must be an int, got {type(n).__name__}")
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    if n == 0:
        return _DIGITS[0]
    return _words(n, has_higher=False)


def _words(n: int, *, has_higher: bool) -> str:
    """Words for ``n`` > 0; ``has_higher``: a non-zero digit stands above this number."""
    millions, rest = divmod(n, 1_000_000)
    out = ""
    if millions:
        out = _words(millions, has_higher=has_higher) + _MILLION
    if rest:
        out += _group(rest, has_higher=has_higher or millions > 0)
    return out


def _group(n: int, *, has_higher: bool) -> str:
    """Words for 1 <= n < 1,000,000."""
    digits = [int(c) for c in str(n)]
    out = []
    last = len(digits) - 1
    for i, d in enumerate(digits):
        place = last - i
        if d == 0:
            continue
        if place == 1:  # tens
            out.append({1: "", 2: "ยี่"}.get(d, _DIGITS[d]) + "สิบ")
        elif place == 0:  # units
            higher = has_higher or any(digits[:-1])
            out.append("เอ็ด" if d == 1 and higher else _DIGITS[d])
        else:
            out.append(_DIGITS[d] + _PLACES[place])
    return "".join(out)


def baht_text(amount: Decimal) -> str:
    """Baht amount in Thai words, as written on a notice or cheque.

    ``amount`` is a non-negative Decimal (or int) with at most 2 decimal places:

    - whole baht end in ``บาทถ้วน`` (21 -> ยี่สิบเอ็ดบาทถ้วน, 0 -> ศูนย์บาทถ้วน);
    - satang follow ``บาท`` and end in ``สตางค์`` (936.50 -> เก้าร้อยสามสิบหกบาทห้าสิบสตางค์);
    - an amount under one baht is satang alone (0.25 -> ยี่สิบห้าสตางค์).

    Raises ValueError for a negative, non-finite or sub-satang amount, TypeError for floats
    (a float cannot hold 0.10 exactly).
    """
    if isinstance(amount, bool) or not isinstance(amount, Decimal | int):
        raise TypeError(f"amount must be Decimal or int baht, got {type(amount).__name__}")
    value = Decimal(amount)
    if not value.is_finite():
        raise ValueError(f"amount must be finite, got {value}")
    if value < 0:
        raise ValueError(f"amount must be >= 0, got {value}")
    if value != value.quantize(_SATANG):
        raise ValueError(f"amount must have at most 2 decimal places (satang), got {value}")
    satang_total = int(value.quantize(_SATANG).scaleb(2))
    baht, satang = divmod(satang_total, 100)
    if satang == 0:
        return number_text(baht) + "บาทถ้วน"
    satang_words = _words(satang, has_higher=False) + "สตางค์"
    if baht == 0:
        return satang_words
    return number_text(baht) + "บาท" + satang_words


def baht_figure(amount: Decimal) -> str:
    """``1,872.00``: thousands separators and always two decimals."""
    return f"{Decimal(amount).quantize(_SATANG):,.2f}"
