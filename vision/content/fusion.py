"""Fuse what the OCR read on a crop with what the content network sees on it.

The two fail differently. The OCR gives evidence an officer can check (the lines it read, their
scripts and positions) and is rarely wrong when it is sure, but on a third of the crops it
reads nothing (night boards, blur, LED dots, small print). The network
(:mod:`vision.content.classifier`) always answers, but only with probabilities; it learnt
Thai, Latin and Chinese from the data engine's rendered signs, and real scripts only as signs
without Thai.

So:

- the OCR was sure (no review needed): its facts stand, unless the network gives a different
  type at least ``NETWORK_DECIDES`` probability: then the result goes to review
  (``DISAGREE_CONFIDENCE``), with the network's facts proposed to the officer if it gives its
  type at least ``network_overrides`` (the OCR's lines stay as evidence). Tesseract can be
  sure of the Thai line of a sign and miss the Chinese above it; the network rarely misses
  Chinese set that large;
- the OCR was unsure, and the network gives the type its facts lead to at least
  ``NETWORK_DECIDES`` (:func:`network_reading`): the network's facts stand, and the OCR's
  lines stay as evidence; the result needs no review only if the network is very sure (its
  probability, mapped by ``NETWORK_CONFIDENCE_SCALE``, reaches the review line) *and* there
  is text to rest it on: a line the OCR accepted, or some script the network itself sees at
  least ``unread_script_min``. Elsewhere (a blank or noisy crop, a wall the detector took for
  a sign, a picture-only board) the network's facts are only a proposal: its confidence is
  capped at ``UNREAD_CONFIDENCE_CAP`` and the crop goes to review. A network answers
  confidently on crops unlike anything it was trained on: on random noise c4 gives "no Thai"
  0.95 (the top rate, unseen) while it sees Latin at only 0.77, which this rule catches; c8
  sees Latin at 0.70–0.92 there, so crops with no image structure at all are kept from the
  network before it is asked (:mod:`vision.content.structure`). From c9 on the network also
  learns from crops of the rendered scenes away from every sign (walls, shutters, sky,
  trees): on 291 such validation crops c8 saw some script at >= 0.9 on 10 % (and Thai at
  >= 0.7 on 17 %), c9 on 2.1 % (1.7 %);
- otherwise the OCR's facts stand, still marked for review.

"Sure of a type" above also covers a network sure only that the OCR's type is wrong
(``network_rules_out``: the other two types together at least 0.6, and the OCR's type not
the network's most probable). Until late on 2026-11-27 it did not: on held-out crop
950000015/8 the OCR read nothing and the network saw Thai at 1.00 and Latin at 0.53, so
Type 1 and Type 2 had about half each, neither reached ``network_decides``, and the OCR's
empty reading stood as Type 3, the one type the network excluded. A sure OCR reading ruled
out that way goes to review with its own facts (an override still needs a network sure of
one type); an unsure one gives way to the network's most probable facts, for review, as the
bars below allow.
With c9 (``signtax eval fusion --synth 300``, then ``signtax eval content --synth 300``): on
the tuning crops 281/300 with the rule at 0.6 and without it (2 more right, 2 Type 3 crops
proposed as Type 2, all in review; 280/300 at 0.8), real 57/58 both; on the held-out crops
279/300 against 274/300 with no crop newly cleared without review (one more sent to it),
real 329/332 both.

Adding Thai the OCR did not read is the step that moves the most money (Type 3 to Type 1 or 2)
and the one a network can get wrong on scripts it has never seen, so it is a policy of its own
(:class:`FusionPolicy`): the network must itself give Thai at least ``add_thai_min``, and
``thai_adding`` says where (an override obeys the same bar). The network c2 learnt from
rendered signs only and took real Cyrillic or Vietnamese it could not read for Thai, so it was
allowed only where the OCR saw a Thai candidate line (``ThaiAdding.CANDIDATE``). From c3 on it
also learns from the real no-Thai signs of the training half of the real photos
(``signtax train-content``).

Chosen (``signtax eval fusion``) on 160 rendered crops of scenes from 960,000,000 on (apart
from the evaluation's held-out scenes, 950,000,000 on, and from the network's training
scenes; rendered with the window advertising of 2026-11-26) and on the 58 held-out real crops
among the first 60 photos of each set (decided Type 3; type correct on the rendered crops;
share of those sent to review). Columns: decides, where Thai may be added, Thai at least,
overrides at:

==========================================  ==========  =========  ======
policy                                      rendered    real       review
==========================================  ==========  =========  ======
OCR alone                                   125 (78 %)  56/58      42 %
c4, 0.5, candidate, 0.9, never              128 (80 %)  57/58      44 %
c4, 0.5, no_foreign, 0.9, never             140 (88 %)  57/58      32 %
c4, 0.5, anywhere, 0.7, never (old default) 141 (88 %)  57/58      31 %
c4, 0.6, anywhere, 0.9, never               144 (90 %)  57/58      29 %
c4, 0.6, anywhere, 0.7, 0.95                150 (94 %)  58/58      29 %
c4, 0.6, anywhere, 0.9, 0.95 (default)      151 (94 %)  58/58      29 %
c4, 0.6, anywhere, 0.9, 0.99                151 (94 %)  58/58      29 %
c4, 0.7, anywhere, 0.9, 0.95                149 (93 %)  58/58      27 %
c7 (facts-m), 0.5, anywhere, 0.7, never     141 (88 %)  56/58      23 %
c7 (facts-m), 0.6, anywhere, 0.9, 0.95      148 (92 %)  57/58      22 %
==========================================  ==========  =========  ======

On 401 tuning crops (``signtax eval fusion --classifier models/content-classifier/c4
--synth 400``, 33 min) the default is still the best of the 81 policies: 376/401 (94 %), real
58/58, review 27 %; the old default 356/401, 57/58; Thai at 0.7 instead of 0.9: 374/401; the OCR
alone 307/401.

Overriding is worth 7 crops in 160 whatever the other settings, and costs no real crop: a
network sure of "no Thai" also corrects the OCR's Thai misreadings of Cyrillic. The Thai bar
moved from 0.7 to 0.9 for the same score on these crops, as the stronger guard on real scripts
the network has not seen (and back to 0.7 for c8, below).

With c8 (2026-11-27; ``signtax eval fusion --classifier models/content-classifier/c8 --synth
300``: 300 rendered and 58 real tuning crops; OCR alone 232/300, 56/58, review 45 %), Thai at
0.7 beats 0.9 by 6 crops whatever the rest (286/300 against 280/300 at decides 0.6 with
overrides 0.95; real 58/58 both), so the bar moved back to 0.7; decides 0.5 scores 288/300
but sends the same share to review, and 0.6 stays. ``unread_script_min``: where the OCR
accepted no line, clearing the crop on the network alone whatever it sees (0.0) sends 27 %
to review, never clearing it 53 %, and clearing only where the network sees some script at
>= 0.9 34 %: the default, the price of not billing noise or a bare wall unseen. The types are
the same in all three; only who looks changes.

The network says whether there is Thai; where the OCR saw that Thai only as a candidate line
beside or under foreign text it read for sure, the OCR's lines say where
(``place_thai_candidates``, :func:`placed_facts`, 2026-11-29): the network's facts are
conditioned on the foreign scripts read and on the layout test of the candidates' boxes
before the type is chosen. The network alone is poor at "below" (it sees the sign as a whole),
and the layout test is how the OCR decides it for lines it accepts. On the tuning crops with
c9 (``signtax eval fusion --synth 300``, with the two-letter Thai candidates of
:mod:`vision.content.lines`): the default policy 281/300 with it against 280/300 without,
review 31 % against 32 %, real 57/58 both; over the whole grid it gains a crop for 72
policies, loses one for 54 and changes nothing for 603. On the 300 held-out crops (``signtax
eval content --synth 300``, calibration refitted with it) the types are unchanged (279/300,
Thai-below 117/121), one crop more is cleared without review, rightly (199/201), and the
real no-Thai crops are unchanged (329/332). A candidate lying inside an accepted foreign line
is a re-reading of that line's ink and is not placed (later on 2026-11-29), so crop
950000090/10 itself stays Type 3, for review: the OCR also read "1379 SALE" over its Thai.
With that and the layout test's surer stacked lines (:mod:`vision.content.layout`), c9's
calibration refitted (ECE 0.238 raw, 0.073 calibrated, in-sample): tuning crops 283/300
(was 281/300), review 31 %, real 57/58; held-out types unchanged (279/300, Thai-below
117/121), 200/202 right where not sent to review (was 199/201), 32.7 % to review (33.0 %),
real no-Thai 329/332. Keeping the scripts the OCR read surely where the network decides
(``keep_sure_scripts``, the same day) and c9's calibration refitted again (ECE 0.239 raw,
0.070 calibrated, in-sample): tuning 284/300, review 30 %, real 57/58; held-out 280/300 (the
one crop more is 950000415/1, which prompted the rule; no crop lost), 202/204 right where not
sent to review, 32.0 % to review, Thai-below 117/121, ECE 0.061; real no-Thai 329/332.

"Type-deciding facts" (tax-law.md §4): Thai or not; foreign or not; with both, whether Thai
sits below foreign; with Thai alone, pictures or not. Vision reports these facts; the tax
engine turns them into the type.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum

from vision.content.classifier import ContentFacts
from vision.content.layout import thai_below_foreign
from vision.content.lines import covered_share
from vision.types import Script, SignContent

FACT_THRESHOLD = 0.5
NETWORK_DECIDES = 0.6  # the network's probability of the type its facts lead to
# Maps that probability into the confidence scale of SignContent: a type the network gives
# 0.95 or more is worth no review.
NETWORK_CONFIDENCE_SCALE = ((0.6, 0.3), (0.95, 0.55), (1.0, 0.8))
# Sure that the OCR's type is wrong though split between the other two (Thai for certain,
# Latin beside it at 0.5): see FusionPolicy.network_rules_out.
NETWORK_RULES_OUT = 0.6
DISAGREE_CONFIDENCE = 0.45  # below the review line
UNREAD_CONFIDENCE_CAP = 0.45  # the network's facts where the OCR accepted no line
# A Thai candidate this much inside an accepted foreign line is a re-reading of its ink.
RE_READ_COVERED_SHARE = 0.5
# A line the OCR read this surely keeps its script where the network's facts replace an
# unsure reading (FusionPolicy.keep_sure_scripts).
KEEP_SURE_SCRIPTS = 0.9


class ThaiAdding(Enum):
    """Where the OCR was unsure and found no Thai, when may the network add Thai?"""

    CANDIDATE = "candidate"  # the OCR saw a Thai candidate line and accepted no foreign line
    NO_FOREIGN = "no_foreign"  # the OCR accepted no foreign line
    ANYWHERE = "anywhere"


@dataclass(frozen=True, slots=True)
class FusionPolicy:
    """The knobs of :func:`fuse`; :data:`DEFAULT_POLICY` is what a scan uses."""

    network_decides: float = NETWORK_DECIDES
    thai_adding: ThaiAdding = ThaiAdding.ANYWHERE
    # The network's own probability of Thai needed to add it (on top of network_decides).
    add_thai_min: float = 0.7
    # Where a sure OCR reading and the network disagree, the network's facts replace the
    # OCR's (still for review) if the network gives its type at least this; None: never.
    network_overrides: float | None = 0.95
    # Where the OCR accepted no line, a very sure network clears the crop from review only if
    # it sees some script at least this sure; None: never.
    unread_script_min: float | None = 0.9
    # The network rules out the type of the OCR's reading where it gives the other two types
    # together at least this: a sure OCR reading then goes to review, and an unsure one
    # gives way to the network's most probable facts even where no single type reaches
    # network_decides; None: never.
    network_rules_out: float | None = NETWORK_RULES_OUT
    # Where the network gives Thai at least add_thai_min that the OCR only saw as a candidate
    # line beside foreign text it read for sure, the network's facts are first conditioned
    # on what those lines settle (:func:`placed_facts`): the network says whether there is
    # Thai, the OCR's lines say where.
    place_thai_candidates: bool = True
    # Where the OCR accepted no line, Thai that only the network sees is always a proposal for
    # review, however sure the network is (unread_script_min clears the rest): a looped Latin
    # or Cyrillic script face ("Оливия", held-out real crop facades-spb/img_224) is Thai at
    # 0.92 to c9, and is cleared as Type 1 without it. Off: on the tuning crops with c9
    # (2026-11-29, `signtax eval fusion --synth 300`) it sends 36 more rendered crops to
    # review (31 % -> 43 %) and catches no wrong type there (205/207 right unflagged with it
    # off, 169/171 on), nor on the 58 real tuning crops (43/43 either way).
    review_unread_thai: bool = False
    # Where the OCR was unsure and the network's facts replace its reading, each script of a
    # line the OCR read at least this sure stays (:func:`kept_facts`): the OCR is unsure of the
    # whole sign (text it could not read), not of the line it read. None: the network's facts
    # alone. Held-out crop 950000415/1, "ห้ามสูบบุหรี่" on a window sticker: the OCR read the
    # Thai at 1.0 but was unsure of two unread regions, and c9 (Thai 0.22) made it a sign
    # with no Thai. On the tuning crops (2026-11-29, ``signtax eval fusion --synth 300``) at
    # 0.9 it gains 1 or 2 crops for 2,736 of the grid's 2,916 policies and loses none, sends
    # 1 % fewer to review for all of them, and leaves the real crops as they were.
    keep_sure_scripts: float | None = KEEP_SURE_SCRIPTS

    def __post_init__(self) -> None:
        if not (0.0 <= self.network_decides <= 1.0 and 0.0 <= self.add_thai_min <= 1.0):
            raise ValueError("fusion thresholds are probabilities in [0, 1]")
        for v in (self.network_overrides, self.unread_script_min, self.network_rules_out,
                  self.keep_sure_scripts):
            if v is not None and not 0.0 <= v <= 1.0:
                raise ValueError("fusion thresholds are probabilities in [0, 1]")


DEFAULT_POLICY = FusionPolicy()


def deciding_facts(scripts: frozenset[Script], below: bool, graphics: bool) -> tuple:
    """The facts the tax type depends on, as a comparable key.

    Foreign text matters only beside Thai: without Thai the sign is Type 3 whether it carries
    Latin, some other script or none legible. (Until 2026-11-27 the key kept "foreign" on its
    own, so a sure OCR reading of Latin that a network saw no script on went to review as a
    disagreement though both meant Type 3: 9 of the 58 real tuning crops with c9.)"""
    thai = Script.THAI in scripts
    foreign = thai and bool(scripts - {Script.THAI})
    return (thai, foreign, foreign and below, thai and not foreign and graphics)


def key_type(key: tuple) -> int:
    """The tax type (1, 2 or 3) that a :func:`deciding_facts` key leads to (tax-law.md §4, as
    ``api.tax.classify`` decides it from the same facts)."""
    thai, foreign, below, graphics = key
    if not thai or below:
        return 3
    return 2 if foreign or graphics else 1


@dataclass(frozen=True, slots=True)
class TypePaths:
    """The network's probability of each way to a tax type, its facts taken as independent."""

    no_thai: float  # Type 3
    thai_below: float  # Type 3: Thai below foreign text
    thai_only: float  # Type 1: Thai alone, no pictures
    thai_beside_foreign: float  # Type 2: foreign text not below it
    thai_with_pictures: float  # Type 2: Thai alone, with pictures

    @classmethod
    def of(cls, facts: ContentFacts) -> TypePaths:
        t, f, b, g = facts.thai, facts.foreign, facts.below, facts.graphics
        return cls(1 - t, t * f * b, t * (1 - f) * (1 - g), t * f * (1 - b), t * (1 - f) * g)

    def of_type(self, tax_type: int) -> float:
        if tax_type == 1:
            return self.thai_only
        if tax_type == 2:
            return self.thai_beside_foreign + self.thai_with_pictures
        return self.no_thai + self.thai_below


