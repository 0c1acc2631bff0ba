"""Packed datasets (smaller, self-contained copies) and box-only views of pose datasets."""

from __future__ import annotations

import shutil
from pathlib import Path

import cv2
import numpy as np
import pytest
import yaml

from datasets.errors import DatasetError
from datasets.pack import detect_view, pack_dataset, rare_class_factors, repeated_view

POSE_LINE = "1 0.5 0.5 0.2 0.1 0.4 0.45 2 0.6 0.45 2 0.6 0.55 2 0.4 0.55 1"


def _pose_dataset(root: Path, write_image) -> Path:
    """A pose dataset at ``root`` with an absolute ``path:``, two sources and both splits;
    ``write_image(path, stem)`` puts each image in place (a file, or a link to one)."""
    for split, stems in {"train": ["synth__1", "real__a__x"], "val": ["real__b__y"]}.items():
        (root / "images" / split).mkdir(parents=True)
        (root / "labels" / split).mkdir(parents=True)
        for stem in stems:
            write_image(root / "images" / split / f"{stem}.jpg", stem)
            (root / "labels" / split / f"{stem}.txt").write_text(POSE_LINE + "\n")
    (root / "data.yaml").write_text(
        f"path: {root}\ntrain: images/train\nval: images/val\nkpt_shape: [4, 3]\n"
        "flip_idx: [1, 0, 3, 2]\nnames:\n  0: signboard\n  1: projecting_sign\n")
    (root / "manifest.json").write_text('{"seed": 0}')
    return root / "data.yaml"


@pytest.fixture
def pose_dataset(tmp_path):
    rng = np.random.default_rng(0)
    return _pose_dataset(tmp_path / "built", lambda path, stem: cv2.imwrite(
        str(path), rng.integers(0, 255, (900, 1200, 3), dtype=np.uint8)))


def test_pack_shrinks_images_and_moves_with_its_folder(pose_dataset, tmp_path):
    packed = pack_dataset(pose_dataset, tmp_path / "pack", max_side_px=300)
    assert packed.images == 3
    moved = tmp_path / "elsewhere"
    shutil.move(str(packed.root), moved)
    shutil.rmtree(pose_dataset.parent)  # nothing may point back at the source
    spec = yaml.safe_load((moved / "data.yaml").read_text())
    assert "path" not in spec and spec["kpt_shape"] == [4, 3] and spec["flip_idx"] == [1, 0, 3, 2]
    assert spec["names"] == {0: "signboard", 1: "projecting_sign"}
    image = cv2.imread(str(moved / "images" / "train" / "synth__1.webp"))
    assert image.shape == (225, 300, 3)
    assert (moved / "labels" / "val" / "real__b__y.txt").read_text().strip() == POSE_LINE
    assert (moved / "manifest.json").read_text() == '{"seed": 0}'


def test_pack_rejects_a_folder_that_is_no_dataset(tmp_path):
    with pytest.raises(DatasetError, match="not found"):
        pack_dataset(tmp_path / "data.yaml", tmp_path / "out")
    (tmp_path / "data.yaml").write_text("train: images/train\n")
    with pytest.raises(DatasetError, match="no names"):
        pack_dataset(tmp_path / "data.yaml", tmp_path / "out")


def test_detect_view_keeps_real_photos_and_boxes_only(pose_dataset, tmp_path):
    packed = pack_dataset(pose_dataset, tmp_path / "pack", max_side_px=300)
    view_yaml = detect_view(packed.data_yaml, tmp_path / "pack-baseline", stem_prefix="real__",
                            class_names=["signboard", "projecting_sign", "window_ad"])
    view = view_yaml.parent
    assert sorted(p.name for p in (view / "images" / "train").iterdir()) == ["real__a__x.webp"]
    assert (view / "labels" / "train" / "real__a__x.txt").read_text() == "1 0.5 0.5 0.2 0.1\n"
    # Relative links: the view and its pack move together.
    moved = tmp_path / "moved"
    moved.mkdir()
    shutil.move(str(packed.root), moved / "pack")
    shutil.move(str(view), moved / "pack-baseline")
    assert cv2.imread(str(moved / "pack-baseline" / "images" / "val" / "real__b__y.webp")) is not None
    spec = yaml.safe_load((moved / "pack-baseline" / "data.yaml").read_text())
    assert "kpt_shape" not in spec and spec["names"][2] == "window_ad"


def test_detect_view_refuses_an_empty_selection(pose_dataset, tmp_path):
    with pytest.raises(DatasetError, match="no images"):
        detect_view(pose_dataset, tmp_path / "view", stem_prefix="nothing__")


def test_a_pack_is_found_through_a_relative_yaml_path(pose_dataset, tmp_path, monkeypatch):
    pack_dataset(pose_dataset, tmp_path / "pack", max_side_px=300)
    monkeypatch.chdir(tmp_path)
    view_yaml = detect_view(Path("pack/data.yaml"), Path("view"), stem_prefix="real__")
    assert len(list((tmp_path / "view" / "images" / "train").iterdir())) == 1
    assert view_yaml == Path("view/data.yaml")


