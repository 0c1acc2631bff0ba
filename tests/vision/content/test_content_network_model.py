"""The shipped content network (models/content-classifier) on held-out rendered crops and on
real non-Thai crops, alone and fused with the OCR as a scan runs it."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.paths import shipped_content_model_dir
from api.pricing import sign_type_of
from training.content_crops import SYNTH_CONTENT_FIRST_SEED, CropFilter, scene_crops
from training.content_real import held_out_real_crops
from vision.content.analysis import REVIEW_BELOW, analyze
from vision.content.classifier import ContentClassifier
from vision.content.fusion import fuse
from vision.detector import resolve_model_dir
from vision.types import Script

pytestmark = pytest.mark.slow

N_SYNTH = 40
N_REAL_PER_SET = 10
# The bars sit below what was measured on these crops, not at it.
MIN_THAI_FACT_ACCURACY = 0.8
MIN_FUSED_TYPE_ACCURACY = 0.65  # measured 29/40
MIN_REAL_TYPE3 = 0.9


@pytest.fixture(scope="module")
def classifier() -> ContentClassifier:
    shipped = shipped_content_model_dir()
    assert shipped is not None, "models/content-classifier/PRODUCTION is missing"
    return ContentClassifier(resolve_model_dir(shipped))


@pytest.fixture(scope="module")
def held_out_crops() -> list:
    """Crops of the evaluation's held-out scenes (never trained on), in scene order."""
    crops, seed = [], SYNTH_CONTENT_FIRST_SEED
    while len(crops) < N_SYNTH:
        crops += scene_crops(seed, (1280, 960), CropFilter())
        seed += 1
    return crops[:N_SYNTH]


def test_network_sees_thai_on_held_out_crops(classifier, held_out_crops) -> None:
    right = sum((classifier.facts(c.crop_bgr).thai >= 0.5) == (Script.THAI in c.scripts)
                for c in held_out_crops)
    assert right / len(held_out_crops) >= MIN_THAI_FACT_ACCURACY, f"{right}/{len(held_out_crops)}"


def test_fused_analysis_types_held_out_crops_at_least_as_well_as_the_ocr(
    classifier, held_out_crops
) -> None:
    ocr_right = fused_right = 0
    for c in held_out_crops:
        read = analyze(c.crop_bgr)  # the OCR alone
        fused = fuse(read, classifier.facts(c.crop_bgr), REVIEW_BELOW)  # as analyze() fuses
        ocr_right += int(sign_type_of(read)) == c.tax_type
        fused_right += int(sign_type_of(fused)) == c.tax_type
    assert fused_right >= ocr_right, f"fused {fused_right}, OCR alone {ocr_right}"
    assert fused_right / len(held_out_crops) >= MIN_FUSED_TYPE_ACCURACY, f"{fused_right}/40"


def test_fused_analysis_keeps_real_signs_without_thai_type_3(classifier,
                                                            shared_data: Path) -> None:
    # Only photos held out from the network's training (it learnt "no Thai" on the others).
    crops = [c for _, _, c in held_out_real_crops(shared_data, per_dataset=N_REAL_PER_SET)]
    assert len(crops) == 2 * N_REAL_PER_SET
    decided = [int(sign_type_of(analyze(c.crop_bgr, classifier=classifier))) for c in crops]
    assert sum(t == 3 for t in decided) / len(decided) >= MIN_REAL_TYPE3, decided
