"""Content network: training crops from rendered scenes, training (resumable), the model folder."""

from __future__ import annotations

import json

import numpy as np
import pytest

from training import content_data, train_content
from training.content_data import ContentSet, build_content_set, facts_of
from training.train_content import ContentTrainConfig, split_mask
from vision.content.classifier import FACTS, INPUT_H_PX, INPUT_W_PX, ContentClassifier, letterbox
from vision.errors import ModelLoadError


def test_letterbox_keeps_the_aspect_and_turns_tall_crops() -> None:
    wide = np.zeros((50, 400, 3), np.uint8)
    out = letterbox(wide)
    assert out.shape == (INPUT_H_PX, INPUT_W_PX, 3)
    rows = np.flatnonzero((out != 114).any(axis=(1, 2)))
    assert 30 <= len(rows) <= 40  # 50 * 288/400 = 36 rows of crop, the rest padding
    tall = np.zeros((400, 50, 3), np.uint8)
    cols = np.flatnonzero((letterbox(tall) != 114).any(axis=(0, 2)))
    assert len(cols) == INPUT_W_PX  # turned a quarter: its lines run along the width
    with pytest.raises(ValueError, match="HxWx3"):
        letterbox(np.zeros((10, 10), np.uint8))


def test_content_set_from_scenes_matches_their_labels_and_resumes(tmp_path, monkeypatch) -> None:
    from datasets.synth.config import SynthConfig
    from datasets.synth.render import render_sample

    monkeypatch.setattr(content_data, "CHUNK_SCENES", 2)
    first = content_data.SYNTH_CONTENT_TRAIN_FIRST_SEED
    data = build_content_set(tmp_path, 2, size_wh=(640, 480), progress=False)
    assert data.images.shape[1:] == (INPUT_H_PX, INPUT_W_PX, 3)
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
    images = np.full((n, INPUT_H_PX, INPUT_W_PX, 3), 60, np.uint8)
    labels = np.zeros((n, len(FACTS)), np.float32)
    for i in range(n):
        if i % 2:
            images[i, 20:70, 10:60] = 230
            labels[i, FACTS.index("thai")] = 1
        images[i] = np.clip(images[i] + rng.integers(0, 20, images[i].shape), 0, 255)
    return ContentSet(images, labels, np.full(n, 3, np.int8), np.arange(n, dtype=np.int64))


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


def test_a_missing_or_foreign_weights_file_is_a_clear_error(tmp_path) -> None:
    with pytest.raises(ModelLoadError, match="no content classifier weights"):
        ContentClassifier(tmp_path)
    (tmp_path / "weights.pt").write_bytes(b"not a torch file")
    with pytest.raises(ModelLoadError, match="cannot load content classifier"):
        ContentClassifier(tmp_path)
