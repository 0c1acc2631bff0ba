"""ภ.ป.1 and ภ.ป.3 as PDF: valid files, the expected pages, and the Thai text read back."""

from __future__ import annotations

import ast
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from api.forms import (
    baht_text,
    build_notice,
    load_form_file,
    render_pp1,
    render_pp3,
)
from api.forms.pdf import breakable
from tests.api.forms.pdf_support import EXAMPLE, assert_valid_pdf, page_count, pdf_text, squash

FORMS_DIR = Path(__file__).resolve().parents[3] / "api" / "forms"


@pytest.fixture(scope="module")
def data():
    return load_form_file(EXAMPLE)


@pytest.fixture(scope="module")
def pp1_pdf(tmp_path_factory, data) -> Path:
    path = tmp_path_factory.mktemp("pp1") / "pp1.pdf"
    path.write_bytes(render_pp1(data.declaration))
    return path


@pytest.fixture(scope="module")
def pp3_pdf(tmp_path_factory, data) -> Path:
    path = tmp_path_factory.mktemp("pp3") / "pp3.pdf"
    path.write_bytes(render_pp3(data.notice()))
    return path


def test_pp1_is_one_page_with_header_rows_and_certification(pp1_pdf):
    assert_valid_pdf(pp1_pdf)
    assert page_count(pp1_pdf) == 1
    text = pdf_text(pp1_pdf)
    for expected in (
        "ภ.ป.1",
        "แบบแสดงรายการภาษีป้าย",
        "ประจำปีภาษีพ.ศ.2569",
        "นางสาวสมศรีใจดี",
        "ร้านสมศรีโภชนา",
        "ซอยธรรมนูญวิถี5",
        "074-234567",
        "กองคลังเทศบาลนครหาดใหญ่",
        "ป้ายประเภทที่1",
        "ป้ายประเภทที่2",
        "ป้ายประเภทที่3",
        "36,000",  # 120 x 300
        "200.5",
        "66,850",  # total area of 4 signs
        "15ก.ค.2569",  # installation date, B.E.
        "วันที่20กรกฎาคม2569",  # certification date
        "ขอรับรองว่ารายการ",
    ):
        assert squash(expected) in text, expected


def test_pp3_is_one_page_with_totals_words_and_receipt(pp3_pdf):
    assert_valid_pdf(pp3_pdf)
    assert page_count(pp3_pdf) == 1
    text = pdf_text(pp3_pdf)
    words = baht_text(Decimal("3520.00"))
    assert words == "สามพันห้าร้อยยี่สิบบาทถ้วน"
    assert text.count(words) == 2  # the notice and its receipt
    for expected in (
        "เทศบาลนครหาดใหญ่",
        "หนังสือแจ้งการประเมินภาษีป้าย",
        "ที่0125/2569",
        "วันที่5สิงหาคม2569",
        "936.00",
        "400.00",
        "2,080.00",
        "104.00",  # §25(1) surcharge, 5%
        "3,416.00",  # tax
        "3,520.00",  # total
        "2(ข)",
        "3(ก)",
        "ภายในวันที่25สิงหาคม2569",  # §19: received 10 Aug + 15 days
        "มาตรา19ทวิ",  # installments offered (>= 3,000)
        "1,173.34",  # first of three installments
        "30วัน",  # appeal, §30
        "ภายในวันที่9กันยายน2569",
        "ใบรับภ.ป.3",
        "นายประเสริฐรักษ์ภาษี",
    ):
        assert squash(expected) in text, expected


def test_small_bill_has_no_installments_and_states_the_15_day_rule(tmp_path, data):
    decl = replace(data.declaration, signs=data.declaration.signs[:1])
    notice = build_notice(decl, number="7/2569", issued_on=date(2026, 8, 5))
    assert notice.total_baht == Decimal("936.00")
    path = tmp_path / "pp3.pdf"
    path.write_bytes(render_pp3(notice))
    text = pdf_text(path)
    assert "เก้าร้อยสามสิบหกบาทถ้วน" in text
    assert "มาตรา19ทวิ" not in text
    assert squash("ภายใน 15 วัน นับแต่วันที่ได้รับหนังสือ") in text
    assert page_count(path) == 1


def test_many_signs_flow_onto_more_pages(tmp_path, data):
    signs = data.declaration.signs * 12  # 36 rows
    decl = replace(data.declaration, signs=signs)
    pp1, pp3 = tmp_path / "pp1.pdf", tmp_path / "pp3.pdf"
    pp1.write_bytes(render_pp1(decl))
    notice = build_notice(decl, number="8/2569", issued_on=date(2026, 8, 5),
                          received_on=date(2026, 8, 10))
    pp3.write_bytes(render_pp3(notice))
    assert page_count(pp1) >= 2 and page_count(pp3) >= 2
    assert notice.total_baht == Decimal("3520.00") * 12
    text = pdf_text(pp3)
    assert squash("42,240.00") in text
    assert text.count(baht_text(notice.total_baht)) == 2
    assert text.rfind("ใบรับภ.ป.3") > text.rfind("พนักงานเจ้าหน้าที่ได้ประเมิน")


def test_breakable_marks_only_syllable_starts():
    assert breakable("ข้าวมันไก่") == "ข้าวมัน\u200bไก่"
    assert breakable("ประเมิน") == "ประ\u200bเมิน"
    assert breakable("OPEN 24 HRS") == "OPEN 24 HRS"
    assert breakable("เทศบาล") == "เทศบาล"  # nothing before the first vowel


def test_forms_import_no_web_or_database_framework():
    banned = {"fastapi", "sqlalchemy", "pydantic", "starlette", "vision", "datasets", "training"}
    for path in FORMS_DIR.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for name in names:
                assert name.split(".")[0] not in banned, f"{path.name} imports {name}"