def test_repeated_view_lists_chosen_training_images_again(pose_dataset, tmp_path):
    from ultralytics.data.dataset import YOLODataset
    from ultralytics.data.utils import check_det_dataset

    packed = pack_dataset(pose_dataset, tmp_path / "pack", max_side_px=300)
    view = repeated_view(packed.data_yaml, stem_prefix="real__", repeat=3)
    assert view.parent == packed.root and view != packed.data_yaml
    # ultralytics itself must resolve the list, keep the repeats and find every label.
    data = check_det_dataset(str(view))
    train = YOLODataset(img_path=data["train"], data=data, task="pose", augment=False)
    names = sorted(Path(f).name for f in train.im_files)
    assert names == ["real__a__x.webp"] * 3 + ["synth__1.webp"]
    assert all(len(lb["cls"]) == 1 for lb in train.labels)
    val = YOLODataset(img_path=data["val"], data=data, task="pose", augment=False)
    assert [Path(f).name for f in val.im_files] == ["real__b__y.webp"]


def test_repeated_view_of_a_linked_dataset_keeps_every_label(tmp_path):
    """A dataset built here links its images to their sources (the shared photos, the rendered
    scenes), whose folders hold no YOLO labels. Until 2026-11-28 the list named the links'
    targets, so ultralytics found no label: every real photo "corrupt", every scene a
    background, and a CPU run trained on nothing."""
    from ultralytics.data.dataset import YOLODataset
    from ultralytics.data.utils import check_det_dataset

    sources = tmp_path / "sources" / "images"
    sources.mkdir(parents=True)
    rng = np.random.default_rng(1)

    def linked(path: Path, stem: str) -> None:
        cv2.imwrite(str(sources / f"{stem}.jpg"),
                    rng.integers(0, 255, (120, 160, 3), dtype=np.uint8))
        path.symlink_to(sources / f"{stem}.jpg")

    data_yaml = _pose_dataset(tmp_path / "built", linked)
    view = repeated_view(data_yaml, stem_prefix="real__", repeat=2)
    data = check_det_dataset(str(view))
    train = YOLODataset(img_path=data["train"], data=data, task="pose", augment=False)
    assert sorted(Path(f).name for f in train.im_files) == ["real__a__x.jpg"] * 2 + ["synth__1.jpg"]
    assert len(train.labels) == 3 and all(len(lb["cls"]) == 1 for lb in train.labels)


def test_repeated_view_of_one_is_the_dataset_itself_and_refusals(pose_dataset, tmp_path):
    assert repeated_view(pose_dataset, stem_prefix="real__", repeat=1) == pose_dataset
    with pytest.raises(DatasetError, match="repeat must be"):
        repeated_view(pose_dataset, stem_prefix="real__", repeat=0)
    with pytest.raises(DatasetError, match="nothing to repeat"):
        repeated_view(pose_dataset, stem_prefix="nothing__", repeat=2)


def test_rare_class_factors_follow_the_square_root_rule():
    common, rare = frozenset({0}), frozenset({0, 2})
    # 10 images: class 0 in all, class 2 in one (share 0.1), class 1 in four (share 0.4).
    sets = [rare] + [frozenset({0, 1})] * 4 + [common] * 4 + [frozenset()]
    factors = rare_class_factors(sets, 0.4)
    assert factors[0] == pytest.approx(2.0)  # sqrt(0.4 / 0.1)
    assert factors[1:] == [1.0] * 9  # share 0.4 is not rare at 0.4; no label keeps 1
    assert rare_class_factors(sets, 0.0) == [1.0] * 10
    with pytest.raises(DatasetError, match="within 0..1"):
        rare_class_factors(sets, 1.5)


def test_repeated_view_lists_photos_of_a_rare_class_more_often(tmp_path):
    """Two real photos show class 1, six show class 0 only: at threshold 1 the class-1 photos
    have factor sqrt(1 / (2/8)) = 2, so with repeat 2 they are listed 4 times."""
    from ultralytics.data.dataset import YOLODataset
    from ultralytics.data.utils import check_det_dataset

    root = tmp_path / "built"
    rng = np.random.default_rng(2)
    stems = {"train": ["synth__1"] + [f"real__a__{i}" for i in range(8)], "val": ["real__b__y"]}
    for split, names in stems.items():
        (root / "images" / split).mkdir(parents=True)
        (root / "labels" / split).mkdir(parents=True)
        for stem in names:
            cv2.imwrite(str(root / "images" / split / f"{stem}.jpg"),
                        rng.integers(0, 255, (120, 160, 3), dtype=np.uint8))
            cls = 1 if stem in ("real__a__0", "real__a__1") else 0
            (root / "labels" / split / f"{stem}.txt").write_text(
                f"{cls}" + POSE_LINE[1:] + "\n")
    (root / "data.yaml").write_text(
        f"path: {root}\ntrain: images/train\nval: images/val\nkpt_shape: [4, 3]\n"
        "flip_idx: [1, 0, 3, 2]\nnames:\n  0: signboard\n  1: window_ad\n")
    view = repeated_view(root / "data.yaml", stem_prefix="real__", repeat=2, rare_threshold=1.0)
    assert view.name == "data-realx2-rare1.yaml"
    data = check_det_dataset(str(view))
    train = YOLODataset(img_path=data["train"], data=data, task="pose", augment=False)
    counts = {}
    for f in train.im_files:
        counts[Path(f).stem] = counts.get(Path(f).stem, 0) + 1
    assert counts == {"synth__1": 1, "real__a__0": 4, "real__a__1": 4,
                      **{f"real__a__{i}": 2 for i in range(2, 8)}}
    # Rare-class sampling alone, without a plain repeat, still writes a view.
    assert repeated_view(root / "data.yaml", stem_prefix="real__", repeat=1,
                         rare_threshold=1.0) != root / "data.yaml"
