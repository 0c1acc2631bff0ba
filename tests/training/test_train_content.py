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
    signs = data.tax_types != content_data.NOT_A_SIGN
    assert data.labels[signs].tolist() == expected
    assert set(data.tax_types[signs].tolist()) <= {1, 2, 3}
    # Each scene also gives a crop away from its signs, with nothing on it.
    for seed in (first, first + 1):
        assert (~signs & (data.scene_seeds == seed)).sum() == content_data.NON_SIGN_CROPS_PER_SCENE
    assert data.labels[~signs].max() == 0.0
    # A finished chunk is not rendered again.
    monkeypatch.setattr(content_data, "_chunk", lambda *a: pytest.fail("rendered again"))
    again = build_content_set(tmp_path, 2, size_wh=(640, 480), progress=False)
    assert np.array_equal(again.images, data.images)


def test_number_rows_render_their_own_chunks_with_the_same_labels(tmp_path, monkeypatch) -> None:
    from datasets.synth.config import SynthConfig
    from datasets.synth.render import render_sample

    monkeypatch.setattr(content_data, "CHUNK_SCENES", 1)
    first = content_data.SYNTH_CONTENT_TRAIN_FIRST_SEED
    plain = build_content_set(tmp_path, 1, size_wh=(640, 480), progress=False)
    with_digits = build_content_set(tmp_path, 1, size_wh=(640, 480), progress=False,
                                    number_lines=1.0)
    assert len(list(tmp_path.glob("chunk-*.npz"))) == 2  # never mixed with the plain ones
    _, label = render_sample(first, SynthConfig(size_wh=(640, 480), number_line_probability=1.0))
    kept = [s for s in label.signs if content_data.keep_sign(s, content_data.TRAIN_FILTER)]
    signs = with_digits.tax_types != content_data.NOT_A_SIGN
    assert with_digits.labels[signs].tolist() == [
        facts_of(s) for s in kept for _ in range(content_data.JITTERED_COPIES)]
    assert any(ln.script is None and ln.text[:1].isdigit() for s in kept for ln in s.lines)
    assert not np.array_equal(plain.images, with_digits.images)


def test_non_sign_crops_stay_inside_the_image_and_clear_of_every_sign() -> None:
    rng = np.random.default_rng(3)
    boxes = [(100.0, 50.0, 500.0, 150.0), (600.0, 300.0, 640.0, 480.0)]
    for _ in range(200):
        c = content_data.non_sign_corners((640, 480), boxes, rng)
        assert c is not None
        x1, y1 = c.min(axis=0)
        x2, y2 = c.max(axis=0)
        assert 0 <= x1 < x2 <= 640 and 0 <= y1 < y2 <= 480
        for bx1, by1, bx2, by2 in boxes:  # clear of the box grown by the margin
            mx, my = (bx2 - bx1) * content_data.NON_SIGN_MARGIN, (by2 - by1) * content_data.NON_SIGN_MARGIN
            assert x2 <= bx1 - mx or x1 >= bx2 + mx or y2 <= by1 - my or y1 >= by2 + my
    # A scene that is all sign has no non-sign crop.
    assert content_data.non_sign_corners((640, 480), [(0.0, 0.0, 640.0, 480.0)], rng) is None


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


