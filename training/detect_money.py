"""How much of the tax the detector finds (``signtax eval detect`` on synthetic scenes).

Recall counts a 1 m² shop sign and a 20 m² billboard alike, but the city's question is how
much of the yearly tax the signs it would miss carry. The synthetic scenes know each sign's
true size, type and motion, so each taxable sign is priced (:data:`training.baht.FullYearBaht`)
and the tax of the signs found is compared with the tax of them all, per box size too.

A sign counts as found when a detection at or above the operating confidence, of a taxable
class, overlaps it at IoU >= 0.5, matched as the report's recall is (most confident detection
first, one sign each). A taxable sign
found only as a government sign is missed here: the scan keeps those off the tax roll.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from training.baht import ZERO_BAHT, share
from training.metrics import SIZE_BUCKETS, ImageBoxes, size_bucket, truths_found

FOUND_MATCH_IOU = 0.5  # as training.metrics matches for recall


@dataclass(frozen=True, slots=True)
class PricedTruth:
    """One true taxable sign of a scene: where it is, its yearly tax, and whether it was found."""

    bucket: str  # small / medium / large (COCO box area, as the report's size rows)
    baht: Decimal
    found: bool


def priced_truths(truth_xyxy: np.ndarray, baht: Sequence[Decimal], detections_xyxy: np.ndarray,
                  detection_scores: np.ndarray) -> list[PricedTruth]:
    """The scene's taxable signs (boxes and yearly tax) against its taxable detections, matched
    as the report's recall matches them (:func:`training.metrics.truths_found`)."""
    truth_xyxy = np.asarray(truth_xyxy, float).reshape(-1, 4)
    dets_xyxy = np.asarray(detections_xyxy, float).reshape(-1, 4)
    found = truths_found(
        ImageBoxes(dets_xyxy, np.zeros(len(dets_xyxy), int), np.asarray(detection_scores, float)),
        ImageBoxes(truth_xyxy, np.zeros(len(truth_xyxy), int), np.ones(len(truth_xyxy))))
    return [PricedTruth(SIZE_BUCKETS[int(b)], t, bool(f))
            for b, t, f in zip(size_bucket(truth_xyxy), baht, found, strict=True)]


@dataclass(frozen=True, slots=True)
class FoundShare:
    signs: int
    signs_found: int
    baht: Decimal
    baht_found: Decimal

    @classmethod
    def of(cls, truths: Iterable[PricedTruth]) -> FoundShare:
        truths = list(truths)
        return cls(len(truths), sum(t.found for t in truths),
                   sum((t.baht for t in truths), ZERO_BAHT),
                   sum((t.baht for t in truths if t.found), ZERO_BAHT))

    @property
    def sign_recall(self) -> float | None:
        return None if not self.signs else self.signs_found / self.signs

    @property
    def baht_recall(self) -> float | None:
        return share(self.baht_found, self.baht)

    def to_dict(self) -> dict:
        return {"signs": self.signs, "signs_found": self.signs_found, "baht": str(self.baht),
                "baht_found": str(self.baht_found), "sign_recall": self.sign_recall,
                "baht_recall": self.baht_recall}


@dataclass(frozen=True, slots=True)
class TaxFound:
    """The tax of the true taxable signs and the share of it the detector found."""

    basis: str  # how the signs were priced
    all: FoundShare
    by_size: dict[str, FoundShare]  # buckets with signs only

    @classmethod
    def of(cls, truths: Iterable[PricedTruth], basis: str) -> TaxFound:
        truths = list(truths)
        by_size = {b: FoundShare.of(t for t in truths if t.bucket == b) for b in SIZE_BUCKETS}
        return cls(basis, FoundShare.of(truths), {b: s for b, s in by_size.items() if s.signs})

    def to_dict(self) -> dict:
        return {"basis": self.basis, **self.all.to_dict(),
                "by_size": {b: s.to_dict() for b, s in self.by_size.items()}}

    def markdown(self) -> list[str]:
        def pct(v: float | None) -> str:
            return "-" if v is None else f"{100 * v:.1f} %"

        def row(name: str, s: FoundShare) -> str:
            return (f"| {name} | {s.signs_found}/{s.signs} ({pct(s.sign_recall)}) | "
                    f"{s.baht_found:,.2f} / {s.baht:,.2f} ({pct(s.baht_recall)}) |")

        return [f"Tax found ({self.basis}; a sign is found by a taxable-class detection at IoU "
                f">= {FOUND_MATCH_IOU}):", "",
                "| taxable signs | found | their yearly tax found, baht |", "|---|---|---|",
                row("all", self.all), *(row(b, s) for b, s in self.by_size.items()), ""]
