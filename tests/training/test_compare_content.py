"""Paired comparison of two content networks (training.compare_content) on hand-made crop
outcomes whose answers are known: no OCR, no network."""

from __future__ import annotations

import math

import pytest

from training.compare_content import BELOW, HEADLINES, compare_content_runs
from training.content_scores import CropOutcome, Scores
from training.eval_content import SourceReport
from training.paired import comparison_markdown


def _outcome(i: int, true_type: int, decided: int, *, review: bool = False,
             below: bool | None = None, decided_below: bool = False) -> CropOutcome:
    return CropOutcome(f"crop{i}", true_type, decided, review, 0.9, below, decided_below)


def _report(source: str, outcomes: list[CropOutcome]) -> SourceReport:
    return SourceReport(source, "hand-made", Scores.of(outcomes), {}, tuple(outcomes), 0.0, 1)


def _crops(n: int, wrong: set[int] = frozenset(), reviewed: set[int] = frozenset(),
           below_wrong: set[int] = frozenset()) -> list[CropOutcome]:
    """n crops: every third a Thai-and-foreign sign with Thai below; ``wrong`` decided Type 3
    instead of 2, ``reviewed`` sent to review, ``below_wrong`` with the layout missed."""
    out = []
    for i in range(n):
        below = True if i % 3 == 0 else None
        out.append(_outcome(i, 2, 3 if i in wrong else 2, review=i in reviewed, below=below,
                            decided_below=(i not in below_wrong) if below else False))
    return out


def _compare(candidate: list[CropOutcome], baseline: list[CropOutcome], source="synthetic"):
    return compare_content_runs({source: _report(source, candidate)},
                                {source: _report(source, baseline)}, candidate_name="new",
                                baseline_name="old", resamples=500)


def test_the_same_outcomes_are_no_change_and_do_not_regress() -> None:
    crops = _crops(60, wrong={1, 2, 4}, reviewed={1, 7}, below_wrong={3})
    comparison = _compare(crops, crops)
    assert [d.figure for d in comparison.deltas] == [*HEADLINES, BELOW]
    assert all(d.delta == 0 and d.low == 0 and d.high == 0 for d in comparison.deltas)
    assert not comparison.regresses and comparison.drawn == "sign crops"
    assert "Paired bootstrap over sign crops" in comparison_markdown(comparison)


def test_point_figures_are_the_evaluation_s_own() -> None:
    crops = _crops(60, wrong={1, 2, 4, 5}, reviewed={1, 2, 8}, below_wrong={3, 6})
    scores = Scores.of(crops)
    figures = {d.figure: d.candidate for d in _compare(crops, _crops(60)).deltas}
    assert figures["type_accuracy"] == scores.type_accuracy.value
    assert figures["type_accuracy_unreviewed"] == scores.unflagged_type_accuracy.value
    assert figures["decided_without_review"] == 1 - scores.review_rate.value
    assert figures[BELOW] == scores.below_accuracy.value


def test_a_network_wrong_on_many_more_crops_regresses() -> None:
    comparison = _compare(_crops(90, wrong=set(range(0, 90, 3)) | set(range(1, 90, 3))),
                          _crops(90, wrong={5}))
    worse = {d.figure for d in comparison.deltas if d.verdict == "worse"}
    assert "type_accuracy" in worse and comparison.regresses
    assert "**new regresses** on synthetic type_accuracy" in comparison_markdown(comparison)


def test_sending_everything_to_review_is_a_regression_even_if_nothing_slips_through() -> None:
    comparison = _compare(_crops(60, reviewed=set(range(60))), _crops(60))
    by_figure = {d.figure: d for d in comparison.deltas}
    assert by_figure["decided_without_review"].verdict == "worse"
    # No crop is left to the machine: the accuracy of those is undefined, not zero, and it is
    # written as null in JSON.
    unreviewed = by_figure["type_accuracy_unreviewed"]
    assert math.isnan(unreviewed.candidate) and unreviewed.verdict == "no clear change"
    assert unreviewed.to_dict()["candidate"] is None and unreviewed.to_dict()["low"] is None


def test_a_better_network_is_better_and_real_crops_have_no_layout_figure() -> None:
    def real(wrong: set[int]) -> list[CropOutcome]:
        return [_outcome(i, 3, 1 if i in wrong else 3) for i in range(80)]

    comparison = _compare(real(set()), real(set(range(0, 80, 4))), source="real")
    assert [d.figure for d in comparison.deltas] == list(HEADLINES)
    assert comparison.deltas[0].verdict == "better" and not comparison.regresses


def test_reports_on_different_crops_or_sources_are_refused() -> None:
    with pytest.raises(ValueError, match="not made on the same crops"):
        _compare(_crops(10), _crops(11))
    renamed = [_outcome(i + 100, 2, 2) for i in range(10)]
    with pytest.raises(ValueError, match="not made on the same crops"):
        _compare(renamed, _crops(10))
    with pytest.raises(ValueError, match="cannot compare synthetic crops with real crops"):
        compare_content_runs({"synthetic": _report("synthetic", _crops(5))},
                             {"synthetic": _report("real", _crops(5))},
                             candidate_name="new", baseline_name="old")
    with pytest.raises(ValueError, match="same sources"):
        compare_content_runs({"synthetic": _report("synthetic", _crops(5))},
                             {"real": _report("real", _crops(5))},
                             candidate_name="new", baseline_name="old")
