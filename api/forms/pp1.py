"""ภ.ป.1, แบบแสดงรายการภาษีป้าย: the owner's declaration (Act §12, §14; tax-law §11.1).

A4 landscape. Header: tax year (B.E.), owner, business, address, phone, the office filed
at. Table grouped by Type 1/2/3: width, length, area, count, description, location,
installation date, remarks. Certification with date and signature, and a box for the
officer who receives the form.
"""

from __future__ import annotations

from decimal import Decimal

from fpdf.fonts import FontFace

from .labels import area, cm, remarks
from .model import TYPE_HEADINGS, Declaration
from .pdf import FormPDF, breakable
from .thai_text import be_year, thai_date, thai_date_short

TITLE = "แบบแสดงรายการภาษีป้าย"
FORM_CODE = "ภ.ป.1"
# (heading, width mm, alignment); sums to the 267 mm between landscape margins
# U+200B marks where a heading may wrap (Thai has no spaces between words)
COLUMNS = (
    ("ลำดับ", 10, "C"),
    ("ความ\u200bกว้าง (ซม.)", 18, "R"),
    ("ความ\u200bยาว (ซม.)", 18, "R"),
    ("เนื้อที่\u200bป้าย (ตร.ซม.)", 23, "R"),
    ("จำนวน\u200bป้าย", 15, "C"),
    ("ข้อความ ภาพ หรือเครื่องหมาย\u200bที่ปรากฏในป้าย\u200bโดยย่อ", 62, "L"),
    ("สถานที่\u200bติดตั้งป้าย", 55, "L"),
    ("วันที่\u200bติดตั้ง", 24, "C"),
    ("หมายเหตุ", 42, "L"),
)


def render_pp1(declaration: Declaration) -> bytes:
    """The ภ.ป.1 as PDF bytes."""
    pdf = FormPDF(orientation="landscape", title=TITLE, form_code=FORM_CODE)
    pdf.add_page()
    _header(pdf, declaration)
    _table(pdf, declaration)
    _certification(pdf, declaration)
    return bytes(pdf.output())


def _header(pdf: FormPDF, d: Declaration) -> None:
    top = pdf.get_y()
    pdf.use_font(14, bold=True)
    pdf.cell(0, 7, FORM_CODE, align="R")
    pdf.set_xy(pdf.l_margin, top)
    pdf.use_font(10)
    pdf.cell(0, 6, "เลขที่รับ .................... (เจ้าหน้าที่กรอก)")
    pdf.set_xy(pdf.l_margin, top + 5)
    pdf.para(TITLE, size=18, bold=True, align="C")
    pdf.para(f"ประจำปีภาษี พ.ศ. {be_year(d.tax_year)}", size=13, bold=True, align="C")
    pdf.space(1)
    o = d.owner
    pdf.field("ยื่นต่อ:", d.office, size=11)
    pdf.field(
        "ชื่อเจ้าของป้าย:",
        o.name + (f"   เลขประจำตัวผู้เสียภาษี {o.id_number}" if o.id_number else ""),
        size=11,
    )
    pdf.field("ชื่อสถานประกอบการ:", o.business_name, size=11)
    pdf.field("ที่อยู่:", o.address.one_line() + (f"   โทรศัพท์ {o.phone}" if o.phone else ""),
              size=11)
    pdf.para(
        "ข้าพเจ้าขอยื่นแบบแสดงรายการภาษีป้ายต่อพนักงานเจ้าหน้าที่ ตามพระราชบัญญัติภาษีป้าย "
        "พ.ศ. 2510 ดังต่อไปนี้",
        size=11,
    )
    pdf.space(1.5)


def _table(pdf: FormPDF, d: Declaration) -> None:
    heading = FontFace(emphasis="BOLD", fill_color=(230, 230, 230))
    group = FontFace(emphasis="BOLD", fill_color=(245, 245, 245))
    pdf.use_font(10)
    number = 0
    total_count, total_area = 0, Decimal(0)
    with pdf.table(
        col_widths=tuple(c[1] for c in COLUMNS),
        width=sum(c[1] for c in COLUMNS),
        text_align=tuple(c[2] for c in COLUMNS),
        headings_style=heading,
        line_height=5,
        padding=(1, 1.2),
        v_align="M",
    ) as table:
        row = table.row()
        for title, _, _ in COLUMNS:
            row.cell(breakable(title), align="C")
        for sign_type, signs in d.by_type().items():
            table.row().cell(TYPE_HEADINGS[sign_type], colspan=len(COLUMNS), style=group)
            if not signs:
                row = table.row()
                row.cell("-", align="C")
                row.cell("ไม่มี", colspan=len(COLUMNS) - 1, align="L")
                continue
            for s in signs:
                number += 1
                exact = s.width_cm * s.length_cm
                total_count += s.count
                total_area += exact * s.count
                installed = s.install_date
                row = table.row()
                for text in (
                    str(number),
                    cm(s.width_cm),
                    cm(s.length_cm),
                    area(exact),
                    str(s.count),
                    breakable(s.description),
                    breakable(s.location),
                    thai_date_short(installed) if installed else "ก่อนปีภาษี",
                    breakable(remarks(s)),
                ):
                    row.cell(text)
        row = table.row()
        row.cell(f"รวม {number} รายการ", colspan=3, align="R", style=heading)
        row.cell(area(total_area), style=heading)
        row.cell(str(total_count), style=heading)
        row.cell("", colspan=len(COLUMNS) - 5, style=heading)


def _certification(pdf: FormPDF, d: Declaration) -> None:
    needed = 38
    if pdf.get_y() + needed > pdf.h - pdf.b_margin:
        pdf.add_page()
    pdf.space(2.5)
    pdf.para(
        "ข้าพเจ้าขอรับรองว่ารายการที่แสดงข้างต้นนี้ถูกต้องและเป็นความจริงทุกประการ",
        size=11,
    )
    pdf.space(1.5)
    half = (pdf.w - pdf.l_margin - pdf.r_margin) / 2
    y = pdf.get_y()
    # officer's box on the left, the owner's signature on the right
    pdf.set_draw_color(120, 120, 120)
    pdf.rect(pdf.l_margin, y, half - 10, 28)
    pdf.set_draw_color(0, 0, 0)
    pdf.set_xy(pdf.l_margin + 2, y + 2)
    pdf.use_font(10, bold=True)
    pdf.cell(0, 5, "สำหรับเจ้าหน้าที่")
    pdf.use_font(10)
    for i, text in enumerate(
        (
            "ได้รับแบบแสดงรายการนี้แล้ว เมื่อวันที่ ..............................",
            "ลงชื่อ ...................................................... ผู้รับแบบ",
            "ตำแหน่ง ..................................................",
        )
    ):
        pdf.set_xy(pdf.l_margin + 2, y + 8 + i * 6.5)
        pdf.cell(half - 14, 5, text)
    x = pdf.l_margin + half
    filed = thai_date(d.filed_on) if d.filed_on else "......... เดือน ..................... พ.ศ. ..........."
    for i, (text, size) in enumerate(
        (
            ("ลงชื่อ ........................................... เจ้าของป้าย / ผู้ยื่นแบบ", 11),
            (f"( {d.owner.name} )", 11),
            (f"วันที่ {filed}", 11),
        )
    ):
        pdf.set_xy(x, y + 3 + i * 8)
        pdf.use_font(size)
        pdf.cell(half, 6, text, align="C")
    pdf.set_y(y + 30)
