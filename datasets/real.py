"""Import the real labelled photos in ``../shared/data/real`` into the project's classes.

Each source folder has its own class ids; ``SOURCES`` maps them onto ``vision.types.SignClass``.
Building-part classes (window, arch, door) are dropped: they are not signs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from datasets.split import is_validation
from datasets.yolo import YoloBox, read_labels
from vision.types import SignClass

# Order defines the class ids of every dataset and model this project builds.
CLASS_NAMES: tuple[SignClass, ...] = (
    SignClass.SIGNBOARD,
    SignClass.PROJECTING_SIGN,
    SignClass.WINDOW_AD,
)
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png")


@dataclass(frozen=True, slots=True)
class RealSource:
    name: str
    class_map: Mapping[int, SignClass]  # source class id -> project class


SOURCES: tuple[RealSource, ...] = (
    RealSource(
        "facades-spb",
        {1: SignClass.PROJECTING_SIGN, 3: SignClass.SIGNBOARD, 4: SignClass.WINDOW_AD},
    ),
    RealSource("signboards-vn", {0: SignClass.SIGNBOARD}),
)


@dataclass(frozen=True, slots=True)
class LabelledImage:
    source: str
    image_path: Path
    boxes: tuple[YoloBox, ...]  # class ids are indices into CLASS_NAMES

    @property
    def split_key(self) -> str:
        """The key of the seeded train/validation split: ``source/filename``."""
        return f"{self.source}/{self.image_path.name}"

    def in_validation(self, *, seed: int, val_fraction: float) -> bool:
        return is_validation(self.split_key, seed=seed, val_fraction=val_fraction)


def class_id(sign_class: SignClass) -> int:
    return CLASS_NAMES.index(sign_class)


def load_source(root: Path, source: RealSource) -> list[LabelledImage]:
    """All images of one source with labels mapped to project classes (sorted by name)."""
    img_dir = root / source.name / "images" / "train"
    lbl_dir = root / source.name / "labels" / "train"
    items = []
    for img in sorted(img_dir.iterdir()):
        if img.suffix.lower() not in IMAGE_SUFFIXES:
            continue
        boxes = tuple(
            YoloBox(class_id(source.class_map[b.class_id]), b.cx, b.cy, b.w, b.h)
            for b in read_labels(lbl_dir / f"{img.stem}.txt")
            if b.class_id in source.class_map
        )
        items.append(LabelledImage(source.name, img, boxes))
    return items


def load_all(root: Path) -> list[LabelledImage]:
    out: list[LabelledImage] = []
    for source in SOURCES:
        if (root / source.name).is_dir():
            out.extend(load_source(root, source))
    return out


def training_photos(root: Path, *, seed: int, val_fraction: float) -> tuple[str, ...]:
    """Paths of the photos in the training half of the seeded split (sorted, as strings).

    For whatever borrows pixels from the real photos (the renderer's poster pictures): a
    validation photo must never reach training, not even as a picture inside a scene."""
    return tuple(str(it.image_path) for it in load_all(root)
                 if not it.in_validation(seed=seed, val_fraction=val_fraction))
