"""Content network: training crops from rendered scenes, training (resumable), the model folder."""

from __future__ import annotations

import json

import numpy as np
import pytest

from training import content_data, train_content
from training.content_data import ContentSet, build_content_set, facts_of, with_real_negatives
from training.content_real import real_photo_held_out
from training.train_content import ContentTrainConfig, split_mask
from vision.content.classifier import (
    FACTS,
    INPUT_HW_PX,
    ContentClassifier,
    build_network,
    letterbox,
)
from vision.errors import ModelLoadError


def test_letterbox_keeps_the_aspect_and_turns_tall_crops() -> None:
    wide = np.zeros((50, 400, 3), np.uint8)
    out = letterbox(wide)
    assert out.shape == (*INPUT_HW_PX, 3)
    rows = np.flatnonzero((out != 114).any(axis=(1, 2)))
    assert 44 <= len(rows) <= 52  # 50 * 384/400 = 48 rows of crop, the rest padding
    assert letterbox(wide, (96, 288)).shape == (96, 288, 3)
    tall = np.zeros((400, 50, 3), np.uint8)
    cols = np.flatnonzero((letterbox(tall) != 114).any(axis=(0, 2)))
    assert len(cols) == INPUT_HW_PX[1]  # turned a quarter: its lines run along the width
    with pytest.raises(ValueError, match="HxWx3"):
        letterbox(np.zeros((10, 10), np.uint8))


def test_content_set_from_scenes_matches_their_labels_and_resumes(tmp_path, monkeypatch) -> None:
    from datasets.synth.config import SynthConfig
    from datasets.synth.render import render_sample

    monkeypatch.setattr(content_data, "CHUNK_SCENES", 2)
    first = content_data.SYNTH_CONTENT_TRAIN_FIRST_SEED
    data = build_content_set(tmp_path, 2, size_wh=(640, 480), progress=False)
    assert data.images.shape[1:] == (*INPUT_HW_PX, 3)
    assert data.known.min() == 1.0  # the renderer knows every fact
    assert len(data.images) == len(data.labels) == len(data.tax_types) == len(data.scene_seeds)
    expected = []
    for seed in (first, first + 1):
        _, label = render_sample(seed, SynthConfig(size_wh=(640, 480)))
        kept = [s for s in label.signs if content_data.keep_sign(s, content_data.TRAIN_FILTER)]
        expected += [facts_of(s) for s in kept for _ in range(content_data.JITTERED_COPIES)]
    assert data.labels.tolist() == expected
    # A finished chunk is not rendered again.
    monkeypatch.setattr(content_data, "_chunk", lambda *a: pytest.fail("rendered again"))
    again = build_content_set(tmp_path, 2, size_wh=(640, 480), progress=False)
    assert np.array_equal(again.images, data.images)


def _toy_set(n: int = 48) -> ContentSet:
    """Crops whose "thai" fact is a bright square on the left: learnable in a few steps."""
    rng = np.random.default_rng(0)
    images = np.full((n, *INPUT_HW_PX, 3), 60, np.uint8)
    labels = np.zeros((n, len(FACTS)), np.float32)
    for i in range(n):
        if i % 2:
            images[i, 20:70, 10:60] = 230
            labels[i, FACTS.index("thai")] = 1
        images[i] = np.clip(images[i] + rng.integers(0, 20, images[i].shape), 0, 255)
    return ContentSet(images, labels, np.full(n, 3, np.int8), np.arange(n, dtype=np.int64),
                      np.ones_like(labels))


def test_split_is_by_scene_and_stable() -> None:
    seeds = np.array([5, 5, 6, 7, 5, 800, 801] * 30, np.int64)
    mask = split_mask(seeds)
    for s in np.unique(seeds):
        assert len(set(mask[seeds == s].tolist())) == 1
    assert np.array_equal(mask, split_mask(seeds))


