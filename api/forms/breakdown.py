"""One sign priced for the counter: the figures and the bilingual step-by-step breakdown.

``price_sign`` runs ``api.tax.assess`` and adds what an officer tells an owner next: the
ภ.ป.1 filing deadline (§12/§14), the payment deadline (§19), the §25 surcharges and the
§19 bis installments. ``render_breakdown`` writes it in Thai and English in the order of
tax-law §13 (classify, rate, area, units with the ½-unit rule, base, minimum, proration,
due), amounts in baht with satang and dates in the Buddhist era with the Gregorian date
beside them. ``Pricing.to_dict`` is the JSON form (``signtax tax --json``).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from api.tax import (
    DEFAULT_POLICY,
    INSTALLMENT_MIN_BAHT,
    ChangeKind,
    Installment,
    LocalPolicy,
    Motion,
    SignType,
    Surcharges,
    TaxAssessment,
    TaxFacts,
    TaxInputError,
    assess,
    filing_deadline,
    installment_plan,
    payment_deadline,
    quarter_of,
    rate_table_for_year,
    split_equal,
    surcharges,
)

from .thai_text import baht_figure, baht_text, be_year, thai_date

JSON_SCHEMA_VERSION = 1
TYPE_WORDS = {
    SignType.THAI_ONLY: "ประเภท 1 อักษรไทยล้วน / Thai only",
    SignType.THAI_MIXED: "ประเภท 2 ไทยปนต่างประเทศหรือภาพ / Thai mixed",
    SignType.NO_THAI_OR_THAI_BELOW: "ประเภท 3 ไม่มีไทย หรือไทยอยู่ใต้ / no Thai or Thai below",
}
QUARTER_MONTHS = {1: "ม.ค.-มี.ค.", 2: "เม.ย.-มิ.ย.", 3: "ก.ค.-ก.ย.", 4: "ต.ค.-ธ.ค."}


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


def price_sign(
    facts: TaxFacts,
    *,
    tax_year: int,
    policy: LocalPolicy = DEFAULT_POLICY,
    area_exact_cm2: Decimal | None = None,
    width_cm: Decimal | None = None,
    height_cm: Decimal | None = None,
    type_decided_by: str = "",
    tax_year_given: str | None = None,
    notice_received: date | None = None,
    filed_late: str | None = None,
    days_late: int | None = None,
    notes: tuple[str, ...] = (),
) -> Pricing:
    """Assess ``facts`` and work out deadlines, §25 surcharges and §19 bis installments.

    ``filed_late``: None, "before-notice" (5%) or "after-notice" (10%). ``days_late``: days
    paid after the §19 deadline, which needs ``notice_received`` (the deadline is 15 days
    after it). Raises TaxInputError for impossible facts.
    """
    if filed_late not in (None, "before-notice", "after-notice"):
        raise TaxInputError(
            f"filed_late must be None, 'before-notice' or 'after-notice', got {filed_late!r}"
        )
    if days_late is not None and notice_received is None:
        raise TaxInputError("notice_received is required with days_late, got None")
    result = assess(facts, rate_table_for_year(tax_year), tax_year=tax_year, policy=policy)
    change, installed = facts.change, facts.install_date
    if change is not None and change.changed_on.year == tax_year:
        file_by = filing_deadline(tax_year, change.changed_on, is_change=True)
    elif installed is not None and installed.year == tax_year:
        file_by = filing_deadline(tax_year, installed)
    else:
        file_by = filing_deadline(tax_year)
    pay_by = payment_deadline(notice_received) if notice_received is not None else None
    paid_on = None
    if days_late is not None and pay_by is not None:
        paid_on = pay_by + timedelta(days=days_late)
    charges = surcharges(
        result.due_baht,
        filed_late=filed_late is not None,
        filed_before_notice=filed_late == "before-notice",
        due_date=pay_by if paid_on is not None else None,
        paid_date=paid_on,
    )
    # [INTERP] installments are on the bill: tax plus the §25(1)/(2) surcharges, which count
    # as tax (§26); the late-payment surcharge arises after the due date, never part of it
    payable = result.due_baht + charges.late_filing_baht + charges.under_declaration_baht
    plan: tuple[Installment, ...] = ()
    if payable >= INSTALLMENT_MIN_BAHT and pay_by is not None:
        plan = installment_plan(payable, first_due_date=pay_by)
    return Pricing(
        assessment=result,
        surcharges=charges,
        area_exact_cm2=Decimal(facts.area_cm2) if area_exact_cm2 is None else area_exact_cm2,
        width_cm=width_cm,
        height_cm=height_cm,
        type_decided_by=type_decided_by,
        tax_year_given=tax_year_given,
        installed=installed,
        notice_received=notice_received,
        file_by=file_by,
        pay_by=pay_by,
        filed_late=filed_late,
        days_late=days_late,
        payable_baht=payable,
        installments=plan,
        notes=notes,
    )


def _width(text: str) -> int:
    """Terminal columns: Thai vowels and tone marks above/below take none."""
    return sum(0 if unicodedata.category(c) in ("Mn", "Me", "Cf") else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def _both(day: date) -> str:
    return f"{thai_date(day)} ({day.isoformat()})"


def render_breakdown(pr: Pricing) -> str:
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
