"""Evaluate the shipped detection path on the held-out real photos, per class and per box size.

Runs the product's own detector adapter (``vision.detector``) rather than ultralytics' val,
so the figure describes what ``signtax scan`` does (same pre-processing, same thresholds).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from datasets.real import CLASS_NAMES, LabelledImage, load_all
from datasets.split import is_validation
from training.metrics import SIZE_BUCKETS, APResult, ImageBoxes, evaluate
from vision.detector import DetectorConfig, YoloDetector
from vision.image import load_photo_file

AP_CONFIDENCE_MIN = 0.001  # AP needs the whole precision-recall curve


@dataclass(frozen=True, slots=True)
class DetectReport:
    model_version: str
    n_images: int
    conf_threshold: float
    by_source: dict[str, dict[str, dict[str, APResult]]]  # source -> class -> bucket -> result

    def to_dict(self) -> dict:
        def num(v: float) -> float | None:
            return None if np.isnan(v) else round(v, 4)

        def res(r: APResult) -> dict:
            return {"gt": r.n_truth, "predictions": r.n_pred, "map50": num(r.ap50),
                    "map50_95": num(r.ap50_95), "precision": num(r.precision),
                    "recall": num(r.recall)}

        return {"model": self.model_version, "images": self.n_images,
                "conf_threshold": self.conf_threshold,
                "by_source": {s: {c: {b: res(r) for b, r in per.items()} for c, per in cls.items()}
                              for s, cls in self.by_source.items()}}


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
    index = {c: i for i, c in enumerate(CLASS_NAMES)}
    per_source: dict[str, tuple[list, list]] = {}
    for item in tqdm(items, desc="evaluating", unit="photo", file=sys.stderr,
                     disable=not progress):
        photo = load_photo_file(item.image_path)
        dets = detector.detect(photo)
        pred = ImageBoxes(np.array([d.bbox_xyxy for d in dets], float).reshape(-1, 4),
                          np.array([index[d.sign_class] for d in dets], int),
                          np.array([d.confidence for d in dets], float))
        truth = ImageBoxes(
            np.array([b.xyxy_px(photo.size_wh) for b in item.boxes], float).reshape(-1, 4),
            np.array([b.class_id for b in item.boxes], int), np.ones(len(item.boxes)))
        for key in (item.source, "all"):
            preds, truths = per_source.setdefault(key, ([], []))
            preds.append(pred)
            truths.append(truth)
    by_source = {}
    for source, (preds, truths) in per_source.items():
        raw = evaluate(preds, truths, n_classes=len(CLASS_NAMES), conf_threshold=conf_threshold)
        by_source[source] = {("all" if k == "all" else CLASS_NAMES[int(k)].value): v
                             for k, v in raw.items()}
    return DetectReport(detector.version, len(items), conf_threshold, by_source)


def _fmt(v: float) -> str:
    return "-" if v is None or (isinstance(v, float) and np.isnan(v)) else f"{v:.3f}"


def report_markdown(report: DetectReport) -> str:
    lines = [f"Detector {report.model_version} on {report.n_images} held-out real photos; "
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
    return "\n".join(lines)
