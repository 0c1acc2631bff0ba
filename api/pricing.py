"""From what vision saw to what the law charges: the bridge between ``vision`` and ``api.tax``.

Shared by the CLI and the service so a sign is priced the same way everywhere; it also defines
the per-sign JSON document that ``signtax scan --json`` prints and the registry stores.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from api.tax import (
    LocalPolicy,
    Motion,
    SignType,
    TaxAssessment,
    TaxFacts,
    TaxInputError,
    assess,
    classify,
    rate_table_for_year,
)
from vision.types import Script, SignContent, SignObservation, TextLine


@dataclass(frozen=True, slots=True)
class PricedSign:
    observation: SignObservation
    sign_type: SignType
    motion: Motion
    assessment: TaxAssessment | None
    tax_missing_reason: str | None


def classify_facts(scripts: Iterable[str], *, thai_below_foreign: bool, has_graphics: bool
                   ) -> dict[str, bool]:
    """``api.tax.classify``'s keyword facts from the scripts read (``Script`` values): any
    script but Thai is foreign, and "Thai below foreign" counts only where both are there."""
    found = set(scripts)
    has_thai = Script.THAI in found
    has_foreign = bool(found - {Script.THAI})
    return {"has_thai": has_thai, "has_foreign": has_foreign, "has_graphics": has_graphics,
            "thai_below_foreign": thai_below_foreign and has_thai and has_foreign}


def sign_type_of(content: SignContent) -> SignType:
    if not content.scripts:
        # Nothing legible. Literally that is "no Thai characters" (type 3); the content's low
        # confidence then spreads the tax range over all types and sends it to review.
        return SignType.NO_THAI_OR_THAI_BELOW
    return classify(**classify_facts(content.scripts, thai_below_foreign=content.thai_below_foreign,
                                     has_graphics=content.has_graphics))


def _type_probabilities(decided: SignType, confidence: float) -> dict[SignType, float]:
    """Spread the doubt evenly over the other types: honest when we know nothing better."""
    others = [t for t in SignType if t is not decided]
    rest = max(0.0, 1.0 - confidence) / len(others)
    probs = {t: rest for t in others}
    probs[decided] = 1.0 - rest * len(others)
    return probs


def price_observation(obs: SignObservation, *, tax_year: int,
                      policy: LocalPolicy | None = None) -> PricedSign:
    content = obs.content
    sign_type = sign_type_of(content)
    motion = Motion.MOVING if content.moving_display else Motion.STATIC
    if not obs.detection.sign_class.taxable:
        return PricedSign(obs, sign_type, motion, None,
                          "government or traffic sign: not a taxable sign (§6, §8(6)); "
                          "kept out of the tax roll")
    m = obs.measurement
    if m is None:
        return PricedSign(obs, sign_type, motion, None,
                          f"no area, so no tax: {obs.measurement_missing_reason}")
    try:
        facts = TaxFacts(
            area_cm2=max(1, int(round(m.area_cm2))),
            sign_type=sign_type,
            motion=motion,
            area_ci95_cm2=(int(math.floor(m.area_ci95_cm2[0])),
                           int(math.ceil(m.area_ci95_cm2[1]))),
            type_probabilities=_type_probabilities(sign_type, content.confidence),
        )
        table = rate_table_for_year(tax_year)
        assessment = assess(facts, table, tax_year=tax_year, policy=policy or LocalPolicy())
    except TaxInputError as exc:
        return PricedSign(obs, sign_type, motion, None, f"cannot assess: {exc}")
    return PricedSign(obs, sign_type, motion, assessment, None)


def full_year_baht(area_cm2: float, sign_type: int, moving: bool, *, tax_year: int,
                   policy: LocalPolicy | None = None) -> Decimal:
    """A whole year's tax of a standing sign from its size, type and motion alone (no
    proration, change or surcharge, the minimum applied): what evaluations price a type
    error at. Raises TaxInputError for facts the engine refuses."""
    facts = TaxFacts(area_cm2=max(1, int(round(area_cm2))), sign_type=SignType(sign_type),
                     motion=Motion.MOVING if moving else Motion.STATIC)
    return assess(facts, rate_table_for_year(tax_year), tax_year=tax_year,
                  policy=policy or LocalPolicy()).annual_baht


def _round_list(values, ndigits: int = 1) -> list[float]:
    return [round(float(v), ndigits) for v in values]


def text_lines_to_dicts(lines: Iterable[TextLine]) -> list[dict[str, Any]]:
    """The lines the OCR read on a sign crop, as ``scan --json`` and the registry keep them:
    the evidence an officer checks the tax type against (box in crop pixels; ``evidence``
    false: read too unsurely to count for its script, shown but deciding nothing)."""
    return [
        {"text": ln.text, "script": ln.script.value, "bbox_xyxy": _round_list(ln.bbox_xyxy),
         "confidence": round(ln.confidence, 3), "evidence": ln.is_evidence}
        for ln in lines
    ]


def priced_sign_to_dict(p: PricedSign) -> dict:
    """The per-sign JSON object documented in the README (``scan --json`` → ``signs[]``)."""
    det = p.observation.detection
    m = p.observation.measurement
    c = p.observation.content
    return {
        "class": det.sign_class.value,
        "confidence": round(det.confidence, 3),
        "bbox_xyxy": _round_list(det.bbox_xyxy),
        "corners_px": [_round_list(pt) for pt in det.corners_px],
        "corners_source": det.corners_source,
        "measurement": None if m is None else {
            "width_cm": m.width_cm,
            "height_cm": m.height_cm,
            "area_cm2": m.area_cm2,
            "area_ci95_cm2": list(m.area_ci95_cm2),
            "method": m.method.value,
            "scale_source": m.scale_source,
        },
        "measurement_missing_reason": p.observation.measurement_missing_reason,
        "content": {
            "scripts": sorted(s.value for s in c.scripts),
            "thai_below_foreign": c.thai_below_foreign,
            "has_graphics": c.has_graphics,
            "moving_display": c.moving_display,
            "tax_type": int(p.sign_type),
            "motion": p.motion.value,
            "confidence": round(c.confidence, 3),
            "needs_review": c.needs_review,
            "note": c.note,
            "lines": text_lines_to_dicts(c.lines),
        },
        "tax": None if p.assessment is None else p.assessment.to_dict(),
        "tax_missing_reason": p.tax_missing_reason,
    }
