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


def _mini_data_root(shared_data, root, per_source=6):
    """A few real photos per source, linked, in the shared data's layout."""
    for source in ("facades-spb", "signboards-vn"):
        images = sorted((shared_data / source / "images/train").iterdir())[:per_source]
        for sub in ("images/train", "labels/train"):
            (root / source / sub).mkdir(parents=True)
        for image in images:
            (root / source / "images/train" / image.name).symlink_to(image)
            label = shared_data / source / "labels/train" / f"{image.stem}.txt"
            (root / source / "labels/train" / label.name).write_text(label.read_text())
    return root


@pytest.mark.slow
def test_pack_then_train_elsewhere_and_the_baseline_on_the_same_photos(shared_data, tmp_path):
    """--pack writes a movable dataset; --dataset trains on it; --baseline on its real photos."""
    data_root = _mini_data_root(shared_data, tmp_path / "real")
    pack = tmp_path / "pack"
    assert main(["train", "--version", "unused", "--data-root", str(data_root), "--work-dir",
                 str(tmp_path / "work"), "--synth", "4", "--synth-size", "320x240",
                 "--synth-first", "7", "--val-fraction", "0.3", "--workers", "1",
                 "--pack", str(pack)]) == 0
    # --synth-first: scenes 7..10 of seed 0's range, in their own folder.
    rendered = json.loads((tmp_path / "work/synth/320x240-n4-seed0-from7/manifest.json").read_text())
    assert (rendered["seeds"]["first"], rendered["seeds"]["count"]) == (7, 4)
    moved = tmp_path / "gpu-box" / "pack"
    moved.parent.mkdir()
    pack.rename(moved)
    common = ["--dataset", str(moved / "data.yaml"), "--work-dir", str(tmp_path / "gpu-work"),
              "--models-dir", str(tmp_path / "models"), "--imgsz", "64", "--epochs", "1",
              "--hours", "0", "--batch", "4", "--workers", "0"]
    assert main(["train", "--version", "pose", "--real-repeat", "2", "--rare-class-repeat",
                 "0.5", *common]) == 0
    assert main(["train", "--version", "base", "--baseline", *common]) == 0
    pose = json.loads((tmp_path / "models/sign-detector/pose/metrics.json").read_text())
    base = json.loads((tmp_path / "models/sign-detector/base/metrics.json").read_text())
    assert pose["train"]["task"] == "pose" and base["train"]["task"] == "detect"
    assert pose["dataset"]["train"]["synthetic"]["images"] >= 1
    # The baseline sees the real photos only, with the pack's split.
    assert "synthetic" not in base["dataset"]["train"]
    assert base["dataset"]["train"]["images"] == pose["dataset"]["train"]["real"]["images"]
    card = (tmp_path / "models/sign-detector/pose/model_card.md").read_text()
    assert "synthetic Thai street scenes" in card and "No real Thai photo" in card
    assert "listed 2 times" in card and pose["train"]["real_repeat"] == 2
    assert "`--rare-class-repeat`" in card and pose["train"]["rare_class_repeat"] == 0.5
    assert pose["train"]["data_yaml"].endswith("data-realx2-rare0.5.yaml")


def test_real_repeat_needs_real_photos_to_repeat(tmp_path, capsys):
    pack = tmp_path / "pack"
    (pack / "images/train").mkdir(parents=True)
    (pack / "images/val").mkdir(parents=True)
    (pack / "images/train/synth__1.webp").write_bytes(b"")
    (pack / "data.yaml").write_text("train: images/train\nval: images/val\nnames:\n  0: s\n")
    assert main(["train", "--version", "x", "--dataset", str(pack / "data.yaml"),
                 "--work-dir", str(tmp_path / "w"), "--models-dir", str(tmp_path / "m"),
                 "--real-repeat", "3"]) == 2
    assert "nothing to repeat" in capsys.readouterr().err


def test_rare_class_repeat_is_a_share(tmp_path, capsys):
    assert main(["train", "--version", "x", "--rare-class-repeat", "1.5",
                 "--work-dir", str(tmp_path / "w"), "--models-dir", str(tmp_path / "m")]) == 2
    assert "--rare-class-repeat must be within 0..1" in capsys.readouterr().err
    assert not (tmp_path / "w").exists()  # refused before any work


def test_baseline_needs_a_dataset(capsys):
    assert main(["train", "--version", "x", "--baseline"]) == 2
    assert "--baseline needs --dataset" in capsys.readouterr().err


def test_synth_first_must_not_be_negative(capsys):
    assert main(["train", "--version", "x", "--synth", "2", "--synth-first", "-1",
                 "--pack", "unused"]) == 2
    assert "--synth-first must be >= 0" in capsys.readouterr().err


def test_photo_pictures_must_be_a_chance(capsys):
    assert main(["train", "--version", "x", "--synth", "2", "--photo-pictures", "1.5",
                 "--pack", "unused"]) == 2
    assert "--photo-pictures must be in [0, 1]" in capsys.readouterr().err


def _packed_scenes(data_root, tmp_path, folder: str, *options: str) -> dict:
    """Render two 320x240 scenes with ``options``, pack them, and read the manifest of the
    scene folder they landed in."""
    assert main(["train", "--version", "unused", "--data-root", str(data_root), "--work-dir",
                 str(tmp_path / "work"), "--synth", "2", "--synth-size", "320x240",
                 "--workers", "1", *options, "--pack", str(tmp_path / "pack")]) == 0
    return json.loads((tmp_path / "work/synth" / folder / "manifest.json").read_text())


def test_photo_pictures_come_from_the_training_half_only(shared_data, tmp_path):
    """--photo-pictures lends the renderer the training photos of the split, never a
    held-out one, and the scenes land in their own folder."""
    from datasets.real import load_all

    data_root = _mini_data_root(shared_data, tmp_path / "real")
    rendered = _packed_scenes(data_root, tmp_path, "320x240-n2-seed0-photos1",
                              "--val-fraction", "0.3", "--photo-pictures", "1")
    lent = set(rendered["config"]["picture_photos"])
    assert rendered["config"]["photo_picture_probability"] == 1.0
    items = load_all(data_root)
    held_out = {str(it.image_path) for it in items if it.in_validation(seed=0, val_fraction=0.3)}
    assert lent and held_out and not lent & held_out
    assert lent | held_out == {str(it.image_path) for it in items}


@pytest.mark.parametrize("flag", ["--along-street", "--window-campaigns"])
def test_scene_options_must_be_chances(capsys, flag):
    assert main(["train", "--version", "x", "--synth", "2", flag, "-0.5",
                 "--pack", "unused"]) == 2
    assert f"{flag} must be in [0, 1]" in capsys.readouterr().err


def test_scene_options_land_in_their_own_folder(shared_data, tmp_path):
    data_root = _mini_data_root(shared_data, tmp_path / "real")
    rendered = _packed_scenes(data_root, tmp_path, "320x240-n2-seed0-along1-campaigns0.5",
                              "--along-street", "1", "--window-campaigns", "0.5")
    assert rendered["config"]["along_street_probability"] == 1.0
    assert rendered["config"]["window_campaign_probability"] == 0.5
    assert (tmp_path / "pack/data.yaml").is_file()
