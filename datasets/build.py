"""Build a YOLO detection dataset folder (images linked, labels written) plus a manifest."""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from datasets.errors import DatasetError
from datasets.real import CLASS_NAMES, LabelledImage, load_all
from datasets.yolo import write_labels

# Stems of real photos in a mixed (synthetic + real) dataset start with this, so views and
# weighting can pick them out by name.
REAL_STEM_PREFIX = "real__"


@dataclass(frozen=True, slots=True)
class BuiltDataset:
    root: Path
    data_yaml: Path
    counts: dict  # {"train": {"images": n, "boxes": {...}}, "val": {...}}


def link_file(src: Path, dst: Path) -> None:
    """Symlink ``dst`` to ``src`` (replacing it): shared photos are linked, never copied."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    if dst.is_symlink() or dst.exists():
        dst.unlink()
    os.symlink(src.resolve(), dst)


def build_detect_dataset(
    items: list[LabelledImage], out_dir: Path, *, seed: int, val_fraction: float
) -> BuiltDataset:
    """Write ``out_dir/{images,labels}/{train,val}`` and ``data.yaml``.

    The split is per image, keyed by ``source/filename`` so it is stable across runs.
    Images are symlinked: the shared photos are read-only and must not be copied.
    """
    if not items:
        raise DatasetError("no labelled images found to build a dataset from")
    counts: dict[str, dict] = {s: {"images": 0, "boxes": Counter()} for s in ("train", "val")}
    manifest = []
    for item in items:
        key = item.split_key
        split = "val" if item.in_validation(seed=seed, val_fraction=val_fraction) else "train"
        stem = f"{item.source}__{item.image_path.stem}"
        link_file(item.image_path, out_dir / "images" / split / f"{stem}{item.image_path.suffix}")
        write_labels(out_dir / "labels" / split / f"{stem}.txt", item.boxes)
        counts[split]["images"] += 1
        counts[split]["boxes"].update(CLASS_NAMES[b.class_id].value for b in item.boxes)
        manifest.append({"key": key, "split": split, "boxes": len(item.boxes)})
    names = "\n".join(f"  {i}: {c.value}" for i, c in enumerate(CLASS_NAMES))
    data_yaml = out_dir / "data.yaml"
    data_yaml.write_text(
        f"path: {out_dir.resolve()}\ntrain: images/train\nval: images/val\nnames:\n{names}\n"
    )
    plain_counts = {s: {"images": c["images"], "boxes": dict(c["boxes"])} for s, c in counts.items()}
    (out_dir / "manifest.json").write_text(
        json.dumps({"seed": seed, "val_fraction": val_fraction, "counts": plain_counts,
                    "items": manifest}, indent=1)
    )
    return BuiltDataset(out_dir, data_yaml, plain_counts)


def build_real_dataset(data_root: Path, out_dir: Path, *, seed: int = 0,
                       val_fraction: float = 0.15, limit: int | None = None) -> BuiltDataset:
    items = load_all(data_root)
    if limit is not None:
        # Spread a small sample over all sources rather than taking the first folder only.
        step = max(1, len(items) // limit)
        items = items[::step][:limit]
    return build_detect_dataset(items, out_dir, seed=seed, val_fraction=val_fraction)
