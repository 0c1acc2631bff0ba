"""The real training command end to end, tiny: build data, train, evaluate, package, reuse."""

from __future__ import annotations

import json

import pytest

from api.cli.main import main


@pytest.mark.slow
def test_train_command_packages_a_model_and_reuses_a_finished_run(shared_data, tmp_path):
    args = ["train", "--version", "smoke", "--data-root", str(shared_data),
            "--work-dir", str(tmp_path / "work"), "--models-dir", str(tmp_path / "models"),
            "--limit-images", "12", "--val-fraction", "0.3", "--imgsz", "64", "--epochs", "1",
            "--hours", "0", "--batch", "4", "--promote"]
    assert main(args) == 0
    target = tmp_path / "models" / "sign-detector" / "smoke"
    assert (target / "weights.pt").stat().st_size > 100_000
    metrics = json.loads((target / "metrics.json").read_text())
    assert set(metrics["val"]) >= {"map50", "map50_95", "precision", "recall", "per_class"}
    card = (target / "model_card.md").read_text()
    assert "signtax train" in card and "mAP50" in card
    assert (tmp_path / "models/sign-detector/PRODUCTION").read_text().strip() == "smoke"
    results = tmp_path / "work/runs/sign-detector-smoke/results.csv"
    epochs_before = results.read_text()
    # Versions are immutable: refused before any training starts.
    assert main(args) == 2
    # Packaging lost (e.g. a crash after training): the finished run is reused, not retrained.
    (target / "weights.pt").unlink()
    for f in target.iterdir():
        f.unlink()
    target.rmdir()
    assert main(args) == 0
    assert results.read_text() == epochs_before
    assert (target / "weights.pt").is_file()


@pytest.mark.slow
def test_train_command_pose_model_on_synthetic_plus_real(shared_data, tmp_path):
    """--synth renders scenes, mixes them with the real photos, trains a 4-keypoint pose model."""
    args = ["train", "--version", "pose-smoke", "--data-root", str(shared_data),
            "--work-dir", str(tmp_path / "work"), "--models-dir", str(tmp_path / "models"),
            "--synth", "6", "--synth-size", "320x240", "--imgsz", "64", "--epochs", "1",
            "--hours", "0", "--batch", "8"]
    # Start from a box model's weights: the backbone transfers, the pose head starts fresh.
    assert main(["train", "--version", "box", *args[3:9], "--limit-images", "12", "--imgsz",
                 "64", "--epochs", "1", "--hours", "0", "--batch", "4"]) == 0
    box_weights = tmp_path / "models" / "sign-detector" / "box" / "weights.pt"
    assert main([*args, "--init-from", str(box_weights)]) == 0
    target = tmp_path / "models" / "sign-detector" / "pose-smoke"
    card = (target / "model_card.md").read_text()
    assert "4 corner keypoints" in card and "6 synthetic Thai street scenes" in card
    info = json.loads((target / "metrics.json").read_text())
    assert info["train"]["task"] == "pose"
    from vision.detector import YoloDetector

    detector = YoloDetector(target)
    assert detector.task == "pose"
    assert "government_sign" in [c.value for c in detector._classes.values()]
