"""ภ.ป.3, หนังสือแจ้งการประเมินภาษีป้าย, with its tear-off receipt ใบรับ ภ.ป.3.

Act §17 (assessment notice), §19 (pay within 15 days of receipt), §19 bis (installments at
3,000 baht or more), §25 (surcharges), §30 (appeal within 30 days); tax-law §3, §10, §11.1.
A4 portrait: municipality header, notice number and date, owner, one line per declared row
(type, size, area, units, rate, share of year, count, tax, surcharge), totals with the total
in words, payment, installment and appeal paragraphs, the officer's signature, then a cut
line and the receipt the owner signs and returns.
"""

from __future__ import annotations

from fpdf.fonts import FontFace

from api.tax import installment_plan

from .labels import area, cm, share_of_year
from .model import APPEAL_DAYS, PAYMENT_DAYS, AssessmentNotice
from .pdf import FormPDF, breakable, nobreak
from .thai_text import baht_figure, baht_text, be_year, thai_date

TITLE = "หนังสือแจ้งการประเมินภาษีป้าย"
FORM_CODE = "ภ.ป.3"
RECEIPT_TITLE = "ใบรับ ภ.ป.3"
RECEIPT_HEIGHT_MM = 56
# (heading, width mm, alignment); sums to the 180 mm between portrait margins
# U+200B marks where a heading may wrap (Thai has no spaces between words)
COLUMNS = (
    ("ลำดับ", 9, "C"),
    ("ประเภท", 13, "C"),
    ("ขนาด (ซม.)", 24, "C"),
    ("เนื้อที่ (ตร.ซม.)", 19, "R"),
    ("หน่วย (500 ตร.ซม.)", 15, "R"),
    ("อัตรา (บาท)", 13, "R"),
    ("ส่วน\u200bของปี", 12, "C"),
    ("จำนวน\u200bป้าย", 13, "C"),
    ("ค่าภาษี (บาท)", 21, "R"),
    ("เงินเพิ่ม (บาท)", 20, "R"),
    ("รวม (บาท)", 21, "R"),
)


def render_pp3(notice: AssessmentNotice) -> bytes:
    """The ภ.ป.3 and its tear-off receipt as PDF bytes."""
    pdf = FormPDF(orientation="portrait", title=TITLE, form_code=FORM_CODE)
    pdf.add_page()
    _header(pdf, notice)
    _table(pdf, notice)
    _totals(pdf, notice)
    _paragraphs(pdf, notice)
    _signature(pdf, notice)
    _receipt(pdf, notice)
    return bytes(pdf.output())


def _header(pdf: FormPDF, n: AssessmentNotice) -> None:
    top = pdf.get_y()
    pdf.use_font(14, bold=True)
    pdf.cell(0, 7, FORM_CODE, align="R")
    pdf.set_xy(pdf.l_margin, top)
    pdf.use_font(11)
    pdf.cell(0, 6, f"ที่ {n.number}")
    pdf.set_xy(pdf.l_margin, top + 4)
    pdf.para(n.municipality, size=15, bold=True, align="C")
    pdf.para(n.municipality_address, size=10, align="C")
    pdf.space(1)
    pdf.para(TITLE, size=16, bold=True, align="C")
    pdf.para(f"ปีภาษี พ.ศ. {be_year(n.tax_year)}", size=12, bold=True, align="C")
    pdf.para(f"วันที่ {thai_date(n.issued_on)}", size=11, align="R")
    o = n.owner
    pdf.field("เรียน", o.name + (f" ({o.business_name})" if o.business_name else ""), size=11)
    pdf.field("ที่อยู่", o.address.one_line(), size=11)
    pdf.space(0.5)
    filed = (
        "ตามที่ท่านได้ยื่นแบบแสดงรายการภาษีป้าย (ภ.ป.1) เมื่อวันที่ "
        f"{nobreak(thai_date(n.declaration_filed_on))} "
        if n.declaration_filed_on
        else "ตามที่ท่านเป็นเจ้าของป้ายที่ต้องเสียภาษี "
    )
    pdf.para(
        f"{filed}สำหรับปีภาษี {nobreak(f'พ.ศ. {be_year(n.tax_year)}')} นั้น พนักงานเจ้าหน้าที่ได้ประเมินภาษีป้าย "
        "ตามมาตรา 17 แห่งพระราชบัญญัติภาษีป้าย พ.ศ. 2510 แล้ว ดังนี้",
        size=11,
    )
    pdf.space(1.5)


