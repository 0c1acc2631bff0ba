"""`signtax form {pp1,pp3}` writes the PDFs from the example JSON; bad input exits 2."""

from __future__ import annotations

import json

import pytest

from api.cli.main import main
from tests.api.forms.pdf_support import EXAMPLE, assert_valid_pdf, page_count, pdf_text


@pytest.mark.parametrize(("form", "marker"), [("pp1", "แบบแสดงรายการภาษีป้าย"),
                                              ("pp3", "สามพันห้าร้อยยี่สิบบาทถ้วน")])
def test_form_writes_pdf(tmp_path, capsys, form, marker):
    out = tmp_path / "sub" / f"{form}.pdf"
    assert main(["form", form, "--input", str(EXAMPLE), "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert f"wrote {out}" in said and "นางสาวสมศรี ใจดี" in said
    assert_valid_pdf(out)
    assert page_count(out) == 1
    assert marker in pdf_text(out)
    assert not out.with_name(out.name + ".part").exists()
    if form == "pp3":
        assert "total 3,520.00 baht (สามพันห้าร้อยยี่สิบบาทถ้วน)" in said


def test_bad_input_exits_2_and_writes_nothing(tmp_path, capsys):
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    data["signs"][1]["width_cm"] = -60
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "pp3.pdf"
    assert main(["form", "pp3", "--input", str(bad), "--out", str(out)]) == 2
    assert "signs[1].width_cm must be > 0 cm, got -60" in capsys.readouterr().err
    assert not out.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["pp1", "--input", "{missing}", "--out", "{out}.pdf"], "--input cannot be read"),
        (["pp1", "--input", "{example}", "--out", "{out}.png"], "--out must end in .pdf"),
        (["pp3", "--input", "{no_notice}", "--out", "{out}.pdf"], "notice is required for ภ.ป.3"),
    ],
)
def test_form_errors(tmp_path, capsys, args, message):
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    del data["notice"]
    no_notice = tmp_path / "no_notice.json"
    no_notice.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    paths = {"missing": tmp_path / "missing.json", "example": EXAMPLE,
             "no_notice": no_notice, "out": tmp_path / "out"}
    assert main(["form", *(a.format(**paths) for a in args)]) == 2
    assert message in capsys.readouterr().err


def test_commands_start_without_the_pdf_writers():
    """Only ``signtax form`` needs fpdf2 and HarfBuzz; the CLI (e.g. ``signtax train`` on a
    bare GPU machine, ``signtax tax`` at the counter) starts without loading them."""
    import subprocess
    import sys

    probe = ("import sys, api.cli.main, api.forms; "
             "print(sorted(m for m in ('fpdf', 'uharfbuzz') if m in sys.modules)); "
             "api.forms.render_pp3; print('fpdf' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True).stdout.split("\n")
    assert out[:2] == ["[]", "True"]
