"""Fuse what the OCR read on a crop with what the content network sees on it.

The two fail differently. The OCR gives evidence an officer can check (the lines it read, their
scripts and positions) and is rarely wrong when it is sure, but on a third of the crops it
reads nothing (night boards, blur, LED dots, small print). The network
(:mod:`vision.content.classifier`) always answers, but only with probabilities, and it has
seen only the scripts of the data engine (Thai, Latin, Chinese).

So:

- the OCR was sure (no review needed): its facts stand. If the network is sure of a
  different *type-deciding* fact, the result goes to review (``DISAGREE_CONFIDENCE``);
- the OCR was unsure, and the network is sure (``NETWORK_DECIDES`` or more on every fact
  that decides the type): the network's facts stand, and the OCR's lines stay as evidence;
  the result needs no review only if the network is very sure (its confidence, calibrated
  by ``NETWORK_CONFIDENCE_SCALE``, reaches the review line);
- otherwise the OCR's facts stand, still marked for review.

One exception protects signs without Thai: the network never adds Thai to a crop where the
OCR read foreign text and nothing Thai, even unsure foreign text; it has never seen Cyrillic
or Vietnamese, which it could take for Thai. There the OCR's "no Thai" stands (for review
if it was unsure).

"Type-deciding facts" (tax-law.md §4): Thai or not; foreign or not; with both, whether Thai
sits below foreign; with Thai alone, pictures or not. Vision reports these facts; the tax
engine turns them into the type.
"""

from __future__ import annotations

from dataclasses import replace

from vision.content.classifier import ContentFacts
from vision.types import Script, SignContent

FACT_THRESHOLD = 0.5
NETWORK_DECIDES = 0.75  # the network's certainty on each deciding fact, max(p, 1 - p)
# Maps the network's certainty (0.5..1) into the confidence scale of SignContent: a result
# it is 0.95 sure of on every deciding fact is worth no review.
NETWORK_CONFIDENCE_SCALE = ((0.75, 0.35), (0.95, 0.6), (1.0, 0.8))
DISAGREE_CONFIDENCE = 0.45  # below the review line


def deciding_facts(scripts: frozenset[Script], below: bool, graphics: bool) -> tuple:
    """The facts the tax type depends on, as a comparable key."""
    thai = Script.THAI in scripts
    foreign = bool(scripts - {Script.THAI})
    return (thai, foreign, thai and foreign and below, thai and not foreign and graphics)


def network_reading(facts: ContentFacts) -> tuple[frozenset[Script], bool, bool, float]:
    """Scripts, Thai-below-foreign, graphics from the network, and its certainty on the facts
    that decide the type (the least certain of them, 0.5..1)."""
    scripts = frozenset(
        s
        for s, p in ((Script.THAI, facts.thai), (Script.LATIN, facts.latin),
                     (Script.CJK, facts.cjk), (Script.OTHER, facts.other))
        if p >= FACT_THRESHOLD
    )
    thai = Script.THAI in scripts
    foreign = bool(scripts - {Script.THAI})
    below = facts.below >= FACT_THRESHOLD
    graphics = facts.graphics >= FACT_THRESHOLD
    certain = [max(facts.thai, 1 - facts.thai), max(facts.foreign, 1 - facts.foreign)]
    if thai and foreign:
        certain.append(max(facts.below, 1 - facts.below))
    elif thai:
        certain.append(max(facts.graphics, 1 - facts.graphics))
    return scripts, below, graphics, min(certain)


def _calibrated(certainty: float) -> float:
    points = NETWORK_CONFIDENCE_SCALE
    if certainty <= points[0][0]:
        return points[0][1] * certainty / points[0][0]
    for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
        if certainty <= x1:
            return y0 + (y1 - y0) * (certainty - x0) / (x1 - x0)
    return points[-1][1]


def _describe(facts: ContentFacts) -> str:
    return ("network: " + ", ".join(f"{name} {getattr(facts, name):.2f}" for name in
                                    ("thai", "latin", "cjk", "other", "below", "graphics")))


def fuse(read: SignContent, facts: ContentFacts, review_below: float) -> SignContent:
    """The content of one crop from the OCR's ``read`` and the network's ``facts``."""
    scripts, below, graphics, certainty = network_reading(facts)
    net_key = deciding_facts(scripts, below, graphics)
    read_key = deciding_facts(read.scripts, read.thai_below_foreign, read.has_graphics)
    described = _describe(facts)
    if not read.needs_review:
        if net_key == read_key or certainty < NETWORK_DECIDES:
            return replace(read, note=f"{read.note}; {described}")
        return replace(
            read,
            confidence=min(read.confidence, DISAGREE_CONFIDENCE),
            needs_review=True,
            note=f"{read.note}; the content network disagrees ({described})",
        )
    foreign_read = any(ln.script is not Script.THAI for ln in read.lines)
    thai_read = any(ln.script is Script.THAI for ln in read.lines)
    adds_thai = Script.THAI in scripts and Script.THAI not in read.scripts
    if certainty < NETWORK_DECIDES or (adds_thai and foreign_read and not thai_read):
        return replace(read, note=f"{read.note}; {described}")
    confidence = round(_calibrated(certainty), 3)
    return replace(
        read,
        scripts=scripts,
        thai_below_foreign=below and Script.THAI in scripts and bool(scripts - {Script.THAI}),
        has_graphics=graphics,
        confidence=confidence,
        needs_review=confidence < review_below,
        note=f"the OCR was unsure ({read.note}); facts from the content network ({described})",
    )
