"""Crops with no image structure (noise, corrupt data) are not read (vision.content.structure)."""

from __future__ import annotations

import numpy as np
import pytest

from vision.content.analysis import analyze
from vision.content.samples import SignSpec, TextSpec, degrade, render_sign
from vision.content.structure import STRUCTURELESS_BELOW, neighbour_correlation


class _MustNotRead:
    def read(self, crop_bgr):
        raise AssertionError("a structureless crop must not be read")


class _MustNotJudge:
    calibration = None

    def facts(self, crop_bgr):
        raise AssertionError("a structureless crop must not go to the network")


@pytest.mark.parametrize("seed", range(5))
def test_noise_is_sent_to_review_unread(seed) -> None:
    noise = np.random.default_rng(seed).integers(0, 256, (160, 480, 3), dtype=np.uint8)
    assert abs(neighbour_correlation(noise)) < 0.05
    c = analyze(noise, ocr=_MustNotRead(), classifier=_MustNotJudge())
    assert c.needs_review and c.confidence == 0.0 and not c.scripts
    assert "no image structure" in c.note


def test_signs_blank_boards_and_coarse_garbage_have_structure() -> None:
    sign = render_sign(SignSpec(rows=((TextSpec("ร้านกาแฟสด", "Loma.ttf"),),
                                      (TextSpec("COFFEE SHOP 081-234-5678",
                                                "DejaVuSans-Bold.ttf"),))))
    assert neighbour_correlation(sign) > 0.5
    assert neighbour_correlation(degrade(sign, np.random.default_rng(0))) > STRUCTURELESS_BELOW
    assert neighbour_correlation(np.full((40, 90, 3), 200, np.uint8)) == 1.0  # plainly blank
    blocks = np.kron(np.random.default_rng(4).integers(0, 256, (20, 60, 3), dtype=np.uint8),
                     np.ones((8, 8, 1), np.uint8))
    assert neighbour_correlation(blocks) > STRUCTURELESS_BELOW  # read, and judged as usual


def test_a_kept_reading_fused_later_is_what_analyze_reports() -> None:
    """An evaluation keeps the OCR's reading and fuses it with another network later
    (training.reads_cache): a structureless crop must still never reach the network."""
    from vision.content.analysis import with_network

    noise = np.random.default_rng(1).integers(0, 256, (160, 480, 3), dtype=np.uint8)
    read = analyze(noise, ocr=_MustNotRead())
    assert with_network(read, noise, _MustNotJudge()) == analyze(
        noise, ocr=_MustNotRead(), classifier=_MustNotJudge())
