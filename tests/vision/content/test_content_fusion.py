"""Fusing the OCR's reading with the content network's facts (vision.content.fusion)."""

from __future__ import annotations

import pytest

from vision.content.classifier import ContentFacts
from vision.content.fusion import (
    DISAGREE_CONFIDENCE,
    UNREAD_CONFIDENCE_CAP,
    FusionPolicy,
    ThaiAdding,
    deciding_facts,
    fuse,
    network_reading,
)
from vision.types import Script, SignContent, TextLine

TH, LA, CJK = Script.THAI, Script.LATIN, Script.CJK
REVIEW_BELOW = 0.5


def facts(thai=0.02, latin=0.02, cjk=0.02, other=0.02, below=0.02, graphics=0.02) -> ContentFacts:
    return ContentFacts(thai, latin, cjk, other, below, graphics)


def read(scripts=(), *, below=False, graphics=False, confidence=0.9, review=None,
         lines=()) -> SignContent:
    return SignContent(
        scripts=frozenset(scripts), thai_below_foreign=below, has_graphics=graphics,
        moving_display=False, confidence=confidence, lines=tuple(lines),
        needs_review=confidence < REVIEW_BELOW if review is None else review, note="ocr",
    )


def line(script: Script, conf: float = 0.3) -> TextLine:
    return TextLine("x", script, (0.0, 0.0, 10.0, 5.0), conf)


def test_deciding_facts_ignore_what_does_not_change_the_type() -> None:
    # Graphics matter only on a Thai-only sign; "below" only with Thai and foreign text.
    assert deciding_facts(frozenset({LA}), True, True) == deciding_facts(frozenset({LA}), False,
                                                                           False)
    assert deciding_facts(frozenset({TH}), False, True) != deciding_facts(frozenset({TH}), False,
                                                                           False)
    assert deciding_facts(frozenset({TH, LA}), True, False) != deciding_facts(
        frozenset({TH, LA}), False, False)
    # Without Thai, foreign text changes nothing: Type 3 with Latin, Chinese or none legible.
    assert deciding_facts(frozenset({LA}), False, False) == deciding_facts(frozenset(), False,
                                                                            False)
    assert deciding_facts(frozenset({CJK}), False, True) == deciding_facts(frozenset({LA}), False,
                                                                            False)
    assert deciding_facts(frozenset({TH, LA}), False, False) != deciding_facts(
        frozenset({TH}), False, False)


def test_a_sure_no_thai_reading_stands_where_the_network_sees_no_script() -> None:
    # A Latin board the OCR read surely; a network that sees no script there still means
    # Type 3: no disagreement, no review.
    ocr = read({LA}, confidence=0.9)
    out = fuse(ocr, facts(), REVIEW_BELOW)
    assert out.scripts == frozenset({LA}) and not out.needs_review and out.confidence == 0.9


def test_network_reading_picks_the_facts_of_the_most_probable_type() -> None:
    # Thai and Latin, probably Thai below: Type 3 by the "below" path.
    scripts, below, graphics, p_type = network_reading(facts(thai=0.99, latin=0.9, below=0.7))
    assert scripts == frozenset({TH, LA}) and below and not graphics
    assert p_type == pytest.approx(0.01 + 0.99 * (1 - 0.1 * 0.98 * 0.98) * 0.7, abs=1e-6)
    # Sure of Thai and of a logo, unsure whether a faint line is Latin: Type 2 either way,
    # so the type is near-certain although one fact is not.
    scripts, _, graphics, p_type = network_reading(facts(thai=0.99, latin=0.45, graphics=0.99))
    assert Script.THAI in scripts and p_type > 0.9
    assert graphics or LA in scripts
    # No Thai: the foreign scripts the network sees, never "below".
    scripts, below, _, p_type = network_reading(facts(thai=0.03, cjk=0.9, below=0.9))
    assert scripts == frozenset({CJK}) and not below and p_type > 0.95


def test_a_sure_ocr_reading_stands_when_the_network_agrees() -> None:
    ocr = read({TH}, confidence=0.9)
    out = fuse(ocr, facts(thai=0.98), REVIEW_BELOW)
    assert out.scripts == ocr.scripts and out.confidence == 0.9 and not out.needs_review
    assert "network: thai 0.98" in out.note


