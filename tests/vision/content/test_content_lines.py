"""OCR words -> rows -> same-script runs, and run confidences (vision.content.lines)."""

from __future__ import annotations

import pytest

from vision.content.lines import (
    OcrWord,
    box_iou,
    covered_share,
    find_row_runs,
    find_runs,
    foreign_line_confidence,
    group_rows,
    merge_lines,
    split_runs,
    thai_evidence,
    thai_line_confidence,
    thai_run_inside_foreign_row,
    vertical_overlap,
)
from vision.types import Script, TextLine


def w(text: str, x1: float, y1: float, x2: float, y2: float, conf: float = 0.95) -> OcrWord:
    return OcrWord(text=text, bbox_xyxy=(x1, y1, x2, y2), confidence=conf)


def thai_chars(text: str, x0: float, y1: float, y2: float, step: float = 20) -> list[OcrWord]:
    """Tesseract's tha+eng output: one "word" per Thai character cluster, tightly packed."""
    return [w(ch, x0 + i * step, y1, x0 + (i + 1) * step - 2, y2) for i, ch in enumerate(text)]


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ((0, 0, 10, 10), (0, 0, 10, 10), 1.0),
        ((0, 0, 10, 10), (0, 5, 10, 25), 0.5),
        ((0, 0, 10, 10), (0, 20, 10, 30), 0.0),
        ((0, 0, 10, 40), (50, 10, 60, 20), 1.0),  # share of the smaller box
    ],
)
def test_vertical_overlap(a, b, expected) -> None:
    assert vertical_overlap(a, b) == pytest.approx(expected)


def test_rows_are_split_by_height_and_sorted() -> None:
    words = [
        w("House", 200, 110, 300, 150),
        w("Noodle", 50, 112, 180, 150),
        *thai_chars("ร้าน", 60, 20, 70),
    ]
    rows = group_rows(words)
    assert ["".join(x.text for x in r) for r in rows] == ["ร้าน", "NoodleHouse"]


def test_thai_mark_above_the_row_joins_it() -> None:
    words = [*thai_chars("กน", 10, 50, 90), w("ี", 12, 30, 28, 48)]  # sara ii sits above
    rows = group_rows(words)
    assert len(rows) == 1 and len(rows[0]) == 3


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        # Thai then English on one row -> two runs
        (
            [*thai_chars("ร้าน", 0, 0, 40), w("COFFEE", 120, 0, 240, 40)],
            [(Script.THAI, "ร้าน"), (Script.LATIN, "COFFEE")],
        ),
        # a wide gap splits same-script words
        (
            [w("GRAND", 0, 0, 100, 40), w("HOTEL", 400, 0, 500, 40)],
            [(Script.LATIN, "GRAND"), (Script.LATIN, "HOTEL")],
        ),
        # numbers ride along but are not a run by themselves
        (
            [w("Tel", 0, 0, 60, 40), w("0933", 80, 0, 160, 40)],
            [(Script.LATIN, "Tel 0933")],
        ),
        ([w("0933", 0, 0, 80, 40)], []),
        # low-confidence noise at the run ends is trimmed (logo edge next to the text)
        (
            [w("เว่", 0, 0, 20, 40, 0.5), *thai_chars("ร้าน", 22, 0, 40)],
            [(Script.THAI, "ร้าน")],
        ),
    ],
)
def test_split_runs(words, expected) -> None:
    runs = split_runs(sorted(words, key=lambda x: x.bbox_xyxy[0]))
    assert [(r.script, r.text) for r in runs] == expected


def test_run_confidence_is_letter_weighted() -> None:
    runs = find_runs([w("AB", 0, 0, 40, 40, 0.6), w("CDEFGH", 50, 0, 200, 40, 0.9)])
    assert len(runs) == 1
    assert runs[0].letters == 8
    assert runs[0].mean_confidence == pytest.approx((2 * 0.6 + 6 * 0.9) / 8)


@pytest.mark.parametrize(
    ("ocr", "v_thai", "v_latin", "expected"),
    [
        (0.94, None, None, 0.94),
        (0.94, 0.92, 0.10, 0.93),  # real Thai: Thai re-read agrees, English does not
        (0.84, 0.74, 0.65, 0.79),  # hallucinated Thai on Vietnamese (IMG_0001)
        (0.79, 0.80, 0.89, 0.75),  # Cyrillic/Latin that reads better as English
    ],
)
def test_thai_evidence(ocr, v_thai, v_latin, expected) -> None:
    assert thai_evidence(ocr, v_thai, v_latin) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("evidence", "letters", "text", "accepted"),
    [
        (0.93, 10, "ร้านกาแฟสด", True),
        (0.86, 10, "ร้านกาแฟสด", True),
        (0.80, 8, "ดนตล์ลิก", False),
        (0.95, 2, "กข", False),  # too short to count
        (0.95, 3, "ด๑น๓ล", False),  # Thai digits between letters
    ],
)
def test_thai_line_confidence_accept_line(evidence, letters, text, accepted) -> None:
    assert (thai_line_confidence(evidence, letters, text) >= 0.5) is accepted


