"""The share of the true signs' yearly tax that the detector finds."""

from __future__ import annotations

from decimal import Decimal

import numpy as np

from training.detect_money import FoundShare, TaxFound, priced_truths


def found_flags(truths, dets, scores=None) -> list[bool]:
    baht = [Decimal("200.00")] * len(truths)
    scores = np.ones(len(dets)) if scores is None else scores
    return [t.found for t in priced_truths(truths, baht, dets, scores)]


def test_each_detection_finds_one_sign_best_overlap_first() -> None:
    truths = np.array([[0, 0, 100, 100], [10, 0, 110, 100], [300, 300, 340, 320]], float)
    # One detection overlapping both wide signs (better the second), one half off the third.
    dets = np.array([[9, 0, 109, 100], [300, 310, 340, 330]], float)
    assert found_flags(truths, dets) == [False, True, False]  # IoU 0.33 < 0.5 on #3
    assert found_flags(truths, np.zeros((0, 4))) == [False, False, False]
    assert found_flags(np.zeros((0, 4)), dets) == []


def test_tax_found_by_size_and_in_all() -> None:
    truths = np.array([[0, 0, 20, 20],  # small (400 px²)
                       [100, 100, 300, 200],  # large (20,000 px²)
                       [400, 0, 460, 60]], float)  # medium (3,600 px²)
    baht = [Decimal("200.00"), Decimal("5000.00"), Decimal("800.00")]
    dets = np.array([[100, 100, 300, 200], [400, 0, 460, 60]], float)
    found = TaxFound.of(priced_truths(truths, baht, dets, np.ones(len(dets))), "flat")
    assert found.all == FoundShare(3, 2, Decimal("6000.00"), Decimal("5800.00"))
    assert found.all.sign_recall == 2 / 3 and found.all.baht_recall == 5800 / 6000
    assert found.by_size["small"] == FoundShare(1, 0, Decimal("200.00"), Decimal("0.00"))
    assert list(found.by_size) == ["small", "medium", "large"]
    text = "\n".join(found.markdown())
    assert "| all | 2/3 (66.7 %) | 5,800.00 / 6,000.00 (96.7 %) |" in text
    assert "| small | 0/1 (0.0 %) | 0.00 / 200.00 (0.0 %) |" in text
    d = found.to_dict()
    assert d["baht_found"] == "5800.00" and d["by_size"]["large"]["signs_found"] == 1
    empty = TaxFound.of([], "flat")
    assert empty.by_size == {} and empty.all.baht_recall is None and empty.all.sign_recall is None


def test_tax_found_plot_is_written(tmp_path) -> None:
    import cv2
    import pytest

    from training.detect_plots import write_tax_found_plot

    truths = np.array([[0, 0, 20, 20], [100, 100, 300, 200]], float)
    found = TaxFound.of(priced_truths(truths, [Decimal("200.00"), Decimal("5000.00")],
                                      truths[1:], np.ones(1)), "rate table MR-2563, tax year 2026")
    image = cv2.imread(str(write_tax_found_plot(found, tmp_path / "plots" / "found.png")))
    assert image is not None and image.shape[1] > 600
    with pytest.raises(ValueError, match="nothing to plot"):
        write_tax_found_plot(TaxFound.of([], "x"), tmp_path / "none.png")
