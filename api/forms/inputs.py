"""Read the JSON that ``signtax form`` takes into ``Declaration`` and ``AssessmentNotice``.

Shape (keys not listed are refused, so a typo never silently becomes a default)::

    {
      "tax_year": 2026,                 # Gregorian, or Buddhist era (>= 2400, e.g. 2569)
      "office": "กองคลัง เทศบาลนครหาดใหญ่",   # optional: where the ภ.ป.1 is filed
      "policy": {"min_then_prorate": true},  # optional: api.tax.LocalPolicy switches
      "owner": {
        "name": "นางสาวสมศรี ใจดี",           # required
        "business_name": "ร้านสมศรีโภชนา",    # optional, as are all below
        "id_number": "3900100123456",
        "phone": "074-123456",
        "address": {"house_no": "", "moo": "", "soi": "", "road": "", "tambon": "",
                    "amphoe": "", "province": "", "postcode": ""}
      },
      "declaration": {"filed_on": "2026-07-20"},          # optional (ภ.ป.1 date)
      "notice": {                                          # needed for ภ.ป.3 only
        "number": "123/2569", "issued_on": "2026-08-05",
        "received_on": null, "officer_name": ""           # optional
      },
      "signs": [                                           # one ภ.ป.1 row each, >= 1
        {
          "width_cm": 120, "length_cm": 300,    # int or text ("120.5"); no floats
          "count": 1,                           # identical signs in this row
          "type": 2,                            # 1/2/3, or instead:
          "content": {"thai": true, "foreign": true, "graphics": false,
                      "thai_below_foreign": false},   # classified by api.tax.classify
          "moving": false,                      # (ก) moving/changing display
          "installed": "2026-07-15",            # null = standing before the tax year
          "description": "...", "location": "...", "remarks": "...",
          "exemption": null,                    # api.tax.Exemption value, e.g. "s8(11)"
          "change": null,                       # {"kind", "changed_on", "previous_annual_baht"}
          "filed_late": null,                   # "before-notice" / "after-notice" (§25(1))
          "under_declared_extra_baht": "0.00",  # extra tax over the ภ.ป.1 (§25(2))
          "corrected_before_assessment": false
        }
      ]
    }

Dates are ISO ``YYYY-MM-DD``; a year of 2400 or more is read as Buddhist era
(``2569-07-15`` = 15 July 2026). Errors are FormInputError naming the key path, e.g.
``signs[0].width_cm must be > 0 cm, got -5``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from api.tax import (
    DEFAULT_POLICY,
    Exemption,
    LocalPolicy,
    Motion,
    SignChange,
    SignType,
    TaxFacts,
    TaxInputError,
    classify,
)
from api.tax.money import ZERO
from api.tax.rates import ACT_FIRST_TAX_YEAR, LAST_TAX_YEAR

from .errors import FormInputError
from .model import (
    DEFAULT_OFFICE,
    Address,
    AssessmentNotice,
    Declaration,
    DeclaredSign,
    Owner,
    area_from_sides,
    assess_rows,
    build_notice,
    parse_cm,
)
from .thai_text import BE_OFFSET, gregorian_year

_TOP_KEYS = {"tax_year", "office", "policy", "owner", "declaration", "notice", "signs"}
_OWNER_KEYS = {"name", "business_name", "id_number", "phone", "address"}
_ADDRESS_KEYS = set(Address.__dataclass_fields__)
_NOTICE_KEYS = {"number", "issued_on", "received_on", "officer_name"}
_CONTENT_KEYS = {"thai", "foreign", "graphics", "thai_below_foreign"}
_SIGN_KEYS = {
    "width_cm",
    "length_cm",
    "count",
    "type",
    "content",
    "moving",
    "installed",
    "description",
    "location",
    "remarks",
    "exemption",
    "change",
    "filed_late",
    "under_declared_extra_baht",
    "corrected_before_assessment",
}


@dataclass(frozen=True, slots=True)
class FormInput:
    """A parsed input file: the declaration, plus what the ภ.ป.3 needs."""

    declaration: Declaration
    policy: LocalPolicy = DEFAULT_POLICY
    notice_number: str | None = None
    issued_on: date | None = None
    received_on: date | None = None
    officer_name: str = ""

    def notice(self) -> AssessmentNotice:
        """The ภ.ป.3, assessed with ``api.tax``; needs the input's ``notice`` section."""
        if self.notice_number is None or self.issued_on is None:
            raise FormInputError("notice is required for ภ.ป.3: give notice.number and "
                                 "notice.issued_on, got no notice section")
        return build_notice(
            self.declaration,
            number=self.notice_number,
            issued_on=self.issued_on,
            policy=self.policy,
            received_on=self.received_on,
            officer_name=self.officer_name,
        )


