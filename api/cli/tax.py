"""``signtax tax``: price one sign from given facts, step by step, for the counter.

An officer answering an owner ("how much for my 120 x 300 cm sign put up in July?") types the
facts; the command runs ``api.tax.assess`` (through ``api.forms.breakdown.price_sign``) and prints
a bilingual (Thai/English) breakdown in the order of tax-law §13: classify, rate, area,
units (the ½-unit rule), base, minimum, proration, amount due; then deadlines (§12/§14
filing, §19 payment), §25 surcharges and §19 bis installments. Amounts are baht with satang;
dates are shown in the Buddhist era with the Gregorian date beside them. ``--json`` prints
one JSON document instead (``Pricing.to_dict``).

Impossible facts exit with code 2 and a message that names the field.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from datetime import date
from decimal import Decimal

from api.forms.breakdown import Pricing, price_sign, render_breakdown
from api.forms.errors import FormInputError
from api.forms.inputs import parse_date, parse_tax_year
from api.forms.model import area_from_sides, parse_cm
from api.tax import (
    MAX_AREA_CM2,
    ChangeKind,
    Exemption,
    LocalPolicy,
    Motion,
    SignChange,
    SignType,
    TaxFacts,
    TaxInputError,
    classify,
)

MAX_DAYS_LATE = 36_500  # 100 years
# engine field -> the flag a person typed, for error messages
FIELD_FLAGS = {
    "install_date": "--installed",
    "tax_year": "--tax-year",
    "area_cm2": "--area-cm2 / --width-cm x --height-cm",
    "change.changed_on": "--changed-on",
    "change.previous_annual_baht": "--previous-annual-baht",
    "change.kind": "--change",
    "has_thai": "--thai/--no-thai, --foreign, --graphics",
    "thai_below_foreign": "--thai-below-foreign",
}


class CliInputError(ValueError):
    """A flag value no sign can have; the message names the flag."""


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "tax", help="price one sign from its facts, step by step (ภาษีป้าย)",
        description="Price one sign for one tax year, step by step as in tax-law §13: "
                    "classify, rate, area, units of 500 cm², base, minimum, proration, "
                    "surcharges and installments. Give the size and either --type or the "
                    "content flags.")
    size = p.add_argument_group("size (ขนาด)")
    size.add_argument("--width-cm", help="width in cm (widest extent), e.g. 120 or 120.5")
    size.add_argument("--height-cm", help="height/length in cm (longest extent)")
    size.add_argument("--area-cm2", help="bounding-rectangle area in cm², instead of the sides")
    kind = p.add_argument_group("type (ประเภท): --type, or content flags classified by §4")
    kind.add_argument("--type", dest="sign_type", help="sign type 1, 2 or 3")
    kind.add_argument("--thai", action=argparse.BooleanOptionalAction, default=None,
                      help="the sign has Thai characters (content mode default: yes)")
    kind.add_argument("--foreign", action="store_true", help="it has foreign characters")
    kind.add_argument("--graphics", action="store_true", help="it has pictures or marks/logos")
    kind.add_argument("--thai-below-foreign", action="store_true",
                      help="some Thai text sits below/lower than the foreign text (Type 3)")
    kind.add_argument("--moving", action="store_true",
                      help="the message moves or changes (LED/LCD, scrolling): sub-type ก")
    when = p.add_argument_group("dates (วันที่); YYYY-MM-DD, a year >= 2400 is Buddhist era")
    when.add_argument("--installed", help="installation date; omit for a sign standing before "
                                          "the tax year (full year)")
    when.add_argument("--tax-year", help="tax year, Gregorian (2026) or Buddhist era (2569); "
                                         "default: the --installed year, else this year")
    when.add_argument("--notice-received", help="date the owner received the ภ.ป.3; gives the "
                                                "§19 payment deadline and installment dates")
    pol = p.add_argument_group("local policy (tax-law §15)")
    order = pol.add_mutually_exclusive_group()
    order.add_argument("--policy-min-then-prorate", dest="min_then_prorate",
                       action="store_const", const=True, default=True,
                       help="reading A (default): floor at 200 baht, then prorate")
    order.add_argument("--policy-prorate-then-min", dest="min_then_prorate",
                       action="store_const", const=False,
                       help="reading B: prorate, then floor at 200 baht")
    pol.add_argument("--policy-exempt-small-signs", action="store_true",
                     help="honour the unverified Reg. No. 2 exemption of signs <= 500 cm²")
    pol.add_argument("--policy-exempt-private-car", action="store_true",
                     help="honour the unverified Reg. No. 2 private-car exemption")
    pol.add_argument("--policy-prorate-partial-change", action="store_true",
                     help="prorate a §14(3) increase from the quarter of the change")
    ev = p.add_argument_group("changes and exemptions (§8, §14)")
    ev.add_argument("--change", help="change in the tax year: "
                                     + ", ".join(k.value for k in ChangeKind))
    ev.add_argument("--changed-on", help="date of the change (with --change)")
    ev.add_argument("--previous-annual-baht",
                    help="annual tax already charged for the old sign (partial_up)")
    ev.add_argument("--exemption", help="claimed exemption: "
                                        + ", ".join(e.value for e in Exemption))
    sur = p.add_argument_group("surcharges (เงินเพิ่ม, §25)")
    sur.add_argument("--filed-late", choices=("before-notice", "after-notice"),
                     help="ภ.ป.1 filed late, before (5%%) or after (10%%) the officer's notice")
    sur.add_argument("--paid-days-late", help="days paid after the §19 deadline (2%% a month, "
                                              "part month = month)")
    p.add_argument("--json", action="store_true", help="print one JSON document")
    p.set_defaults(run=run)


# --- parsing ----------------------------------------------------------------------------------


def _date_flag(flag: str, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return parse_date(flag, value)
    except FormInputError as exc:
        raise CliInputError(str(exc)) from None


def _tax_year(args: argparse.Namespace, installed: date | None) -> tuple[int, str | None]:
    if args.tax_year is None:
        if installed is not None:
            return installed.year, None
        return date.today().year, None
    text = str(args.tax_year).strip()
    if not text.isdigit():
        raise CliInputError(f"--tax-year must be a year such as 2026 or 2569, got {text!r}")
    try:
        year, was_be = parse_tax_year("--tax-year", int(text))
    except FormInputError as exc:
        raise CliInputError(str(exc)) from None
    note = f"--tax-year {text} read as Buddhist era: พ.ศ. {text} = ค.ศ. {year}" if was_be else None
    return year, note


def _size(args: argparse.Namespace) -> tuple[Decimal, int, Decimal | None, Decimal | None]:
    """(exact area cm², whole cm² for the engine, width, height)."""
    sides = args.width_cm is not None or args.height_cm is not None
    if args.area_cm2 is not None and sides:
        raise CliInputError("--area-cm2 and --width-cm/--height-cm: give one or the other, "
                            "got both")
    try:
        if args.area_cm2 is not None:
            exact = _area_flag(args.area_cm2)
            whole = math.ceil(exact)  # exact for the ½-unit rule (see area_from_sides)
            return exact, whole, None, None
        if args.width_cm is None or args.height_cm is None:
            missing = "--width-cm" if args.width_cm is None else "--height-cm"
            raise CliInputError(f"{missing} is required (or give --area-cm2), got nothing")
        width = parse_cm("--width-cm", args.width_cm)
        height = parse_cm("--height-cm", args.height_cm)
        exact, whole = area_from_sides(width, height)
        return exact, whole, width, height
    except FormInputError as exc:
        message = str(exc).replace("area_cm2 must", "--width-cm x --height-cm must")
        raise CliInputError(message) from None


def _area_flag(text: str) -> Decimal:
    """--area-cm2: a number of cm², > 0 and at most MAX_AREA_CM2, at most 2 decimals."""
    try:
        area = Decimal(text)
    except ArithmeticError:
        raise CliInputError(f"--area-cm2 must be a number of cm², got {text!r}") from None
    if not area.is_finite() or area <= 0:
        raise CliInputError(f"--area-cm2 must be > 0 cm², got {text}")
    if area > MAX_AREA_CM2:
        raise CliInputError(f"--area-cm2 must be <= {MAX_AREA_CM2} cm², got {text}")
    if area != area.quantize(Decimal("0.01")):
        raise CliInputError(f"--area-cm2 must have at most 2 decimal places, got {text}")
    return area


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return True


def _sign_type(args: argparse.Namespace) -> tuple[SignType, str]:
    """(type, how it was decided)."""
    content = args.thai is not None or args.foreign or args.graphics or args.thai_below_foreign
    if args.sign_type is not None:
        if content:
            raise CliInputError("--type and the content flags (--thai/--no-thai, --foreign, "
                                "--graphics, --thai-below-foreign): give one or the other, "
                                "got both")
        if args.sign_type not in ("1", "2", "3"):
            raise CliInputError(f"--type must be 1, 2 or 3, got {args.sign_type!r}")
        return SignType(int(args.sign_type)), f"given --type {args.sign_type}"
    if not content:
        raise CliInputError("--type (1/2/3) or content flags (--thai/--no-thai, --foreign, "
                            "--graphics, --thai-below-foreign) are required, got neither")
    has_thai = True if args.thai is None else args.thai
    sign_type = classify(has_thai=has_thai, has_foreign=args.foreign,
                         has_graphics=args.graphics, thai_below_foreign=args.thai_below_foreign)
    shown = [w for w, on in (("Thai", has_thai), ("foreign text", args.foreign),
                             ("pictures/marks", args.graphics)) if on]
    how = " + ".join(shown) or "nothing"
    if not has_thai:
        how += ", no Thai"
    elif args.thai_below_foreign:
        how += ", Thai below"
    elif args.foreign or args.graphics:
        how += ", Thai not below"
    else:
        how += " only"
    return sign_type, how


def _change(args: argparse.Namespace) -> SignChange | None:
    if args.change is None:
        if args.changed_on is not None or args.previous_annual_baht is not None:
            raise CliInputError("--changed-on/--previous-annual-baht need --change, got none")
        return None
    kinds = [k.value for k in ChangeKind]
    if args.change not in kinds:
        raise CliInputError(f"--change must be one of {', '.join(kinds)}, got {args.change!r}")
    changed_on = _date_flag("--changed-on", args.changed_on)
    if changed_on is None:
        raise CliInputError("--changed-on is required with --change, got nothing")
    previous = args.previous_annual_baht
    if previous is not None and not _is_number(previous):
        raise CliInputError(f"--previous-annual-baht must be baht, got {previous!r}")
    return SignChange(kind=ChangeKind(args.change), changed_on=changed_on,
                      previous_annual_baht=None if previous is None else Decimal(previous))


def _exemption(args: argparse.Namespace) -> Exemption | None:
    if args.exemption is None:
        return None
    try:
        return Exemption(args.exemption)
    except ValueError:
        allowed = ", ".join(e.value for e in Exemption)
        raise CliInputError(f"--exemption must be one of {allowed}, got {args.exemption!r}") \
            from None


def _days_late(args: argparse.Namespace) -> int | None:
    if args.paid_days_late is None:
        return None
    text = str(args.paid_days_late).strip()
    if not text.lstrip("-").isdigit():
        raise CliInputError(f"--paid-days-late must be a whole number of days, got {text!r}")
    days = int(text)
    if not 0 <= days <= MAX_DAYS_LATE:
        raise CliInputError(f"--paid-days-late must be between 0 and {MAX_DAYS_LATE}, got {days}")
    return days


def compute(args: argparse.Namespace) -> Pricing:
    """Price the sign the flags describe; raises CliInputError or TaxInputError."""
    exact, whole, width, height = _size(args)
    sign_type, type_how = _sign_type(args)
    installed = _date_flag("--installed", args.installed)
    tax_year, year_note = _tax_year(args, installed)
    received = _date_flag("--notice-received", args.notice_received)
    days_late = _days_late(args)
    policy = LocalPolicy(
        min_then_prorate=args.min_then_prorate,
        exempt_small_signs_500cm2=args.policy_exempt_small_signs,
        exempt_private_car_signs=args.policy_exempt_private_car,
        prorate_partial_change_increase=args.policy_prorate_partial_change,
    )
    facts = TaxFacts(area_cm2=whole, sign_type=sign_type,
                     motion=Motion.MOVING if args.moving else Motion.STATIC,
                     install_date=installed, change=_change(args), exemption=_exemption(args))
    notes = [year_note] if year_note else []
    if days_late is not None and received is None:
        received = date.today()
        notes.append(f"--notice-received not given: assumed today, {received.isoformat()}")
    return price_sign(
        facts,
        tax_year=tax_year,
        policy=policy,
        area_exact_cm2=exact,
        width_cm=width,
        height_cm=height,
        type_decided_by=type_how,
        tax_year_given=args.tax_year,
        notice_received=received,
        filed_late=args.filed_late,
        days_late=days_late,
        notes=tuple(notes),
    )


# --- entry point ------------------------------------------------------------------------------


def _flag_hint(message: str) -> str:
    field = message.split(" ", 1)[0].rstrip(":,")
    flag = FIELD_FLAGS.get(field)
    return f"{message} [{flag}]" if flag else message


def run(args: argparse.Namespace) -> int:
    try:
        pricing = compute(args)
    except CliInputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except TaxInputError as exc:
        print(f"error: {_flag_hint(str(exc))}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(pricing.to_dict(), ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(render_breakdown(pricing))
    return 0
