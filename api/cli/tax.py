"""``signtax tax``: price one sign from given facts, step by step, for the counter.

An officer answering an owner ("how much for my 120 x 300 cm sign put up in July?") types the
facts; the command runs ``api.tax.assess`` and prints a bilingual (Thai/English) breakdown
in the order of tax-law §13: classify, rate, area, units (the ½-unit rule), base, minimum,
proration, amount due; then deadlines (§12/§14 filing, §19 payment), §25 surcharges and
§19 bis installments. Amounts are baht with satang; dates are shown in the Buddhist era
with the Gregorian date beside them. ``--json`` prints one JSON document instead.

Impossible facts exit with code 2 and a message that names the field.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from api.forms.errors import FormInputError
from api.forms.inputs import parse_date
from api.forms.model import area_from_sides, parse_cm
from api.forms.thai_text import baht_figure, baht_text, be_year, gregorian_year, thai_date
from api.tax import (
    INSTALLMENT_MIN_BAHT,
    MAX_AREA_CM2,
    ChangeKind,
    Exemption,
    Installment,
    LocalPolicy,
    Motion,
    SignChange,
    SignType,
    Surcharges,
    TaxAssessment,
    TaxFacts,
    TaxInputError,
    assess,
    classify,
    filing_deadline,
    installment_plan,
    payment_deadline,
    quarter_of,
    rate_table_for_year,
    split_equal,
    surcharges,
)

JSON_SCHEMA_VERSION = 1
ACT_FIRST_TAX_YEAR = 1968
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
TYPE_WORDS = {
    SignType.THAI_ONLY: "ประเภท 1 อักษรไทยล้วน / Thai only",
    SignType.THAI_MIXED: "ประเภท 2 ไทยปนต่างประเทศหรือภาพ / Thai mixed",
    SignType.NO_THAI_OR_THAI_BELOW: "ประเภท 3 ไม่มีไทย หรือไทยอยู่ใต้ / no Thai or Thai below",
}
QUARTER_MONTHS = {1: "ม.ค.-มี.ค.", 2: "เม.ย.-มิ.ย.", 3: "ก.ค.-ก.ย.", 4: "ต.ค.-ธ.ค."}


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
    year, was_be = gregorian_year(int(text))
    note = f"--tax-year {text} read as Buddhist era: พ.ศ. {text} = ค.ศ. {year}" if was_be else None
    if year < ACT_FIRST_TAX_YEAR:
        raise CliInputError(
            f"--tax-year must be {ACT_FIRST_TAX_YEAR} or later (the Signboard Tax Act took "
            f"effect on 1 Jan {ACT_FIRST_TAX_YEAR}), got {text}"
        )
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


# --- computing --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Pricing:
    """Everything ``signtax tax`` shows for one sign: the assessment and what follows it."""

    assessment: TaxAssessment
    surcharges: Surcharges
    area_exact_cm2: Decimal
    width_cm: Decimal | None
    height_cm: Decimal | None
    type_decided_by: str
    tax_year_given: str | None
    installed: date | None
    notice_received: date | None
    file_by: date
    pay_by: date | None
    filed_late: str | None
    days_late: int | None
    payable_baht: Decimal  # tax + §25(1) surcharge: the installment base
    installments: tuple[Installment, ...]  # empty when not allowed or no due date known
    notes: tuple[str, ...]

    @property
    def total_baht(self) -> Decimal:
        return self.assessment.due_baht + self.surcharges.total_baht

    @property
    def installments_allowed(self) -> bool:
        return self.payable_baht >= INSTALLMENT_MIN_BAHT

    def to_dict(self) -> dict[str, Any]:
        """The ``--json`` document: the assessment dict plus deadlines, surcharges, plan."""
        if self.installments:
            plan = [p.to_dict() for p in self.installments]
        elif self.installments_allowed:  # amounts are known, dates wait for the ภ.ป.3
            plan = [{"number": i + 1, "amount_baht": str(amount), "due_date": None}
                    for i, amount in enumerate(split_equal(self.payable_baht))]
        else:
            plan = []
        return {
            "schema_version": JSON_SCHEMA_VERSION,
            "input": {
                "width_cm": _opt_str(self.width_cm),
                "height_cm": _opt_str(self.height_cm),
                "area_cm2_exact": str(self.area_exact_cm2),
                "tax_year_given": self.tax_year_given,
                "type_decided_by": self.type_decided_by,
                "notice_received_on": _opt_iso(self.notice_received),
                "filed_late": self.filed_late,
                "paid_days_late": self.days_late,
            },
            "assessment": self.assessment.to_dict(),
            "deadlines": {"file_pp1_by": self.file_by.isoformat(),
                          "pay_by": _opt_iso(self.pay_by)},
            "surcharges": self.surcharges.to_dict(),
            "total_baht": str(self.total_baht),
            "total_baht_text": baht_text(self.total_baht),
            "installments": {
                "allowed": self.installments_allowed,
                "payable_baht": str(self.payable_baht),
                "minimum_baht": str(INSTALLMENT_MIN_BAHT),
                "plan": plan,
            },
            "notes": list(self.notes),
        }


def _opt_str(value: object) -> str | None:
    return None if value is None else str(value)


def _opt_iso(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


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
    change = _change(args)
    facts = TaxFacts(area_cm2=whole, sign_type=sign_type,
                     motion=Motion.MOVING if args.moving else Motion.STATIC,
                     install_date=installed, change=change, exemption=_exemption(args))
    result = assess(facts, rate_table_for_year(tax_year), tax_year=tax_year, policy=policy)

    notes = [year_note] if year_note else []
    if change is not None and change.changed_on.year == tax_year:
        file_by = filing_deadline(tax_year, change.changed_on, is_change=True)
    elif installed is not None and installed.year == tax_year:
        file_by = filing_deadline(tax_year, installed)
    else:
        file_by = filing_deadline(tax_year)
    if days_late is not None and received is None:
        received = date.today()
        notes.append(f"--notice-received not given: assumed today, {received.isoformat()}")
    pay_by = payment_deadline(received) if received is not None else None
    paid_on = None
    if days_late is not None and pay_by is not None:
        paid_on = pay_by + timedelta(days=days_late)
    charges = surcharges(
        result.due_baht,
        filed_late=args.filed_late is not None,
        filed_before_notice=args.filed_late == "before-notice",
        due_date=pay_by if paid_on is not None else None,
        paid_date=paid_on,
    )
    # [INTERP] installments are on the bill: tax plus the §25(1) surcharge, which counts as
    # tax (§26); the late-payment surcharge arises after the due date, never part of it
    payable = result.due_baht + charges.late_filing_baht + charges.under_declaration_baht
    plan: tuple[Installment, ...] = ()
    if payable >= INSTALLMENT_MIN_BAHT and pay_by is not None:
        plan = installment_plan(payable, first_due_date=pay_by)
    return Pricing(
        assessment=result,
        surcharges=charges,
        area_exact_cm2=exact,
        width_cm=width,
        height_cm=height,
        type_decided_by=type_how,
        tax_year_given=args.tax_year,
        installed=installed,
        notice_received=received,
        file_by=file_by,
        pay_by=pay_by,
        filed_late=args.filed_late,
        days_late=days_late,
        payable_baht=payable,
        installments=plan,
        notes=tuple(notes),
    )


# --- text output ------------------------------------------------------------------------------


def _width(text: str) -> int:
    """Terminal columns: Thai vowels and tone marks above/below take none."""
    return sum(0 if unicodedata.category(c) in ("Mn", "Me", "Cf") else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def _both(day: date) -> str:
    return f"{thai_date(day)} ({day.isoformat()})"


def render_text(pr: Pricing) -> str:
    """The bilingual step-by-step breakdown (tax-law §13 order)."""
    a, charges = pr.assessment, pr.surcharges
    installed, exact, width, height = pr.installed, pr.area_exact_cm2, pr.width_cm, pr.height_cm
    f = a.facts
    year = a.tax_year
    size = (f"{_num(width)} x {_num(height)} cm" if width is not None
            else f"{_num(exact)} cm²")
    since = (f"ติดตั้ง / installed {_both(installed)}" if installed is not None
             else "ติดตั้งก่อนปีภาษี / standing before the tax year")
    lines = [
        f"ภาษีป้าย / Signboard tax: ปีภาษี พ.ศ. {be_year(year)} (tax year {year}), "
        f"อัตรา / rates {a.table_version}",
        f"ป้าย / Sign: {size}, {'moving' if f.motion is Motion.MOVING else 'static'}; {since}",
    ]
    lines += [f"หมายเหตุ / note: {n}" for n in pr.notes]
    lines.append("")
    area_int = f.area_cm2
    whole, rem = divmod(area_int, 500)
    if width is not None:
        area_work = f"{_num(width)} x {_num(height)}"
    else:
        area_work = "given / ตามที่ระบุ"
    if exact != area_int:
        area_work += f" = {_num(exact)}, rounded up (units unchanged)"
    rem_rule = "> 250: +1 unit" if rem > 250 else "<= 250: dropped"
    motion = "moving -> ก" if f.motion is Motion.MOVING else "static -> ข"
    rows: list[tuple[str, str, str]] = [
        ("1. ประเภท / Classify", f"{pr.type_decided_by}; {motion}",
         f"{a.sign_class}"),
        ("", TYPE_WORDS[f.sign_type], ""),
        ("2. อัตรา / Rate", f"{a.table_version}, {a.sign_class}",
         f"{baht_figure(a.rate_baht_per_unit)} / 500 cm²"),
        ("3. เนื้อที่ / Area", area_work, f"{area_int:,} cm²"),
        ("4. หน่วย / Units", f"{area_int:,} / 500 = {whole} r {rem}; r {rem_rule}",
         f"{a.units_500}"),
        ("5. ฐานภาษี / Base", f"{a.units_500} x {baht_figure(a.rate_baht_per_unit)}",
         f"{baht_figure(a.base_baht)}"),
    ]
    minimum = Decimal(200)
    if a.exempt_reason:
        rows.append(("6. ยกเว้น / Exempt", a.exempt_reason, f"{baht_figure(a.annual_baht)}"))
    else:
        rows.append(("6. ขั้นต่ำ / Minimum",
                     f"max({baht_figure(a.base_baht)}, {baht_figure(minimum)}), Sch. (7)(b)",
                     f"{baht_figure(a.annual_baht)}"))
    rows.append(("7. " + _step7_label(a), _step7_work(a, installed), baht_figure(a.due_baht)))
    rows.append(("   ภาษีที่ต้องชำระ / Tax due", "", f"{baht_figure(a.due_baht)} บาท"))
    c1 = max(_width(r[0]) for r in rows) + 2
    c2 = max(_width(r[1]) for r in rows) + 2
    c3 = max(max(_width(r[2]) for r in rows), 8)
    header = (_pad("ขั้นตอน / Step", c1) + _pad("การคำนวณ / Working", c2)
              + " " * (c3 - _width("ผล / Result")) + "ผล / Result")
    lines.append(header)
    lines.append("-" * (c1 + c2 + c3))
    for label, work, res in rows:
        lines.append((_pad(label, c1) + _pad(work, c2) + " " * (c3 - _width(res)) + res).rstrip())
    lines.append(f"   ({baht_text(a.due_baht)})")
    lines.append("")

    lines.append("กำหนดเวลา / Deadlines")
    lines.append(f"  ยื่น ภ.ป.1 / File ภ.ป.1 by:  {_both(pr.file_by)}  (§12, §14)")
    if pr.pay_by is not None and pr.notice_received is not None:
        lines.append(f"  ชำระ / Pay by:  {_both(pr.pay_by)}  "
                     f"(ภ.ป.3 received {pr.notice_received.isoformat()} + 15 days, §19)")
    else:
        lines.append("  ชำระ / Pay by:  ภายใน 15 วันนับแต่ได้รับ ภ.ป.3 / within 15 days "
                     "of receiving the ภ.ป.3 (§19)")
    lines.append("")

    lines.append("เงินเพิ่ม / Surcharges (§25)")
    if charges.late_filing_baht:
        pct = "5%, before notice" if pr.filed_late == "before-notice" else "10%, after notice"
        lines.append(f"  ยื่นแบบเกินกำหนด / Late filing ({pct}), §25(1): "
                     f"{baht_figure(a.due_baht)} x {pct.split(',')[0]} = "
                     f"{baht_figure(charges.late_filing_baht)}")
    days_late = pr.days_late
    if days_late is not None:
        lines.append(f"  ชำระเกินกำหนด / Late payment, {days_late} days = "
                     f"{charges.late_payment_months} month(s) x 2%, §25(3): "
                     f"{baht_figure(a.due_baht)} x {2 * charges.late_payment_months}% = "
                     f"{baht_figure(charges.late_payment_baht)}")
    if not charges.late_filing_baht and days_late is None:
        lines.append("  ไม่มี / none (filed and paid on time)")
    else:
        lines.append(f"  รวมเงินเพิ่ม / Total surcharges: {baht_figure(charges.total_baht)}")
    total = pr.total_baht
    lines.append(f"รวมทั้งสิ้น / Total payable: {baht_figure(total)} บาท ({baht_text(total)})")
    lines.append("")

    payable = pr.payable_baht
    if not pr.installments_allowed:
        lines.append(f"ผ่อนชำระ / Installments (§19 bis): ไม่ได้ / not available: "
                     f"{baht_figure(payable)} < {baht_figure(INSTALLMENT_MIN_BAHT)}")
    else:
        lines.append(f"ผ่อนชำระ / Installments (§19 bis): ได้ / available on "
                     f"{baht_figure(payable)} baht, 3 equal parts; ask in writing before the "
                     "due date")
        if pr.installments:
            parts = [(p.number, p.amount_baht, _both(p.due_date)) for p in pr.installments]
        else:
            parts = [(i + 1, amount, "by the §19 deadline" if i == 0
                      else "1 month after the previous part")
                     for i, amount in enumerate(split_equal(payable))]
        for number, amount, when in parts:
            lines.append(f"  งวดที่ {number} / Part {number}: {baht_figure(amount)}  {when}")
    if a.notes:
        lines.append("")
        lines.append("บันทึกการคำนวณ / Engine notes:")
        lines += [f"  - {n}" for n in a.notes]
    return "\n".join(lines) + "\n"


def _step7_label(a: TaxAssessment) -> str:
    change = a.facts.change
    if change is not None and change.changed_on.year == a.tax_year:
        if change.kind is ChangeKind.REPLACE_SAME:
            return "แทนป้ายเดิม / Replacement"
        if change.kind is ChangeKind.PARTIAL_UP:
            return "ส่วนที่เพิ่ม / Increase"
    return "ตามส่วน / Proration"


def _step7_work(a: TaxAssessment, installed: date | None) -> str:
    change = a.facts.change
    factor_pct = f"{int(a.proration_factor * 100)}%"
    if change is not None and change.changed_on.year == a.tax_year:
        if change.kind is ChangeKind.REPLACE_SAME:
            return "§14(2) identical replacement: nothing due this year"
        if change.kind is ChangeKind.PARTIAL_UP:
            return (f"§14(3): ({baht_figure(a.annual_baht)} - {baht_figure(a.credit_baht)})"
                    f" x {factor_pct}")
        first = change.changed_on
        start = "§14 bis change, "
    elif installed is not None and installed.year == a.tax_year:
        first = installed
        start = ""
    else:
        return "full year / ทั้งปี (100%)"
    if a.exempt_reason:
        return "exempt / ยกเว้น"
    q = quarter_of(first)
    reading = "A: min, then prorate" if a.policy.min_then_prorate else "B: prorate, then min"
    if not a.policy.min_then_prorate and a.proration_factor < 1:
        work = f"max({baht_figure(a.base_baht)} x {factor_pct}, 200.00)"
    else:
        work = f"{baht_figure(a.annual_baht)} x {factor_pct}"
    return f"{start}Q{q} ({QUARTER_MONTHS[q]}) -> {work}; reading {reading}"


def _num(value: Decimal) -> str:
    text = f"{value.normalize():,f}"
    return text


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
        sys.stdout.write(render_text(pricing))
    return 0