def test_a_sure_network_that_disagrees_sends_a_sure_ocr_reading_to_review() -> None:
    ocr = read({TH}, confidence=0.9)
    # Type 2 at about 0.9: sure enough to question the OCR, not to override it.
    out = fuse(ocr, facts(thai=0.99, latin=0.93), REVIEW_BELOW)
    assert out.scripts == frozenset({TH})  # the OCR's facts stand...
    assert out.needs_review and out.confidence == DISAGREE_CONFIDENCE  # ...for an officer
    assert "disagrees" in out.note


def test_an_unsure_network_changes_nothing() -> None:
    ocr = read(confidence=0.3)
    out = fuse(ocr, facts(thai=0.6), REVIEW_BELOW)
    assert out.scripts == frozenset() and out.needs_review and out.confidence == 0.3


def test_the_network_decides_where_the_ocr_only_had_a_thai_candidate() -> None:
    ocr = read(confidence=0.3, lines=[line(TH, 0.3)])
    out = fuse(ocr, facts(thai=0.995, graphics=0.01), REVIEW_BELOW)
    assert out.scripts == frozenset({TH}) and not out.has_graphics
    assert "content network" in out.note and out.lines == ocr.lines  # the evidence stays
    # Nothing legible was read, but the network itself sees Thai for sure: it decides.
    assert not out.needs_review and out.confidence >= REVIEW_BELOW
    # Unless the policy wants an accepted line always (the knob `signtax eval fusion` measures).
    strict = fuse(ocr, facts(thai=0.995, graphics=0.01), REVIEW_BELOW,
                  FusionPolicy(unread_script_min=None))
    assert strict.needs_review and strict.confidence == UNREAD_CONFIDENCE_CAP
    assert "proposal for review" in strict.note


def test_with_no_text_seen_by_anyone_the_network_only_proposes() -> None:
    # A picture-only board, or a wall: the network is sure there is no Thai, but sees no
    # script either; "no Thai" would be the top rate, so an officer looks.
    out = fuse(read(confidence=0.3), facts(thai=0.01, latin=0.3, graphics=0.99), REVIEW_BELOW)
    assert out.needs_review and out.confidence == UNREAD_CONFIDENCE_CAP
    assert out.scripts == frozenset({LA}) or not out.scripts  # the proposal stays visible


def test_a_very_sure_network_clears_a_crop_where_the_ocr_accepted_a_line() -> None:
    # The OCR accepted a Thai line but was unsure overall (an unread region beside it).
    ocr = read({TH}, confidence=0.45, lines=[line(TH, 0.8)])
    out = fuse(ocr, facts(thai=0.995, graphics=0.01), REVIEW_BELOW)
    assert out.scripts == frozenset({TH}) and not out.needs_review
    assert out.confidence >= REVIEW_BELOW


def test_noise_is_not_billed_unseen() -> None:
    """A network answers confidently on crops unlike its training (random noise: "no Thai",
    the top rate); with nothing read, that goes to an officer."""
    out = fuse(read(confidence=0.3, lines=[line(LA, 0.32)]), facts(thai=0.05, latin=0.77),
               REVIEW_BELOW)
    assert out.needs_review and out.confidence < REVIEW_BELOW


def test_a_fairly_sure_network_decides_but_leaves_it_for_review() -> None:
    out = fuse(read(confidence=0.3, lines=[line(TH, 0.3)]), facts(thai=0.93, latin=0.1),
               REVIEW_BELOW)
    assert out.scripts == frozenset({TH})
    assert out.needs_review and out.confidence < REVIEW_BELOW


def test_thai_below_foreign_comes_from_the_network_only_with_both_scripts() -> None:
    out = fuse(read(confidence=0.3, lines=[line(TH, 0.3)]),
               facts(cjk=0.99, thai=0.99, below=0.98), REVIEW_BELOW)
    assert out.scripts == frozenset({TH, CJK}) and out.thai_below_foreign
    out = fuse(read(confidence=0.3), facts(latin=0.99, below=0.98), REVIEW_BELOW)
    assert out.scripts == frozenset({LA}) and not out.thai_below_foreign


def test_by_default_only_a_network_sure_of_thai_adds_it() -> None:
    """Adding Thai the OCR did not read moves a sign from Type 3 to Type 1 or 2, so the
    network must itself be sure of Thai; then it may add it even where nothing was read."""
    for ocr in (
        read(confidence=0.3),  # nothing read at all
        read({LA}, confidence=0.4, lines=[line(LA, 0.6)]),  # foreign text only
    ):
        assert TH in fuse(ocr, facts(thai=0.99, latin=0.2), REVIEW_BELOW).scripts
        assert TH in fuse(ocr, facts(thai=0.92, latin=0.2), REVIEW_BELOW).scripts
        unsure = fuse(ocr, facts(thai=0.65, latin=0.2), REVIEW_BELOW)
        assert TH not in unsure.scripts and unsure.needs_review
    # The network still fills in the other facts where it does not add Thai.
    out = fuse(read(confidence=0.3), facts(cjk=0.99), REVIEW_BELOW)
    assert out.scripts == frozenset({CJK})


