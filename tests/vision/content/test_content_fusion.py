"""Fusing the OCR's reading with the content network's facts (vision.content.fusion)."""

from __future__ import annotations

import pytest

from vision.content.classifier import ContentFacts
from vision.content.fusion import (
    DISAGREE_CONFIDENCE,
    UNREAD_CONFIDENCE_CAP,
    FusionPolicy,
    ThaiAdding,
    TypePaths,
    deciding_facts,
    fuse,
    kept_facts,
    key_type,
    network_reading,
    placed_facts,
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


def line(script: Script, conf: float = 0.3,
         box: tuple[float, float, float, float] = (0.0, 0.0, 10.0, 5.0)) -> TextLine:
    return TextLine("x", script, box, conf)


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
    with pytest.raises(ValueError, match="probabilities"):
        FusionPolicy(network_rules_out=-0.5)


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


def test_a_network_sure_of_thai_but_split_on_its_type_still_rules_out_no_thai() -> None:
    """Held-out crop 950000015/8: the OCR read nothing; the network sees Thai at 1.00 and Latin
    at 0.53, so Type 1 and Type 2 have about half each and neither reaches network_decides.
    Keeping the OCR's empty reading would say Type 3, the one type the network excludes."""
    ocr = read(confidence=0.3, lines=[line(TH, 0.3)])
    net = facts(thai=0.999, latin=0.53)
    out = fuse(ocr, net, REVIEW_BELOW)
    assert TH in out.scripts  # the network's most probable facts (Type 2 here)...
    assert out.needs_review and out.confidence < REVIEW_BELOW  # ...proposed for review
    # Without the rule (or with a stricter bar) the empty reading stands.
    for policy in (FusionPolicy(network_rules_out=None), FusionPolicy(network_rules_out=0.999)):
        assert fuse(ocr, net, REVIEW_BELOW, policy).scripts == frozenset()
    # Adding Thai still needs the network's Thai past the Thai bar.
    assert fuse(ocr, facts(thai=0.69, latin=0.5), REVIEW_BELOW).scripts == frozenset()


def test_a_sure_ocr_reading_the_network_rules_out_goes_to_review() -> None:
    """Held-out crop 950000090/10: the OCR was sure of Latin only (Type 3); the network gives
    Type 3 about 0.37 and no type 0.6. It goes to review, with the OCR's facts (an override
    needs a network sure of one type)."""
    ocr = read({LA}, confidence=0.9, lines=[line(LA, 0.9)])
    out = fuse(ocr, facts(thai=0.98, latin=0.84, below=0.42), REVIEW_BELOW)
    assert out.scripts == frozenset({LA}) and out.needs_review
    assert out.confidence == DISAGREE_CONFIDENCE and "disagrees" in out.note
    # A network that does not rule Type 3 out leaves the sure reading alone.
    calm = fuse(ocr, facts(thai=0.5, latin=0.9, below=0.5), REVIEW_BELOW)
    assert not calm.needs_review and calm.scripts == frozenset({LA})


def test_the_network_does_not_rule_out_its_own_most_probable_type() -> None:
    # Three types near a third each: Type 3 (the OCR's empty reading) has 0.38, so the other
    # two have 0.62 together, but it is also the network's most probable type: nothing is
    # ruled out, and the OCR's reading stands as it was.
    net = facts(thai=0.62, graphics=0.47)
    p = TypePaths.of(net)
    assert p.of_type(3) == max(p.of_type(t) for t in (1, 2, 3)) and p.of_type(3) < 0.4
    out = fuse(read(confidence=0.3), net, REVIEW_BELOW)
    assert out.scripts == frozenset() and "facts from the content network" not in out.note


def test_type_paths_are_a_distribution_over_the_types() -> None:
    for net in (facts(), facts(thai=0.7, latin=0.4, below=0.3, graphics=0.8),
                facts(thai=1.0, cjk=1.0, below=1.0)):
        p = TypePaths.of(net)
        assert sum(p.of_type(t) for t in (1, 2, 3)) == pytest.approx(1.0)


def test_key_type_is_the_tax_engines_type() -> None:
    import itertools

    from api.pricing import sign_type_of

    for scripts in (frozenset(), frozenset({TH}), frozenset({LA}), frozenset({TH, LA}),
                    frozenset({TH, CJK})):
        for below, graphics in itertools.product((False, True), repeat=2):
            content = read(scripts, below=below, graphics=graphics)
            assert key_type(deciding_facts(scripts, below, graphics)) == int(
                sign_type_of(content)), (scripts, below, graphics)


def test_facts_from_numpy_give_plain_python_facts() -> None:
    """Probabilities straight from a numpy array (an ensemble, an evaluation script) must
    fuse into facts the tax engine accepts: bools, not numpy bools."""
    import numpy as np

    from api.pricing import sign_type_of

    net = ContentFacts(*np.array([0.999, 0.01, 0.01, 0.01, 0.01, 0.99]))
    assert all(type(getattr(net, n)) is float for n in ("thai", "graphics"))
    out = fuse(read(confidence=0.3, lines=[line(TH, 0.3)]), net, REVIEW_BELOW)
    assert type(out.has_graphics) is bool and int(sign_type_of(out)) == 2


SALE_SURE = line(LA, 1.0, (55.0, 37.0, 91.0, 49.0))
THAI_BESIDE = line(TH, 0.22, (11.0, 31.0, 49.0, 55.0))  # a candidate on SALE's row
THAI_UNDER = line(TH, 0.22, (11.0, 70.0, 60.0, 90.0))  # a candidate on a row of its own, lower
NOT_PLACING = FusionPolicy(place_thai_candidates=False)


def test_the_ocr_lines_place_the_thai_the_network_sees() -> None:
    # Crop 950000090/10: "เซ้ง SALE". The OCR is sure of SALE (Type 3 on its own) and saw the
    # Thai only as a candidate beside it; the network sees Thai but is split on "below".
    ocr = read({LA}, confidence=0.55, lines=[SALE_SURE, THAI_BESIDE])
    net = facts(thai=0.98, latin=0.84, below=0.42)
    assert key_type(deciding_facts(*_keyed(fuse(ocr, net, REVIEW_BELOW, NOT_PLACING)))) == 3
    placed = fuse(ocr, net, REVIEW_BELOW)
    assert placed.scripts == frozenset({TH, LA}) and not placed.thai_below_foreign
    assert placed.needs_review  # a network's Thai is for an officer to confirm
    assert "OCR's lines" in placed.note
    # The same candidate a row lower is Thai below foreign text: Type 3.
    under = fuse(read({LA}, confidence=0.55, lines=[SALE_SURE, THAI_UNDER]), net, REVIEW_BELOW)
    assert key_type(deciding_facts(*_keyed(under))) == 3


def _keyed(c: SignContent) -> tuple:
    return c.scripts, c.thai_below_foreign, c.has_graphics


def test_placing_needs_a_sure_foreign_line_a_thai_candidate_and_the_networks_thai() -> None:
    net = facts(thai=0.98, latin=0.84, below=0.42)
    assert placed_facts(read({LA}, lines=[SALE_SURE]), net) == net  # no Thai candidate
    assert placed_facts(read(lines=[THAI_BESIDE, line(LA, 0.3, SALE_SURE.bbox_xyxy)]),
                        net) == net  # no sure foreign line
    assert placed_facts(read({TH, LA}, lines=[SALE_SURE, line(TH, 0.9, THAI_BESIDE.bbox_xyxy)]),
                        net) == net  # the OCR read the Thai itself
    placed = placed_facts(read({LA}, lines=[SALE_SURE, THAI_BESIDE]), net)
    assert (placed.latin, placed.below, placed.thai) == (1.0, 0.0, 0.98)
    # The network's own Thai must clear the bar: a candidate is no evidence of Thai.
    unsure = fuse(read({LA}, confidence=0.55, lines=[SALE_SURE, THAI_BESIDE]),
                  facts(thai=0.5, latin=0.84, below=0.42), REVIEW_BELOW)
    assert TH not in unsure.scripts


def test_a_thai_candidate_inside_a_sure_foreign_line_is_not_placed() -> None:
    # Tuning crop 273: "RUNGRUEANG Chicken Rice" read surely, "ผิ" read inside it at 0.37; the
    # sign's Thai line sits under the Latin, as the network says (below 0.99).
    rice = line(LA, 1.0, (77.0, 16.7, 334.3, 37.7))
    re_read = line(TH, 0.37, (290.2, 13.0, 307.0, 35.5))
    net = facts(thai=0.96, latin=1.0, below=0.99)
    assert placed_facts(read({LA}, lines=[rice, re_read]), net) == net
    fused = fuse(read({LA}, confidence=0.26, lines=[rice, re_read]), net, REVIEW_BELOW)
    assert key_type(deciding_facts(*_keyed(fused))) == 3
    # The same candidate beside the Latin line, not inside it, is placed on that row.
    beside = line(TH, 0.37, (340.0, 13.0, 380.0, 35.5))
    placed = placed_facts(read({LA}, lines=[rice, beside]), net)
    assert (placed.latin, placed.below) == (1.0, 0.0)


def test_a_script_the_ocr_read_surely_stays_where_the_network_decides() -> None:
    # Held-out crop 950000415/1, "ห้ามสูบบุหรี่" with a picture: the OCR read the Thai at 1.0 but
    # was unsure of two unread regions; the network sees Thai at 0.22 and a picture at 0.98.
    sure_thai = line(TH, 1.0, (20.0, 49.0, 144.0, 96.0))
    ocr = read({TH}, graphics=True, confidence=0.45, lines=[sure_thai, line(LA, 0.35)])
    net = facts(thai=0.22, latin=0.43, graphics=0.98)
    fused = fuse(ocr, net, REVIEW_BELOW)
    assert TH in fused.scripts and key_type(deciding_facts(*_keyed(fused))) == 2
    assert "read surely kept" in fused.note
    # Without the rule the network's facts alone make it a sign without Thai.
    alone = fuse(ocr, net, REVIEW_BELOW, FusionPolicy(keep_sure_scripts=None))
    assert TH not in alone.scripts and key_type(deciding_facts(*_keyed(alone))) == 3
    # Only lines read at the bar count: an accepted but unsure line does not bind the network.
    assert kept_facts(read({TH}, lines=[line(TH, 0.7)]), net, 0.9) == net
    kept = kept_facts(read({TH, LA}, lines=[sure_thai, line(LA, 0.95)]), net, 0.9)
    assert (kept.thai, kept.latin, kept.cjk) == (1.0, 1.0, net.cjk)


def test_thai_only_the_network_sees_on_an_unread_crop_can_be_kept_for_review() -> None:
    # Real crop facades-spb/img_224: "Оливия" in a looped script face; the OCR read nothing
    # and the network saw Thai at 0.92, no Latin. Sure enough to clear it as Type 1 unless
    # unread Thai is reviewed.
    unread = read(confidence=0.3)
    net = facts(thai=0.995, latin=0.001, graphics=0.001)
    clearing = fuse(unread, net, REVIEW_BELOW, FusionPolicy(review_unread_thai=False))
    assert clearing.scripts == frozenset({TH}) and not clearing.needs_review
    reviewing = fuse(unread, net, REVIEW_BELOW, FusionPolicy(review_unread_thai=True))
    assert reviewing.scripts == frozenset({TH})  # still the proposal the officer sees
    assert reviewing.needs_review and reviewing.confidence == UNREAD_CONFIDENCE_CAP
    # A network sure of Latin alone still clears an unread crop: no Thai is added there.
    latin = fuse(unread, facts(thai=0.005, latin=0.995), REVIEW_BELOW,
                 FusionPolicy(review_unread_thai=True))
    assert not latin.needs_review and TH not in latin.scripts
    # Thai the OCR accepted a line for is not "unread".
    seen = fuse(read({TH}, confidence=0.45, lines=[line(TH, 0.8)]), net, REVIEW_BELOW,
                FusionPolicy(review_unread_thai=True))
    assert not seen.needs_review
