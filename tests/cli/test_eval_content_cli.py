"""`signtax eval content`: tax type accuracy and confusion matrix of the content analysis on
held-out synthetic sign crops, and the "no Thai" rate on the real non-Thai crops."""

from __future__ import annotations

import json

import pytest

from api.cli.main import main
from api.paths import project_root
from training import eval_content
from training.content_crops import SynthCrop
from vision.content.samples import SignSpec, TextSpec, render_sign
from vision.types import Script


def rendered_crops(seed, size_wh, keep):
    """Two clean rendered signs per "scene": Thai only (Type 1), English over Thai (Type 3)."""
    th, la = Script.THAI, Script.LATIN
    thai = render_sign(SignSpec(rows=((TextSpec("ร้านกาแฟสด", "Loma.ttf"),),)))
    mixed = render_sign(SignSpec(rows=((TextSpec("COFFEE SHOP", "DejaVuSans-Bold.ttf"),),
                                       (TextSpec("ร้านกาแฟสด", "Garuda-Bold.ttf"),))))
    return [
        SynthCrop(f"synth-{seed}/0", thai, 1, False, frozenset({th}), False, "thai_only",
                  "fascia", 60.0, 200.0, 100.0, False),
        SynthCrop(f"synth-{seed}/1", mixed, 3, True, frozenset({th, la}), False,
                  "foreign_above_thai", "fascia", 40.0, 300.0, 80.0, False),
    ]


def test_eval_content_reports_the_matrix(monkeypatch, capsys):
    monkeypatch.setattr(eval_content, "scene_crops", rendered_crops)
    assert main(["eval", "content", "--synth", "2", "--no-real", "--workers", "1",
                 "--no-classifier"]) == 0
    out = capsys.readouterr().out
    assert "| true type \\ decided | 1 | 2 | 3 | crops | of which needs review |" in out
    assert "| 1 | 1 | 0 | 0 | 1 | 0 |" in out  # Thai only, read as Type 1
    assert "| 3 | 0 | 0 | 1 | 1 | 0 |" in out  # English over Thai, read as Type 3
    assert "tax type correct (all crops) | 100.0 % (2/2) | >= 97%" in out
    assert "Thai-below-foreign correct" in out and "100.0 % (1/1) | >= 95%" in out
    # Both right, so no wrong price; 40 units of Type 1 at 5 baht is raised to the 200-baht
    # minimum, 48 units of Type 3 at 50 baht is 2,400.
    assert "the 2 signs owe 2,600.00 baht a year with their true types, 2,600.00 with" in out
    assert "| not sent to review: would reach the tax roll | 0 | 0.00 (0.0 % of the true " in out


def test_eval_content_prices_with_the_tax_year_table(monkeypatch, capsys):
    monkeypatch.setattr(eval_content, "scene_crops", rendered_crops)
    assert main(["eval", "content", "--synth", "2", "--no-real", "--workers", "1",
                 "--no-classifier", "--tax-year", "2019", "--json"]) == 0
    money = json.loads(capsys.readouterr().out)["synthetic"]["money"]
    # MR-2535: Type 1 3 baht x 40 units raised to 200; Type 3 40 baht x 48 units
    assert money["true_baht"] == "2120.00" and money["signs"] == 2
    assert money["basis"].startswith("rate table MR-2535, tax year 2019")
    assert money["unchecked_errors"] == {"signs": 0, "over_baht": "0.00", "under_baht": "0.00"}


@pytest.mark.slow
def test_eval_content_json_end_to_end(shared_data, capsys, tmp_path):
    """Real renders of held-out scenes and the real crops, as the README runs it (smaller),
    then again from the kept OCR readings (--reads-cache): the same report."""
    def run() -> dict:
        assert main(["eval", "content", "--json", "--synth", "2", "--real", "1",
                     "--workers", "1", "--data-root", str(shared_data),
                     "--reads-cache", str(tmp_path / "reads.pkl")]) == 0
        out = json.loads(capsys.readouterr().out)
        for report in out.values():
            del report["wall_s"]
        return out

    reports = run()
    assert (tmp_path / "reads.pkl").is_file()
    assert run() == reports
    assert set(reports) == {"synthetic", "real"}
    synth, real = reports["synthetic"], reports["real"]
    assert synth["n"] == 2
    counts = synth["confusion"]["counts"]
    assert sum(v for row in counts.values() for v in row.values()) == 2
    assert 0 <= synth["type_accuracy"]["hits"] <= 2
    assert real["n"] == 2  # the first held-out crop of each set
    assert set(real["subsets"]) == {"signboards-vn, held out", "facades-spb, held out"}
    assert real["confusion"]["counts"]["1"] == {"1": 0, "2": 0, "3": 0}
    assert real["type3_rate"]["value"] is not None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--no-real", "--synth", "0"], "nothing to evaluate"),
        (["--synth", "-1"], "--synth must be >= 0"),
        (["--real", "0"], "--real must be >= 1"),
        (["--synth-size", "big"], "--synth-size must look like"),
        (["--tax-year", "1900"], "--tax-year must be between 1968 and"),
    ],
)
def test_eval_content_rejects_bad_requests(args, message, capsys):
    assert main(["eval", "content", *args]) == 2
    assert message in capsys.readouterr().err


