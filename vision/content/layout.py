"""Is any Thai text below / lower than foreign text? (Schedule (3)(b), tax-law.md §4)

The law gives no geometric test (tax-law.md §15.6), so this one is explicit and its
borderline cases are reported with low confidence for an officer to confirm.

The test, for each pair of a Thai line T and a foreign (non-Thai) line F, boxes in crop
pixels with y down:

- ``overlap`` = vertical overlap of T and F as a share of the smaller line height.
- T is *below* F when T's centre y is greater than F's centre y and
  ``overlap <= SAME_ROW_OVERLAP`` (they are on different rows). Horizontal position does
  not matter: Thai anywhere lower on the sign counts.
- T beside F (``overlap > SAME_ROW_OVERLAP``) or above F is not below.
- Pairs with ``AMBIGUOUS_LO < overlap < AMBIGUOUS_HI`` where T's centre is lower
  (staggered lines) are decided by the rule above but marked ambiguous.

The sign is Thai-below-foreign if any pair is. Only lines whose confidence is at least
``min_line_confidence`` take part.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from vision.content.lines import BBox, vertical_overlap
from vision.types import Script, TextLine

SAME_ROW_OVERLAP = 0.5
AMBIGUOUS_LO = 0.25
AMBIGUOUS_HI = 0.75
AMBIGUOUS_CONFIDENCE = 0.4  # below the review line on purpose: an officer decides


@dataclass(frozen=True, slots=True)
class LayoutDecision:
    thai_below_foreign: bool
    confidence: float  # of the geometric decision alone, 0..1
    reason: str


def _centre_y(line: TextLine) -> float:
    return (line.bbox_xyxy[1] + line.bbox_xyxy[3]) / 2


def box_below(lower: BBox, upper: BBox) -> bool:
    """The module's "below" test for two boxes: ``lower`` sits on a lower row than ``upper``."""
    lower_cy = (lower[1] + lower[3]) / 2
    upper_cy = (upper[1] + upper[3]) / 2
    return lower_cy > upper_cy and vertical_overlap(lower, upper) <= SAME_ROW_OVERLAP


def thai_below_foreign(
    lines: Sequence[TextLine], *, min_line_confidence: float = 0.5
) -> LayoutDecision:
    """Decide Thai-below-foreign from line boxes; see the module docstring for the test."""
    thai = [ln for ln in lines if ln.script is Script.THAI and ln.confidence >= min_line_confidence]
    foreign = [
        ln for ln in lines if ln.script is not Script.THAI and ln.confidence >= min_line_confidence
    ]
    if not thai or not foreign:
        return LayoutDecision(False, 1.0, "no Thai and foreign text together")

    below: list[tuple[float, str]] = []  # (confidence, why)
    not_below_conf = 1.0
    not_below_why = "Thai text is above or beside all foreign text"
    for t in thai:
        for f in foreign:
            ov = vertical_overlap(t.bbox_xyxy, f.bbox_xyxy)
            lower = _centre_y(t) > _centre_y(f)
            ambiguous = lower and AMBIGUOUS_LO < ov < AMBIGUOUS_HI
            conf = AMBIGUOUS_CONFIDENCE if ambiguous else 1.0
            pair = f"Thai {t.text!r} vs {f.script.value} {f.text!r}: overlap {ov:.2f}"
            if lower and ov <= SAME_ROW_OVERLAP:
                below.append((conf, f"{pair}, Thai lower"))
            elif ambiguous and conf < not_below_conf:
                not_below_conf = conf
                not_below_why = f"{pair}, staggered (beside or below?)"
    if below:
        conf, why = max(below, key=lambda p: p[0])
        return LayoutDecision(True, conf, why)
    return LayoutDecision(False, not_below_conf, not_below_why)