def network_reading(facts: ContentFacts) -> tuple[frozenset[Script], bool, bool, float]:
    """Scripts, Thai-below-foreign and graphics from the network, chosen *jointly*, and the
    network's probability of the tax type they lead to (0..1).

    Deciding each fact on its own throws away how they combine: a sign the network is sure
    carries Thai and a logo is Type 2 whether or not its faint subtitle is foreign. So the
    facts (taken as independent) give each type a probability:

    - Type 3: no Thai, or Thai below foreign text: ``(1 - thai) + thai * foreign * below``;
    - Type 1: Thai only, no pictures: ``thai * (1 - foreign) * (1 - graphics)``;
    - Type 2: the rest, by one of two paths (foreign text not below it, or Thai alone with
      pictures);

    and the facts reported are those of the most probable type (and its most probable path).
    """
    foreign_scripts = frozenset(
        s for s, p in ((Script.LATIN, facts.latin), (Script.CJK, facts.cjk),
                       (Script.OTHER, facts.other)) if p >= FACT_THRESHOLD
    ) or frozenset({max(((Script.LATIN, facts.latin), (Script.CJK, facts.cjk),
                         (Script.OTHER, facts.other)), key=lambda sp: sp[1])[0]})
    paths = TypePaths.of(facts)
    type1, type2, type3 = (paths.of_type(t) for t in (1, 2, 3))
    best = max(type1, type2, type3)
    graphics = facts.graphics >= FACT_THRESHOLD
    if best == type3:
        if paths.no_thai >= paths.thai_below:
            foreign = facts.foreign >= FACT_THRESHOLD
            return (foreign_scripts if foreign else frozenset()), False, graphics, type3
        return foreign_scripts | {Script.THAI}, True, graphics, type3
    if best == type1:
        return frozenset({Script.THAI}), False, False, type1
    if paths.thai_beside_foreign >= paths.thai_with_pictures:
        return foreign_scripts | {Script.THAI}, False, graphics, type2
    return frozenset({Script.THAI}), False, True, type2


