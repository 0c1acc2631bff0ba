"""Scores of the content evaluation: per-crop outcomes, the type confusion matrix, rates.

Pure bookkeeping, no images: :mod:`training.eval_content` fills it. Tax types are the
ints 1, 2, 3 of tax-law.md §4.

- *Type accuracy* counts every crop with the type the analysis led to, whether or not it
  was sent to review: a flag does not make a wrong type right. The accuracy of the crops
  *not* sent to review is given beside it (what goes out without an officer's look).
- *Thai-below-foreign accuracy* counts only signs that truly carry Thai and foreign text
  together, where the question decides between Type 2 and Type 3 (elsewhere the answer is
  trivially "no"). It fails when the reader misses a line, too; the same figure on the
  signs where the analysis read both (the geometric test alone) is given beside it.
- *Reliability*: is the confidence a probability? Crops are binned by confidence
  (``RELIABILITY_BIN_EDGES``); in each bin the share of right types should match the mean
  confidence. The expected calibration error (ECE) is the crop-weighted mean gap. Given for the
  confidence a scan reports and for the raw one before :mod:`vision.content.calibration`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

TYPES = (1, 2, 3)
TYPE_ACCURACY_TARGET = 0.97
BELOW_ACCURACY_TARGET = 0.95
NO_THAI_TARGET = 0.95
RELIABILITY_BIN_EDGES = tuple(i / 10 for i in range(11))  # the usual ten equal bins


@dataclass(frozen=True, slots=True)
class CropOutcome:
    """What the analysis made of one crop, beside the truth."""

    name: str
    true_type: int
    decided_type: int
    needs_review: bool
    confidence: float
    # Truth of Thai-below-foreign where the sign has Thai and foreign text; None elsewhere.
    true_below: bool | None
    decided_below: bool
    detail: str = ""  # scripts found etc., for reading the misses
    found_thai_and_foreign: bool = False  # the analysis accepted Thai and foreign lines
    raw_confidence: float | None = None  # before calibration; None: the same as confidence

    def __post_init__(self) -> None:
        for name in ("true_type", "decided_type"):
            if getattr(self, name) not in TYPES:
                raise ValueError(f"{name} must be 1, 2 or 3, got {getattr(self, name)}")

    @property
    def correct(self) -> bool:
        return self.true_type == self.decided_type

    @property
    def raw(self) -> float:
        return self.confidence if self.raw_confidence is None else self.raw_confidence

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "true_type": self.true_type,
            "decided_type": self.decided_type,
            "needs_review": self.needs_review,
            "confidence": self.confidence,
            "true_thai_below_foreign": self.true_below,
            "decided_thai_below_foreign": self.decided_below,
            "found_thai_and_foreign": self.found_thai_and_foreign,
            "raw_confidence": self.raw,
            "detail": self.detail,
        }


@dataclass(frozen=True, slots=True)
class Confusion:
    """``counts[t - 1][d - 1]``: crops of true type t decided as d; ``review`` the same for
    the crops sent to review only (so ``counts - review`` went out unflagged)."""

    counts: tuple[tuple[int, ...], ...]
    review: tuple[tuple[int, ...], ...]

    @classmethod
    def of(cls, outcomes: Sequence[CropOutcome]) -> Confusion:
        counts = [[0] * len(TYPES) for _ in TYPES]
        review = [[0] * len(TYPES) for _ in TYPES]
        for o in outcomes:
            counts[o.true_type - 1][o.decided_type - 1] += 1
            review[o.true_type - 1][o.decided_type - 1] += o.needs_review
        return cls(tuple(map(tuple, counts)), tuple(map(tuple, review)))

    def row_total(self, true_type: int) -> int:
        return sum(self.counts[true_type - 1])

    def row_review(self, true_type: int) -> int:
        return sum(self.review[true_type - 1])

    def to_dict(self) -> dict:
        # Keys are strings so the JSON reads {"true": {"decided": n}}.
        return {
            "types": list(TYPES),
            "counts": {str(t): {str(d): self.counts[t - 1][d - 1] for d in TYPES} for t in TYPES},
            "needs_review": {
                str(t): {str(d): self.review[t - 1][d - 1] for d in TYPES} for t in TYPES
            },
        }


@dataclass(frozen=True, slots=True)
class Rate:
    hits: int
    n: int

    @property
    def value(self) -> float | None:
        return self.hits / self.n if self.n else None

    def to_dict(self) -> dict:
        return {"value": self.value, "hits": self.hits, "n": self.n}


@dataclass(frozen=True, slots=True)
class ReliabilityBin:
    lo: float
    hi: float
    n: int
    mean_confidence: float | None
    share_right: float | None

    def to_dict(self) -> dict:
        return {"lo": self.lo, "hi": self.hi, "n": self.n,
                "mean_confidence": self.mean_confidence, "share_right": self.share_right}


@dataclass(frozen=True, slots=True)
class Reliability:
    """Share of right types against confidence, in ``RELIABILITY_BIN_EDGES`` bins."""

    bins: tuple[ReliabilityBin, ...]
    ece: float | None  # expected calibration error; None without crops

    @classmethod
    def of(cls, confidence: Sequence[float], correct: Sequence[bool]) -> Reliability:
        c = np.asarray(confidence, float)
        r = np.asarray(correct, float)
        edges = RELIABILITY_BIN_EDGES
        # Bin k holds [edges[k], edges[k + 1]); the last one includes 1.0.
        index = np.clip(np.searchsorted(edges, c, side="right") - 1, 0, len(edges) - 2)
        bins, gap = [], 0.0
        for k in range(len(edges) - 1):
            sel = index == k
            n = int(sel.sum())
            mean_c = round(float(c[sel].mean()), 4) if n else None
            share = round(float(r[sel].mean()), 4) if n else None
            if n:
                gap += n * abs(float(c[sel].mean()) - float(r[sel].mean()))
            bins.append(ReliabilityBin(edges[k], edges[k + 1], n, mean_c, share))
        return cls(tuple(bins), round(gap / len(c), 4) if len(c) else None)

    def to_dict(self) -> dict:
        return {"ece": self.ece, "bins": [b.to_dict() for b in self.bins if b.n]}


@dataclass(frozen=True, slots=True)
class Scores:
    n: int
    type_accuracy: Rate  # all crops
    unflagged_type_accuracy: Rate  # crops not sent to review
    review_rate: Rate
    below_accuracy: Rate  # signs with Thai and foreign text only
    below_accuracy_found: Rate  # ... on which the analysis found both: the layout test alone
    type3_rate: Rate  # share decided Type 3 (the "no Thai" figure on the real crops)
    confusion: Confusion
    reliability: Reliability  # of the confidence a scan reports
    raw_reliability: Reliability  # of the confidence before calibration

    @classmethod
    def of(cls, outcomes: Sequence[CropOutcome]) -> Scores:
        unflagged = [o for o in outcomes if not o.needs_review]
        pairs = [o for o in outcomes if o.true_below is not None]
        found = [o for o in pairs if o.found_thai_and_foreign]
        return cls(
            n=len(outcomes),
            type_accuracy=Rate(sum(o.correct for o in outcomes), len(outcomes)),
            unflagged_type_accuracy=Rate(sum(o.correct for o in unflagged), len(unflagged)),
            review_rate=Rate(len(outcomes) - len(unflagged), len(outcomes)),
            below_accuracy=Rate(sum(o.decided_below == o.true_below for o in pairs), len(pairs)),
            below_accuracy_found=Rate(
                sum(o.decided_below == o.true_below for o in found), len(found)
            ),
            type3_rate=Rate(sum(o.decided_type == 3 for o in outcomes), len(outcomes)),
            confusion=Confusion.of(outcomes),
            reliability=Reliability.of([o.confidence for o in outcomes],
                                       [o.correct for o in outcomes]),
            raw_reliability=Reliability.of([o.raw for o in outcomes],
                                           [o.correct for o in outcomes]),
        )

    def to_dict(self) -> dict:
        return {
            "n": self.n,
            "type_accuracy": self.type_accuracy.to_dict(),
            "unflagged_type_accuracy": self.unflagged_type_accuracy.to_dict(),
            "review_rate": self.review_rate.to_dict(),
            "thai_below_foreign_accuracy": self.below_accuracy.to_dict(),
            "thai_below_foreign_accuracy_when_both_read": self.below_accuracy_found.to_dict(),
            "type3_rate": self.type3_rate.to_dict(),
            "confusion": self.confusion.to_dict(),
            "reliability": self.reliability.to_dict(),
            "raw_reliability": self.raw_reliability.to_dict(),
        }
