"""`signtax promote`: a detector version becomes the one scans use only when it does not regress
against the one in production, and every decision is logged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from api.cli.main import main

SHIPPED = Path(__file__).resolve().parents[2] / "models" / "sign-detector"


def _version(root: Path, name: str, source: str) -> None:
    (root / name).mkdir(parents=True)
    (root / name / "weights.pt").symlink_to(SHIPPED / source / "weights.pt")


@pytest.fixture
def models(tmp_path) -> Path:
    root = tmp_path / "models" / "sign-detector"
    _version(root, "prod", "v6avg")
    _version(root, "same", "v6avg")
    _version(root, "weak", "v1")  # the plain baseline: boxes only, real photos only
    (root / "PRODUCTION").write_text("prod\n")
    return tmp_path / "models"


def _promote(models: Path, version: str, *extra: str) -> int:
    return main(["promote", version, "--models-dir", str(models), "--no-real", "--synth", "3",
                 "--workers", "1", *extra])


def _log(models: Path) -> list[dict]:
    text = (models / "sign-detector" / "promotions.jsonl").read_text()
    return [json.loads(line) for line in text.splitlines()]


def test_a_detector_that_does_not_regress_is_promoted_and_logged(models, tmp_path, capsys):
    import cv2

    plot = tmp_path / "promotion.png"
    assert _promote(models, "same", "--plot", str(plot)) == 0
    captured = capsys.readouterr()
    assert "promoted same: scans now use it instead of prod" in captured.out
    assert f"plot: {plot}" in captured.err and cv2.imread(str(plot)) is not None
    assert (models / "sign-detector" / "PRODUCTION").read_text() == "same\n"
    [entry] = _log(models)
    assert entry["promoted"] and not entry["forced"] and entry["baseline"] == "prod"
    assert entry["comparison"]["regresses"] is False
    assert _promote(models, "same") == 2  # already in production
    assert "already the detector in production" in capsys.readouterr().err


def test_a_detector_that_regresses_is_refused_unless_forced(models, capsys):
    assert _promote(models, "weak", "--json") == 3
    decision = json.loads(capsys.readouterr().out)
    assert decision["promoted"] is False and decision["comparison"]["regresses"] is True
    assert (models / "sign-detector" / "PRODUCTION").read_text() == "prod\n"
    assert _promote(models, "weak", "--force") == 0
    assert "although it regresses (--force)" in capsys.readouterr().out
    assert (models / "sign-detector" / "PRODUCTION").read_text() == "weak\n"
    assert [(e["promoted"], e["forced"]) for e in _log(models)] == [(False, False), (True, True)]


def test_promote_refuses_what_it_cannot_compare(models, tmp_path, capsys):
    assert _promote(models, "v99") == 2
    assert "no detector version 'v99'" in capsys.readouterr().err
    assert main(["promote", "same", "--models-dir", str(models), "--data-root",
                 str(tmp_path / "none")]) == 2
    assert "no data at" in capsys.readouterr().err
    assert _promote(models, "same", "--synth", "0") == 2
    assert "nothing to compare on" in capsys.readouterr().err
    assert _promote(models, "same", "--plot", "x.pdf") == 2
    assert "--plot must name a .png file" in capsys.readouterr().err


def test_the_first_detector_is_promoted_without_a_comparison(models, capsys):
    (models / "sign-detector" / "PRODUCTION").unlink()
    assert _promote(models, "weak") == 0
    assert "promoted weak: no detector was in production" in capsys.readouterr().out
    assert (models / "sign-detector" / "PRODUCTION").read_text() == "weak\n"
    [entry] = _log(models)
    assert entry["promoted"] and entry["baseline"] is None and entry["comparison"] is None
