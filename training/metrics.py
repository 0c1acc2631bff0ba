"""Detection metrics in plain numpy: AP per class, per box size, precision/recall at a threshold.

Matches ultralytics/COCO conventions where they matter: greedy matching by score, a prediction
matches the highest-IoU unmatched ground truth of its class, 101-point interpolated AP,
AP50-95 averaged over IoU 0.50:0.05:0.95. Size buckets use COCO's absolute pixel areas of the
*ground truth* box (small < 32², medium < 96², large otherwise); predictions matched to a
ground truth inherit its bucket, unmatched predictions are assigned by their own area.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

IOU_THRESHOLDS = np.linspace(0.5, 0.95, 10)
SIZE_BUCKETS = ("small", "medium", "large")


@dataclass(frozen=True, slots=True)
class ImageBoxes:
    """Boxes of one image: ``xyxy`` (N,4) pixels, ``cls`` (N,), ``score`` (N,) (1 for truth)."""

    xyxy: np.ndarray
    cls: np.ndarray
    score: np.ndarray

    @staticmethod
    def empty() -> ImageBoxes:
        return ImageBoxes(np.zeros((0, 4)), np.zeros(0, int), np.zeros(0))

    def classes_merged(self) -> ImageBoxes:
        """The same boxes as one class (a sign found under the wrong kind is still found)."""
        return ImageBoxes(self.xyxy, np.zeros_like(self.cls), self.score)


@dataclass(frozen=True, slots=True)
class APResult:
    n_truth: int
    n_pred: int
    ap50: float
    ap50_95: float
    precision: float  # at the operating threshold
    recall: float


def size_bucket(xyxy: np.ndarray) -> np.ndarray:
    area = (xyxy[:, 2] - xyxy[:, 0]) * (xyxy[:, 3] - xyxy[:, 1])
    return np.where(area < 32**2, 0, np.where(area < 96**2, 1, 2))


def iou_matrix(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    if len(a) == 0 or len(b) == 0:
        return np.zeros((len(a), len(b)))
    x1 = np.maximum(a[:, None, 0], b[None, :, 0])
    y1 = np.maximum(a[:, None, 1], b[None, :, 1])
    x2 = np.minimum(a[:, None, 2], b[None, :, 2])
    y2 = np.minimum(a[:, None, 3], b[None, :, 3])
    inter = np.clip(x2 - x1, 0, None) * np.clip(y2 - y1, 0, None)
    area_a = (a[:, 2] - a[:, 0]) * (a[:, 3] - a[:, 1])
    area_b = (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])
    return inter / np.maximum(area_a[:, None] + area_b[None, :] - inter, 1e-9)


def _match(pred: ImageBoxes, truth: ImageBoxes) -> tuple[np.ndarray, np.ndarray]:
    """Per prediction: true-positive flags at each IoU threshold (P,10), and matched truth idx at 0.5."""
    tp = np.zeros((len(pred.score), len(IOU_THRESHOLDS)), bool)
    matched_at_50 = np.full(len(pred.score), -1)
    if len(pred.score) == 0 or len(truth.cls) == 0:
        return tp, matched_at_50
    ious = iou_matrix(pred.xyxy, truth.xyxy)
    ious[pred.cls[:, None] != truth.cls[None, :]] = 0.0
    order = np.argsort(-pred.score, kind="stable")
    for t, thr in enumerate(IOU_THRESHOLDS):
        taken = np.zeros(len(truth.cls), bool)
        for p in order:
            cand = np.where(~taken & (ious[p] >= thr))[0]
            if len(cand):
                g = cand[np.argmax(ious[p, cand])]
                taken[g] = True
                tp[p, t] = True
                if t == 0:
                    matched_at_50[p] = g
    return tp, matched_at_50


def predictions_matched(pred: ImageBoxes, truth: ImageBoxes) -> np.ndarray:
    """Per prediction, the index of the true box it matches at IoU >= 0.5 (-1: none), as the
    mAP and recall figures match them (most confident prediction first, one truth each,
    same class)."""
    return _match(pred, truth)[1]


def truths_found(pred: ImageBoxes, truth: ImageBoxes) -> np.ndarray:
    """Per true box, whether a prediction matches it (:func:`predictions_matched`)."""
    found = np.zeros(len(truth.cls), bool)
    matched_at_50 = predictions_matched(pred, truth)
    found[matched_at_50[matched_at_50 >= 0]] = True
    return found


@dataclass(frozen=True, slots=True)
class ImageMatch:
    """One image's predictions scored against its truth at IoU 0.5 (as :func:`evaluate` scores
    them), kept so that resampled sets of images can be scored without matching again."""

    cls: np.ndarray  # (P,) class per prediction
    score: np.ndarray  # (P,)
    tp50: np.ndarray  # (P,) bool: matched a true box of its class at IoU >= 0.5
    truth_cls: np.ndarray  # (T,) class per true box


def match_image(pred: ImageBoxes, truth: ImageBoxes) -> ImageMatch:
    tp, _ = _match(pred, truth)
    return ImageMatch(pred.cls.astype(int), pred.score.astype(float), tp[:, 0].copy(),
                      truth.cls.astype(int))


def ap50_and_recall(matches: Sequence[ImageMatch], *, n_classes: int,
                    conf_threshold: float) -> tuple[float, float]:
    """Mean AP50 and mean recall at ``conf_threshold`` over the classes with truth, the figures
    :func:`evaluate` reports as ``["all"]["all"]`` for the same images."""
    cls = np.concatenate([m.cls for m in matches]) if matches else np.zeros(0, int)
    score = np.concatenate([m.score for m in matches]) if matches else np.zeros(0)
    tp = np.concatenate([m.tp50 for m in matches]) if matches else np.zeros(0, bool)
    truth = np.bincount(np.concatenate([m.truth_cls for m in matches]).astype(int)
                        if matches else np.zeros(0, int), minlength=n_classes)
    aps, recalls = [], []
    for c in range(n_classes):
        if truth[c] == 0:
            continue
        sel = cls == c
        aps.append(float(_ap(tp[sel][:, None], score[sel], int(truth[c]))[0]))
        recalls.append(int((tp & sel & (score >= conf_threshold)).sum()) / int(truth[c]))
    if not aps:
        return float("nan"), float("nan")
    return float(np.mean(aps)), float(np.mean(recalls))


def _ap(tp: np.ndarray, scores: np.ndarray, n_truth: int) -> np.ndarray:
    """101-point interpolated AP per IoU threshold column of ``tp``."""
    if n_truth == 0:
        return np.full(tp.shape[1], np.nan)
    if len(scores) == 0:
        return np.zeros(tp.shape[1])
    order = np.argsort(-scores, kind="stable")
    tpc = np.cumsum(tp[order], axis=0)
    fpc = np.cumsum(~tp[order], axis=0)
    recall = tpc / n_truth
    precision = tpc / np.maximum(tpc + fpc, 1e-9)
    grid = np.linspace(0, 1, 101)
    out = np.zeros(tp.shape[1])
    for t in range(tp.shape[1]):
        envelope = np.maximum.accumulate(precision[::-1, t])[::-1]
        idx = np.searchsorted(recall[:, t], grid, side="left")
        out[t] = np.mean(np.where(idx < len(envelope), envelope[np.minimum(idx, len(envelope) - 1)], 0.0))
    return out


def evaluate(preds: Sequence[ImageBoxes], truths: Sequence[ImageBoxes], *, n_classes: int,
             conf_threshold: float) -> dict[str, dict[str, APResult]]:
    """{"all"|class index str: {"all"|"small"|"medium"|"large": APResult}}."""
    if len(preds) != len(truths):
        raise ValueError(f"preds and truths must pair up, got {len(preds)} and {len(truths)}")
    rows = []  # (cls, bucket, score, tp[10]) per prediction
    truth_counts = np.zeros((n_classes, 3), int)
    for pred, truth in zip(preds, truths, strict=True):
        tp, matched = _match(pred, truth)
        t_bucket = size_bucket(truth.xyxy) if len(truth.cls) else np.zeros(0, int)
        p_bucket = size_bucket(pred.xyxy) if len(pred.score) else np.zeros(0, int)
        for c, b in zip(truth.cls, t_bucket, strict=True):
            truth_counts[int(c), int(b)] += 1
        for i in range(len(pred.score)):
            bucket = t_bucket[matched[i]] if matched[i] >= 0 else p_bucket[i]
            rows.append((int(pred.cls[i]), int(bucket), float(pred.score[i]), tp[i]))
    cls_arr = np.array([r[0] for r in rows], int)
    bucket_arr = np.array([r[1] for r in rows], int)
    score_arr = np.array([r[2] for r in rows], float)
    tp_arr = np.array([r[3] for r in rows], bool).reshape(-1, len(IOU_THRESHOLDS))

    def result(sel: np.ndarray, n_truth: int) -> APResult:
        ap = _ap(tp_arr[sel], score_arr[sel], n_truth)
        keep = sel & (score_arr >= conf_threshold)
        n_tp = int(tp_arr[keep, 0].sum())
        n_kept = int(keep.sum())
        return APResult(
            n_truth=n_truth, n_pred=int(sel.sum()),
            ap50=float(ap[0]), ap50_95=float(np.mean(ap)),
            precision=n_tp / n_kept if n_kept else float("nan"),
            recall=n_tp / n_truth if n_truth else float("nan"),
        )

    out: dict[str, dict[str, APResult]] = {}
    for c in [None, *range(n_classes)]:
        key = "all" if c is None else str(c)
        by_cls = np.ones(len(rows), bool) if c is None else cls_arr == c
        counts = truth_counts.sum(axis=0) if c is None else truth_counts[c]
        per = {"all": _merge(result, by_cls, int(counts.sum()), c, cls_arr, truth_counts, n_classes)}
        for b, name in enumerate(SIZE_BUCKETS):
            per[name] = _merge(result, by_cls & (bucket_arr == b), int(counts[b]), c, cls_arr,
                               truth_counts[:, b:b + 1], n_classes)
        out[key] = per
    return out


def _merge(result, sel, n_truth, c, cls_arr, counts, n_classes) -> APResult:
    """For one class: direct. For "all": mean over classes with ground truth (like mAP)."""
    if c is not None:
        return result(sel, n_truth)
    per_class = [result(sel & (cls_arr == k), int(counts[k].sum())) for k in range(n_classes)
                 if counts[k].sum() > 0]
    if not per_class:
        return APResult(0, int(sel.sum()), float("nan"), float("nan"), float("nan"), float("nan"))

    def mean(name: str) -> float:
        vals = [getattr(r, name) for r in per_class if not np.isnan(getattr(r, name))]
        return float(np.mean(vals)) if vals else float("nan")

    return APResult(n_truth=n_truth, n_pred=int(sel.sum()), ap50=mean("ap50"),
                    ap50_95=mean("ap50_95"), precision=mean("precision"), recall=mean("recall"))
