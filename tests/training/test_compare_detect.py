"""Paired bootstrap comparison of two detectors (training.compare_detect) on hand-made images
whose answers are known."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest

from training.compare_detect import TAX_FOUND, compare_reports
from training.detect_money import PricedTruth, TaxFound
from training.eval_detect import DetectReport, _per_class
from training.metrics import ImageBoxes, ap50_and_recall, evaluate, match_image
from training.paired import Comparison, PairedDelta, comparison_markdown

NAMES = ["signboard", "projecting_sign"]


def _truths(n_images: int) -> list[ImageBoxes]:
    """Two signs per image: a signboard and a projecting sign."""
    return [ImageBoxes(np.array([[10, 10, 210, 110], [300, 300, 340, 380]], float),
                       np.array([0, 1]), np.ones(2)) for _ in range(n_images)]


def _found(truth: ImageBoxes, keep: list[bool], score: float = 0.9) -> ImageBoxes:
    sel = np.array(keep, bool)
    return ImageBoxes(truth.xyxy[sel] + 2.0, truth.cls[sel], np.full(int(sel.sum()), score))


def _report(version: str, preds: list[ImageBoxes], truths: list[ImageBoxes],
            priced: tuple = ()) -> DetectReport:
    return DetectReport(version, len(preds), 0.25, {"all": _per_class(preds, truths, NAMES, 0.25)},
                        images=tuple(zip(preds, truths, strict=True)), priced_images=priced)


def _priced(found: list[bool]) -> tuple[PricedTruth, ...]:
    """A scene's two signs as _found keeps them: a 2,000-baht signboard, a 200-baht sign."""
    return (PricedTruth("large", Decimal(2000), found[0]),
            PricedTruth("medium", Decimal(200), found[1]))


def test_the_whole_set_figures_are_the_report_figures():
    truths = _truths(12)
    rng = np.random.default_rng(1)
    preds = [_found(t, list(rng.random(2) < 0.7), float(rng.uniform(0.3, 1.0))) for t in truths]
    report = _report("a", preds, truths)
    direct = evaluate(preds, truths, n_classes=2, conf_threshold=0.25)["all"]["all"]
    via_matches = ap50_and_recall([match_image(p, t) for p, t in zip(preds, truths, strict=True)],
                                  n_classes=2, conf_threshold=0.25)
    assert via_matches == pytest.approx((direct.ap50, direct.recall))
    deltas = compare_reports(report, report, "real", resamples=200)
    by_name = {d.figure: d for d in deltas}
    assert by_name["map50"].candidate == pytest.approx(direct.ap50)
    assert by_name["any_sign_recall"].candidate == pytest.approx(
        report.by_source["all"]["any_sign"]["all"].recall)


def test_a_model_against_itself_changes_nothing():
    truths = _truths(10)
    preds = [_found(t, [True, i % 2 == 0]) for i, t in enumerate(truths)]
    report = _report("same", preds, truths)
    deltas = compare_reports(report, report, "synthetic", resamples=200)
    assert all(d.delta == 0 and d.low == 0 and d.high == 0 for d in deltas)
    comparison = Comparison("same", "same", 200, deltas)
    assert not comparison.regresses
    assert "does not regress" in comparison_markdown(comparison)


def test_a_candidate_missing_every_projecting_sign_regresses():
    truths = _truths(30)
    baseline = _report("base", [_found(t, [True, True]) for t in truths], truths)
    candidate = _report("cand", [_found(t, [True, False]) for t in truths], truths)
    deltas = {d.figure: d for d in compare_reports(candidate, baseline, "real", resamples=300)}
    assert deltas["any_sign_recall"].delta == pytest.approx(-0.5)
    assert deltas["any_sign_recall"].verdict == "worse"
    assert deltas["map50"].high < 0
    comparison = Comparison("cand", "base", 300, tuple(deltas.values()))
    assert comparison.regresses
    text = comparison_markdown(comparison)
    assert "cand regresses" in text and "real any_sign_recall" in text
    assert comparison.to_dict()["regresses"] is True


def test_a_better_candidate_is_better_and_noise_is_no_clear_change():
    assert PairedDelta("real", "map50", 0.5, 0.6, 0.02, 0.18).verdict == "better"
    assert PairedDelta("real", "map50", 0.5, 0.49, -0.03, 0.01).verdict == "no clear change"


def test_reports_on_different_images_are_refused():
    truths = _truths(5)
    preds = [_found(t, [True, True]) for t in truths]
    shifted = [ImageBoxes(t.xyxy + 50.0, t.cls, t.score) for t in truths]
    with pytest.raises(ValueError, match="same images"):
        compare_reports(_report("a", preds, truths), _report("b", preds, shifted), "real")
    with pytest.raises(ValueError, match="same images"):
        compare_reports(_report("a", preds, truths), _report("b", preds[:4], truths[:4]), "real")
    with pytest.raises(ValueError, match="resamples must be >= 100"):
        compare_reports(_report("a", preds, truths), _report("a", preds, truths), "real",
                        resamples=10)


def test_priced_scenes_add_the_share_of_tax_found():
    truths = _truths(30)
    keep_cheap = [False, True]  # misses the costly sign, finds the cheap one
    baseline = _report("base", [_found(t, [True, True]) for t in truths], truths,
                       tuple(_priced([True, True]) for _ in truths))
    priced = tuple(_priced(keep_cheap if i % 3 == 0 else [True, True]) for i in range(30))
    candidate = _report("cand", [_found(t, keep_cheap if i % 3 == 0 else [True, True])
                                 for i, t in enumerate(truths)], truths, priced)
    deltas = {d.figure: d for d in compare_reports(candidate, baseline, "synthetic",
                                                   resamples=300)}
    tax = deltas[TAX_FOUND]
    expected = TaxFound.of((t for scene in priced for t in scene), "test").all.baht_recall
    assert tax.candidate == pytest.approx(expected) and tax.baseline == 1.0
    assert tax.verdict == "worse"
    # Signs found fall by a sixth, their tax by 10 of 66 parts: the costly ones were missed.
    assert deltas["any_sign_recall"].delta == pytest.approx(-1 / 6)
    assert tax.delta == pytest.approx(-20000 / 66000)
    # Against a run that did not price its signs there is no tax figure to compare.
    unpriced = _report("plain", [p for p, _ in candidate.images], truths)
    assert TAX_FOUND not in {d.figure for d in compare_reports(candidate, unpriced, "synthetic",
                                                               resamples=100)}


def test_the_comparison_plot_is_a_picture(tmp_path):
    import cv2

    from training.compare_plots import write_comparison_plot

    deltas = (PairedDelta("real", "map50", 0.459, 0.447, -0.031, 0.008),
              PairedDelta("synthetic", "any_sign_recall", 0.879, 0.888, 0.003, 0.018),
              PairedDelta("synthetic", TAX_FOUND, 0.90, 0.80, -0.15, -0.05))
    path = write_comparison_plot(Comparison("cand", "base", 2000, deltas), tmp_path / "c.png")
    image = cv2.imread(str(path))
    assert image is not None and image.shape[0] > 100
    with pytest.raises(ValueError, match="nothing to plot"):
        write_comparison_plot(Comparison("cand", "base", 2000, ()), tmp_path / "d.png")
