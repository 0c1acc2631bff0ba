"""Paired comparison of two detectors on the same held-out images (:mod:`training.paired`):
both detectors are run on the same photos and scenes (:mod:`training.eval_detect`) and the
bootstrap draws images, not boxes, because the boxes of one photo are not independent (same
light, same street, same labeller).

On synthetic scenes that price their signs (``tax_found``), the share of the signs' yearly tax
the detector finds is a headline figure too: it is what the city loses on a missed sign.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from training.detect_money import PricedTruth
from training.eval_detect import ANY_SIGN, DetectReport
from training.metrics import ImageMatch, ap50_and_recall, match_image
from training.paired import DEFAULT_RESAMPLES, Comparison, PairedDelta, paired_deltas

HEADLINES = ("map50", "any_sign_map50", "any_sign_recall")
TAX_FOUND = "tax_found"  # a headline where the report priced its signs
@dataclass(frozen=True, slots=True)
class _Scored:
    """One model's matches on every image: per class and with the classes merged."""

    per_class: tuple[ImageMatch, ...]
    any_sign: tuple[ImageMatch, ...]
    baht: np.ndarray | None  # per image: (yearly tax of its taxable signs, of those found)


def _n_classes(report: DetectReport) -> int:
    classes = next(iter(report.by_source.values()))
    return sum(1 for name in classes if name not in ("all", ANY_SIGN))


def _baht(priced: tuple[tuple[PricedTruth, ...], ...]) -> np.ndarray | None:
    if not priced:
        return None
    return np.array([(float(sum(t.baht for t in scene)),
                      float(sum(t.baht for t in scene if t.found))) for scene in priced])


def _scored(report: DetectReport) -> _Scored:
    return _Scored(tuple(match_image(p, t) for p, t in report.images),
                   tuple(match_image(p.classes_merged(), t.classes_merged())
                         for p, t in report.images),
                   _baht(report.priced_images))


def _figures(scored: _Scored, idx: Sequence[int], n_classes: int,
             conf_threshold: float) -> tuple[float, ...]:
    """The HEADLINES (and TAX_FOUND where priced) of one model on the images ``idx`` (repeats
    allowed)."""
    map50, _ = ap50_and_recall([scored.per_class[i] for i in idx], n_classes=n_classes,
                               conf_threshold=conf_threshold)
    any_map50, any_recall = ap50_and_recall([scored.any_sign[i] for i in idx], n_classes=1,
                                            conf_threshold=conf_threshold)
    if scored.baht is None:
        return map50, any_map50, any_recall
    total, found = scored.baht[np.asarray(idx)].sum(axis=0)
    return map50, any_map50, any_recall, (found / total if total > 0 else float("nan"))


def _same_images(a: DetectReport, b: DetectReport) -> bool:
    if len(a.images) != len(b.images):
        return False
    return all(np.array_equal(ta.xyxy, tb.xyxy) and np.array_equal(ta.cls, tb.cls)
               for (_, ta), (_, tb) in zip(a.images, b.images, strict=True))


def compare_reports(candidate: DetectReport, baseline: DetectReport, data: str, *,
                    resamples: int = DEFAULT_RESAMPLES, seed: int = 0
                    ) -> tuple[PairedDelta, ...]:
    """Paired differences of the HEADLINES on one data set, both reports from the same images
    at the same confidence threshold."""
    if not candidate.images or not _same_images(candidate, baseline):
        raise ValueError(f"the {data} reports were not made on the same images")
    if candidate.conf_threshold != baseline.conf_threshold:
        raise ValueError("the reports use different confidence thresholds")
    n_classes, conf = _n_classes(candidate), candidate.conf_threshold
    cand, base = _scored(candidate), _scored(baseline)
    names = HEADLINES
    if cand.baht is not None and base.baht is not None:
        if len(cand.baht) != len(base.baht) or not np.array_equal(cand.baht[:, 0],
                                                                   base.baht[:, 0]):
            raise ValueError(f"the {data} reports priced different signs")
        names = (*HEADLINES, TAX_FOUND)
    elif cand.baht is not None or base.baht is not None:
        cand, base = (_Scored(x.per_class, x.any_sign, None) for x in (cand, base))
    return paired_deltas(
        data, names, len(candidate.images),
        lambda idx: _figures(cand, idx, n_classes, conf),
        lambda idx: _figures(base, idx, n_classes, conf),
        resamples=resamples, seed=seed)


def compare_runs(candidate: Mapping[str, DetectReport], baseline: Mapping[str, DetectReport],
                 *, resamples: int = DEFAULT_RESAMPLES, seed: int = 0) -> Comparison:
    """Both detectors' reports on the same data sets ("real", "synthetic"), compared."""
    if not candidate or candidate.keys() != baseline.keys():
        raise ValueError("the two runs must cover the same data sets")
    deltas = tuple(d for data, report in candidate.items()
                   for d in compare_reports(report, baseline[data], data, resamples=resamples,
                                            seed=seed))
    return Comparison(next(iter(candidate.values())).model_version,
                      next(iter(baseline.values())).model_version, resamples, deltas)