def test_eval_content_draws_the_plot(monkeypatch, tmp_path, capsys):
    import cv2

    monkeypatch.setattr(eval_content, "scene_crops", rendered_crops)
    plot = tmp_path / "content.png"
    assert main(["eval", "content", "--synth", "2", "--no-real", "--workers", "1",
                 "--no-classifier", "--plot", str(plot)]) == 0
    captured = capsys.readouterr()
    assert "Expected calibration error" in captured.out and f"plot: {plot}" in captured.err
    assert cv2.imread(str(plot)) is not None
    assert main(["eval", "content", "--synth", "2", "--plot", str(tmp_path / "x.pdf")]) == 2
    assert "--plot must name a .png file" in capsys.readouterr().err


def test_eval_fusion_writes_the_calibration_beside_the_weights(monkeypatch, tmp_path, capsys):
    import shutil

    from training import tune_fusion
    from training.tune_fusion import TuningCrop
    from vision.content.calibration import CALIBRATION_NAME, load_calibration
    from vision.content.classifier import ContentFacts
    from vision.types import SignContent

    model = tmp_path / "c9"
    model.mkdir()
    shutil.copy(project_root() / "models/content-classifier/c4/weights.pt", model)

    def read(scripts, confidence):
        return SignContent(scripts=frozenset(scripts), thai_below_foreign=False,
                           has_graphics=False, moving_display=False, confidence=confidence,
                           needs_review=confidence < 0.5)

    sure = ContentFacts(0.99, 0.01, 0.01, 0.01, 0.01, 0.01)
    crops = ([TuningCrop("synthetic", 1, read({Script.THAI}, 0.9), sure)] * 15
             + [TuningCrop("real", 3, read({Script.THAI}, 0.55), sure)] * 15)
    monkeypatch.setattr(tune_fusion, "tuning_crops", lambda *a, **k: crops)
    assert main(["eval", "fusion", "--classifier", str(model), "--synth", "15"]) == 0
    assert not (model / CALIBRATION_NAME).exists()  # only when asked
    assert main(["eval", "fusion", "--classifier", str(model), "--synth", "15",
                 "--write-calibration"]) == 0
    out = capsys.readouterr().out
    assert f"calibration written: {model / CALIBRATION_NAME}" in out
    cal = load_calibration(model)
    assert cal(0.9) == 0.99 and cal(0.55) == 0.01  # the real crops' Thai is a misreading
    assert "15 rendered crops" in cal.fitted_on


def test_eval_content_missing_classifier_is_a_clear_error(tmp_path, capsys):
    assert main(["eval", "content", "--synth", "1", "--no-real",
                 "--classifier", str(tmp_path)]) == 2
    assert "--no-classifier evaluates the OCR alone" in capsys.readouterr().err


def test_eval_content_missing_data_is_a_clear_error(tmp_path, capsys):
    assert main(["eval", "content", "--synth", "0", "--data-root", str(tmp_path / "none")]) == 2
    assert "no data at" in capsys.readouterr().err



@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--version", "c9", "--scenes", "3"], "--scenes must be >= 40"),
        (["--version", "../c9"], "--version must be a plain folder name"),
        (["--version", "c9", "--size", "big"], "bad --size"),
        (["--version", "c9", "--first-scene", "7"], "--first-scene must be a multiple of 40"),
        (["--version", "c9", "--init-from", "/nowhere/c3"], "--init-from: no content model"),
        (["--version", "c9", "--render-minutes", "0"], "must be > 0"),
        (["--version", "c9", "--train-minutes", "-1"], "must be > 0"),
        (["--version", "c9", "--device", "tpu"], "device must be cpu, cuda or cuda:N"),
        (["--version", "c9", "--number-lines", "1.5"], "--number-lines must be in [0, 1]"),
        (["--version", "c9", "--data-root", "/nowhere/real-crops.npz"], "no real photos at"),
        (["--version", "c9", "--write-real-crops", "x.npz", "--data-root", "/nowhere"],
         "no real photos at /nowhere"),
        (["--version", "c9", "--promote", "--no-real", "--data-root", "/nowhere"],
         "--promote calibrates and compares on the real photos"),
    ],
)
def test_train_content_rejects_bad_requests(args, message, capsys):
    assert main(["train-content", *args]) == 2
    assert message in capsys.readouterr().err


def test_train_content_refuses_an_existing_version(tmp_path, capsys):
    (tmp_path / "content-classifier" / "c9").mkdir(parents=True)
    assert main(["train-content", "--version", "c9", "--models-dir", str(tmp_path)]) == 2
    assert "versions are immutable" in capsys.readouterr().err


def test_train_content_on_a_gpu_needs_one(capsys):
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    assert main(["train-content", "--version", "c9", "--device", "cuda"]) == 2
    assert "torch sees no CUDA GPU" in capsys.readouterr().err


def test_real_crops_are_written_for_a_machine_without_the_photos(shared_data, tmp_path, capsys):
    from training.content_data import load_crops
    from vision.content.classifier import FACTS

    out = tmp_path / "real-crops.npz"
    assert main(["train-content", "--version", "unused", "--write-real-crops", str(out),
                 "--data-root", str(shared_data)]) == 0
    assert f"real crops to {out}" in capsys.readouterr().out
    real = load_crops(out)
    assert len(real.images) > 500
    assert (real.scene_seeds < 0).all() and set(real.tax_types.tolist()) == {3}
    assert real.labels.max() == 0.0  # "no Thai", nothing else claimed
    assert real.known[:, FACTS.index("thai")].min() == 1.0
