"""Paired comparison of two models on the same held-out items: is a candidate better, worse, or
not clearly different from the baseline (the model in production)?

Both models are scored on the same items (images for a detector, sign crops for the content
analysis). For each headline figure the difference candidate - baseline is measured on the whole
set, with a 95 % interval from a paired bootstrap: the items are drawn again with replacement and
both models are scored on the same draw, so how hard the drawn items are cancels out and only the
models' difference varies.

A candidate *regresses* when a headline figure's whole interval lies below zero (every figure
is one where higher is better). The README's rule: promote a model only when it does not regress
against the one in production.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

DEFAULT_RESAMPLES = 2000
MIN_RESAMPLES = 100  # fewer draws leave the 2.5 % tails to a handful of values
INTERVAL = 0.95

# The figures of one model on the items ``idx`` (repeats allowed), in a fixed order.
Figures = Callable[[np.ndarray], Sequence[float]]


@dataclass(frozen=True, slots=True)
class PairedDelta:
    """One headline figure of both models on the same items, and the 95 % interval of
    candidate - baseline."""

    data: str  # e.g. "real" or "synthetic"
    figure: str
    baseline: float
    candidate: float
    low: float
    high: float

    @property
    def delta(self) -> float:
        return self.candidate - self.baseline

    @property
    def verdict(self) -> str:
        if self.low > 0:
            return "better"
        if self.high < 0:
            return "worse"
        return "no clear change"

    def to_dict(self) -> dict:
        def value(v: float) -> float | None:  # undefined (no item counted): null in JSON
            return None if math.isnan(v) else round(v, 4)

        return {"data": self.data, "figure": self.figure,
                "baseline": value(self.baseline), "candidate": value(self.candidate),
                "delta": value(self.delta), "low": value(self.low), "high": value(self.high),
                "verdict": self.verdict}


@dataclass(frozen=True, slots=True)
class Comparison:
    candidate: str  # model versions
    baseline: str
    resamples: int
    deltas: tuple[PairedDelta, ...]
    drawn: str = "images"  # what the bootstrap draws: "images" or "sign crops"

    @property
    def regresses(self) -> bool:
        return any(d.verdict == "worse" for d in self.deltas)

    def to_dict(self) -> dict:
        return {"candidate": self.candidate, "baseline": self.baseline,
                "resamples": self.resamples, "interval": INTERVAL, "drawn": self.drawn,
                "regresses": self.regresses, "deltas": [d.to_dict() for d in self.deltas]}


def paired_deltas(data: str, names: Sequence[str], n_items: int, candidate: Figures,
                  baseline: Figures, *, resamples: int = DEFAULT_RESAMPLES, seed: int = 0
                  ) -> tuple[PairedDelta, ...]:
    """The figures ``names`` of both models on all ``n_items`` items, with the paired bootstrap
    interval of each difference. A figure may be NaN on a draw (e.g. no item it counts was
    drawn); such draws are left out of that figure's interval."""
    if resamples < MIN_RESAMPLES:
        raise ValueError(f"resamples must be >= {MIN_RESAMPLES} for a 95 % interval, "
                         f"got {resamples}")
    if n_items < 1:
        raise ValueError(f"no {data} items to compare on")
    whole = np.arange(n_items)
    point_c, point_b = candidate(whole), baseline(whole)
    rng = np.random.default_rng(seed)
    diffs = np.empty((resamples, len(names)))
    for r in range(resamples):
        idx = rng.integers(0, n_items, n_items)
        diffs[r] = np.subtract(candidate(idx), baseline(idx))
    tail = (1 - INTERVAL) / 2 * 100
    with warnings.catch_warnings():  # a figure undefined on every draw: its interval is NaN
        warnings.simplefilter("ignore", RuntimeWarning)
        low = np.nanpercentile(diffs, tail, axis=0)
        high = np.nanpercentile(diffs, 100 - tail, axis=0)
    return tuple(PairedDelta(data, name, float(point_b[k]), float(point_c[k]), float(low[k]),
                             float(high[k]))
                 for k, name in enumerate(names))


def comparison_markdown(comparison: Comparison) -> str:
    lines = [f"## {comparison.candidate} against {comparison.baseline}", "",
             f"Paired bootstrap over {comparison.drawn} ({comparison.resamples} draws): the "
             f"difference candidate - baseline with its {INTERVAL * 100:.0f} % interval.", "",
             f"| data | figure | {comparison.baseline} | {comparison.candidate} | difference "
             "| 95 % interval | verdict |",
             "|---|---|---|---|---|---|---|"]
    for d in comparison.deltas:
        lines.append(f"| {d.data} | {d.figure} | {_fmt(d.baseline)} | {_fmt(d.candidate)} | "
                     f"{_fmt(d.delta, '+')} | {_fmt(d.low, '+')} .. {_fmt(d.high, '+')} | "
                     f"{d.verdict} |")
    worse = [f"{d.data} {d.figure}" for d in comparison.deltas if d.verdict == "worse"]
    lines += ["", f"**{comparison.candidate} regresses** on {', '.join(worse)}: do not promote."
              if worse else f"**{comparison.candidate} does not regress** against "
                            f"{comparison.baseline}: no figure's interval lies below zero.", ""]
    return "\n".join(lines)


def _fmt(value: float, sign: str = "") -> str:
    return "n/a" if math.isnan(value) else f"{value:{sign}.3f}"