def placed_facts(read: SignContent, facts: ContentFacts) -> ContentFacts:
    """The network's facts given what the OCR's lines settle where the OCR accepted foreign
    text and only a candidate of Thai: each foreign script it accepted is there (probability
    1), and whether Thai sits below it is the layout test's answer for the Thai candidates'
    boxes, unless that answer is borderline. Elsewhere ``facts`` unchanged.

    The case it is for ("เซ้ง SALE" over a phone number, like held-out crop 950000090/10):
    the OCR reads SALE surely and "เซ็ง" beside it at 0.22; the network sees Thai at 0.98,
    Latin at 0.84 and Thai-below at 0.42, so Type 2 (0.48) and Type 3 (0.37) are both open,
    and the OCR's Type 3 stands. With SALE there and the Thai beside it, the network's Thai
    makes the sign Type 2 at 0.98. (That crop itself keeps the network's facts: the OCR also
    read "1379 SALE" over the Thai, so that candidate says nothing of where the Thai is.)

    A candidate lying mostly inside an accepted foreign line's box (``RE_READ_COVERED_SHARE``)
    is a second reading of that line's ink, not a Thai line beside it, and is not placed: on
    tuning crop 273 the OCR read "RUNGRUEANG Chicken Rice" surely and "ผิ" inside it at
    0.37, and placing that "ผิ" on the Latin row made the sign Type 2 without review, though
    its Thai line sat under the Latin (the network: Thai-below 0.99).
    """
    if Script.THAI in read.scripts:
        return facts
    foreign = [ln for ln in read.lines if ln.is_evidence and ln.script is not Script.THAI]
    candidates = [
        ln for ln in read.lines
        if not ln.is_evidence and ln.script is Script.THAI
        and not any(covered_share(ln.bbox_xyxy, f.bbox_xyxy) >= RE_READ_COVERED_SHARE
                    for f in foreign)
    ]
    if not foreign or not candidates:
        return facts
    layout = thai_below_foreign([*foreign, *candidates], min_line_confidence=0.0)
    if layout.confidence < 1.0:
        return facts
    return replace(_with_scripts_certain(facts, {ln.script for ln in foreign}),
                   below=1.0 if layout.thai_below_foreign else 0.0)