@pytest.mark.parametrize(
    ("adding", "adds_where_nothing_read", "adds_beside_accepted_foreign"),
    [(ThaiAdding.CANDIDATE, False, False), (ThaiAdding.NO_FOREIGN, True, False),
     (ThaiAdding.ANYWHERE, True, True)],
)
def test_where_the_network_may_add_thai_is_a_policy(adding, adds_where_nothing_read,
                                                    adds_beside_accepted_foreign) -> None:
    policy = FusionPolicy(thai_adding=adding, add_thai_min=0.9)
    sure_thai = facts(thai=0.99, latin=0.2)
    nothing = fuse(read(confidence=0.3), sure_thai, REVIEW_BELOW, policy)
    assert (TH in nothing.scripts) is adds_where_nothing_read
    beside = fuse(read({LA}, confidence=0.4, lines=[line(LA, 0.6)]),
                  facts(thai=0.99, latin=0.99), REVIEW_BELOW, policy)
    assert (TH in beside.scripts) is adds_beside_accepted_foreign
    # A Thai candidate with nothing foreign accepted: every policy lets a sure network add it.
    candidate = fuse(read(confidence=0.3, lines=[line(TH, 0.3)]), sure_thai, REVIEW_BELOW,
                     policy)
    assert TH in candidate.scripts
    # ...but not a network below the policy's own bar for Thai.
    unsure = fuse(read(confidence=0.3, lines=[line(TH, 0.3)]), facts(thai=0.85), REVIEW_BELOW,
                  policy)
    assert TH not in unsure.scripts and unsure.needs_review


def test_fusion_thresholds_must_be_probabilities() -> None:
    with pytest.raises(ValueError, match="probabilities"):
        FusionPolicy(network_decides=1.5)
    with pytest.raises(ValueError, match="probabilities"):
        FusionPolicy(add_thai_min=-0.1)
    with pytest.raises(ValueError, match="probabilities"):
        FusionPolicy(network_overrides=1.2)
    with pytest.raises(ValueError, match="probabilities"):
        FusionPolicy(unread_script_min=2.0)


def test_a_very_sure_network_overrides_a_sure_ocr_reading_for_review() -> None:
    """The OCR read Thai only, sure, and missed the Chinese above it; a network that is sure of
    the Chinese and of Thai below it proposes Type 3, and an officer confirms."""
    ocr = read({TH}, graphics=True, confidence=0.9)
    net = facts(thai=0.999, cjk=0.999, below=0.999, graphics=0.999)
    policy = FusionPolicy(network_overrides=0.95)
    out = fuse(ocr, net, REVIEW_BELOW, policy)
    assert out.scripts == frozenset({TH, CJK}) and out.thai_below_foreign
    assert out.needs_review and out.confidence == DISAGREE_CONFIDENCE
    assert "its facts are proposed" in out.note and out.lines == ocr.lines
    # Not sure enough, or no override in the policy: the OCR's facts stand, for review.
    for weaker in (FusionPolicy(network_overrides=None), FusionPolicy(network_overrides=0.9)):
        stays = fuse(ocr, facts(thai=0.9, cjk=0.9, below=0.9, graphics=0.9), REVIEW_BELOW,
                     weaker)
        assert stays.scripts == frozenset({TH}) and stays.needs_review


def test_an_override_adds_thai_only_past_the_thai_bar() -> None:
    """A sure OCR reading of Latin only; the network claims Thai too. Adding Thai is the step
    that moves the most money, so the override obeys the same bar as elsewhere."""
    ocr = read({LA}, confidence=0.9, lines=[line(LA, 0.9)])
    policy = FusionPolicy(network_overrides=0.95, add_thai_min=0.99)
    fairly = fuse(ocr, facts(thai=0.97, latin=0.999), REVIEW_BELOW, policy)
    assert TH not in fairly.scripts and fairly.needs_review
    sure = fuse(ocr, facts(thai=0.999, latin=0.999), REVIEW_BELOW, policy)
    assert sure.scripts == frozenset({TH, LA}) and sure.needs_review
