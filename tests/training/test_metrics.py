"""Detection metrics on hand-made cases with known answers."""

from __future__ import annotations

import numpy as np
import pytest

from training.metrics import ImageBoxes, evaluate, iou_matrix, size_bucket


def boxes(rows, scores=None):
    rows = np.array(rows, float).reshape(-1, 5)
    score = np.ones(len(rows)) if scores is None else np.array(scores, float)
    return ImageBoxes(rows[:, 1:], rows[:, 0].astype(int), score)


TRUTH = [boxes([[0, 10, 10, 210, 110], [1, 300, 300, 340, 330]]),  # large, medium
         boxes([[0, 50, 50, 70, 70]])]  # small


@pytest.mark.parametrize(
    ("preds", "expected_ap50", "expected_recall", "expected_precision"),
    [
        ("perfect", 1.0, 1.0, 1.0),
        ("miss_small", 0.75, 0.75, 1.0),   # class 0: 1 of 2 found -> AP .5; class 1: 1.0
        ("extra_low_score_fp", 1.0, 1.0, 1.0),  # below threshold: hurts neither P nor AP
        # class-1 box predicted as class 0: class 0 AP (51 + 50 * 2/3) / 101, class 1 AP 0;
        # class 1 has no kept predictions, so its precision is undefined and left out.
        ("wrong_class", (51 + 50 * 2 / 3) / 101 / 2, 0.5, 2 / 3),
    ],
)
def test_known_cases(preds, expected_ap50, expected_recall, expected_precision):
    cases = {
        "perfect": [boxes([[0, 10, 10, 210, 110], [1, 300, 300, 340, 330]], [0.9, 0.8]),
                    boxes([[0, 50, 50, 70, 70]], [0.7])],
        "miss_small": [boxes([[0, 10, 10, 210, 110], [1, 300, 300, 340, 330]], [0.9, 0.8]),
                       ImageBoxes.empty()],
        "extra_low_score_fp": [
            boxes([[0, 10, 10, 210, 110], [1, 300, 300, 340, 330], [0, 500, 500, 600, 600]],
                  [0.9, 0.8, 0.1]),
            boxes([[0, 50, 50, 70, 70]], [0.7])],
        "wrong_class": [boxes([[0, 10, 10, 210, 110], [0, 300, 300, 340, 330]], [0.9, 0.8]),
                        boxes([[0, 50, 50, 70, 70]], [0.7])],
    }
    r = evaluate(cases[preds], TRUTH, n_classes=2, conf_threshold=0.25)
    assert r["all"]["all"].ap50 == pytest.approx(expected_ap50, abs=0.01)
    assert r["all"]["all"].recall == pytest.approx(expected_recall, abs=0.01)
    assert r["all"]["all"].precision == pytest.approx(expected_precision, abs=0.01)


def test_size_buckets_follow_the_truth_box():
    preds = [boxes([[0, 10, 10, 210, 110], [1, 300, 300, 340, 330]], [0.9, 0.8]),
             ImageBoxes.empty()]
    r = evaluate(preds, TRUTH, n_classes=2, conf_threshold=0.25)
    assert r["0"]["large"].recall == 1.0
    assert r["0"]["small"].recall == 0.0 and r["0"]["small"].n_truth == 1
    assert r["1"]["medium"].ap50 == pytest.approx(1.0, abs=0.01)
    assert list(size_bucket(np.array([[0, 0, 31, 31], [0, 0, 95, 95], [0, 0, 96, 96]]))) == [0, 1, 2]


def test_loose_box_counts_at_50_but_not_at_95():
    preds = [boxes([[0, 10, 10, 230, 110]], [0.9]), ImageBoxes.empty()]
    truth = [boxes([[0, 10, 10, 210, 110]]), ImageBoxes.empty()]
    r = evaluate(preds, truth, n_classes=1, conf_threshold=0.25)["0"]["all"]
    # IoU 200/220 = 0.91: a hit at thresholds 0.50..0.90, a miss at 0.95.
    assert r.ap50 == pytest.approx(1.0, abs=0.01)
    assert r.ap50_95 == pytest.approx(0.9, abs=0.01)


def test_iou_matrix_basic():
    a = np.array([[0, 0, 10, 10]], float)
    b = np.array([[5, 0, 15, 10], [20, 20, 30, 30]], float)
    assert iou_matrix(a, b) == pytest.approx(np.array([[1 / 3, 0.0]]))


def test_pairs_must_match():
    with pytest.raises(ValueError, match="pair up"):
        evaluate([ImageBoxes.empty()], [], n_classes=1, conf_threshold=0.25)
