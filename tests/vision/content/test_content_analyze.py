"""analyze() with an injected reader: facts, confidence and review rules, errors."""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vision.content import OcrError, TesseractReader, TextReader, analyze
from vision.content.analysis import NO_TEXT_CONFIDENCE
from vision.errors import InvalidImage, ModelLoadError
from vision.types import Script, SignContent, TextLine

TH, LA, CJK, OT = Script.THAI, Script.LATIN, Script.CJK, Script.OTHER


class FakeReader:
    """A TextReader that returns fixed lines for the whole crop (or raises); in the regions
    analyze cuts out for a second look (smaller crops) it reads ``region_lines``."""

    def __init__(
        self,
        lines: Sequence[TextLine] = (),
        exc: Exception | None = None,
        region_lines: Sequence[TextLine] = (),
    ) -> None:
        self.lines = tuple(lines)
        self.region_lines = tuple(region_lines)
        self.exc = exc
        self.calls = 0
        self.whole_shape: tuple[int, ...] | None = None

    def read(self, crop_bgr: np.ndarray) -> tuple[TextLine, ...]:
        self.calls += 1
        if self.exc is not None:
            raise self.exc
        if self.whole_shape is None:
            self.whole_shape = crop_bgr.shape
        return self.lines if crop_bgr.shape == self.whole_shape else self.region_lines


def ln(
    script: Script, y1: float, y2: float, conf: float = 0.9, x1: float = 40, x2: float = 280
) -> TextLine:
    return TextLine(
        text=f"{script.value} text", script=script, bbox_xyxy=(x1, y1, x2, y2), confidence=conf
    )


def test_fake_and_default_readers_satisfy_the_protocol() -> None:
    assert isinstance(FakeReader(), TextReader)
    assert isinstance(TesseractReader(), TextReader)


@pytest.mark.parametrize(
    ("lines", "scripts", "below", "review", "min_conf"),
    [
        pytest.param([ln(TH, 20, 60)], {TH}, False, False, 0.5, id="thai-only"),
        pytest.param(
            [ln(TH, 10, 50), ln(LA, 70, 100)], {TH, LA}, False, False, 0.9, id="thai-over-latin"
        ),
        pytest.param(
            [ln(LA, 10, 50), ln(TH, 70, 100)], {TH, LA}, True, False, 0.9, id="latin-over-thai"
        ),
        pytest.param(
            [ln(CJK, 10, 50), ln(TH, 70, 100)], {TH, CJK}, True, False, 0.9, id="cjk-over-thai"
        ),
        pytest.param([ln(LA, 10, 50), ln(OT, 70, 100)], {LA, OT}, False, False, 0.9, id="no-thai"),
        pytest.param(
            # a weak Thai candidate (OCR noise) does not make the sign Thai, but costs confidence
            [ln(LA, 10, 50), ln(TH, 70, 100, conf=0.2)],
            {LA},
            False,
            False,
            0.6,
            id="weak-thai",
        ),
        pytest.param(
            # a Thai candidate near the accept line: nobody can be sure there is no Thai
            [ln(LA, 10, 50), ln(TH, 70, 100, conf=0.45)],
            {LA},
            False,
            True,
            0.1,
            id="borderline-thai",
        ),
        pytest.param(
            # only weak text: not evidence of anything
            [ln(TH, 10, 50, conf=0.4)],
            set(),
            False,
            True,
            0.0,
            id="only-weak-text",
        ),
        pytest.param([], set(), False, True, 0.0, id="no-text"),
        pytest.param(
            # Thai read well, foreign text read badly: foreign line confidence limits us
            [ln(TH, 10, 50), ln(LA, 70, 100, conf=0.55)],
            {TH, LA},
            False,
            False,
            0.55,
            id="weak-latin",
        ),
        pytest.param(
            # staggered lines: the law has no geometric test, an officer decides
            [ln(LA, 10, 60, x1=150, x2=300), ln(TH, 40, 90, x1=10, x2=140)],
            {TH, LA},
            True,
            True,
            0.0,
            id="staggered",
        ),
    ],
)
def test_analyze_with_injected_lines(plain_crop, lines, scripts, below, review, min_conf) -> None:
    c = analyze(plain_crop, ocr=FakeReader(lines))
    assert c.scripts == frozenset(scripts)
    assert c.thai_below_foreign is below
    assert c.needs_review is review
    assert c.confidence >= min_conf
    assert c.lines == tuple(lines)
    assert c.moving_display is False
    assert "not detectable from a still" in c.note


def test_no_text_is_low_confidence(plain_crop) -> None:
    c = analyze(plain_crop, ocr=FakeReader([]))
    assert c.confidence == NO_TEXT_CONFIDENCE < 0.5
    assert c.needs_review and "no text" in c.note


@pytest.mark.parametrize(("candidate", "confidence"), [(0.45, 0.1), (0.2, 0.6), (0.05, 0.9)])
def test_rejected_thai_candidate_counts_double_against_no_thai(
    plain_crop, candidate, confidence
) -> None:
    """A missed Thai line changes the type, so a quarter-way Thai candidate is real doubt."""
    lines = [ln(LA, 10, 50, conf=1.0), ln(TH, 70, 100, conf=candidate)]
    c = analyze(plain_crop, ocr=FakeReader(lines))
    assert c.confidence == pytest.approx(confidence)
    assert "absence of Thai" in c.note
    assert c.needs_review is (confidence < 0.5)


