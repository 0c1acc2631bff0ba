"""Real-data import, the seeded split, and the YOLO dataset folder."""

from __future__ import annotations

from collections import Counter

import pytest

from datasets.build import build_real_dataset
from datasets.errors import DatasetFormatError
from datasets.real import CLASS_NAMES, load_all
from datasets.split import is_validation
from datasets.yolo import read_labels


def test_split_is_stable_and_near_the_fraction():
    keys = [f"src/img_{i}.jpg" for i in range(4000)]
    first = [is_validation(k, seed=3, val_fraction=0.2) for k in keys]
    again = [is_validation(k, seed=3, val_fraction=0.2) for k in reversed(keys)][::-1]
    assert first == again
    assert 0.17 < sum(first) / len(first) < 0.23
    other_seed = [is_validation(k, seed=4, val_fraction=0.2) for k in keys]
    assert first != other_seed


@pytest.mark.parametrize("bad", [0.0, 1.0, -0.1])
def test_split_rejects_bad_fraction(bad):
    with pytest.raises(ValueError, match="val_fraction"):
        is_validation("x", seed=0, val_fraction=bad)


@pytest.mark.parametrize(
    ("line", "message"),
    [("3 0.5 0.5 0.1", "expected 5 fields"), ("x 0.5 0.5 0.1 0.1", "invalid literal"),
     ("0 1.7 0.5 0.1 0.1", "cx must be normalised")],
)
def test_bad_label_lines_name_file_and_line(tmp_path, line, message):
    f = tmp_path / "a.txt"
    f.write_text("0 0.5 0.5 0.2 0.2\n" + line + "\n")
    with pytest.raises(DatasetFormatError, match=rf"a.txt:2: .*{message}"):
        read_labels(f)


def test_real_sources_map_to_project_classes(shared_data):
    items = load_all(shared_data)
    assert len(items) == 740
    counts = Counter(CLASS_NAMES[b.class_id].value for it in items for b in it.boxes)
    # facades-spb windows/arches/doors are dropped; all three sign classes are present.
    assert set(counts) == {"signboard", "projecting_sign", "window_ad"}
    assert counts["signboard"] > counts["projecting_sign"] > counts["window_ad"] > 100


def test_build_dataset_links_images_and_writes_labels(shared_data, tmp_path):
    built = build_real_dataset(shared_data, tmp_path / "ds", seed=0, val_fraction=0.15)
    assert built.counts["train"]["images"] + built.counts["val"]["images"] == 740
    val_imgs = list((tmp_path / "ds/images/val").iterdir())
    assert len(val_imgs) == built.counts["val"]["images"]
    assert all(p.is_symlink() for p in val_imgs)  # shared photos are linked, never copied
    assert "names:" in built.data_yaml.read_text()
    again = build_real_dataset(shared_data, tmp_path / "ds2", seed=0, val_fraction=0.15)
    assert again.counts == built.counts
