"""`signtax tax`: tax-law §13's worked example and variants, text and JSON; errors name fields."""

from __future__ import annotations

import json

import pytest

from api.cli.main import main

MAIN = ["--width-cm", "120", "--height-cm", "300", "--thai", "--foreign",
        "--installed", "2026-07-15"]


def run_json(capsys, *args: str) -> dict:
    assert main(["tax", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def run_text(capsys, *args: str) -> str:
    assert main(["tax", *args]) == 0
    return capsys.readouterr().out


def test_worked_example_json(capsys):
    out = run_json(capsys, *MAIN, "--tax-year", "2026", "--notice-received", "2026-08-10")
    a = out["assessment"]
    assert a["sign_class"] == "2(ข)"
    assert a["table_version"] == "MR-2563"
    assert a["facts"]["area_cm2"] == 36000
    assert (a["units_500"], a["rate_baht_per_unit"]) == (72, "26.00")
    assert (a["base_baht"], a["annual_baht"]) == ("1872.00", "1872.00")
    assert (a["proration_factor"], a["due_baht"]) == ("0.50", "936.00")
    assert out["deadlines"] == {"file_pp1_by": "2026-07-30", "pay_by": "2026-08-25"}
    assert out["surcharges"]["total_baht"] == "0.00"
    assert out["total_baht"] == "936.00"
    assert out["total_baht_text"] == "เก้าร้อยสามสิบหกบาทถ้วน"
    assert out["installments"] == {"allowed": False, "payable_baht": "936.00",
                                   "minimum_baht": "3000.00", "plan": []}


@pytest.mark.parametrize(
    ("filed_late", "days", "late_filing", "late_payment", "months", "total"),
    [
        ("before-notice", None, "46.80", "0.00", 0, "982.80"),   # 11a
        ("after-notice", None, "93.60", "0.00", 0, "1029.60"),   # 11b
        (None, "40", "0.00", "37.44", 2, "973.44"),               # 11c
        ("after-notice", "40", "93.60", "37.44", 2, "1067.04"),  # both, no compounding
    ],
)
def test_worked_example_surcharges(capsys, filed_late, days, late_filing, late_payment,
                                   months, total):
    extra = ["--notice-received", "2026-08-10"]
    if filed_late:
        extra += ["--filed-late", filed_late]
    if days:
        extra += ["--paid-days-late", days]
    out = run_json(capsys, *MAIN, *extra)
    s = out["surcharges"]
    assert (s["late_filing_baht"], s["late_payment_baht"]) == (late_filing, late_payment)
    assert s["late_payment_months"] == months
    assert out["total_baht"] == total


# fmt: off
VARIANTS = [
    # (args, units, rate, annual, due reading A, due reading B)
    (["--width-cm", "121", "--height-cm", "301", "--type", "2"],   73, "26.00", "1898.00", "949.00", "949.00"),
    (["--width-cm", "120", "--height-cm", "300", "--thai", "--foreign", "--thai-below-foreign"],
                                                                   72, "50.00", "3600.00", "1800.00", "1800.00"),
    (["--width-cm", "20", "--height-cm", "20", "--type", "2"],     1, "26.00", "200.00", "100.00", "200.00"),
]
# fmt: on


@pytest.mark.parametrize(("args", "units", "rate", "annual", "due_a", "due_b"), VARIANTS)
def test_worked_example_variants(capsys, args, units, rate, annual, due_a, due_b):
    a = run_json(capsys, *args, "--installed", "2026-07-15")["assessment"]
    b = run_json(capsys, *args, "--installed", "2026-07-15",
                 "--policy-prorate-then-min")["assessment"]
    assert (a["units_500"], a["rate_baht_per_unit"], a["annual_baht"]) == (units, rate, annual)
    assert (a["due_baht"], b["due_baht"]) == (due_a, due_b)
    assert b["policy"]["min_then_prorate"] is False


def test_q4_minimum_sign_and_pre_2021_rates(capsys):
    small = ["--width-cm", "15", "--height-cm", "15", "--type", "1", "--installed", "2026-10-01"]
    assert run_json(capsys, *small)["assessment"]["due_baht"] == "50.00"
    assert run_json(capsys, *small, "--policy-prorate-then-min")["assessment"]["due_baht"] == \
        "200.00"
    old = run_json(capsys, "--width-cm", "120", "--height-cm", "300", "--type", "2",
                   "--installed", "2020-07-15")["assessment"]
    assert (old["table_version"], old["rate_baht_per_unit"], old["due_baht"]) == \
        ("MR-2535", "20.00", "720.00")


def test_worked_example_text(capsys):
    text = run_text(capsys, *MAIN, "--tax-year", "2569", "--notice-received", "2569-08-10",
                    "--paid-days-late", "40", "--filed-late", "before-notice")
    for expected in (
        "--tax-year 2569 read as Buddhist era: พ.ศ. 2569 = ค.ศ. 2026",
        "ปีภาษี พ.ศ. 2569 (tax year 2026)",
        "15 กรกฎาคม 2569 (2026-07-15)",
        "Thai + foreign text, Thai not below; static -> ข",
        "2(ข)",
        "26.00 / 500 cm²",
        "120 x 300",
        "36,000 cm²",
        "36,000 / 500 = 72 r 0; r <= 250: dropped",
        "72 x 26.00",
        "max(1,872.00, 200.00)",
        "Q3 (ก.ค.-ก.ย.) -> 1,872.00 x 50%; reading A",
        "936.00 บาท",
        "(เก้าร้อยสามสิบหกบาทถ้วน)",
        "30 กรกฎาคม 2569 (2026-07-30)",
        "25 สิงหาคม 2569 (2026-08-25)",
        "936.00 x 5% = 46.80",
        "40 days = 2 month(s) x 2%",
        "936.00 x 4% = 37.44",
        "Total payable: 1,020.24 บาท (หนึ่งพันยี่สิบบาทยี่สิบสี่สตางค์)",
        "ไม่ได้ / not available: 982.80 < 3,000.00",
    ):
        assert expected in text, expected
    steps = [line.split()[0] for line in text.splitlines() if line[:2] in
             {"1.", "2.", "3.", "4.", "5.", "6.", "7."}]
    assert steps == ["1.", "2.", "3.", "4.", "5.", "6.", "7."]


def test_installment_plan_for_a_large_sign(capsys):
    args = ["--width-cm", "300", "--height-cm", "500", "--type", "3", "--tax-year", "2026",
            "--notice-received", "2026-03-10"]
    out = run_json(capsys, *args)
    assert out["assessment"]["due_baht"] == "15000.00"  # 300 units x 50, full year
    assert out["installments"]["allowed"] is True
    assert out["installments"]["plan"] == [
        {"number": 1, "amount_baht": "5000.00", "due_date": "2026-03-25"},
        {"number": 2, "amount_baht": "5000.00", "due_date": "2026-04-25"},
        {"number": 3, "amount_baht": "5000.00", "due_date": "2026-05-25"},
    ]
    text = run_text(capsys, *args)
    assert "งวดที่ 3 / Part 3: 5,000.00  25 พฤษภาคม 2569 (2026-05-25)" in text
    no_date = run_json(capsys, *args[:-2])["installments"]["plan"]
    assert [p["due_date"] for p in no_date] == [None, None, None]


def test_area_flag_exemption_and_change(capsys):
    out = run_json(capsys, "--area-cm2", "36250.5", "--type", "2", "--tax-year", "2026")
    assert out["assessment"]["facts"]["area_cm2"] == 36251  # 72 r 250.5 -> over half
    assert out["assessment"]["units_500"] == 73
    exempt = run_json(capsys, *MAIN, "--exemption", "s8(11)")["assessment"]
    assert exempt["due_baht"] == "0.00" and "§8(11)" in exempt["exempt_reason"]
    same = run_json(capsys, *MAIN[:6], "--tax-year", "2026", "--change", "replace_same",
                    "--changed-on", "2026-05-01")
    assert same["assessment"]["due_baht"] == "0.00"
    assert same["deadlines"]["file_pp1_by"] == "2026-05-16"
    up = run_json(capsys, *MAIN[:6], "--tax-year", "2026", "--change", "partial_up",
                  "--changed-on", "2026-05-01", "--previous-annual-baht", "1000")
    assert up["assessment"]["due_baht"] == "872.00"


# fmt: off
ERRORS = [
    (["--width-cm", "-5", "--height-cm", "300", "--type", "2"],   "--width-cm must be > 0 cm, got -5"),
    (["--width-cm", "120", "--height-cm", "0", "--type", "2"],    "--height-cm must be > 0 cm"),
    (["--width-cm", "abc", "--height-cm", "300", "--type", "2"],  "--width-cm must be a number of cm"),
    (["--width-cm", "5000000", "--height-cm", "3", "--type", "2"], "--width-cm must be <= 100000 cm"),
    (["--width-cm", "99999", "--height-cm", "99999", "--type", "2"], "--width-cm x --height-cm must be <= 1000000000"),
    (["--area-cm2", "-1", "--type", "2"],                         "--area-cm2 must be > 0 cm²"),
    (["--area-cm2", "2000000000", "--type", "2"],                 "--area-cm2 must be <= 1000000000"),
    (["--area-cm2", "500", "--width-cm", "10", "--type", "2"],    "give one or the other, got both"),
    (["--width-cm", "120", "--type", "2"],                        "--height-cm is required"),
    (["--type", "2"],                                             "--width-cm is required"),
    (["--width-cm", "120", "--height-cm", "300"],                 "--type (1/2/3) or content flags"),
    (["--width-cm", "120", "--height-cm", "300", "--type", "4"],  "--type must be 1, 2 or 3, got '4'"),
    (["--width-cm", "120", "--height-cm", "300", "--type", "2", "--foreign"], "--type and the content flags"),
    (["--width-cm", "120", "--height-cm", "300", "--no-thai"],    "has_thai, has_foreign, has_graphics"),
    (["--width-cm", "120", "--height-cm", "300", "--type", "2", "--tax-year", "1900"], "--tax-year must be 1968 or later"),
    (["--width-cm", "120", "--height-cm", "300", "--type", "2", "--tax-year", "2500"], "got 2500 (read as พ.ศ. 2500 = ค.ศ. 1957)"),
    (["--width-cm", "120", "--height-cm", "300", "--type", "2", "--tax-year", "next"], "--tax-year must be a year"),
    (["--width-cm", "120", "--height-cm", "300", "--type", "2", "--tax-year", "2026",
      "--installed", "2027-01-05"],                               "install_date must be in or before tax_year 2026, got 2027-01-05 [--installed]"),
    (["--width-cm", "120", "--height-cm", "300", "--type", "2", "--installed", "2026-02-30"], "--installed must be a real date"),
    (["--width-cm", "120", "--height-cm", "300", "--type", "2", "--installed", "15/07/2026"], "--installed must be a date YYYY-MM-DD"),
    (["--width-cm", "120", "--height-cm", "300", "--type", "2", "--paid-days-late", "-3"], "--paid-days-late must be between 0"),
    (["--width-cm", "120", "--height-cm", "300", "--type", "2", "--change", "moved"], "--change must be one of"),
    (["--width-cm", "120", "--height-cm", "300", "--type", "2", "--change", "partial_up"], "--changed-on is required"),
    (["--width-cm", "120", "--height-cm", "300", "--type", "2", "--change", "partial_up",
      "--changed-on", "2026-05-01"],                              "change.previous_annual_baht is required for partial_up"),
    (["--width-cm", "120", "--height-cm", "300", "--type", "2", "--exemption", "s8(99)"], "--exemption must be one of"),
]
# fmt: on


@pytest.mark.parametrize(("args", "message"), ERRORS, ids=[m[:45] for _, m in ERRORS])
def test_impossible_facts_exit_2_naming_the_field(capsys, args, message):
    assert main(["tax", *args]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert message in captured.err
    assert captured.err.startswith("error: ")
