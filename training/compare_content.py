"""Paired comparison of two content networks on the same held-out sign crops
(:mod:`training.paired`): both are scored on one :class:`~training.eval_content.ContentPlan`,
and the bootstrap draws crops.

The headline figures are the ones the README's content targets and the review queue depend on,
each one where higher is better:

- ``type_accuracy``: the tax type right, every crop (on the real crops, which carry no Thai,
  this is the "no Thai" figure);
- ``type_accuracy_unreviewed``: the tax type right among the crops not sent to review, i.e. what
  reaches the tax roll unchecked (its set differs between the two networks; the bootstrap
  recomputes it for each on every draw);
- ``decided_without_review``: the share of crops not sent to review (officers' time);
- ``thai_below_foreign_accuracy``: on rendered signs with Thai and foreign text only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from training.content_scores import CropOutcome
from training.eval_content import SourceReport
from training.paired import DEFAULT_RESAMPLES, Comparison, PairedDelta, paired_deltas

HEADLINES = ("type_accuracy", "type_accuracy_unreviewed", "decided_without_review")
BELOW = "thai_below_foreign_accuracy"  # a headline where some crop has Thai and foreign text


@dataclass(frozen=True, slots=True)
class _Scored:
    """One network's outcome on every crop, as arrays (NaN: the crop does not count)."""

    correct: np.ndarray  # bool
    reviewed: np.ndarray  # bool
    below_correct: np.ndarray  # float: 1/0, NaN where the sign has no Thai-and-foreign truth

    @classmethod
    def of(cls, outcomes: Sequence[CropOutcome]) -> _Scored:
        return cls(np.array([o.correct for o in outcomes], bool),
                   np.array([o.needs_review for o in outcomes], bool),
                   np.array([np.nan if o.true_below is None
                             else float(o.decided_below == o.true_below) for o in outcomes]))

    def figures(self, idx: np.ndarray, with_below: bool) -> tuple[float, ...]:
        correct, reviewed = self.correct[idx], self.reviewed[idx]
        unreviewed = ~reviewed
        figures = (float(correct.mean()),
                   float(correct[unreviewed].mean()) if unreviewed.any() else float("nan"),
                   float(unreviewed.mean()))
        if not with_below:
            return figures
        below = self.below_correct[idx]
        counted = ~np.isnan(below)
        return (*figures, float(below[counted].mean()) if counted.any() else float("nan"))


def _same_crops(a: Sequence[CropOutcome], b: Sequence[CropOutcome]) -> bool:
    return len(a) == len(b) and all(
        x.name == y.name and x.true_type == y.true_type and x.true_below == y.true_below
        for x, y in zip(a, b, strict=True))


def compare_content_reports(candidate: SourceReport, baseline: SourceReport, *,
                            resamples: int = DEFAULT_RESAMPLES, seed: int = 0
                            ) -> tuple[PairedDelta, ...]:
    """Paired differences of the headline figures on one source, both reports made on the same
    crops."""
    data = candidate.source
    if baseline.source != data:
        raise ValueError(f"cannot compare {data} crops with {baseline.source} crops")
    if not candidate.outcomes or not _same_crops(candidate.outcomes, baseline.outcomes):
        raise ValueError(f"the {data} reports were not made on the same crops")
    cand, base = _Scored.of(candidate.outcomes), _Scored.of(baseline.outcomes)
    with_below = bool((~np.isnan(cand.below_correct)).any())
    names = (*HEADLINES, BELOW) if with_below else HEADLINES
    return paired_deltas(data, names, len(candidate.outcomes),
                         lambda idx: cand.figures(idx, with_below),
                         lambda idx: base.figures(idx, with_below),
                         resamples=resamples, seed=seed)


def compare_content_runs(candidate: Mapping[str, SourceReport],
                         baseline: Mapping[str, SourceReport], *, candidate_name: str,
                         baseline_name: str, resamples: int = DEFAULT_RESAMPLES, seed: int = 0
                         ) -> Comparison:
    """Both networks' reports on the same sources ("synthetic", "real"), compared."""
    if not candidate or candidate.keys() != baseline.keys():
        raise ValueError("the two runs must cover the same sources")
    deltas = tuple(d for data, report in candidate.items()
                   for d in compare_content_reports(report, baseline[data],
                                                    resamples=resamples, seed=seed))
    return Comparison(candidate_name, baseline_name, resamples, deltas, drawn="sign crops")
