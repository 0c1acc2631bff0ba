"""Evaluate the shipped detection path per class and per box size: on the held-out real photos,
and on freshly rendered synthetic scenes, where the exact corners also give the corner error.

Runs the product's own detector adapter (``vision.detector``) rather than ultralytics' val,
so the figure describes what ``signtax scan`` does (same pre-processing, same thresholds).

Synthetic scenes use seeds from :data:`SYNTH_EVAL_FIRST_SEED` on: training renders seeds
``seed * 1_000_000 + i`` (``i`` < its sample count), so for training seeds below 900 these
scenes were never trained on, which is stricter than a split of the training renders.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from datasets.real import CLASS_NAMES, LabelledImage, load_all
from datasets.split import is_validation
from training.metrics import SIZE_BUCKETS, APResult, ImageBoxes, evaluate, iou_matrix
from vision.detector import DetectorConfig, YoloDetector
from vision.image import load_preview, read_photo_file
from vision.types import Detection, SignClass

AP_CONFIDENCE_MIN = 0.001  # AP needs the whole precision-recall curve
SYNTH_EVAL_FIRST_SEED = 900_000_000
CORNER_SCALE_LONG_SIDE_PX = 640  # corner errors are reported as if the photo were this size
CORNER_MATCH_IOU = 0.5
ANY_SIGN = "any_sign"

# The real photos are labelled with three classes. There an LED display is a signboard, and
# government signs are not labelled at all, so a 5-class model's government signs are left out.
REAL_CLASS_INDEX: dict[SignClass, int] = {c: i for i, c in enumerate(CLASS_NAMES)} | {
    SignClass.LED_DISPLAY: CLASS_NAMES.index(SignClass.SIGNBOARD)}


@dataclass(frozen=True, slots=True)
class CornerErrors:
    """Per matched sign, the mean distance of its 4 predicted corners from the true ones, in
    pixels of the photo scaled to a :data:`CORNER_SCALE_LONG_SIDE_PX` long side."""

    n_signs: int  # true signs with all 4 corners in the image, matched by a detection
    n_from_keypoints: int  # of those, how many detections gave keypoint corners (not box ones)
    median_px: float
    p90_px: float
    mean_px: float

    def to_dict(self) -> dict:
        return {"signs": self.n_signs, "from_keypoints": self.n_from_keypoints,
                "median_px": _num(self.median_px), "p90_px": _num(self.p90_px),
                "mean_px": _num(self.mean_px),
                "scaled_to_long_side_px": CORNER_SCALE_LONG_SIDE_PX}


def _num(v: float) -> float | None:
    return None if np.isnan(v) else round(v, 4)


@dataclass(frozen=True, slots=True)
class DetectReport:
    model_version: str
    n_images: int
    conf_threshold: float
    by_source: dict[str, dict[str, dict[str, APResult]]]  # source -> class -> bucket -> result
    corners: CornerErrors | None = None  # synthetic data only: real photos have no corners
    description: str = "held-out real photos"

    def to_dict(self) -> dict:
        def res(r: APResult) -> dict:
            return {"gt": r.n_truth, "predictions": r.n_pred, "map50": _num(r.ap50),
                    "map50_95": _num(r.ap50_95), "precision": _num(r.precision),
                    "recall": _num(r.recall)}

        out = {"model": self.model_version, "images": self.n_images,
               "description": self.description, "conf_threshold": self.conf_threshold,
               "by_source": {s: {c: {b: res(r) for b, r in per.items()} for c, per in cls.items()}
                             for s, cls in self.by_source.items()}}
        if self.corners is not None:
            out["corners"] = self.corners.to_dict()
        return out


def validation_items(data_root: Path, *, seed: int, val_fraction: float) -> list[LabelledImage]:
    return [it for it in load_all(data_root)
            if is_validation(f"{it.source}/{it.image_path.name}", seed=seed,
                             val_fraction=val_fraction)]


def evaluate_real(model_dir: Path, data_root: Path, *, seed: int = 0, val_fraction: float = 0.15,
                  conf_threshold: float = 0.25, progress: bool = True) -> DetectReport:
    from tqdm import tqdm

    detector = YoloDetector(model_dir, DetectorConfig(confidence_min=AP_CONFIDENCE_MIN,
                                                      max_detections=300))
    items = validation_items(data_root, seed=seed, val_fraction=val_fraction)
    per_source: dict[str, tuple[list, list]] = {}
    for item in tqdm(items, desc="evaluating", unit="photo", file=sys.stderr,
                     disable=not progress):
        # The path ``signtax scan`` ships: reduced decode, boxes mapped to the full photo.
        preview = load_preview(read_photo_file(item.image_path),
                               min_long_side_px=detector.input_size_px)
        dets = [d for d in detector.detect_preview(preview) if d.sign_class in REAL_CLASS_INDEX]
        pred = _pred_boxes(dets, REAL_CLASS_INDEX)
        truth = ImageBoxes(
            np.array([b.xyxy_px(preview.full_size_wh) for b in item.boxes], float).reshape(-1, 4),
            np.array([b.class_id for b in item.boxes], int), np.ones(len(item.boxes)))
        for key in (item.source, "all"):
            preds, truths = per_source.setdefault(key, ([], []))
            preds.append(pred)
            truths.append(truth)
    names = [c.value for c in CLASS_NAMES]
    by_source = {source: _per_class(preds, truths, names, conf_threshold)
                 for source, (preds, truths) in per_source.items()}
    return DetectReport(detector.version, len(items), conf_threshold, by_source)


def _class_agnostic(boxes: list[ImageBoxes]) -> list[ImageBoxes]:
    return [ImageBoxes(b.xyxy, np.zeros_like(b.cls), b.score) for b in boxes]


def _per_class(preds: list[ImageBoxes], truths: list[ImageBoxes], names: list[str],
               conf_threshold: float) -> dict[str, dict[str, APResult]]:
    """Per class, their mean ("all"), and ``any_sign``: every class merged into one, which is
    what matters for the tax roll (a sign found under the wrong kind is still found)."""
    raw = evaluate(preds, truths, n_classes=len(names), conf_threshold=conf_threshold)
    out = {("all" if k == "all" else names[int(k)]): v for k, v in raw.items()}
    merged = evaluate(_class_agnostic(preds), _class_agnostic(truths), n_classes=1,
                      conf_threshold=conf_threshold)
    out[ANY_SIGN] = merged["0"]
    return out


def _pred_boxes(dets: list[Detection], index: dict[SignClass, int]) -> ImageBoxes:
    return ImageBoxes(np.array([d.bbox_xyxy for d in dets], float).reshape(-1, 4),
                      np.array([index[d.sign_class] for d in dets], int),
                      np.array([d.confidence for d in dets], float))


def _sign_corner_errors(dets: list[Detection], truth_xyxy: np.ndarray, truth_corners: list,
                        conf_threshold: float, scale: float) -> list[tuple[float, bool]]:
    """(scaled mean corner error, came from keypoints) per true sign matched at IoU >= 0.5."""
    kept = [d for d in dets if d.confidence >= conf_threshold]
    if not kept or not len(truth_xyxy):
        return []
    ious = iou_matrix(truth_xyxy, np.array([d.bbox_xyxy for d in kept], float))
    out = []
    for g, corners in enumerate(truth_corners):
        if corners is None:
            continue
        best = int(np.argmax(ious[g]))
        if ious[g, best] < CORNER_MATCH_IOU:
            continue
        # ultralytics' coordinates put pixel centres at i + 0.5; the labels at integers.
        pred = np.array(kept[best].corners_px, float) - 0.5
        err = float(np.mean(np.linalg.norm(pred - np.array(corners, float), axis=1)))
        out.append((err * scale, kept[best].corners_source == "keypoints"))
    return out


def evaluate_synthetic(model_dir: Path, *, n_images: int = 200,
                       first_seed: int = SYNTH_EVAL_FIRST_SEED,
                       size_wh: tuple[int, int] = (960, 720), conf_threshold: float = 0.25,
                       workers: int = 1, progress: bool = True) -> DetectReport:
    """Boxes per class and size, and corner errors, on ``n_images`` freshly rendered scenes."""
    from tqdm import tqdm

    from datasets.mixed import POSE_CLASS_NAMES
    from datasets.synth import SynthConfig
    from datasets.synth.export import DEFAULT_CLASS_MAP, PoseFilter, render_many

    detector = YoloDetector(model_dir, DetectorConfig(confidence_min=AP_CONFIDENCE_MIN,
                                                      max_detections=300))
    index = {SignClass(name): i for i, name in enumerate(POSE_CLASS_NAMES)}
    keep = PoseFilter()
    preds, truths, errors = [], [], []
    seeds = list(range(first_seed, first_seed + n_images))
    # Training images were JPEG quality 95 too, so the test sees the same artefacts.
    rendered = render_many(seeds, SynthConfig(size_wh=size_wh), 95, workers)
    for seed, jpeg, label in tqdm(rendered, total=n_images, desc="synthetic", unit="scene",
                                  file=sys.stderr, disable=not progress):
        preview = load_preview(jpeg, min_long_side_px=detector.input_size_px,
                               source_name=f"synth-{seed}")
        dets = [d for d in detector.detect_preview(preview) if d.sign_class in index]
        signs = [s for s in label.signs
                 if DEFAULT_CLASS_MAP.get(s.kind) is not None and keep.keep(s)]
        truth_xyxy = np.array([s.box_xyxy for s in signs], float).reshape(-1, 4)
        truths.append(ImageBoxes(truth_xyxy, np.array(
            [POSE_CLASS_NAMES.index(DEFAULT_CLASS_MAP[s.kind]) for s in signs], int),
            np.ones(len(signs))))
        preds.append(_pred_boxes(dets, index))
        corners = [s.corners_px if all(s.corners_in_image) else None for s in signs]
        scale = CORNER_SCALE_LONG_SIDE_PX / max(preview.full_size_wh)
        errors += _sign_corner_errors(dets, truth_xyxy, corners, conf_threshold, scale)
    classes = _per_class(preds, truths, list(POSE_CLASS_NAMES), conf_threshold)
    errs = np.array([e for e, _ in errors], float)
    corner_errors = CornerErrors(
        n_signs=len(errs), n_from_keypoints=sum(1 for _, k in errors if k),
        median_px=float(np.median(errs)) if len(errs) else float("nan"),
        p90_px=float(np.percentile(errs, 90)) if len(errs) else float("nan"),
        mean_px=float(np.mean(errs)) if len(errs) else float("nan"))
    return DetectReport(detector.version, n_images, conf_threshold, {"synthetic": classes},
                        corners=corner_errors,
                        description=f"synthetic scenes {size_wh[0]}x{size_wh[1]}, seeds "
                                    f"{first_seed}..{first_seed + n_images - 1}")


def _fmt(v: float) -> str:
    return "-" if v is None or (isinstance(v, float) and np.isnan(v)) else f"{v:.3f}"


def report_markdown(report: DetectReport) -> str:
    lines = [f"Detector {report.model_version} on {report.n_images} {report.description}; "
             f"precision/recall at confidence {report.conf_threshold}.", ""]
    for source, classes in report.by_source.items():
        lines += [f"**{source}**", "",
                  "| class | size | GT | mAP50 | mAP50-95 | precision | recall |",
                  "|---|---|---|---|---|---|---|"]
        for cls_name, per in classes.items():
            for bucket in ("all", *SIZE_BUCKETS):
                r = per[bucket]
                if r.n_truth == 0 and bucket != "all":
                    continue
                lines.append(f"| {cls_name} | {bucket} | {r.n_truth} | {_fmt(r.ap50)} | "
                             f"{_fmt(r.ap50_95)} | {_fmt(r.precision)} | {_fmt(r.recall)} |")
        lines.append("")
    c = report.corners
    if c is not None:
        lines += [f"Corner error ({c.n_signs} matched signs with 4 corners in the image, "
                  f"{c.n_from_keypoints} with keypoint corners; pixels at a "
                  f"{CORNER_SCALE_LONG_SIDE_PX}-px long side): median {_fmt(c.median_px)}, "
                  f"90th percentile {_fmt(c.p90_px)}, mean {_fmt(c.mean_px)}.", ""]
    return "\n".join(lines)
