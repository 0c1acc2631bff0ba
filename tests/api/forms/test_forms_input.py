"""The `signtax form` JSON: the example parses, and every bad field is named."""

from __future__ import annotations

import copy
import json
from datetime import date
from decimal import Decimal

import pytest

from api.forms import FormInputError, load_form_file, parse_form_input
from api.forms.model import area_from_sides
from api.tax import Motion, SignType, units_500
from tests.api.forms.pdf_support import EXAMPLE


@pytest.fixture(scope="module")
def example() -> dict:
    return json.loads(EXAMPLE.read_text(encoding="utf-8"))


def test_example_parses_with_buddhist_era_years(example):
    data = load_form_file(EXAMPLE)
    decl = data.declaration
    assert decl.tax_year == 2026  # "tax_year": 2569 in the file
    assert decl.filed_on == date(2026, 7, 20)
    assert decl.owner.address.one_line().endswith("จังหวัดสงขลา 90110")
    first, second, third = decl.signs
    assert first.facts.sign_type is SignType.THAI_MIXED  # classified from content flags
    assert first.facts.install_date == date(2026, 7, 15)
    assert second.count == 2 and second.facts.install_date is None
    assert third.facts.motion is Motion.MOVING and third.length_cm == Decimal("200.5")
    assert data.issued_on == date(2026, 8, 5) and data.received_on == date(2026, 8, 10)


def test_example_notice_totals():
    notice = load_form_file(EXAMPLE).notice()
    taxes = [line.tax_baht for line in notice.lines]
    # 120x300 2(ข) Q3 = 936; 2 x (60x90 1(ข) -> 11 units x 5 = 55 -> min 200); 100x200.5 3(ก)
    assert taxes == [Decimal("936.00"), Decimal("400.00"), Decimal("2080.00")]
    assert notice.lines[2].surcharge_baht == Decimal("104.00")  # 5%, filed before notice
    assert notice.total_baht == Decimal("3520.00")
    assert notice.payment_due == date(2026, 8, 25)
    assert notice.appeal_until == date(2026, 9, 9)
    assert notice.installments_allowed


def _with(example: dict, path: str, value) -> dict:
    data = copy.deepcopy(example)
    *parents, last = path.split(".")
    node = data
    for key in parents:
        node = node[int(key)] if key.isdigit() else node[key]
    if value is _DELETE:
        del node[last]
    else:
        node[last] = value
    return data


_DELETE = object()

# fmt: off
BAD_INPUTS = [
    ("signs.0.width_cm",      -5,            "signs[0].width_cm must be > 0 cm, got -5"),
    ("signs.0.width_cm",      0,             "signs[0].width_cm must be > 0 cm"),
    ("signs.0.length_cm",     "abc",         "signs[0].length_cm must be a number of cm"),
    ("signs.0.length_cm",     1.5,           "signs[0].length_cm must be a number of cm (int or text)"),
    ("signs.0.width_cm",      2_000_000,     "signs[0].width_cm must be <= 100000 cm"),
    ("signs.1.type",          4,             "signs[1].type must be 1, 2 or 3, got 4"),
    ("signs.1.content",       {"thai": True}, "signs[1] must give exactly one of 'type' (1/2/3) or 'content', got both"),
    ("signs.0.content",       _DELETE,       "signs[0] must give exactly one of 'type' (1/2/3) or 'content', got neither"),
    ("signs.0.content",       {"thai": False}, "signs[0].content: has_thai, has_foreign, has_graphics"),
    ("signs.0.installed",     "2026-13-01",  "signs[0].installed must be a real date"),
    ("signs.0.installed",     "2570-01-05",  "signs[0]: install_date must be in or before tax_year 2026, got 2027-01-05"),
    ("signs.0.count",         0,             "signs[0].count must be an int >= 1, got 0"),
    ("signs.0.moving",        "yes",         "signs[0].moving must be true or false"),
    ("signs.0.exemption",     "s8(99)",      "signs[0].exemption must be one of"),
    ("signs.0.filed_late",    "late",        "signs[0].filed_late must be null, 'before-notice' or 'after-notice'"),
    ("signs.0.colour",        "red",         "signs[0] has unknown keys ['colour']"),
    ("signs",                 [],            "signs must be a non-empty list"),
    ("tax_year",              1900,          "tax_year must be 1968 or later"),
    ("tax_year",              2500,          "got 2500 (read as พ.ศ. 2500 = ค.ศ. 1957)"),
    ("tax_year",              10600,         "tax_year must be at most 9999, got 10600 (read as พ.ศ."),
    ("tax_year",              "2569",        "tax_year must be an int"),
    ("owner.name",            "",            "owner.name must be a non-empty text"),
    ("owner.address.street",  "x",           "owner.address has unknown keys ['street']"),
    ("notice.issued_on",      "5/8/2569",    "notice.issued_on must be a date YYYY-MM-DD"),
    ("notice.received_on",    "2569-08-01",  "notice.received_on must be on or after notice.issued_on"),
    ("policy",                {"min_then_prorat": True}, "policy: policy has unknown keys"),
]
# fmt: on


@pytest.mark.parametrize(("path", "value", "message"), BAD_INPUTS,
                         ids=[f"{p}={v!r}"[:40] for p, v, _ in BAD_INPUTS])
def test_bad_input_names_the_field(example, path, value, message):
    with pytest.raises(FormInputError) as info:
        parse_form_input(_with(example, path, value))
    assert message in str(info.value)


def test_pp3_needs_the_notice_section(example):
    data = parse_form_input(_with(example, "notice", _DELETE))
    assert data.declaration.signs  # ภ.ป.1 needs no notice
    with pytest.raises(FormInputError, match="notice is required for ภ.ป.3"):
        data.notice()


def test_unreadable_and_malformed_files(tmp_path):
    with pytest.raises(FormInputError, match="--input cannot be read"):
        load_form_file(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(FormInputError, match="--input is not valid JSON"):
        load_form_file(bad)


@pytest.mark.parametrize(
    ("width", "length"),
    [("1", "250.5"), ("10", "25.01"), ("0.5", "501"), ("22.37", "33.53"), ("100", "7.5")],
)
def test_area_rounded_up_keeps_the_legal_units(width, length):
    """Rounding the exact product up to whole cm² never changes the ½-unit rule's answer."""
    exact, whole = area_from_sides(Decimal(width), Decimal(length))
    q, r = divmod(exact, 500)
    exact_units = int(q) + (1 if r > 250 else 0)
    assert units_500(whole) == exact_units