def _table(pdf: FormPDF, n: AssessmentNotice) -> None:
    heading = FontFace(emphasis="BOLD", fill_color=(230, 230, 230))
    pdf.use_font(9.5)
    with pdf.table(
        col_widths=tuple(c[1] for c in COLUMNS),
        width=sum(c[1] for c in COLUMNS),
        text_align=tuple(c[2] for c in COLUMNS),
        headings_style=heading,
        line_height=4.6,
        padding=(1, 1),
        v_align="M",
    ) as table:
        row = table.row()
        for title, _, _ in COLUMNS:
            row.cell(breakable(title), align="C")
        for i, line in enumerate(n.lines, start=1):
            a, s = line.assessment, line.sign
            row = table.row()
            for text in (
                str(i),
                a.sign_class,
                f"{cm(s.width_cm)} x {cm(s.length_cm)}",
                area(s.width_cm * s.length_cm),
                str(a.units_500),
                baht_figure(a.rate_baht_per_unit),
                share_of_year(a) if a.exempt_reason is None else "ยกเว้น",
                str(s.count),
                baht_figure(line.tax_baht),
                baht_figure(line.surcharge_baht),
                baht_figure(line.total_baht),
            ):
                row.cell(text)
        row = table.row()
        row.cell("รวม", colspan=len(COLUMNS) - 3, align="R", style=heading)
        row.cell(baht_figure(n.tax_baht), style=heading)
        row.cell(baht_figure(n.surcharge_baht), style=heading)
        row.cell(baht_figure(n.total_baht), style=heading)


def _totals(pdf: FormPDF, n: AssessmentNotice) -> None:
    pdf.space(1.5)
    for note in _line_notes(n):
        pdf.para(note, size=9)
    pdf.space(1)
    pdf.para(
        f"รวมเป็นเงินที่ต้องชำระทั้งสิ้น {baht_figure(n.total_baht)} บาท "
        f"({baht_text(n.total_baht)})",
        size=12.5,
        bold=True,
    )
    pdf.space(1)


def _line_notes(n: AssessmentNotice) -> list[str]:
    """Why lines are exempt, at the minimum, prorated or surcharged: one note per reason,
    naming the lines it applies to (``รายการที่ 1, 4: ...``)."""
    by_reason: dict[str, list[int]] = {}
    for i, line in enumerate(n.lines, start=1):
        a, sc = line.assessment, line.surcharges
        reasons = []
        if a.exempt_reason:
            reasons.append(f"ได้รับยกเว้น: {a.exempt_reason}")
        if a.minimum_applied:
            reasons.append("เสียขั้นต่ำป้ายละ 200 บาท")
        if a.proration_factor < 1 and a.exempt_reason is None:
            pct = int(a.proration_factor * 100)
            reasons.append(f"ติดตั้งระหว่างปี เสียภาษีร้อยละ {pct} ของปี (มาตรา 7)")
        if a.credit_baht > 0:
            reasons.append("หักภาษีที่เสียแล้วสำหรับป้ายเดิม (มาตรา 14 ทวิ)")
        if sc.late_filing_baht > 0:
            pct = 5 if line.sign.filed_late == "before-notice" else 10
            reasons.append(f"เงินเพิ่มยื่นแบบเกินกำหนด ร้อยละ {pct} (มาตรา 25(1))")
        if sc.under_declaration_baht > 0:
            reasons.append("เงินเพิ่มแสดงรายการไม่ถูกต้อง ร้อยละ 10 ของภาษีที่เพิ่ม (มาตรา 25(2))")
        for reason in reasons:
            by_reason.setdefault(reason, []).append(i)
    return [
        f"รายการที่ {', '.join(str(i) for i in lines)}: {reason}"
        for reason, lines in by_reason.items()
    ]


