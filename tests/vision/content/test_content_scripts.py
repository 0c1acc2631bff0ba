"""Unicode script rules (vision.content.scripts)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vision.content.scripts import (
    char_script,
    dominant_script,
    is_thai_mark_only,
    thai_letter_count,
    thai_orthography_score,
)
from vision.types import Script

TH, LA, CJK, OT = Script.THAI, Script.LATIN, Script.CJK, Script.OTHER


@pytest.mark.parametrize(
    ("ch", "expected"),
    [
        ("ก", TH),
        ("ฮ", TH),
        ("\u0e31", TH),  # mai han-akat (combining)
        ("่", TH),  # mai ek
        ("๕", TH),  # Thai digit: Thai character, but not a letter (see thai_letter_count)
        ("ฯ", TH),
        ("a", LA),
        ("Z", LA),
        ("đ", LA),  # Vietnamese
        ("ơ", LA),
        ("Ạ", LA),  # Latin Extended Additional
        ("ễ", LA),
        ("Ａ", LA),  # fullwidth
        ("ß", LA),
        ("中", CJK),
        ("あ", CJK),
        ("カ", CJK),
        ("한", CJK),
        ("ー", CJK),
        ("Я", OT),  # Cyrillic
        ("Ω", OT),
        ("ع", OT),
        ("अ", OT),
        ("5", None),
        (" ", None),
        ("-", None),
        ("@", None),
        ("\u0300", None),  # stray combining grave
        ("〇", CJK),
    ],
)
def test_char_script(ch: str, expected: Script | None) -> None:
    assert char_script(ch) is expected


def test_char_script_rejects_strings() -> None:
    with pytest.raises(ValueError, match="one character"):
        char_script("ab")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ร้านกาแฟ", TH),
        ("COFFEE", LA),
        ("Cà phê Sài Gòn", LA),
        ("ЦИФРОВАЯ ТЕХНИКА", OT),
        ("北京烤鸭", CJK),
        ("0933.528.978", None),
        ("", None),
        ("ร้าน ABCDE", LA),  # 5 Latin letters against 4 Thai characters
        ("ab กข", TH),  # tie goes to Thai
    ],
)
def test_dominant_script(text: str, expected: Script | None) -> None:
    assert dominant_script(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("ร้านกาแฟ", 8), ("๐๘๑ ๒๓๔", 0), ("ไก่ย่าง ๕ ไม้", 10), ("ABC", 0), ("ฯ", 0)],
)
def test_thai_letter_count(text: str, expected: int) -> None:
    assert thai_letter_count(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ก๋วยเตี๋ยวเรือ", 1.0),
        ("โรงแรมสุขสันต์", 1.0),
        ("COFFEE", 1.0),
        ("ี่ก", 2 / 3),  # first mark has no consonant before it; the second follows a mark
        ("กเ", 0.5),  # leading vowel at the end
        ("ด๑น", 2 / 3),  # Thai digit between letters
    ],
)
def test_thai_orthography_score(text: str, expected: float) -> None:
    assert thai_orthography_score(text) == pytest.approx(expected)


@pytest.mark.parametrize(("text", "expected"), [("ี", True), ("่ ั", True), ("ก", False), ("", False)])
def test_is_thai_mark_only(text: str, expected: bool) -> None:
    assert is_thai_mark_only(text) is expected


@given(st.text(alphabet=st.characters(min_codepoint=0x0E01, max_codepoint=0x0E2E), min_size=1))
def test_thai_consonants_always_thai(text: str) -> None:
    assert dominant_script(text) is TH
    assert thai_letter_count(text) == len(text)
    assert thai_orthography_score(text) == 1.0


@given(st.text())
def test_orthography_score_is_a_share(text: str) -> None:
    assert 0.0 <= thai_orthography_score(text) <= 1.0
