"""Pictures of what the detector missed and what it took for a sign, on the held-out real
photos, for the engineer who has to decide what the next model must learn.

A sign counts as found as ``any_sign`` recall counts it: a prediction at or above the
operating confidence, of any class, matched one to one at IoU >= 0.5 (most confident
first). Each photo with a miss or a false candidate becomes one JPEG (true boxes found in
green, missed in red; false candidates in orange, with class and confidence), ranked by
misses; ``misses.csv`` lists every miss and false candidate with the nearest box of the
other side, so the misses can be counted by class and size as well as looked at.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from training.metrics import ImageBoxes, iou_matrix, predictions_matched

FOUND_BGR = (60, 200, 60)
MISSED_BGR = (40, 40, 230)
FALSE_BGR = (0, 150, 255)
MAX_SIDE_PX = 1280  # pictures are for looking at, not for training


@dataclass(frozen=True, slots=True)
class BoxOutcome:
    """One missed true box or one false candidate, in photo pixels."""

    image: str  # source/filename
    kind: str  # "missed" or "false"
    class_name: str
    xyxy: tuple[float, float, float, float]
    score: float  # the candidate's confidence; 1 for a true box
    best_iou: float  # with the nearest box of the other side (0: none overlaps)
    nearest_class: str  # that box's class ("" when none overlaps)


@dataclass(frozen=True, slots=True)
class GalleryImage:
    path: Path  # the photo
    found: np.ndarray  # per true box
    false: np.ndarray  # per kept prediction: matched nothing
    kept: ImageBoxes  # predictions at or above the operating confidence
    truth: ImageBoxes
    outcomes: tuple[BoxOutcome, ...]

    @property
    def n_missed(self) -> int:
        return int((~self.found).sum())


def judge_image(path: Path, pred: ImageBoxes, truth: ImageBoxes, *, conf_threshold: float,
                class_names: Sequence[str]) -> GalleryImage:
    keep = pred.score >= conf_threshold
    kept = ImageBoxes(pred.xyxy[keep], pred.cls[keep], pred.score[keep])
    matched = predictions_matched(kept.classes_merged(), truth.classes_merged())
    found = np.zeros(len(truth.cls), bool)
    found[matched[matched >= 0]] = True
    false = matched < 0
    ious = iou_matrix(truth.xyxy, kept.xyxy)  # (truth, kept)
    name = f"{path.parent.parent.parent.name}/{path.name}"
    outcomes = []
    for t in np.where(~found)[0]:
        j = int(np.argmax(ious[t])) if ious.shape[1] else -1
        best = float(ious[t, j]) if j >= 0 else 0.0
        outcomes.append(BoxOutcome(name, "missed", class_names[int(truth.cls[t])],
                                   _box(truth.xyxy[t]), 1.0, best,
                                   class_names[int(kept.cls[j])] if best > 0 else ""))
    for p in np.where(false)[0]:
        t = int(np.argmax(ious[:, p])) if ious.shape[0] else -1
        best = float(ious[t, p]) if t >= 0 else 0.0
        outcomes.append(BoxOutcome(name, "false", class_names[int(kept.cls[p])],
                                   _box(kept.xyxy[p]), float(kept.score[p]), best,
                                   class_names[int(truth.cls[t])] if best > 0 else ""))
    return GalleryImage(path, found, false, kept, truth, tuple(outcomes))


def _box(xyxy: np.ndarray) -> tuple[float, float, float, float]:
    x1, y1, x2, y2 = (round(float(v), 1) for v in xyxy)
    return x1, y1, x2, y2


def draw(image: GalleryImage, class_names: Sequence[str]) -> np.ndarray | None:
    """The photo with the judged boxes; None if it cannot be read."""
    pixels = cv2.imread(str(image.path))  # applies the EXIF orientation, as the scan does
    if pixels is None:
        return None
    scale = min(1.0, MAX_SIDE_PX / max(pixels.shape[:2]))
    if scale < 1.0:
        pixels = cv2.resize(pixels, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    thick = max(2, round(max(pixels.shape[:2]) / 400))
    for xyxy, cls, ok in zip(image.truth.xyxy, image.truth.cls, image.found, strict=True):
        _rect(pixels, xyxy * scale, FOUND_BGR if ok else MISSED_BGR, thick * (1 if ok else 2))
        if not ok:
            _label(pixels, xyxy * scale, f"missed {class_names[int(cls)]}", MISSED_BGR)
    for xyxy, cls, score, bad in zip(image.kept.xyxy, image.kept.cls, image.kept.score,
                                     image.false, strict=True):
        if bad:
            _rect(pixels, xyxy * scale, FALSE_BGR, thick)
            _label(pixels, xyxy * scale, f"{class_names[int(cls)]} {score:.2f}", FALSE_BGR)
    return pixels


def _rect(pixels: np.ndarray, xyxy: np.ndarray, colour, thick: int) -> None:
    x1, y1, x2, y2 = (int(round(v)) for v in xyxy)
    cv2.rectangle(pixels, (x1, y1), (x2, y2), colour, thick)


def _label(pixels: np.ndarray, xyxy: np.ndarray, text: str, colour) -> None:
    x, y = int(xyxy[0]), max(14, int(xyxy[1]) - 4)
    cv2.putText(pixels, text, (x, y), cv2.FONT_HERSHEY_SIMPLEX, 0.5, (0, 0, 0), 3, cv2.LINE_AA)
    cv2.putText(pixels, text, (x, y), cv2.FONT_HERSHEY_SIMPLEX, 0.5, colour, 1, cv2.LINE_AA)


@dataclass(frozen=True, slots=True)
class GallerySummary:
    out_dir: Path
    pictures: int
    missed: int
    false: int
    truths: int


def write_gallery(images: Sequence[tuple[ImageBoxes, ImageBoxes]], paths: Sequence[Path],
                  out_dir: Path, *, conf_threshold: float, class_names: Sequence[str],
                  progress: bool = True) -> GallerySummary:
    """``images``/``paths``: a real run's (predictions, truth) per photo, in photo pixels,
    and the photos (``DetectReport.images`` / ``image_paths``)."""
    from tqdm import tqdm

    if len(images) != len(paths):
        raise ValueError("one photo path per judged image is needed")
    judged = [judge_image(path, pred, truth, conf_threshold=conf_threshold,
                          class_names=class_names)
              for (pred, truth), path in zip(images, paths, strict=True)]
    shown = sorted((j for j in judged if j.outcomes),
                   key=lambda j: (-j.n_missed, -int(j.false.sum()), str(j.path)))
    out_dir.mkdir(parents=True, exist_ok=True)
    written = 0
    for rank, image in enumerate(tqdm(shown, desc="drawing", unit="photo", file=sys.stderr,
                                      disable=not progress), start=1):
        pixels = draw(image, class_names)
        if pixels is None:
            continue
        name = image.outcomes[0].image.replace("/", "__")
        cv2.imwrite(str(out_dir / f"{rank:03d}-{Path(name).stem}.jpg"), pixels,
                    [cv2.IMWRITE_JPEG_QUALITY, 85])
        written += 1
    with (out_dir / "misses.csv").open("w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["image", "kind", "class", "x1", "y1", "x2", "y2", "side_px", "score",
                      "best_iou", "nearest_class"])
        for image in shown:
            for o in image.outcomes:
                x1, y1, x2, y2 = o.xyxy
                side = max(0.0, (x2 - x1) * (y2 - y1)) ** 0.5
                out.writerow([o.image, o.kind, o.class_name, x1, y1, x2, y2, round(side, 1),
                              round(o.score, 3), round(o.best_iou, 3), o.nearest_class])
    return GallerySummary(out_dir, written, sum(j.n_missed for j in judged),
                          sum(int(j.false.sum()) for j in judged),
                          sum(len(j.truth.cls) for j in judged))