def _paragraphs(pdf: FormPDF, n: AssessmentNotice) -> None:
    due = n.payment_due
    due_text = f" คือภายในวันที่ {nobreak(thai_date(due))}" if due else ""
    pdf.para(
        f"ขอให้ท่านนำเงินค่าภาษีป้ายไปชำระ ณ {n.office} ภายใน {PAYMENT_DAYS} วัน "
        f"นับแต่วันที่ได้รับหนังสือแจ้งการประเมินนี้{due_text} (มาตรา 19) "
        "หากพ้นกำหนดต้องเสียเงินเพิ่มอีกร้อยละ 2 ต่อเดือนของค่าภาษี เศษของเดือนนับเป็นหนึ่งเดือน "
        "(มาตรา 25(3))",
        size=10.5,
    )
    if n.installments_allowed:
        text = (
            "ภาษีที่ต้องชำระตั้งแต่ 3,000 บาทขึ้นไป ท่านมีสิทธิขอผ่อนชำระเป็น 3 งวดเท่า ๆ กัน "
            "โดยแจ้งความประสงค์เป็นหนังสือก่อนครบกำหนดชำระ (มาตรา 19 ทวิ)"
        )
        if due:
            plan = installment_plan(n.total_baht, first_due_date=due)
            text += ": " + ", ".join(
                nobreak(f"งวดที่ {p.number} {baht_figure(p.amount_baht)} บาท")
                + f" ภายใน {nobreak(thai_date(p.due_date))}"
                for p in plan
            )
        pdf.space(0.5)
        pdf.para(text, size=10.5)
    appeal = n.appeal_until
    appeal_text = f" คือภายในวันที่ {nobreak(thai_date(appeal))}" if appeal else ""
    pdf.space(0.5)
    pdf.para(
        "หากท่านเห็นว่าการประเมินไม่ถูกต้อง มีสิทธิอุทธรณ์ต่อนายกเทศมนตรีนครหาดใหญ่ "
        f"ภายใน {APPEAL_DAYS} วัน นับแต่วันที่ได้รับแจ้งการประเมิน{appeal_text} "
        "ตามแบบที่กระทรวงมหาดไทยกำหนด (มาตรา 30) การอุทธรณ์ไม่เป็นเหตุให้ทุเลาการชำระภาษี "
        "เว้นแต่จะได้รับอนุมัติจากนายกเทศมนตรี",
        size=10.5,
    )


def _signature(pdf: FormPDF, n: AssessmentNotice) -> None:
    if pdf.get_y() + 24 > pdf.h - pdf.b_margin:
        pdf.add_page()
    pdf.space(3)
    x = pdf.l_margin + (pdf.w - pdf.l_margin - pdf.r_margin) / 2
    width = (pdf.w - pdf.r_margin) - x
    officer = f"( {n.officer_name} )" if n.officer_name else "( ...................................................... )"
    for text in (
        "ลงชื่อ ........................................... พนักงานเจ้าหน้าที่",
        officer,
        f"ตำแหน่ง ....................................... {n.municipality}",
    ):
        pdf.set_x(x)
        pdf.use_font(11)
        pdf.cell(width, 6, text, align="C", new_x="LEFT", new_y="NEXT")


def _receipt(pdf: FormPDF, n: AssessmentNotice) -> None:
    """The tear-off ใบรับ at the foot of the last page (a new page if it does not fit)."""
    bottom = pdf.h - pdf.b_margin
    if pdf.get_y() + 6 + RECEIPT_HEIGHT_MM > bottom:
        pdf.add_page()
    y = bottom - RECEIPT_HEIGHT_MM
    pdf.dashed_rule(y, "ตัดตามรอยเส้นประ ส่งใบรับคืนพนักงานเจ้าหน้าที่")
    pdf.set_xy(pdf.l_margin, y + 3)
    pdf.para(RECEIPT_TITLE, size=14, bold=True, align="C")
    pdf.para(f"ที่ {n.number}", size=11, align="R")
    pdf.para(
        f"ข้าพเจ้า ........................................................ ได้รับหนังสือแจ้งการประเมินภาษีป้าย "
        f"(ภ.ป.3) ที่ {n.number} ลงวันที่ {nobreak(thai_date(n.issued_on))} ของ{n.municipality} "
        f"ถึง {n.owner.name} ปีภาษี {nobreak(f'พ.ศ. {be_year(n.tax_year)}')} "
        f"จำนวนเงิน {nobreak(baht_figure(n.total_baht) + ' บาท')} "
        f"({baht_text(n.total_baht)}) ไว้แล้ว",
        size=11,
    )
    pdf.para(
        "เมื่อวันที่ ........... เดือน ................................ พ.ศ. ...............",
        size=11,
    )
    pdf.space(2)
    x = pdf.l_margin + (pdf.w - pdf.l_margin - pdf.r_margin) / 2
    width = (pdf.w - pdf.r_margin) - x
    for text in (
        "ลงชื่อ ........................................... ผู้รับ",
        "( ...................................................... )",
        "เกี่ยวข้องเป็น ....................... ของเจ้าของป้าย",
    ):
        pdf.set_x(x)
        pdf.use_font(11)
        pdf.cell(width, 6, text, align="C", new_x="LEFT", new_y="NEXT")