def load_form_file(path: Path) -> FormInput:
    """Read and parse ``path``; FormInputError for unreadable files or bad JSON too."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FormInputError(f"--input cannot be read: {exc}") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FormInputError(f"--input is not valid JSON: {exc}") from exc
    return parse_form_input(data)


def parse_tax_year(name: str, year: int) -> tuple[int, bool]:
    """(Gregorian tax year, was it typed in B.E.) for a year a person gave (2569 or 2026), or
    a FormInputError naming ``name`` for a year the Act cannot tax."""
    tax_year, was_be = gregorian_year(year)
    read_as = f" (read as พ.ศ. {year} = ค.ศ. {tax_year})" if was_be else ""
    if tax_year < ACT_FIRST_TAX_YEAR:
        raise FormInputError(
            f"{name} must be {ACT_FIRST_TAX_YEAR} or later (the Signboard Tax Act took effect "
            f"on 1 Jan {ACT_FIRST_TAX_YEAR}, พ.ศ. {ACT_FIRST_TAX_YEAR + BE_OFFSET}), got "
            f"{year}{read_as}")
    if tax_year > LAST_TAX_YEAR:
        raise FormInputError(f"{name} must be at most {LAST_TAX_YEAR}, got {year}{read_as}")
    return tax_year, was_be


def parse_form_input(data: Any) -> FormInput:
    """Parse the JSON document described in the module docstring."""
    _mapping("input", data, _TOP_KEYS)
    tax_year, _ = parse_tax_year("tax_year", _int("tax_year", _required("input", data, "tax_year")))
    policy = DEFAULT_POLICY
    if data.get("policy") is not None:
        try:
            policy = LocalPolicy.from_dict(data["policy"])
        except (TaxInputError, TypeError) as exc:
            raise FormInputError(f"policy: {exc}") from exc
    owner = _owner(_required("input", data, "owner"))
    signs_data = _required("input", data, "signs")
    if not isinstance(signs_data, list) or not signs_data:
        raise FormInputError(f"signs must be a non-empty list, got {signs_data!r}")
    signs = tuple(_sign(f"signs[{i}]", s) for i, s in enumerate(signs_data))
    decl_data = data.get("declaration") or {}
    _mapping("declaration", decl_data, {"filed_on"})
    filed_on = _opt_date("declaration.filed_on", decl_data.get("filed_on"))
    declaration = Declaration(
        tax_year=tax_year,
        owner=owner,
        signs=signs,
        office=_text("office", data.get("office")) or DEFAULT_OFFICE,
        filed_on=filed_on,
    )
    assess_rows(declaration, policy)  # refuse facts no tax year can have, for either form
    notice = data.get("notice")
    if notice is None:
        return FormInput(declaration=declaration, policy=policy)
    _mapping("notice", notice, _NOTICE_KEYS)
    number = _text("notice.number", _required("notice", notice, "number"))
    if not number:
        raise FormInputError("notice.number must be a non-empty text, got ''")
    issued_on = _date("notice.issued_on", _required("notice", notice, "issued_on"))
    received_on = _opt_date("notice.received_on", notice.get("received_on"))
    if received_on is not None and received_on < issued_on:
        raise FormInputError(
            f"notice.received_on must be on or after notice.issued_on {issued_on}, "
            f"got {received_on}"
        )
    return FormInput(
        declaration=declaration,
        policy=policy,
        notice_number=number,
        issued_on=issued_on,
        received_on=received_on,
        officer_name=_text("notice.officer_name", notice.get("officer_name")),
    )


def _owner(data: Any) -> Owner:
    _mapping("owner", data, _OWNER_KEYS)
    address = data.get("address") or {}
    _mapping("owner.address", address, _ADDRESS_KEYS)
    return Owner(
        name=_text("owner.name", _required("owner", data, "name")),
        business_name=_text("owner.business_name", data.get("business_name")),
        address=Address(**{k: _text(f"owner.address.{k}", v) for k, v in address.items()}),
        phone=_text("owner.phone", data.get("phone")),
        id_number=_text("owner.id_number", data.get("id_number")),
    )


def _sign(path: str, data: Any) -> DeclaredSign:
    _mapping(path, data, _SIGN_KEYS)
    width = parse_cm(f"{path}.width_cm", _required(path, data, "width_cm"))
    length = parse_cm(f"{path}.length_cm", _required(path, data, "length_cm"))
    _, area = area_from_sides(width, length)
    sign_type = _sign_type(path, data)
    moving = data.get("moving", False)
    if not isinstance(moving, bool):
        raise FormInputError(f"{path}.moving must be true or false, got {moving!r}")
    try:
        change = data.get("change")
        facts = TaxFacts(
            area_cm2=area,
            sign_type=sign_type,
            motion=Motion.MOVING if moving else Motion.STATIC,
            install_date=_opt_date(f"{path}.installed", data.get("installed")),
            change=None if change is None else SignChange.from_dict(_change_dates(path, change)),
            exemption=_exemption(path, data.get("exemption")),
        )
    except TaxInputError as exc:
        raise FormInputError(f"{path}: {exc}") from exc
    count = data.get("count", 1)
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise FormInputError(f"{path}.count must be an int >= 1, got {count!r}")
    extra = data.get("under_declared_extra_baht", ZERO)
    corrected = data.get("corrected_before_assessment", False)
    if not isinstance(corrected, bool):
        raise FormInputError(
            f"{path}.corrected_before_assessment must be true or false, got {corrected!r}"
        )
    extra = _money(f"{path}.under_declared_extra_baht", extra)
    try:
        return DeclaredSign(
            facts=facts,
            width_cm=width,
            length_cm=length,
            count=count,
            description=_text(f"{path}.description", data.get("description")),
            location=_text(f"{path}.location", data.get("location")),
            remarks=_text(f"{path}.remarks", data.get("remarks")),
            filed_late=data.get("filed_late"),
            under_declared_extra_baht=extra,
            corrected_before_assessment=corrected,
        )
    except FormInputError as exc:
        raise FormInputError(f"{path}.{exc}") from exc


def _sign_type(path: str, data: Mapping[str, Any]) -> SignType:
    has_type, has_content = "type" in data, "content" in data
    if has_type == has_content:
        raise FormInputError(
            f"{path} must give exactly one of 'type' (1/2/3) or 'content', "
            f"got {'both' if has_type else 'neither'}"
        )
    if has_type:
        value = data["type"]
        if isinstance(value, bool) or value not in (1, 2, 3):
            raise FormInputError(f"{path}.type must be 1, 2 or 3, got {value!r}")
        return SignType(value)
    content = data["content"]
    _mapping(f"{path}.content", content, _CONTENT_KEYS)
    flags = {}
    for key in sorted(_CONTENT_KEYS):
        value = content.get(key, False)
        if not isinstance(value, bool):
            raise FormInputError(f"{path}.content.{key} must be true or false, got {value!r}")
        flags[key] = value
    try:
        return classify(
            has_thai=flags["thai"],
            has_foreign=flags["foreign"],
            has_graphics=flags["graphics"],
            thai_below_foreign=flags["thai_below_foreign"],
        )
    except TaxInputError as exc:
        raise FormInputError(f"{path}.content: {exc}") from exc


def _exemption(path: str, value: Any) -> Exemption | None:
    if value is None:
        return None
    try:
        return Exemption(value)
    except ValueError:
        allowed = ", ".join(e.value for e in Exemption)
        raise FormInputError(f"{path}.exemption must be one of {allowed}, got {value!r}") from None


def _change_dates(path: str, change: Any) -> Any:
    # SignChange.from_dict reads ISO dates; convert a B.E. year first
    if isinstance(change, Mapping) and isinstance(change.get("changed_on"), str):
        change = dict(change)
        change["changed_on"] = _date(f"{path}.change.changed_on", change["changed_on"])
    return change


def parse_date(name: str, value: Any) -> date:
    """ISO ``YYYY-MM-DD``; a year of 2400 or more is Buddhist era. Names ``name`` on error."""
    if not isinstance(value, str):
        raise FormInputError(f"{name} must be a date YYYY-MM-DD, got {value!r}")
    parts = value.strip().split("-")
    if len(parts) != 3 or not all(p.isdigit() for p in parts) or len(parts[0]) != 4:
        raise FormInputError(f"{name} must be a date YYYY-MM-DD, got {value!r}")
    year, _ = gregorian_year(int(parts[0]))
    try:
        return date(year, int(parts[1]), int(parts[2]))
    except ValueError as exc:
        raise FormInputError(f"{name} must be a real date YYYY-MM-DD, got {value!r} ({exc})") from None


_date = parse_date


def _opt_date(name: str, value: Any) -> date | None:
    return None if value is None else parse_date(name, value)


def _money(name: str, value: Any) -> Decimal:
    if isinstance(value, bool) or isinstance(value, float):
        raise FormInputError(f"{name} must be baht as text or int, got {value!r}")
    try:
        amount = Decimal(value) if isinstance(value, int | str | Decimal) else None
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite():
        raise FormInputError(f"{name} must be a number of baht, got {value!r}")
    if amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise FormInputError(f"{name} must be >= 0 with at most 2 decimals, got {value!r}")
    return amount.quantize(Decimal("0.01"))


def _int(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise FormInputError(f"{name} must be an int, got {value!r}")
    return value


def _text(name: str, value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise FormInputError(f"{name} must be text, got {value!r}")
    return value.strip()


def _required(where: str, data: Mapping[str, Any], key: str) -> Any:
    if key not in data:
        prefix = "" if where == "input" else f"{where}."
        raise FormInputError(f"{prefix}{key} is required, got no such key")
    return data[key]


def _mapping(name: str, data: Any, known: set[str]) -> None:
    if not isinstance(data, Mapping):
        raise FormInputError(f"{name} must be a JSON object, got {type(data).__name__}")
    unknown = sorted(set(data) - known)
    if unknown:
        raise FormInputError(f"{name} has unknown keys {unknown}; known: {sorted(known)}")
