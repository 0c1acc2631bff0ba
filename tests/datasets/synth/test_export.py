"""Sample folders and ultralytics pose datasets (synthetic and real, mixable)."""

from __future__ import annotations

import json

import pytest

from datasets.errors import DatasetError
from datasets.synth import SignKind, SynthConfig, from_json
from datasets.synth.export import (
    DEFAULT_CLASS_MAP,
    add_real_to_pose,
    write_pose_dataset,
    write_samples,
)

TINY = SynthConfig(size_wh=(320, 240))


@pytest.fixture(scope="module")
def sample_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("synth")
    write_samples(out, range(5, 8), TINY)
    return out


def _parse(path):
    rows = []
    for line in path.read_text().splitlines():
        parts = line.split()
        assert len(parts) == 17, line
        rows.append((int(parts[0]), [float(p) for p in parts[1:]]))
    return rows


def test_sample_folder_has_images_labels_and_manifest(sample_dir):
    manifest = json.loads((sample_dir / "manifest.json").read_text())
    assert manifest["images"] == 3 and manifest["seeds"] == {"first": 5, "last": 7, "count": 3}
    assert manifest["config"]["size_wh"] == [320, 240]
    assert sorted(p.name for p in (sample_dir / "images").iterdir()) == \
        ["00000005.jpg", "00000006.jpg", "00000007.jpg"]
    labels = [from_json(json.loads(p.read_text())) for p in sorted((sample_dir / "labels").glob("*.json"))]
    total = sum(manifest["signs_by_kind"].values())
    assert total == sum(len(lab.signs) for lab in labels) > 0


def test_default_class_map_covers_every_kind():
    assert set(DEFAULT_CLASS_MAP) == set(SignKind)
    assert DEFAULT_CLASS_MAP[SignKind.LED_DISPLAY] == "led_display"
    assert DEFAULT_CLASS_MAP[SignKind.ROAD_SIGN] == "government_sign"


def test_pose_dataset_lines_parse_and_are_normalised(sample_dir, tmp_path):
    counts = write_pose_dataset(sample_dir, tmp_path, val_fraction=0.3)
    assert counts["train"].get("images", 0) + counts["val"].get("images", 0) == 3
    yaml = (tmp_path / "data.yaml").read_text()
    assert "kpt_shape: [4, 3]" in yaml and "flip_idx: [1, 0, 3, 2]" in yaml
    assert "0: signboard" in yaml and "4: government_sign" in yaml
    n = 0
    for path in tmp_path.glob("labels/*/*.txt"):
        image = tmp_path / "images" / path.parent.name / f"{path.stem}.jpg"
        assert image.is_symlink() and image.exists()
        for cls, values in _parse(path):
            assert 0 <= cls < 5
            coords = values[:4] + values[4::3] + values[5::3]
            assert all(0.0 <= v <= 1.0 for v in coords)
            assert values[2] > 0 and values[3] > 0
            assert all(v in (0.0, 1.0, 2.0) for v in values[6::3])
            n += 1
    assert n > 0


def test_kinds_mapped_to_none_are_left_out(sample_dir, tmp_path):
    only_fascia = {k: ("signboard" if k is SignKind.FASCIA else None) for k in SignKind}
    write_pose_dataset(sample_dir, tmp_path, class_map=only_fascia)
    labels = [from_json(json.loads(p.read_text())) for p in (sample_dir / "labels").glob("*.json")]
    n_fascia = sum(1 for lab in labels for s in lab.signs if s.kind is SignKind.FASCIA)
    lines = [r for p in tmp_path.glob("labels/*/*.txt") for r in _parse(p)]
    assert len(lines) <= n_fascia and all(cls == 0 for cls, _ in lines)


def test_class_names_must_cover_the_map(sample_dir, tmp_path):
    with pytest.raises(DatasetError, match="led_display"):
        write_pose_dataset(sample_dir, tmp_path, class_names=["signboard", "projecting_sign"])


def test_unfinished_sample_folder_is_refused(tmp_path):
    with pytest.raises(DatasetError, match="manifest"):
        write_pose_dataset(tmp_path, tmp_path / "pose")


def test_real_boxes_become_pose_lines_with_unlabelled_keypoints(shared_data, tmp_path):
    names = list(dict.fromkeys(v for v in DEFAULT_CLASS_MAP.values() if v))
    counts = add_real_to_pose(shared_data, tmp_path, class_names=names)
    assert counts["train"]["images"] + counts["val"]["images"] >= 700
    rows = [r for p in sorted(tmp_path.glob("labels/*/*.txt"))[:50] for r in _parse(p)]
    assert rows
    for cls, values in rows:
        assert cls in (0, 1, 2)
        assert all(v == 0.0 for v in values[6::3])
        cx, cy, w, h = values[:4]
        assert values[4] == pytest.approx(max(0.0, cx - w / 2), abs=1e-5)


def test_pose_dataset_uses_only_the_manifest_samples(sample_dir, tmp_path):
    stale = sample_dir / "labels" / "99999999.json"
    stale.write_text((sample_dir / "labels" / "00000005.json").read_text())
    try:
        write_pose_dataset(sample_dir, tmp_path)
    finally:
        stale.unlink()
    assert len(list(tmp_path.glob("labels/*/*.txt"))) == 3


@pytest.mark.parametrize("seeds", [[], [1, 1], [-1]])
def test_write_samples_rejects_bad_seed_lists(tmp_path, seeds):
    with pytest.raises(DatasetError, match="seed"):
        write_samples(tmp_path, seeds, TINY)


def test_parallel_rendering_writes_the_same_samples(sample_dir, tmp_path):
    write_samples(tmp_path, range(5, 8), TINY, workers=2)
    for stem in ("00000005", "00000006", "00000007"):
        assert (tmp_path / "images" / f"{stem}.jpg").read_bytes() == \
            (sample_dir / "images" / f"{stem}.jpg").read_bytes()
        assert (tmp_path / "labels" / f"{stem}.json").read_text() == \
            (sample_dir / "labels" / f"{stem}.json").read_text()


def test_an_interrupted_render_resumes_without_redoing_finished_samples(sample_dir, tmp_path):
    write_samples(tmp_path, range(5, 7), TINY)
    (tmp_path / "manifest.json").unlink()  # as if the run had died before finishing
    image6 = tmp_path / "images" / "00000006.jpg"
    image6.write_bytes(b"left alone when reused")
    (tmp_path / "labels" / "00000005.json").unlink()  # died between image and label
    written = write_samples(tmp_path, range(5, 8), TINY)
    assert written.images == 3
    assert image6.read_bytes() == b"left alone when reused"  # seed 6 was not rendered again
    for stem in ("00000005", "00000007"):
        assert (tmp_path / "images" / f"{stem}.jpg").read_bytes() == \
            (sample_dir / "images" / f"{stem}.jpg").read_bytes()
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["signs_by_kind"] == json.loads(
        (sample_dir / "manifest.json").read_text())["signs_by_kind"]


def test_a_render_with_other_settings_is_never_reused(tmp_path):
    write_samples(tmp_path, range(5, 6), TINY)
    image = tmp_path / "images" / "00000005.jpg"
    image.write_bytes(b"stale")
    write_samples(tmp_path, range(5, 6), TINY, jpeg_quality=80)
    assert image.read_bytes() != b"stale"
