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
- Except stacked lines: where T and F share most of their width (horizontal overlap at least
  ``STACKED_OVERLAP`` of the narrower line), they cannot be one row, since words on a row sit
  side by side; the lower centre is then below whatever the vertical overlap. Tesseract's box
  for a line of capitals can reach well into a small line set under it ("PROMOTION" over a
  small "ลดราคา" overlapped 0.76 and was taken for one row). Stacked pairs whose centres are
  less than ``STACKED_MIN_SHIFT`` of the smaller height apart are marked ambiguous (two
  readings of the same ink, say), and so are those less than ``STACKED_SURE_SHIFT`` apart whose
  overlap is in the ambiguous band below. A stacked pair whose centres are at least
  ``STACKED_SURE_SHIFT`` apart is decided surely whatever the overlap: the same "PROMOTION"
  over "ลดราคา" read from another render overlapped 0.747 and had been sent to review, though
  the Thai sat 0.61 of its height lower, inside the Latin's width.
- Pairs with ``AMBIGUOUS_LO < overlap < AMBIGUOUS_HI`` where T's centre is lower
  (staggered lines) are decided by the rule above but marked ambiguous.

The sign is Thai-below-foreign if any pair is. Only lines whose confidence is at least
``min_line_confidence`` take part.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from vision.content.lines import BBox, horizontal_overlap, vertical_overlap
from vision.types import Script, TextLine

SAME_ROW_OVERLAP = 0.5
AMBIGUOUS_LO = 0.25
AMBIGUOUS_HI = 0.75
AMBIGUOUS_CONFIDENCE = 0.4  # below the review line on purpose: an officer decides
STACKED_OVERLAP = 0.5
STACKED_MIN_SHIFT = 0.25
STACKED_SURE_SHIFT = 0.5


@dataclass(frozen=True, slots=True)
class LayoutDecision:
    thai_below_foreign: bool
    confidence: float  # of the geometric decision alone, 0..1
    reason: str


def _below(lower: BBox, upper: BBox) -> tuple[bool, bool, float]:
    """(``lower`` sits on a lower row than ``upper``, the call is borderline, the vertical
    overlap), by the module's test."""
    lower_cy = (lower[1] + lower[3]) / 2
    upper_cy = (upper[1] + upper[3]) / 2
    ov = vertical_overlap(lower, upper)
    if lower_cy <= upper_cy:
        return False, False, ov
    if horizontal_overlap(lower, upper) >= STACKED_OVERLAP:
        shift_px = lower_cy - upper_cy
        smaller_h = min(lower[3] - lower[1], upper[3] - upper[1])
        borderline = shift_px < STACKED_SURE_SHIFT * smaller_h and AMBIGUOUS_LO < ov < AMBIGUOUS_HI
        return True, shift_px < STACKED_MIN_SHIFT * smaller_h or borderline, ov
    return ov <= SAME_ROW_OVERLAP, AMBIGUOUS_LO < ov < AMBIGUOUS_HI, ov


def box_below(lower: BBox, upper: BBox) -> bool:
    """The module's "below" test for two boxes: ``lower`` sits on a lower row than ``upper``."""
    return _below(lower, upper)[0]


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
            is_below, ambiguous, ov = _below(t.bbox_xyxy, f.bbox_xyxy)
            conf = AMBIGUOUS_CONFIDENCE if ambiguous else 1.0
            pair = f"Thai {t.text!r} vs {f.script.value} {f.text!r}: overlap {ov:.2f}"
            if is_below:
                below.append((conf, f"{pair}, Thai lower"))
            elif ambiguous and conf < not_below_conf:
                not_below_conf = conf
                not_below_why = f"{pair}, staggered (beside or below?)"
    if below:
        conf, why = max(below, key=lambda p: p[0])
        return LayoutDecision(True, conf, why)
    return LayoutDecision(False, not_below_conf, not_below_why)
