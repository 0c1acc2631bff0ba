"""The bridge from a vision observation to a tax assessment and the scan JSON per sign."""

from __future__ import annotations

from decimal import Decimal

import pytest

from api.pricing import price_observation, priced_sign_to_dict
from api.tax import SignType
from vision.types import (
    Detection,
    Measurement,
    MeasureMethod,
    Script,
    SignClass,
    SignContent,
    SignObservation,
    TextLine,
)

DET = Detection(SignClass.SIGNBOARD, 0.9, (10, 10, 310, 100),
                ((10, 10), (310, 10), (310, 100), (10, 100)), "refined")


def _obs(scripts, *, below=False, graphics=False, moving=False, area=(300.0, 90.0), conf=0.95):
    content = SignContent(frozenset(scripts), below, graphics, moving, conf)
    if area is None:
        return SignObservation(DET, None, "no metric scale", content)
    w, h = area
    m = Measurement(w, h, w * h, (w * h * 0.97, w * h * 1.03), MeasureMethod.BOARD, "board")
    return SignObservation(DET, m, None, content)


@pytest.mark.parametrize(
    ("scripts", "below", "graphics", "moving", "expected_type", "expected_due"),
    [
        ({Script.THAI}, False, False, False, SignType.THAI_ONLY, "270.00"),  # 54 u x 5
        ({Script.THAI}, False, True, False, SignType.THAI_MIXED, "1404.00"),  # 54 x 26
        ({Script.THAI, Script.LATIN}, False, False, False, SignType.THAI_MIXED, "1404.00"),
        ({Script.THAI, Script.LATIN}, True, False, False, SignType.NO_THAI_OR_THAI_BELOW, "2700.00"),
        ({Script.LATIN}, False, False, False, SignType.NO_THAI_OR_THAI_BELOW, "2700.00"),
        ({Script.LATIN}, False, False, True, SignType.NO_THAI_OR_THAI_BELOW, "2808.00"),  # 54 x 52
        (set(), False, False, False, SignType.NO_THAI_OR_THAI_BELOW, "2700.00"),
    ],
)
def test_type_and_due_for_2026(scripts, below, graphics, moving, expected_type, expected_due):
    priced = price_observation(_obs(scripts, below=below, graphics=graphics, moving=moving),
                               tax_year=2026)
    assert priced.sign_type is expected_type
    assert priced.assessment.units_500 == 54
    assert priced.assessment.due_baht == Decimal(expected_due)


def test_no_measurement_gives_reason_not_a_guess():
    priced = price_observation(_obs({Script.THAI}, area=None), tax_year=2026)
    assert priced.assessment is None
    assert "no metric scale" in priced.tax_missing_reason
    doc = priced_sign_to_dict(priced)
    assert doc["tax"] is None and doc["measurement"] is None
    assert doc["content"]["tax_type"] == 1


def test_low_confidence_widens_the_range():
    sure = price_observation(_obs({Script.THAI}, conf=0.99), tax_year=2026).assessment
    unsure = price_observation(_obs({Script.THAI}, conf=0.3), tax_year=2026).assessment
    assert unsure.baht_at_risk > sure.baht_at_risk


def test_json_shape_is_plain_data():
    doc = priced_sign_to_dict(price_observation(_obs({Script.LATIN}), tax_year=2026))
    assert doc["class"] == "signboard" and doc["corners_source"] == "refined"
    assert doc["measurement"]["method"] == "board"
    assert doc["tax"]["due_baht"] == "2700.00"
    assert doc["content"]["scripts"] == ["latin"]


def test_lines_read_too_unsurely_are_kept_but_marked_as_no_evidence():
    """The OCR's lines travel as evidence for the officer; one under the reading line is
    shown but decides nothing, and says so (a Thai misreading on a no-Thai sign, say)."""
    from dataclasses import replace

    lines = (TextLine("TR UONG CONG", Script.LATIN, (4.04, 3.0, 120.0, 30.0), 0.9987),
             TextLine("อเพห", Script.THAI, (5.0, 40.0, 60.0, 58.0), 0.48))
    obs = _obs({Script.LATIN})
    obs = replace(obs, content=replace(obs.content, lines=lines))
    doc = priced_sign_to_dict(price_observation(obs, tax_year=2026))
    assert doc["content"]["lines"] == [
        {"text": "TR UONG CONG", "script": "latin", "bbox_xyxy": [4.0, 3.0, 120.0, 30.0],
         "confidence": 0.999, "evidence": True},
        {"text": "อเพห", "script": "thai", "bbox_xyxy": [5.0, 40.0, 60.0, 58.0],
         "confidence": 0.48, "evidence": False},
    ]


def test_government_signs_never_reach_the_tax_roll():
    gov = Detection(SignClass.GOVERNMENT_SIGN, 0.9, (10, 10, 310, 100),
                    ((10, 10), (310, 10), (310, 100), (10, 100)), "refined")
    obs = _obs({Script.THAI, Script.LATIN})
    priced = price_observation(SignObservation(gov, obs.measurement, None, obs.content),
                               tax_year=2026)
    assert priced.assessment is None
    assert "not a taxable sign" in priced.tax_missing_reason