def test_graphics_cue_sees_a_logo_outside_the_text(plain_crop) -> None:
    crop = plain_crop.copy()
    cv2.circle(crop, (50, 60), 30, (0, 0, 200), -1)
    cv2.rectangle(crop, (38, 48), (62, 72), (255, 200, 0), -1)
    text = [ln(TH, 40, 80, x1=110, x2=300)]
    assert analyze(crop, ocr=FakeReader(text)).has_graphics is True
    assert analyze(plain_crop, ocr=FakeReader(text)).has_graphics is False


def test_unread_text_like_region_doubts_no_thai() -> None:
    """A line-shaped region nobody read may be Thai the reader missed: not a confident 3."""
    crop = np.full((160, 480, 3), 230, np.uint8)
    for x in range(100, 380, 12):  # glyph-like strokes in the upper half, 34 px tall
        cv2.rectangle(crop, (x, 30), (x + 5, 64), (20, 20, 20), -1)
    english = [ln(LA, 95, 130, conf=1.0, x1=100, x2=380)]
    c = analyze(crop, ocr=FakeReader(english))
    assert c.scripts == frozenset({LA})
    assert c.needs_review and "could be Thai" in c.note
    # the same sign with the upper line read as English is a confident "no Thai"
    both = [ln(LA, 30, 64, conf=1.0, x1=100, x2=380), *english]
    assert not analyze(crop, ocr=FakeReader(both)).needs_review


def glyph_row(crop: np.ndarray, x1: int, x2: int, y1: int, y2: int) -> np.ndarray:
    """Glyph-like strokes: what an unread line of text looks like to the graphics cue."""
    for x in range(x1, x2, 12):
        cv2.rectangle(crop, (x, y1), (x + 5, y2), (20, 20, 20), -1)
    return crop


def test_unread_line_under_thai_doubts_thai_only() -> None:
    """An unread subtitle under Thai may be English or Chinese: Type 2, not a confident 1."""
    crop = glyph_row(np.full((160, 480, 3), 230, np.uint8), 150, 330, 110, 134)
    thai = [ln(TH, 20, 70, conf=1.0, x1=60, x2=420)]
    c = analyze(crop, ocr=FakeReader(thai))
    assert c.scripts == frozenset({TH})
    assert c.needs_review and "could be foreign text" in c.note
    assert not analyze(np.full((160, 480, 3), 230, np.uint8), ocr=FakeReader(thai)).needs_review


def test_second_look_reads_a_region_the_first_read_missed() -> None:
    """A short line read only when cut out on its own is added, in crop pixels."""
    crop = glyph_row(np.full((160, 480, 3), 230, np.uint8), 150, 330, 110, 134)
    thai = [ln(TH, 20, 70, conf=1.0, x1=60, x2=420)]
    chinese_in_region = [TextLine("金行", CJK, (8.0, 8.0, 190.0, 32.0), 0.95)]
    reader = FakeReader(thai, region_lines=chinese_in_region)
    c = analyze(crop, ocr=reader)
    assert c.scripts == frozenset({TH, CJK})
    assert not c.thai_below_foreign and not c.needs_review
    (cjk,) = [x for x in c.lines if x.script is CJK]
    assert 130 <= cjk.bbox_xyxy[0] < cjk.bbox_xyxy[2] <= 480 and cjk.bbox_xyxy[1] >= 90
    assert reader.calls == 2


def test_no_second_look_when_thai_and_foreign_are_read() -> None:
    crop = glyph_row(np.full((160, 480, 3), 230, np.uint8), 150, 330, 110, 134)
    reader = FakeReader([ln(TH, 20, 50, x1=60, x2=420), ln(LA, 60, 90, x1=60, x2=420)])
    analyze(crop, ocr=reader)
    assert reader.calls == 1


def test_reader_failure_gives_review_not_an_exception(plain_crop) -> None:
    c = analyze(plain_crop, ocr=FakeReader(exc=OcrError("tesseract timed out")))
    assert c.needs_review and c.confidence == 0.0 and c.scripts == frozenset()
    assert "tesseract timed out" in c.note


def test_missing_ocr_engine_propagates(plain_crop) -> None:
    with pytest.raises(ModelLoadError):
        analyze(plain_crop, ocr=FakeReader(exc=ModelLoadError("no tesseract")))


@pytest.mark.parametrize(
    "crop",
    [
        pytest.param(np.zeros((50, 50), np.uint8), id="grey"),
        pytest.param(np.zeros((50, 50, 4), np.uint8), id="bgra"),
        pytest.param(np.zeros((50, 50, 3), np.float32), id="float"),
        pytest.param(np.zeros((4, 50, 3), np.uint8), id="too-small"),
        pytest.param([[0, 0, 0]], id="not-an-array"),
    ],
)
def test_invalid_crop(crop) -> None:
    reader = FakeReader()
    with pytest.raises(InvalidImage):
        analyze(crop, ocr=reader)
    assert reader.calls == 0


_line = st.builds(
    lambda s, y, h, c: ln(s, y, y + h, conf=c),
    st.sampled_from(list(Script)),
    st.floats(0, 100),
    st.floats(4, 40),
    st.floats(0, 1),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_line, max_size=5))
def test_confidence_and_review_invariants(lines) -> None:
    c: SignContent = analyze(np.full((120, 320, 3), 200, np.uint8), ocr=FakeReader(lines))
    assert 0.0 <= c.confidence <= 1.0
    evidence = [x for x in lines if x.confidence >= 0.5]
    assert c.scripts == frozenset(x.script for x in evidence)
    assert c.needs_review == (c.confidence < 0.5 or not evidence)
    if Script.THAI not in c.scripts:
        assert c.thai_below_foreign is False
