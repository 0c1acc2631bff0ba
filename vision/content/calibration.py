"""Turn the analysis's raw confidence into the measured probability that the tax type is right.

Why: the raw confidence (:mod:`vision.content.analysis`, :mod:`vision.content.fusion`) is the
weakest input the type hangs on, a good *order* for review but not a probability: on the
held-out crops the ones not sent to review were right far more often than their raw
confidence said. An officer reading "0.62" should be able to take it as "six in ten of such
calls are right".

The map is fitted per content network (the confidence depends on it) by ``signtax eval fusion
--write-calibration`` on the fusion tuning crops (apart from the evaluation's), with isotonic
regression: the empirical share of right types, forced to rise with the raw confidence (pool
adjacent violators), so the order, and with it the review queue, is kept. It is stored as
``calibration.json`` beside the network's weights and applied by ``analyze``; the review
decision itself still follows the raw rule the thresholds were set on, and an unreadable
result sent to review never reports a confidence at or above the review line
(:func:`calibrated_content`).

Between the fitted points the map is linear; outside them it is flat. Each point is the mean
raw confidence and the share right of one pooled block, so a block holds at least
``MIN_BLOCK`` crops (small blocks are merged into their neighbours) and the map never claims
certainty it has not seen: values are kept inside ``[PROBABILITY_FLOOR, PROBABILITY_CAP]``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from vision.errors import ModelLoadError
from vision.types import SignContent

CALIBRATION_NAME = "calibration.json"
CALIBRATION_FORMAT = 1
MIN_BLOCK = 10
# With n crops right out of n, the honest claim is not 1.0 (rule of three: the 95 % bound of
# the error rate is about 3/n); a fixed cap keeps a small tuning set from claiming certainty.
PROBABILITY_CAP = 0.99
PROBABILITY_FLOOR = 0.01
REVIEW_MARGIN = 0.01  # an unreadable result reports at most the review line less this


@dataclass(frozen=True, slots=True)
class ConfidenceCalibration:
    """A non-decreasing map from raw confidence (0..1) to P(type right), as points."""

    raw: tuple[float, ...]  # increasing
    probability: tuple[float, ...]  # non-decreasing, same length
    n_crops: int  # crops it was fitted on
    fitted_on: str  # what they were, for the model card and the note

    def __post_init__(self) -> None:
        if not self.raw or len(self.raw) != len(self.probability):
            raise ValueError("a calibration needs as many probabilities as raw points, >= 1")
        if any(b <= a for a, b in zip(self.raw, self.raw[1:], strict=False)):
            raise ValueError("calibration raw points must increase")
        if any(b < a for a, b in zip(self.probability, self.probability[1:], strict=False)):
            raise ValueError("calibration probabilities must not decrease")
        if not all(0.0 <= v <= 1.0 for v in (*self.raw, *self.probability)):
            raise ValueError("calibration points must lie in [0, 1]")

    def __call__(self, raw_confidence: float) -> float:
        return round(float(np.interp(raw_confidence, self.raw, self.probability)), 3)

    @classmethod
    def fit(cls, raw_confidence: Sequence[float], correct: Sequence[bool],
            fitted_on: str) -> ConfidenceCalibration:
        """Isotonic fit of ``correct`` on ``raw_confidence`` (see the module docstring)."""
        if len(raw_confidence) != len(correct):
            raise ValueError("raw_confidence and correct must have the same length")
        if len(raw_confidence) < MIN_BLOCK:
            raise ValueError(f"a calibration needs at least {MIN_BLOCK} crops, "
                             f"got {len(raw_confidence)}")
        x = np.asarray(raw_confidence, float)
        y = np.asarray(correct, float)
        # Blocks as [sum_x, sum_y, n]; equal raw values share a block (the map is a function).
        values, counts = np.unique(x, return_counts=True)
        right = np.bincount(np.searchsorted(values, x), weights=y, minlength=len(values))
        blocks = [[float(v * n), float(r), float(n)]
                  for v, n, r in zip(values, counts, right, strict=True)]
        while True:
            blocks = _pool_violators(blocks)
            small = [i for i, b in enumerate(blocks) if b[2] < MIN_BLOCK]
            if not small or len(blocks) == 1:
                break
            # Merge the first small block into the neighbour whose share right is closer.
            i = small[0]
            share = blocks[i][1] / blocks[i][2]
            neighbours = [j for j in (i - 1, i + 1) if 0 <= j < len(blocks)]
            j = min(neighbours, key=lambda k: abs(blocks[k][1] / blocks[k][2] - share))
            lo, hi = min(i, j), max(i, j)
            blocks[lo:hi + 1] = [[a + b for a, b in zip(blocks[lo], blocks[hi], strict=True)]]
        raw = tuple(float(b[0] / b[2]) for b in blocks)
        prob = tuple(round(float(min(PROBABILITY_CAP, max(PROBABILITY_FLOOR, b[1] / b[2]))), 4)
                     for b in blocks)
        return cls(raw, prob, len(x), fitted_on)

    def to_dict(self) -> dict:
        return {"format": CALIBRATION_FORMAT, "raw": list(self.raw),
                "probability": list(self.probability), "n_crops": self.n_crops,
                "fitted_on": self.fitted_on}

    def write(self, model_dir: Path) -> Path:
        path = Path(model_dir) / CALIBRATION_NAME
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n")
        tmp.replace(path)  # never a half-written map
        return path


def _pool_violators(blocks: list[list[float]]) -> list[list[float]]:
    """Pool adjacent blocks whose share right does not rise (stack-based PAV)."""
    out: list[list[float]] = []
    for b in blocks:
        out.append(list(b))
        while len(out) > 1 and out[-2][1] / out[-2][2] >= out[-1][1] / out[-1][2]:
            last = out.pop()
            out[-1] = [a + c for a, c in zip(out[-1], last, strict=True)]
    return out


def load_calibration(model_dir: Path) -> ConfidenceCalibration | None:
    """The map stored beside a network's weights; None when it has none (raw confidence)."""
    path = Path(model_dir) / CALIBRATION_NAME
    if not path.is_file():
        return None
    try:
        d = json.loads(path.read_text())
        if d.get("format") != CALIBRATION_FORMAT:
            raise ValueError(f"format {d.get('format')}, expected {CALIBRATION_FORMAT}")
        return ConfidenceCalibration(tuple(map(float, d["raw"])),
                                     tuple(map(float, d["probability"])),
                                     int(d["n_crops"]), str(d["fitted_on"]))
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ModelLoadError(f"cannot read the confidence calibration {path}: {exc}") from exc


def calibrated_content(content: SignContent, calibration: ConfidenceCalibration | None,
                       review_below: float) -> SignContent:
    """``content`` with its confidence mapped by ``calibration`` (unchanged without one); the
    raw value stays in the note, and the review decision is kept.

    A result sent to review on which nothing legible was read (no line that
    ``TextLine.is_evidence``) reports less than ``review_below`` whatever the map says: an
    unreadable crop is never shown, nor priced in the baht at risk, as a sure thing, even
    where signs like it usually turn out right. Other results for review (the OCR and the network at odds, a weak line)
    report the measured share: "likely right, but look" is what the officer should see.
    """
    if calibration is None:
        return content
    probability = calibration(content.confidence)
    unreadable = not any(ln.is_evidence for ln in content.lines)
    capped = content.needs_review and unreadable
    if capped:
        probability = min(probability, round(review_below - REVIEW_MARGIN, 3))
    return replace(content, confidence=probability,
                   note=f"{content.note}; confidence {probability:.2f}: right types at raw "
                        f"confidence {content.confidence:.2f} on {calibration.n_crops} tuning "
                        f"crops{', capped: nothing legible was read' if capped else ''}")
