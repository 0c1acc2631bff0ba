"""Real sign crops without Thai as training negatives for the content network, and the split
that keeps half of the real photos out of its training.

Why: a network that has seen only rendered signs takes real Cyrillic or Vietnamese it cannot
read for Thai (``vision.content.fusion``). The labelled real photos in ``../shared/data/``
carry no Thai at all, so every sign in them is a known "no Thai" (and so "no Thai below
foreign"); which foreign scripts and whether there are pictures is *not* labelled, so those
facts are masked out of the loss (:attr:`training.content_data.ContentSet.known`).

The split is per photo: a photo is held out when :func:`real_photo_held_out` says so, and then
none of its signs is trained on. ``signtax eval content`` reports the real "no Thai" rate on
the held-out photos' crops.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np

from datasets.split import is_validation
from vision.content.classifier import FACTS, INPUT_HW_PX, letterbox
from vision.content.samples import REAL_DATASETS, RealCrop, iter_real_crops

REAL_CONTENT_SPLIT_SEED = 0
# Half, not the detector's 15 %: the "no Thai" target is a rate over held-out crops, and
# 15 % of 650 would be too few to tell 95 % from 99 %.
REAL_CONTENT_HELD_OUT_FRACTION = 0.5
# Sign classes per data set (see ../shared/data/README.md): facades-spb 1 cantilever,
# 3 signboard, 4 window advertisement; signboards-vn 0 signboard.
REAL_SIGN_CLASSES: dict[str, tuple[int, ...]] = {"facades-spb": (1, 3, 4), "signboards-vn": (0,)}
MIN_TRAIN_BOX_WH_PX = (48, 20)
MAX_BOXES_PER_PHOTO = 6  # the largest; facades can carry dozens of tiny window stickers
BOX_COPIES = 2  # the box as labelled, and once with its sides moved by up to BOX_JITTER
BOX_JITTER = 0.05
KNOWN_REAL_FACTS = ("thai", "below")


def real_photo_held_out(dataset: str, stem: str) -> bool:
    """True for photos the content network never trains on (the real evaluation's crops)."""
    return is_validation(f"content/{dataset}/{stem}", seed=REAL_CONTENT_SPLIT_SEED,
                         val_fraction=REAL_CONTENT_HELD_OUT_FRACTION)


def held_out_real_crops(
    data_root: Path, *, per_dataset: int | None = None, within_first: int | None = None
) -> Iterator[tuple[str, int, RealCrop]]:
    """(dataset, photo index, crop) of the evaluation's real crops (the largest labelled sign
    of each photo) from the held-out photos: at most ``per_dataset`` per set, and only among
    its first ``within_first`` photos (name order). Missing sets are skipped."""
    for dataset, class_id in REAL_DATASETS:
        d = data_root / dataset
        if not d.is_dir():
            continue
        taken = 0
        for index, crop in enumerate(iter_real_crops(d, class_id)):
            if (per_dataset is not None and taken >= per_dataset) or (
                    within_first is not None and index >= within_first):
                break
            if real_photo_held_out(dataset, crop.name.split("/", 1)[1]):
                taken += 1
                yield dataset, index, crop


def _boxes(label_path: Path, classes: tuple[int, ...], w: int, h: int) -> list[tuple]:
    out = []
    for line in label_path.read_text().splitlines():
        parts = line.split()
        if len(parts) < 5 or int(parts[0]) not in classes:
            continue
        cx, cy, bw, bh = (float(v) for v in parts[1:5])
        x1, y1 = (cx - bw / 2) * w, (cy - bh / 2) * h
        x2, y2 = (cx + bw / 2) * w, (cy + bh / 2) * h
        if x2 - x1 >= MIN_TRAIN_BOX_WH_PX[0] and y2 - y1 >= MIN_TRAIN_BOX_WH_PX[1]:
            out.append((x1, y1, x2, y2))
    out.sort(key=lambda b: (b[2] - b[0]) * (b[3] - b[1]), reverse=True)
    return out[:MAX_BOXES_PER_PHOTO]


def _cut(image: np.ndarray, box: tuple, rng: np.random.Generator | None) -> np.ndarray | None:
    x1, y1, x2, y2 = box
    if rng is not None:  # each side moved by up to BOX_JITTER of the box's extent
        bw, bh = x2 - x1, y2 - y1
        dx1, dx2, dy1, dy2 = rng.uniform(-BOX_JITTER, BOX_JITTER, 4)
        x1, x2, y1, y2 = x1 + dx1 * bw, x2 + dx2 * bw, y1 + dy1 * bh, y2 + dy2 * bh
    h, w = image.shape[:2]
    x1, y1 = max(0, round(x1)), max(0, round(y1))
    x2, y2 = min(w, round(x2)), min(h, round(y2))
    if x2 - x1 < 8 or y2 - y1 < 8:
        return None
    return image[y1:y2, x1:x2]


def iter_real_training_crops(
    data_root: Path, input_hw_px: tuple[int, int] = INPUT_HW_PX
) -> Iterator[tuple[str, int, np.ndarray]]:
    """(dataset, photo index, letterboxed crop) for the signs of the photos *not* held out."""
    for dataset, classes in REAL_SIGN_CLASSES.items():
        d = data_root / dataset
        if not d.is_dir():
            continue
        images = {p.stem: p for p in (d / "images" / "train").iterdir() if p.is_file()}
        for index, label in enumerate(sorted((d / "labels" / "train").glob("*.txt"))):
            path = images.get(label.stem)
            if path is None or real_photo_held_out(dataset, label.stem):
                continue
            image = cv2.imread(str(path), cv2.IMREAD_COLOR)
            if image is None:
                continue
            rng = np.random.default_rng(index)
            for box in _boxes(label, classes, image.shape[1], image.shape[0]):
                for copy in range(BOX_COPIES):
                    crop = _cut(image, box, rng if copy else None)
                    if crop is not None:
                        yield dataset, index, letterbox(crop, input_hw_px)


def real_negative_labels(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Labels (all facts 0) and the known-mask (only :data:`KNOWN_REAL_FACTS`) for ``n`` crops."""
    labels = np.zeros((n, len(FACTS)), np.float32)
    known = np.zeros((n, len(FACTS)), np.float32)
    for f in KNOWN_REAL_FACTS:
        known[:, FACTS.index(f)] = 1.0
    return labels, known