def test_two_letter_thai_word_is_a_candidate_not_evidence() -> None:
    # "ลด 50%" read perfectly: not enough to bill Thai, too much to be sure there is none.
    assert 0.3 <= thai_line_confidence(1.0, 2, "ลด") < 0.5
    assert thai_line_confidence(1.0, 1, "ล") == 0.0


@pytest.mark.parametrize(
    ("ocr", "letters", "accepted"),
    [(0.95, 10, True), (0.70, 6, True), (0.50, 6, False), (0.96, 2, False)],
)
def test_foreign_line_confidence_accept_line(ocr, letters, accepted) -> None:
    assert (foreign_line_confidence(ocr, letters) >= 0.5) is accepted


@pytest.mark.parametrize(
    ("words", "inside"),
    [
        # "CA" then hallucinated Thai on the rest of a Vietnamese line (IMG_0057)
        ([w("CA", 0, 10, 30, 30, 0.96), *thai_chars("อเซิบ", 40, 5, 35, 9)], True),
        # the foreign neighbour is far away
        ([w("CAFE", 0, 10, 60, 30, 0.96), *thai_chars("ร้าน", 400, 5, 35, 9)], False),
        # the foreign neighbour is itself doubtful
        ([w("Ke", 0, 10, 30, 30, 0.5), *thai_chars("อเซิบ", 40, 5, 35, 9)], False),
    ],
)
def test_thai_run_inside_foreign_row(words, inside) -> None:
    (row,) = find_row_runs(words)
    thai = next(r for r in row if r.is_thai)
    assert thai_run_inside_foreign_row(thai, row) is inside


@pytest.mark.parametrize(
    ("script", "letters", "accepted"),
    [
        (Script.CJK, 2, True),  # 金行: two characters are a word
        (Script.LATIN, 2, False),  # "OK": two Latin letters are not enough
        (Script.CJK, 1, False),  # one character: too easily invented on a texture
    ],
)
def test_cjk_characters_weigh_two_letters(script, letters, accepted) -> None:
    assert (foreign_line_confidence(0.95, letters, script) >= 0.5) is accepted


def tl(script: Script, box, conf: float, text: str = "x") -> TextLine:
    return TextLine(text=text, script=script, bbox_xyxy=box, confidence=conf)


def test_box_iou() -> None:
    assert box_iou((0, 0, 10, 10), (0, 0, 10, 10)) == pytest.approx(1.0)
    assert box_iou((0, 0, 10, 10), (5, 0, 15, 10)) == pytest.approx(1 / 3)
    assert box_iou((0, 0, 10, 10), (20, 0, 30, 10)) == 0.0
    assert box_iou((0, 0, 0, 0), (0, 0, 0, 0)) == 0.0


def test_merge_lines_keeps_each_line_once_with_the_best_reading() -> None:
    first = [tl(Script.THAI, (10, 10, 200, 50), 0.6, "a"), tl(Script.LATIN, (10, 60, 200, 90), 0.9)]
    second = [
        tl(Script.THAI, (12, 8, 205, 52), 0.95, "b"),  # the same Thai line, read better
        tl(Script.LATIN, (14, 62, 198, 88), 0.5),  # the same Latin line, read worse
        tl(Script.CJK, (220, 10, 300, 50), 0.8),  # a line only this view found
    ]
    merged = merge_lines([first, second])
    assert [(m.script, m.confidence) for m in merged] == [
        (Script.THAI, 0.95), (Script.LATIN, 0.9), (Script.CJK, 0.8)
    ]
    assert merged[0].text == "b"


def test_merge_lines_never_merges_different_scripts() -> None:
    """Thai read where another view read Latin stays a candidate; confidences decide later."""
    merged = merge_lines([[tl(Script.LATIN, (0, 0, 100, 30), 0.9)],
                          [tl(Script.THAI, (0, 0, 100, 30), 0.3)]])
    assert {m.script for m in merged} == {Script.LATIN, Script.THAI}


def test_covered_share_is_the_share_of_the_inner_box_inside_the_outer() -> None:
    assert covered_share((10, 10, 20, 20), (0, 0, 100, 100)) == 1.0
    assert covered_share((0, 0, 100, 100), (10, 10, 20, 20)) == pytest.approx(0.01)
    assert covered_share((0, 0, 10, 10), (5, 0, 20, 10)) == pytest.approx(0.5)
    assert covered_share((0, 0, 10, 10), (20, 20, 30, 30)) == 0.0
    assert covered_share((5, 5, 5, 9), (0, 0, 10, 10)) == 0.0  # an empty box