def test_training_writes_a_loadable_model_and_resumes(tmp_path, monkeypatch) -> None:
    data = _toy_set(200)
    config = ContentTrainConfig(epochs=4, batch=16, lr=5e-3)
    calls = {"n": 0}
    real_eval = train_content.evaluate_facts

    def interrupted(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt  # killed after epoch 1 was saved
        return real_eval(*args, **kwargs)

    monkeypatch.setattr(train_content, "evaluate_facts", interrupted)
    with pytest.raises(KeyboardInterrupt):
        train_content.train_content(data, tmp_path / "run", tmp_path / "models", "c0", config,
                                    progress=False)
    assert not (tmp_path / "models" / "c0").exists()  # nothing half-written
    monkeypatch.setattr(train_content, "evaluate_facts", real_eval)
    target = train_content.train_content(data, tmp_path / "run", tmp_path / "models", "c0",
                                         config, progress=False)
    metrics = json.loads((target / "metrics.json").read_text())
    assert [h["epoch"] for h in metrics["history"]] == [2, 3, 4]  # resumed at epoch 2
    assert metrics["validation"]["accuracy"]["thai"] >= 0.9
    assert "content-classifier c0" in (target / "model_card.md").read_text()

    clf = ContentClassifier(target)
    bright = clf.facts(np.ascontiguousarray(data.images[1]))
    dark = clf.facts(np.ascontiguousarray(data.images[0]))
    assert bright.thai > 0.5 > dark.thai
    with pytest.raises(FileExistsError):
        train_content.train_content(data, tmp_path / "run2", tmp_path / "models", "c0", config,
                                    progress=False)

    # Trained on from c0 with a learning rate too small to learn anything new: it keeps what
    # c0 knew (a fresh network would be at chance after one such epoch).
    still = ContentTrainConfig(epochs=1, batch=16, lr=1e-7)
    target = train_content.train_content(data, tmp_path / "run3", tmp_path / "models", "c1",
                                         still, init_from=tmp_path / "models" / "c0",
                                         progress=False)
    metrics = json.loads((target / "metrics.json").read_text())
    assert metrics["init_from"] == "c0"
    assert metrics["validation"]["accuracy"]["thai"] >= 0.9
    assert "starting from its content network c0" in (target / "model_card.md").read_text()
    other_size = ContentSet(np.zeros((40, 64, 64, 3), np.uint8), data.labels[:40],
                            data.tax_types[:40], data.scene_seeds[:40], data.known[:40])
    with pytest.raises(ValueError, match="takes 128x384 input"):
        train_content.train_content(other_size, tmp_path / "run4", tmp_path / "models", "c2",
                                    still, init_from=tmp_path / "models" / "c0", progress=False)


def test_a_missing_or_foreign_weights_file_is_a_clear_error(tmp_path) -> None:
    with pytest.raises(ModelLoadError, match="no content classifier weights"):
        ContentClassifier(tmp_path)
    (tmp_path / "weights.pt").write_bytes(b"not a torch file")
    with pytest.raises(ModelLoadError, match="cannot load content classifier"):
        ContentClassifier(tmp_path)


def _write_photos(root, name: str, class_ids: tuple[int, ...], n: int) -> None:
    import cv2

    (root / name / "images" / "train").mkdir(parents=True)
    (root / name / "labels" / "train").mkdir(parents=True)
    for i in range(n):
        cv2.imwrite(str(root / name / "images" / "train" / f"p{i}.jpg"),
                    np.full((300, 400, 3), 90, np.uint8))
        lines = [f"{c} 0.5 {0.2 + 0.25 * k} 0.5 0.2" for k, c in enumerate(class_ids)]
        (root / name / "labels" / "train" / f"p{i}.txt").write_text("\n".join(lines) + "\n")


def test_real_negatives_come_from_training_photos_with_only_known_facts(tmp_path) -> None:
    # facades-spb: classes 1, 3, 4 are signs, 0 (window) is not.
    _write_photos(tmp_path, "facades-spb", (0, 3, 4), 12)
    _write_photos(tmp_path, "signboards-vn", (0,), 6)
    base = _toy_set(8)
    data = with_real_negatives(base, tmp_path, progress=False)
    real = data.scene_seeds < 0
    train_spb = sum(not real_photo_held_out("facades-spb", f"p{i}") for i in range(12))
    train_vn = sum(not real_photo_held_out("signboards-vn", f"p{i}") for i in range(6))
    assert 0 < train_spb < 12
    # two signs per spb photo, one per vn photo, each twice (as labelled and moved)
    assert real.sum() == 2 * (2 * train_spb + train_vn)
    assert np.array_equal(data.images[:8], base.images)
    assert data.labels[real].max() == 0.0 and set(data.tax_types[real].tolist()) == {3}
    known = data.known[real]
    assert known[:, FACTS.index("thai")].min() == 1 and known[:, FACTS.index("below")].min() == 1
    for f in ("latin", "cjk", "other", "graphics"):  # not labelled on the real photos
        assert known[:, FACTS.index(f)].max() == 0
    assert len(np.unique(data.scene_seeds[real])) == train_spb + train_vn  # a photo is a scene


def test_masked_labels_do_not_count_in_the_loss_or_the_scores() -> None:
    import torch

    logits = torch.tensor([[2.0, -1.0], [0.5, 3.0]])
    known = torch.tensor([[1.0, 0.0], [1.0, 1.0]])
    y = torch.tensor([[1.0, 0.0], [0.0, 1.0]])
    flipped = y.clone()
    flipped[0, 1] = 1.0  # a masked label: whatever it says must not matter
    loss = train_content.masked_bce(logits, y, known)
    assert float(loss) == pytest.approx(float(train_content.masked_bce(logits, flipped, known)))
    full = torch.nn.functional.binary_cross_entropy_with_logits(logits, y, reduction="none")
    assert float(loss) == pytest.approx(float(full[known > 0].mean()))

    data = _toy_set(16)
    scores = train_content.evaluate_facts(build_network(), data.images, data.labels,
                                          np.zeros_like(data.known))
    assert all(np.isnan(v) for v in scores.accuracy.values()) and scores.loss == 0.0


def test_a_format_1_model_keeps_its_input_size() -> None:
    from api.paths import default_content_model_dir

    c2 = default_content_model_dir() / "c2"
    if not (c2 / "weights.pt").is_file():
        pytest.skip("model c2 is not shipped")
    clf = ContentClassifier(c2)
    assert clf.input_hw_px == (96, 288)
    facts = clf.facts(np.full((60, 300, 3), 200, np.uint8))
    assert 0.0 <= facts.thai <= 1.0