def kept_facts(read: SignContent, facts: ContentFacts, sure_min: float) -> ContentFacts:
    """The network's facts with each script of a line the OCR read at ``sure_min`` or more
    set to 1 (:attr:`FusionPolicy.keep_sure_scripts`); ``facts`` where there is none."""
    return _with_scripts_certain(facts, {ln.script for ln in read.lines
                                         if ln.confidence >= sure_min})


def _with_scripts_certain(facts: ContentFacts, scripts: set[Script]) -> ContentFacts:
    """``facts`` with the probability of each of ``scripts`` set to 1."""
    if not scripts:
        return facts
    return replace(
        facts,
        thai=1.0 if Script.THAI in scripts else facts.thai,
        latin=1.0 if Script.LATIN in scripts else facts.latin,
        cjk=1.0 if Script.CJK in scripts else facts.cjk,
        other=1.0 if Script.OTHER in scripts else facts.other,
    )


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


def _may_add_thai(read: SignContent, facts: ContentFacts, policy: FusionPolicy) -> bool:
    if facts.thai < policy.add_thai_min:
        return False
    foreign_accepted = bool(read.scripts - {Script.THAI})  # read.scripts: accepted lines
    if policy.thai_adding is ThaiAdding.ANYWHERE:
        return True
    if policy.thai_adding is ThaiAdding.NO_FOREIGN:
        return not foreign_accepted
    thai_candidate = any(ln.script is Script.THAI for ln in read.lines)
    return thai_candidate and not foreign_accepted


