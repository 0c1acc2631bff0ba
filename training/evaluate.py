"""Evaluate a detector on a YOLO dataset's validation split with ultralytics' metrics."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class ClassMetrics:
    name: str
    images: int
    instances: int
    precision: float
    recall: float
    map50: float
    map50_95: float


@dataclass(frozen=True, slots=True)
class DetectMetrics:
    split: str
    imgsz: int
    precision: float
    recall: float
    map50: float
    map50_95: float
    per_class: tuple[ClassMetrics, ...]

    def to_dict(self) -> dict:
        return asdict(self)


def evaluate_detector(weights: Path, data_yaml: Path, *, imgsz: int, split: str = "val",
                      conf: float = 0.001, batch: int = 8) -> DetectMetrics:
    """mAP at the usual low confidence; precision/recall at ultralytics' best-F1 threshold."""
    from vision.detector import import_yolo

    YOLO = import_yolo()

    model = YOLO(str(weights), task="detect")
    res = model.val(data=str(data_yaml), split=split, imgsz=imgsz, batch=batch, conf=conf,
                    device="cpu", plots=False, verbose=False, workers=0)
    box = res.box
    names = res.names
    per_class = []
    stats_nt = getattr(res, "nt_per_class", None)
    stats_ni = getattr(res, "nt_per_image", None)
    for i, cls_idx in enumerate(box.ap_class_index):
        p, r, ap50, ap = box.class_result(i)
        per_class.append(ClassMetrics(
            name=names[int(cls_idx)],
            images=int(stats_ni[cls_idx]) if stats_ni is not None else -1,
            instances=int(stats_nt[cls_idx]) if stats_nt is not None else -1,
            precision=round(float(p), 4), recall=round(float(r), 4),
            map50=round(float(ap50), 4), map50_95=round(float(ap), 4)))
    return DetectMetrics(split=split, imgsz=imgsz, precision=round(float(box.mp), 4),
                         recall=round(float(box.mr), 4), map50=round(float(box.map50), 4),
                         map50_95=round(float(box.map), 4), per_class=tuple(per_class))
