"""Self-contained, smaller copies of a built dataset, for training on another machine.

A built dataset symlinks the shared photos and the full-size synthetic renders; a GPU machine
needs real files, and the transfer is limited. :func:`pack_dataset` re-encodes every image
with its long side capped (labels are normalised to the image, so they are copied unchanged)
and writes a ``data.yaml`` without ``path:``: ultralytics then finds the folders next to it,
wherever the pack is unpacked.

:func:`detect_view` derives a box-only dataset (the plain baseline's) from a pose dataset:
the same images and split, each label line cut to ``cls cx cy w h``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import yaml

from datasets.errors import DatasetError

SPLITS = ("train", "val")
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".bmp")
ENCODE_PARAMS = {".webp": cv2.IMWRITE_WEBP_QUALITY, ".jpg": cv2.IMWRITE_JPEG_QUALITY}


@dataclass(frozen=True, slots=True)
class PackedDataset:
    root: Path
    data_yaml: Path
    images: int
    image_bytes: int


def read_data_yaml(data_yaml: Path) -> dict:
    if not data_yaml.is_file():
        raise DatasetError(f"dataset description not found: {data_yaml}")
    spec = yaml.safe_load(data_yaml.read_text())
    if not isinstance(spec, dict) or "names" not in spec:
        raise DatasetError(f"{data_yaml} is not an ultralytics dataset description (no names)")
    return spec


def _split_dir(data_yaml: Path, spec: dict, split: str) -> Path:
    # ultralytics' rule: a relative ``path`` (or none) is taken from the yaml's folder.
    root = data_yaml.parent / spec["path"] if spec.get("path") else data_yaml.parent
    rel = spec.get(split)
    if not isinstance(rel, str):
        raise DatasetError(f"{data_yaml}: '{split}' must name one image folder")
    return root / rel


def _labels_dir(images_dir: Path) -> Path:
    # ultralytics' rule: the last "images" path component becomes "labels".
    parts = list(images_dir.parts)
    idx = len(parts) - 1 - parts[::-1].index("images")
    parts[idx] = "labels"
    return Path(*parts)


def _split_images(data_yaml: Path, spec: dict, split: str, out_dir: Path
                  ) -> tuple[list[Path], Path, Path, Path]:
    """Source images and labels folder of ``split``, and its created output folders."""
    src_images = _split_dir(data_yaml, spec, split)
    dst_images, dst_labels = out_dir / "images" / split, out_dir / "labels" / split
    dst_images.mkdir(parents=True, exist_ok=True)
    dst_labels.mkdir(parents=True, exist_ok=True)
    images = [p for p in sorted(src_images.iterdir()) if p.suffix.lower() in IMAGE_SUFFIXES]
    return images, _labels_dir(src_images), dst_images, dst_labels


def _write_yaml(out_dir: Path, spec: dict) -> Path:
    keep = {k: spec[k] for k in ("kpt_shape", "flip_idx") if k in spec}
    text = yaml.safe_dump({"train": "images/train", "val": "images/val", **keep,
                           "names": spec["names"]}, sort_keys=False, allow_unicode=True)
    path = out_dir / "data.yaml"
    path.write_text(text)
    return path


def _shrink(image: np.ndarray, max_side_px: int) -> np.ndarray:
    h, w = image.shape[:2]
    scale = max_side_px / max(h, w)
    if scale >= 1.0:
        return image
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    return cv2.resize(image, size, interpolation=cv2.INTER_AREA)


def pack_dataset(data_yaml: Path, out_dir: Path, *, max_side_px: int = 640,
                 image_suffix: str = ".webp", quality: int = 80,
                 progress: Callable[[int], None] | None = None) -> PackedDataset:
    """Copy the dataset of ``data_yaml`` into ``out_dir`` with smaller images."""
    if max_side_px < 32:
        raise DatasetError(f"max_side_px must be >= 32, got {max_side_px}")
    if image_suffix not in ENCODE_PARAMS:
        raise DatasetError(f"image_suffix must be one of {sorted(ENCODE_PARAMS)}")
    if not 1 <= quality <= 100:
        raise DatasetError(f"quality must be in 1..100, got {quality}")
    spec = read_data_yaml(data_yaml)
    n_images = n_bytes = 0
    for split in SPLITS:
        images, src_labels, dst_images, dst_labels = _split_images(data_yaml, spec, split, out_dir)
        for src in images:
            # IMREAD_COLOR applies EXIF orientation, as ultralytics does; the copy has none.
            image = cv2.imread(str(src), cv2.IMREAD_COLOR)
            if image is None:
                raise DatasetError(f"cannot decode {src}")
            ok, buf = cv2.imencode(image_suffix, _shrink(image, max_side_px),
                                   [ENCODE_PARAMS[image_suffix], quality])
            if not ok:
                raise DatasetError(f"cannot encode {src} as {image_suffix}")
            (dst_images / f"{src.stem}{image_suffix}").write_bytes(buf.tobytes())
            label = src_labels / f"{src.stem}.txt"
            text = label.read_text() if label.is_file() else ""
            (dst_labels / f"{src.stem}.txt").write_text(text)
            n_images += 1
            n_bytes += len(buf)
            if progress is not None:
                progress(1)
    manifest = data_yaml.parent / "manifest.json"
    if manifest.is_file():  # the counts and split seed travel with the pack
        (out_dir / "manifest.json").write_text(manifest.read_text())
    return PackedDataset(out_dir, _write_yaml(out_dir, spec), n_images, n_bytes)


def detect_view(pose_yaml: Path, out_dir: Path, *, stem_prefix: str = "",
                class_names: Sequence[str] | None = None) -> Path:
    """A box-only dataset over the images of a pose dataset whose stems start with
    ``stem_prefix`` (e.g. ``real__``); images are linked relatively, so the view moves with
    the pack. Returns its ``data.yaml``."""
    spec = read_data_yaml(pose_yaml)
    names = dict(enumerate(class_names)) if class_names is not None else spec["names"]
    n = 0
    for split in SPLITS:
        images, src_labels, dst_images, dst_labels = _split_images(pose_yaml, spec, split, out_dir)
        for src in (p for p in images if p.name.startswith(stem_prefix)):
            label = src_labels / f"{src.stem}.txt"
            lines = label.read_text().splitlines() if label.is_file() else []
            boxes = [" ".join(ln.split()[:5]) for ln in lines if ln.strip()]
            if any(int(b.split()[0]) not in names for b in boxes):
                raise DatasetError(f"{label}: a class id is outside the view's class names")
            link = dst_images / src.name
            if link.is_symlink() or link.exists():
                link.unlink()
            os.symlink(os.path.relpath(src.resolve(), dst_images.resolve()), link)
            (dst_labels / f"{src.stem}.txt").write_text("".join(b + "\n" for b in boxes))
            n += 1
    if n == 0:
        raise DatasetError(f"no images with stems starting {stem_prefix!r} in {pose_yaml}")
    return _write_yaml(out_dir, {"names": names})


def rare_class_factors(class_sets: Sequence[frozenset[int]], threshold: float) -> list[float]:
    """Repeat factor sampling (Gupta et al., LVIS, 2019): each image's factor is the largest
    ``max(1, sqrt(threshold / f_c))`` over the classes ``c`` it shows, where ``f_c`` is the
    share of the images showing ``c``; an image of common classes only, or of none, keeps 1.

    Why: a class seen in few photos (window advertising: 43 of the 621 real training photos)
    weighs little in an epoch however often all the photos are listed; listing the photos
    that show it more often weighs it more without copying a byte, and the square root keeps
    a rare class from swamping the rest. ``threshold`` 0 gives every image 1. (On the CPU
    round v9c, 2026-11-29, it did not lift the real window ads: README, measured figures.)
    """
    if not 0.0 <= threshold <= 1.0:
        raise DatasetError(f"rare-class threshold must be within 0..1, got {threshold}")
    n = len(class_sets)
    counts: dict[int, int] = {}
    for classes in class_sets:
        for c in classes:
            counts[c] = counts.get(c, 0) + 1
    class_factor = {c: max(1.0, (threshold / (k / n)) ** 0.5) for c, k in counts.items()}
    return [max((class_factor[c] for c in classes), default=1.0) for classes in class_sets]


def _label_classes(label: Path) -> frozenset[int]:
    if not label.is_file():
        return frozenset()
    return frozenset(int(float(ln.split()[0])) for ln in label.read_text().splitlines()
                     if ln.strip())


def repeated_view(data_yaml: Path, *, stem_prefix: str, repeat: int,
                  rare_threshold: float = 0.0) -> Path:
    """A dataset description beside ``data_yaml`` whose training list names each training
    image whose stem starts with ``stem_prefix`` ``repeat`` times (the others once); the
    validation split is unchanged. With ``rare_threshold`` > 0 each such image is listed
    ``round(repeat * factor)`` times, ``factor`` from :func:`rare_class_factors` over the
    chosen images. Returns the new yaml, ``data_yaml`` itself when nothing is repeated.

    Why: the real photos are what the detector is measured on and are outnumbered by the
    synthetic scenes; listing them again weighs them more without copying a byte. The list
    holds absolute paths (ultralytics reads list entries as given), so it is written where
    training runs, not packed.
    """
    if repeat < 1:
        raise DatasetError(f"repeat must be >= 1, got {repeat}")
    if repeat == 1 and rare_threshold == 0.0:
        return data_yaml
    spec = read_data_yaml(data_yaml)
    train_dir = _split_dir(data_yaml, spec, "train")
    images = sorted(p for p in train_dir.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
    chosen = [p for p in images if p.name.startswith(stem_prefix)]
    if not chosen:
        raise DatasetError(f"no training images with stems starting {stem_prefix!r} in "
                           f"{data_yaml}: nothing to repeat")
    labels = _labels_dir(train_dir)
    factors = rare_class_factors([_label_classes(labels / f"{p.stem}.txt") for p in chosen],
                                 rare_threshold)
    copies = {p.name: max(1, round(repeat * f)) for p, f in zip(chosen, factors, strict=True)}
    rare = f"-rare{rare_threshold:g}" if rare_threshold else ""
    stem = f"{data_yaml.stem}-{stem_prefix.strip('_') or 'prefix'}x{repeat}{rare}"
    listing = data_yaml.parent / f"{stem}-train.txt"
    # Absolute but not resolved: a locally built dataset links its images to the shared photos
    # and the rendered scenes, and ultralytics finds each label by swapping "images" for
    # "labels" in the path it is given; a resolved link would send it to the source folder,
    # where there is no YOLO label (every real photo "corrupt", every scene a background).
    lines = [os.path.abspath(p) for p in images for _ in range(copies.get(p.name, 1))]
    listing.write_text("".join(ln + "\n" for ln in lines))
    val = _split_dir(data_yaml, spec, "val").resolve()
    keep = {k: spec[k] for k in ("kpt_shape", "flip_idx") if k in spec}
    out = data_yaml.parent / f"{stem}.yaml"
    out.write_text(yaml.safe_dump({"train": str(listing.resolve()), "val": str(val), **keep,
                                   "names": spec["names"]}, sort_keys=False, allow_unicode=True))
    return out
