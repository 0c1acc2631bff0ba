"""Photographs as the pictures of posters, billboards and banners (training scenes only).

The procedural picture (:func:`datasets.synth.graphics.draw_picture`: a gradient with soft
blobs) is nothing like the printed photographs of real window posters: people, food, phones,
streets. v6avg misses 28 of the 29 held-out St Petersburg window advertisements; cut out with
their surroundings and run alone it finds 6 of them, all lettering, and none of the posters
and logos, while it finds the rendered posters (mAP50 0.85). So a training scene may take its
pictures from real photographs instead: a crop of a photo from the *training* half of the real
data, chosen from the scene's Generator, so a scene stays a pure function of its seed and its
config (the list of photos is part of the config).

For the detector only: a street photo carries its own shop signs, whose text the face's label
does not list, so the content labels of a face with a photo picture are incomplete
(``signtax train-content`` does not use the option).

Only crops are chosen at design time (:class:`PhotoCrop`, plain data); the pixels are read
when the face is painted, so designs stay small and picklable.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import cv2
import numpy as np

MIN_CROP_SHARE = 0.25  # a crop spans at least this share of the photo's shorter side
PHOTO_CACHE_SIZE = 16  # decoded photos kept per process (a scene uses a few)


@dataclass(frozen=True, slots=True)
class PhotoCrop:
    """Which part of which photo a face's picture shows; the rectangle in 0..1 of the photo."""

    path: str
    x0: float
    y0: float
    x1: float
    y1: float
    mirrored: bool = False

    def __post_init__(self) -> None:
        if not (0.0 <= self.x0 < self.x1 <= 1.0 and 0.0 <= self.y0 < self.y1 <= 1.0):
            raise ValueError(f"a photo crop lies within 0..1 with x0 < x1 and y0 < y1, got "
                             f"({self.x0}, {self.y0}, {self.x1}, {self.y1})")


def choose_photo_crop(rng: np.random.Generator, photos: tuple[str, ...],
                      aspect_wh: float) -> PhotoCrop:
    """A random crop of one of ``photos`` with about the picture's aspect (width / height).

    The photos' sizes are not known here (reading them would cost a decode per design), so
    the crop is chosen in normalised coordinates for a 4:3 landscape photo, the common case,
    and the painter stretches it slightly where the photo differs.
    """
    if not photos:
        raise ValueError("choose_photo_crop needs at least one photo")
    if not (np.isfinite(aspect_wh) and aspect_wh > 0):
        raise ValueError(f"aspect_wh must be positive, got {aspect_wh}")
    path = photos[int(rng.integers(len(photos)))]
    photo_aspect = 4.0 / 3.0
    side = float(rng.uniform(MIN_CROP_SHARE, 1.0))  # share of the photo's height
    h = side
    w = side * aspect_wh / photo_aspect
    if w > 1.0:  # wider than the photo: shrink both
        h, w = h / w, 1.0
    x0 = float(rng.uniform(0.0, 1.0 - w))
    y0 = float(rng.uniform(0.0, 1.0 - h))
    return PhotoCrop(path, x0, y0, min(1.0, x0 + w), min(1.0, y0 + h), bool(rng.random() < 0.5))


@lru_cache(maxsize=PHOTO_CACHE_SIZE)
def _photo(path: str) -> np.ndarray:
    # Half resolution is plenty: a poster's picture is rarely over 400 px in a scene.
    img = cv2.imread(path, cv2.IMREAD_REDUCED_COLOR_2)
    if img is None:
        raise ValueError(f"cannot read the photo {path} for a poster picture")
    return img


def paint_photo(dst: np.ndarray, box: tuple[int, int, int, int], crop: PhotoCrop,
                rng: np.random.Generator) -> None:
    """Fill ``box`` (xyxy in ``dst``, a BGRA face) with the crop, printed: a little more
    saturated and contrasted than the photo, as posters are."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    if w < 2 or h < 2:
        return
    img = _photo(crop.path)
    ih, iw = img.shape[:2]
    part = img[int(crop.y0 * ih):max(int(crop.y1 * ih), int(crop.y0 * ih) + 1),
               int(crop.x0 * iw):max(int(crop.x1 * iw), int(crop.x0 * iw) + 1)]
    if crop.mirrored:
        part = part[:, ::-1]
    interp = cv2.INTER_AREA if part.shape[1] > w else cv2.INTER_LINEAR
    pic = cv2.resize(part, (w, h), interpolation=interp).astype(np.float32)
    gain = float(rng.uniform(1.0, 1.3))
    mean = pic.mean(axis=(0, 1), keepdims=True)
    grey = pic.mean(axis=2, keepdims=True)
    pic = (pic - grey) * gain + grey  # saturation
    pic = (pic - mean) * float(rng.uniform(1.0, 1.2)) + mean  # contrast
    dst[y0:y1, x0:x1, :3] = np.clip(pic, 0, 255).astype(np.uint8)
    dst[y0:y1, x0:x1, 3] = 255
