"""The confidence sweep (training.operating) on a hand-made image with known answers."""

from __future__ import annotations

import numpy as np
import pytest

from training.eval_detect import DetectReport
from training.metrics import ImageBoxes
from training.operating import operating_points, parse_confidences


def test_each_confidence_keeps_what_scores_at_least_that():
    truth = ImageBoxes(np.array([[0, 0, 100, 100], [200, 0, 300, 100]], float),
                       np.array([0, 1]), np.ones(2))
    # A sure hit, a false box at 0.3, and the second sign found only at 0.1 under another class.
    pred = ImageBoxes(np.array([[1, 1, 100, 100], [500, 500, 600, 600], [201, 0, 300, 99]], float),
                      np.array([0, 0, 0]), np.array([0.9, 0.3, 0.1]))
    report = DetectReport("t", 1, 0.25, {}, images=((pred, truth), (ImageBoxes.empty(),
                                                                     ImageBoxes.empty())))
    low, mid, high = operating_points(report, (0.05, 0.2, 0.5))
    assert (low.recall, low.precision, low.false_per_image) == pytest.approx((1.0, 2 / 3, 0.5))
    assert (mid.recall, mid.precision, mid.false_per_image) == pytest.approx((0.5, 0.5, 0.5))
    assert (high.recall, high.precision, high.false_per_image) == pytest.approx((0.5, 1.0, 0.0))
    assert np.isnan(operating_points(report, (0.95,))[0].precision)


def test_confidences_are_parsed_sorted_and_checked():
    assert parse_confidences("0.4, 0.1,0.1") == (0.1, 0.4)
    with pytest.raises(ValueError, match="between 0 and 1"):
        parse_confidences("1.5")
    with pytest.raises(ValueError, match="no per-image results"):
        operating_points(DetectReport("t", 0, 0.25, {}), (0.1,))
