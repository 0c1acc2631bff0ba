"""The confidence calibration (vision.content.calibration): fitting, storing, applying."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest

from training.content_scores import Reliability
from vision.content.analysis import analyze
from vision.content.calibration import (
    CALIBRATION_NAME,
    MIN_BLOCK,
    PROBABILITY_CAP,
    ConfidenceCalibration,
    calibrated_content,
    load_calibration,
)
from vision.content.classifier import ContentFacts
from vision.errors import ModelLoadError
from vision.types import Script, SignContent, TextLine


def _underconfident(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Raw confidences whose true share right is 0.5 + raw / 2: a probability they are not."""
    rng = np.random.default_rng(seed)
    raw = rng.uniform(0, 1, n)
    return raw, rng.uniform(0, 1, n) < 0.5 + raw / 2


def test_fit_learns_the_true_share_and_keeps_the_order() -> None:
    raw, right = _underconfident(4000)
    cal = ConfidenceCalibration.fit(raw.tolist(), right.tolist(), "test")
    for x in (0.1, 0.3, 0.5, 0.7, 0.9):
        assert cal(x) == pytest.approx(0.5 + x / 2, abs=0.07), x
    mapped = [cal(x) for x in np.linspace(0, 1, 101)]
    assert all(b >= a for a, b in zip(mapped, mapped[1:], strict=False))  # review order kept
    assert Reliability.of([cal(x) for x in raw], right).ece < 0.03
    assert Reliability.of(raw, right).ece > 0.2  # it was far from a probability before
    assert cal.n_crops == 4000


def test_fit_never_claims_certainty_and_pools_small_blocks() -> None:
    raw = [0.2] * 5 + [0.9] * 30  # five crops at 0.2: too few for a block of their own
    right = [False] * 5 + [True] * 30
    cal = ConfidenceCalibration.fit(raw, right, "test")
    assert cal(0.2) == cal(0.95) == pytest.approx(30 / 35, abs=1e-3)  # pooled with the 0.9s
    assert len(cal.raw) == 1
    many = ConfidenceCalibration.fit([0.2] * MIN_BLOCK + [0.9] * 30,
                                     [False] * MIN_BLOCK + [True] * 30, "test")
    # 30 of 30 right is not proof of 100 %, nor 0 of 10 of 0 %.
    assert many(0.2) == 0.01 and many(0.9) == PROBABILITY_CAP and many(0.55) > 0.4
    # A violator (higher raw, fewer right) is pooled, so the map still rises.
    worse = ConfidenceCalibration.fit([0.3] * 20 + [0.6] * 20, [True] * 18 + [False] * 2
                                      + [True] * 10 + [False] * 10, "test")
    assert worse(0.3) == worse(0.6) == pytest.approx(28 / 40, abs=1e-3)


@pytest.mark.parametrize(
    ("raw", "prob", "message"),
    [((), (), "as many"), ((0.5, 0.4), (0.1, 0.2), "increase"),
     ((0.1, 0.2), (0.5, 0.4), "not decrease"), ((0.1,), (1.5,), r"\[0, 1\]")],
)
def test_bad_maps_are_refused(raw, prob, message) -> None:
    with pytest.raises(ValueError, match=message):
        ConfidenceCalibration(raw, prob, 10, "test")


def test_fit_needs_enough_crops() -> None:
    with pytest.raises(ValueError, match="at least"):
        ConfidenceCalibration.fit([0.5] * 3, [True] * 3, "test")
    with pytest.raises(ValueError, match="same length"):
        ConfidenceCalibration.fit([0.5] * 20, [True] * 19, "test")


def test_stored_beside_the_weights_and_read_back(tmp_path) -> None:
    assert load_calibration(tmp_path) is None  # no map: raw confidence
    cal = ConfidenceCalibration((0.2, 0.8), (0.4, 0.95), 120, "tuning crops")
    path = cal.write(tmp_path)
    assert path.name == CALIBRATION_NAME and not list(tmp_path.glob("*.tmp"))
    assert load_calibration(tmp_path) == cal
    path.write_text(json.dumps({"format": 1, "raw": [0.8, 0.2], "probability": [0.4, 0.9],
                                "n_crops": 3, "fitted_on": "x"}))
    with pytest.raises(ModelLoadError, match=CALIBRATION_NAME):
        load_calibration(tmp_path)
    path.write_text("[1, 2")
    with pytest.raises(ModelLoadError, match="cannot read the confidence calibration"):
        load_calibration(tmp_path)


def _content(confidence: float, review: bool) -> SignContent:
    return SignContent(scripts=frozenset({Script.THAI}), thai_below_foreign=False,
                       has_graphics=False, moving_display=False, confidence=confidence,
                       needs_review=review, note="read")


def test_calibrated_content_maps_the_confidence_and_keeps_the_review() -> None:
    cal = ConfidenceCalibration((0.3, 0.9), (0.4, 0.98), 200, "tuning crops")
    out = calibrated_content(_content(0.3, True), cal, 0.5)
    assert out.confidence == 0.4 and out.needs_review  # the review rule is the raw one
    assert "raw confidence 0.30" in out.note and "200 tuning crops" in out.note
    assert calibrated_content(_content(0.9, False), cal, 0.5).confidence == 0.98
    assert calibrated_content(_content(0.3, True), None, 0.5) == _content(0.3, True)


def test_an_unreadable_result_for_review_is_never_reported_as_sure() -> None:
    generous = ConfidenceCalibration((0.3, 0.9), (0.8, 0.98), 200, "tuning crops")
    out = calibrated_content(_content(0.45, True), generous, 0.5)  # no line read
    assert out.needs_review and out.confidence == 0.49 and "nothing legible" in out.note
    assert calibrated_content(_content(0.6, False), generous, 0.5).confidence > 0.8
    # A legible reading sent to review (the OCR and the network at odds) says what it is.
    legible = replace(_content(0.45, True),
                      lines=(TextLine("ร้านกาแฟ", Script.THAI, (0, 0, 10, 5), 0.8),))
    assert calibrated_content(legible, generous, 0.5).confidence == generous(0.45) > 0.5


class _Reader:
    def read(self, crop_bgr):
        return [TextLine("ร้านกาแฟ", Script.THAI, (10, 10, 200, 60), 0.9)]


class _Network:
    """Stands in for ContentClassifier: agrees with the reader, has a calibration."""

    calibration = ConfidenceCalibration((0.5, 0.9), (0.7, 0.97), 300, "tuning crops")

    def facts(self, crop_bgr):
        return ContentFacts(0.99, 0.01, 0.01, 0.01, 0.01, 0.01)


def test_analyze_reports_the_calibrated_confidence(plain_crop) -> None:
    raw = analyze(plain_crop, ocr=_Reader(), classifier=_Network(), calibrate=False)
    scan = analyze(plain_crop, ocr=_Reader(), classifier=_Network())
    assert scan.confidence == _Network.calibration(raw.confidence)
    assert scan.confidence != raw.confidence
    assert (scan.scripts, scan.needs_review) == (raw.scripts, raw.needs_review)


def test_a_kept_reading_fused_later_is_what_analyze_reports(plain_crop) -> None:
    from vision.content.analysis import with_network

    read = analyze(plain_crop, ocr=_Reader())
    for calibrate in (True, False):
        assert with_network(read, plain_crop, _Network(), calibrate=calibrate) == analyze(
            plain_crop, ocr=_Reader(), classifier=_Network(), calibrate=calibrate)