def test_non_sign_crops_are_scored_apart_from_the_sign_facts(tmp_path) -> None:
    signs = _toy_set(160)
    n = 80  # plain crops of no sign, nothing on them, in their own "scenes"
    rng = np.random.default_rng(1)
    blank = ContentSet(rng.integers(50, 80, (n, *INPUT_HW_PX, 3), dtype=np.uint8),
                       np.zeros((n, len(FACTS)), np.float32),
                       np.full(n, content_data.NOT_A_SIGN, np.int8),
                       np.arange(1000, 1000 + n, dtype=np.int64),
                       np.ones((n, len(FACTS)), np.float32))
    data = signs.concat(blank)
    target = train_content.train_content(data, tmp_path / "run", tmp_path / "models", "c0",
                                         ContentTrainConfig(epochs=3, batch=16, lr=5e-3),
                                         progress=False)
    metrics = json.loads((target / "metrics.json").read_text())
    assert metrics["non_sign_crops"] == n
    val = split_mask(data.scene_seeds)
    n_sign_val = int((val & (data.tax_types != content_data.NOT_A_SIGN)).sum())
    assert metrics["validation"]["n"] == n_sign_val  # sign facts over sign crops only
    # Nothing is bright on them: the network learnt "no Thai" there as on the dark signs.
    assert metrics["validation_non_sign_blank"] >= 0.9
    assert metrics["history"][-1]["non_sign_blank"] == metrics["validation_non_sign_blank"]
    assert "away from every sign" in (target / "model_card.md").read_text()


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


def test_one_cycle_rate_warms_up_peaks_and_anneals() -> None:
    lr = 1e-3
    rates = [train_content.one_cycle_lr(p / 100, lr) for p in range(101)]
    assert rates[0] == pytest.approx(lr / train_content.START_DIV)
    assert max(rates) == pytest.approx(lr) == rates[30]
    assert rates[100] == pytest.approx(lr / train_content.FINAL_DIV)
    assert all(a <= b for a, b in zip(rates[:31], rates[1:31], strict=False))
    assert all(a >= b for a, b in zip(rates[30:], rates[31:], strict=False))
    assert train_content.one_cycle_lr(7.0, lr) == rates[100]  # past the end: stays annealed


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"arch": "facts-xl"}, "arch must be one of"),
    ({"device": "tpu"}, "device must be cpu, cuda or cuda:N"),
    ({"time_budget_s": 0.0}, "time budget must be > 0"),
    ({"epochs": 0}, "epochs, batch >= 1"),
])
def test_impossible_training_settings_are_refused(kwargs, message) -> None:
    with pytest.raises(ValueError, match=message):
        ContentTrainConfig(**kwargs)


