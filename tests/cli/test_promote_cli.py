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


CONTENT = SHIPPED.parent / "content-classifier"


@pytest.fixture
def content_models(tmp_path) -> Path:
    """prod (c9) in production, next (c10) and bare (c7, never calibrated) as candidates."""
    root = tmp_path / "models" / "content-classifier"
    for name, source in (("prod", "c9"), ("next", "c10"), ("bare", "c7")):
        (root / name).mkdir(parents=True)
        for f in (CONTENT / source).iterdir():
            (root / name / f.name).symlink_to(f)
    (root / "PRODUCTION").write_text("prod\n")
    return tmp_path / "models"


def _promote_content(models: Path, version: str, *extra: str) -> int:
    return main(["promote", version, "--content", "--models-dir", str(models), "--no-real",
                 "--synth", "4", "--workers", "1",
                 "--reads-cache", str(models.parent / "reads.pkl"), *extra])


def _content_log(models: Path) -> list[dict]:
    text = (models / "content-classifier" / "promotions.jsonl").read_text()
    return [json.loads(line) for line in text.splitlines()]


def test_a_content_network_is_compared_on_the_same_crops_and_the_decision_logged(
        content_models, capsys):
    status = _promote_content(content_models, "next", "--json")
    assert status in (0, 3)
    decision = json.loads(capsys.readouterr().out)
    comparison = decision["comparison"]
    assert comparison["drawn"] == "sign crops" and comparison["baseline"] == "prod"
    assert [d["figure"] for d in comparison["deltas"]][:3] == [
        "type_accuracy", "type_accuracy_unreviewed", "decided_without_review"]
    assert decision["promoted"] is (status == 0) is (not comparison["regresses"])
    production = (content_models / "content-classifier" / "PRODUCTION").read_text()
    assert production == ("next\n" if status == 0 else "prod\n")
    assert _content_log(content_models) == [decision]
    # The OCR read each crop once, for both networks, and kept its readings.
    assert (content_models.parent / "reads.pkl").is_file()


def test_a_content_network_without_its_calibration_or_folder_is_refused(content_models, capsys):
    assert _promote_content(content_models, "bare") == 2
    err = capsys.readouterr().err
    assert "bare has no calibration.json: fit it first with signtax eval fusion" in err
    assert _promote_content(content_models, "c99") == 2
    assert "no content network version 'c99'" in capsys.readouterr().err
    assert _promote_content(content_models, "prod") == 2
    assert "already the content network in production" in capsys.readouterr().err
    assert not (content_models / "content-classifier" / "promotions.jsonl").exists()


def test_the_first_content_network_is_promoted_without_a_comparison(content_models, capsys):
    (content_models / "content-classifier" / "PRODUCTION").unlink()
    assert _promote_content(content_models, "next") == 0
    assert "promoted next: no content network was in production" in capsys.readouterr().out
    assert (content_models / "content-classifier" / "PRODUCTION").read_text() == "next\n"
    [entry] = _content_log(content_models)
    assert entry["baseline"] is None and entry["comparison"] is None


def test_train_content_promote_calibrates_the_new_network_before_the_gate(
        content_models, tmp_path, monkeypatch, capsys):
    """What ``train-content --promote`` does once the network is written: fit its calibration
    (here on fewer crops), then put it through the same gate."""
    import argparse

    from api.cli import evaluate, promote, train_content
    from vision.content.classifier import ContentClassifier

    root = content_models / "content-classifier"
    new = root / "new"
    new.mkdir()
    (new / "weights.pt").symlink_to(CONTENT / "c10" / "weights.pt")
    monkeypatch.setattr(evaluate, "TUNING_CROPS", 10)  # a calibration needs 10
    monkeypatch.setattr(promote, "COMPARE_CROPS", 4)
    no_photos = tmp_path / "photos"
    no_photos.mkdir()
    args = argparse.Namespace(version="new", models_dir=content_models, data_root=no_photos,
                              workers=2, work_dir=tmp_path / "work")
    status = train_content._promoted(new, args)
    out = capsys.readouterr().out
    assert "calibration written" in out
    assert ContentClassifier(new).calibration is not None
    assert status in (0, 3)
    [entry] = _content_log(content_models)
    assert entry["candidate"] == "new" and entry["baseline"] == "prod"
    assert entry["promoted"] is (status == 0)
    assert (root / "PRODUCTION").read_text() == ("new\n" if status == 0 else "prod\n")