def fuse(read: SignContent, facts: ContentFacts, review_below: float,
         policy: FusionPolicy = DEFAULT_POLICY) -> SignContent:
    """The content of one crop from the OCR's ``read`` and the network's ``facts``."""
    described = _describe(facts)
    if policy.place_thai_candidates and facts.thai >= policy.add_thai_min:
        placed = placed_facts(read, facts)
        if placed != facts:
            facts = placed
            described += "; foreign text and where Thai sits taken from the OCR's lines"
    if policy.keep_sure_scripts is not None and read.needs_review:
        kept = kept_facts(read, facts, policy.keep_sure_scripts)
        if kept != facts:
            facts = kept
            described += "; the scripts the OCR read surely kept"
    scripts, below, graphics, certainty = network_reading(facts)
    net_key = deciding_facts(scripts, below, graphics)
    read_key = deciding_facts(read.scripts, read.thai_below_foreign, read.has_graphics)
    adds_thai = Script.THAI in scripts and Script.THAI not in read.scripts
    # Where no type reaches network_decides, the network may still be sure the OCR's is wrong
    # (with three types, the most probable can have less than the rest together).
    read_type = key_type(read_key)
    rules_out_read = (policy.network_rules_out is not None and key_type(net_key) != read_type
                      and 1.0 - TypePaths.of(facts).of_type(read_type) >= policy.network_rules_out)
    questions_read = certainty >= policy.network_decides or rules_out_read
    if not read.needs_review:
        if net_key == read_key or not questions_read:
            return replace(read, note=f"{read.note}; {described}")
        if (policy.network_overrides is not None and certainty >= policy.network_overrides
                and not (adds_thai and not _may_add_thai(read, facts, policy))):
            return replace(
                read,
                scripts=scripts,
                thai_below_foreign=below and Script.THAI in scripts
                and bool(scripts - {Script.THAI}),
                has_graphics=graphics,
                confidence=min(read.confidence, DISAGREE_CONFIDENCE),
                needs_review=True,
                note=f"the OCR read {read.note} but the content network is sure otherwise "
                     f"({described}); its facts are proposed, for review",
            )
        return replace(
            read,
            confidence=min(read.confidence, DISAGREE_CONFIDENCE),
            needs_review=True,
            note=f"{read.note}; the content network disagrees ({described})",
        )
    if not questions_read or (adds_thai and not _may_add_thai(read, facts, policy)):
        return replace(read, note=f"{read.note}; {described}")
    confidence = round(_calibrated(certainty), 3)
    note = f"the OCR was unsure ({read.note}); facts from the content network ({described})"
    seen = max(facts.thai, facts.latin, facts.cjk, facts.other)
    if not read.scripts and (policy.unread_script_min is None
                             or seen < policy.unread_script_min
                             or (policy.review_unread_thai and Script.THAI in scripts)):
        confidence = min(confidence, UNREAD_CONFIDENCE_CAP)
        note += "; nothing legible was read, so they are a proposal for review"
    return replace(
        read,
        scripts=scripts,
        thai_below_foreign=below and Script.THAI in scripts and bool(scripts - {Script.THAI}),
        has_graphics=graphics,
        confidence=confidence,
        needs_review=confidence < review_below,
        note=note,
    )