def test_a_time_budget_ends_the_run_early_and_still_writes_the_model(tmp_path) -> None:
    data = _toy_set(200)
    config = ContentTrainConfig(epochs=200, batch=16, lr=5e-3, time_budget_s=2.0)
    target = train_content.train_content(data, tmp_path / "run", tmp_path / "models", "c0",
                                         config, progress=False)
    metrics = json.loads((target / "metrics.json").read_text())
    steps_per_epoch = -(-int((~split_mask(data.scene_seeds)).sum()) // 16)
    assert 1 <= metrics["epochs_run"] < 200
    assert 1 <= metrics["steps"] < 200 * steps_per_epoch
    assert metrics["wall_s"] < 2.0 + 10.0  # at most the epoch under way, and its validation
    assert "time budget 0.0 min" in (target / "model_card.md").read_text()
    ContentClassifier(target).facts(np.ascontiguousarray(data.images[0]))


def test_the_wide_network_trains_is_stored_in_half_precision_and_loads(tmp_path) -> None:
    import torch

    data = _toy_set(24)
    config = ContentTrainConfig(epochs=1, batch=8, arch="facts-m")
    target = train_content.train_content(data, tmp_path / "run", tmp_path / "models", "m0",
                                         config, progress=False)
    blob = torch.load(target / "weights.pt", map_location="cpu", weights_only=True)
    assert blob["arch"] == "facts-m" and blob["format_version"] == 3
    floats = [v for v in blob["state_dict"].values() if v.is_floating_point()]
    assert floats and all(v.dtype == torch.float16 for v in floats)
    assert json.loads((target / "metrics.json").read_text())["arch"] == "facts-m"
    clf = ContentClassifier(target)
    assert clf.arch == "facts-m"
    facts = clf.facts(np.ascontiguousarray(data.images[0]))
    assert 0.0 <= facts.thai <= 1.0
    # Trained on from it, the run keeps its architecture whatever the config names.
    more = train_content.train_content(data, tmp_path / "run2", tmp_path / "models", "m1",
                                       ContentTrainConfig(epochs=1, batch=8),
                                       init_from=target, progress=False)
    assert ContentClassifier(more).arch == "facts-m"


def test_an_unknown_architecture_is_a_clear_error(tmp_path) -> None:
    import torch

    with pytest.raises(ValueError, match="unknown content network architecture"):
        build_network(arch="facts-xl")
    torch.save({"format_version": 3, "facts": list(FACTS), "arch": "facts-xl",
                "input_hw_px": list(INPUT_HW_PX), "state_dict": {}}, tmp_path / "weights.pt")
    with pytest.raises(ModelLoadError, match="facts-xl"):
        ContentClassifier(tmp_path)


def test_augmentation_is_photometric_seeded_and_turns_bgr_into_rgb() -> None:
    import torch

    blue = np.zeros((64, 32, 96, 3), np.uint8)
    blue[..., 0] = 200  # BGR: blue
    batch = torch.from_numpy(blue)

    def run(seed: int):
        gen = torch.Generator()
        gen.manual_seed(seed)
        return train_content.augment(batch, gen)

    x = run(1)
    assert x.shape == (64, 3, 32, 96) and x.dtype == torch.float32
    assert float(x.min()) >= 0.0 and float(x.max()) <= 1.0
    assert torch.equal(x, run(1)) and not torch.equal(x, run(2))
    per_channel = x.mean(dim=(2, 3))  # N x RGB
    # blue is channel 2 in RGB; only inverted samples (about 10 %) turn that round
    assert float((per_channel[:, 2] > per_channel[:, 0]).float().mean()) > 0.7


def test_crops_travel_as_one_jpeg_packed_file(tmp_path) -> None:
    data = _toy_set(12)
    path = tmp_path / "crops.npz"
    content_data.save_crops(data, path)
    back = content_data.load_crops(path)
    assert back.images.shape == data.images.shape
    # JPEG drops the toy set's pixel noise but keeps colours and shapes
    assert np.abs(back.images.mean(axis=(1, 2)) - data.images.mean(axis=(1, 2))).max() < 2
    assert back.images[1, 30:60, 20:50].mean() > 200 > 100 > back.images[0, 30:60, 20:50].mean()
    for field in ("labels", "tax_types", "scene_seeds", "known"):
        assert np.array_equal(getattr(back, field), getattr(data, field))
    assert path.stat().st_size < data.images.nbytes / 3
    (tmp_path / "bad.npz").write_bytes(b"not numpy")
    with pytest.raises(ValueError, match="not a crops file"):
        content_data.load_crops(tmp_path / "bad.npz")


def test_rendering_within_a_time_budget_keeps_a_whole_prefix(tmp_path, monkeypatch) -> None:
    import time

    monkeypatch.setattr(content_data, "CHUNK_SCENES", 2)
    first = content_data.SYNTH_CONTENT_TRAIN_FIRST_SEED
    rendered = []

    def slow_chunk(first_seed, n, size_wh, path, number_lines):
        rendered.append(first_seed)
        time.sleep(0.3)
        small = _toy_set(n)
        np.savez_compressed(path, images=small.images, labels=small.labels,
                            tax_types=small.tax_types,
                            scene_seeds=np.arange(first_seed, first_seed + n, dtype=np.int64))
        return n

    monkeypatch.setattr(content_data, "_chunk", slow_chunk)
    with pytest.raises(ValueError, match="no scene chunk"):
        build_content_set(tmp_path / "none", 10, progress=False, render_budget_s=1e-9)
    data = build_content_set(tmp_path / "some", 10, progress=False, render_budget_s=0.45)
    assert rendered == [first, first + 2]  # the second started in time, the third did not
    assert data.scene_seeds.tolist() == list(range(first, first + 4))
