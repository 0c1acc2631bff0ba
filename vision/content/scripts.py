"""Unicode script of characters, words and lines of sign text.

Pure functions over ``str``; no image work. The script decides the sign's tax type (Thai or
not), so the rules are explicit:

- Thai block U+0E00-U+0E7F is THAI (letters, vowel signs, tone marks, Thai digits, ฯ, ๆ).
- CJK unified ideographs (incl. extensions and compatibility), kana and hangul are CJK.
- Any letter whose Unicode name says LATIN (Basic Latin, Latin-1, Extended-A/B, Latin
  Extended Additional, so Vietnamese with its diacritics, and fullwidth Latin) is LATIN.
- Any other letter (Cyrillic, Greek, Arabic, Devanagari, ...) is OTHER.
- Digits, punctuation, symbols, spaces and stray combining accents have no script (None):
  a phone number is not "foreign characters".
"""

from __future__ import annotations

import unicodedata
from collections import Counter

from vision.types import Script

# (first, last) code points, inclusive.
_CJK_RANGES: tuple[tuple[int, int], ...] = (
    (0x1100, 0x11FF),  # Hangul Jamo
    (0x3040, 0x309F),  # Hiragana
    (0x30A0, 0x30FF),  # Katakana
    (0x3130, 0x318F),  # Hangul compatibility Jamo
    (0x31F0, 0x31FF),  # Katakana phonetic extensions
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xA960, 0xA97F),  # Hangul Jamo extended-A
    (0xAC00, 0xD7AF),  # Hangul syllables
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFF66, 0xFF9F),  # halfwidth katakana
    (0x20000, 0x3134F),  # CJK extensions B-G
)
_CJK_MARKS = frozenset("々〆〇ー")  # iteration/prolonged-sound marks count as CJK text

_THAI_FIRST, _THAI_LAST = 0x0E00, 0x0E7F
_THAI_CONSONANTS = frozenset(chr(c) for c in range(0x0E01, 0x0E2F))  # ก..ฮ
_THAI_LEADING_VOWELS = frozenset("เแโใไ")
# Marks written above/below a consonant (mai han-akat, sara i..phinthu, maitaikhu..yamakkan).
_THAI_COMBINING = frozenset(
    [chr(0x0E31)]
    + [chr(c) for c in range(0x0E34, 0x0E3B)]
    + [chr(c) for c in range(0x0E47, 0x0E4F)]
)
_THAI_DIGITS = frozenset(chr(c) for c in range(0x0E50, 0x0E5A))
_THAI_NON_LETTERS = _THAI_DIGITS | frozenset("ฯๆ๏๚๛฿")


def char_script(ch: str) -> Script | None:
    """Script of one character, or None for digits, punctuation, symbols and spaces."""
    if len(ch) != 1:
        raise ValueError(f"char_script takes one character, got {len(ch)}: {ch!r}")
    cp = ord(ch)
    if _THAI_FIRST <= cp <= _THAI_LAST:
        return Script.THAI
    if ch in _CJK_MARKS or any(lo <= cp <= hi for lo, hi in _CJK_RANGES):
        return Script.CJK
    if not ch.isalpha():
        return None
    if "LATIN" in unicodedata.name(ch, ""):
        return Script.LATIN
    return Script.OTHER


def script_counts(text: str) -> Counter[Script]:
    """How many characters of each script ``text`` holds (characters without script skipped)."""
    counts: Counter[Script] = Counter()
    for ch in text:
        s = char_script(ch)
        if s is not None:
            counts[s] += 1
    return counts


def dominant_script(text: str) -> Script | None:
    """The script most characters of ``text`` are in; None if it has no letters.

    Ties go to THAI first (a tie between Thai and something else must not hide Thai),
    then LATIN, CJK, OTHER.
    """
    counts = script_counts(text)
    if not counts:
        return None
    order = (Script.THAI, Script.LATIN, Script.CJK, Script.OTHER)
    return max(order, key=lambda s: (counts[s], -order.index(s)))


def thai_letter_count(text: str) -> int:
    """Thai consonants, vowels and marks in ``text``; Thai digits and ฯ ๆ ฿ are not letters.

    OCR hallucinates Thai digits (๑ ๒ ๕ ...) on textures and foreign glyphs, so evidence
    for Thai counts letters only.
    """
    return sum(
        1 for ch in text if _THAI_FIRST <= ord(ch) <= _THAI_LAST and ch not in _THAI_NON_LETTERS
    )


def letter_count(text: str) -> int:
    """Characters of ``text`` that carry a script (see :func:`char_script`)."""
    return sum(script_counts(text).values())


def is_thai_mark_only(text: str) -> bool:
    """True if ``text`` is only Thai vowel signs/tone marks written above or below a letter."""
    stripped = "".join(ch for ch in text if not ch.isspace())
    return bool(stripped) and all(ch in _THAI_COMBINING for ch in stripped)


def thai_orthography_score(text: str) -> float:
    """Share of Thai characters in ``text`` that sit where Thai spelling allows them, 0..1.

    Checked rules (a cheap filter for OCR noise, not a spell checker):
    a vowel sign or tone mark written above/below must follow a consonant or another such
    mark; a leading vowel (เ แ โ ใ ไ) must be followed by a consonant; between the first
    and the last Thai letter there is nothing but Thai letters (a digit, Thai or Arabic,
    or a symbol there counts against the text). Returns 1.0 when ``text`` has no Thai.
    """
    chars = [ch for ch in text if not ch.isspace()]
    letter_idx = [i for i, ch in enumerate(chars) if thai_letter_count(ch)]
    if not letter_idx:
        return 1.0
    first, last = letter_idx[0], letter_idx[-1]
    n_thai = sum(1 for ch in chars if char_script(ch) is Script.THAI)
    bad = 0
    for i, ch in enumerate(chars):
        prev = chars[i - 1] if i > 0 else ""
        nxt = chars[i + 1] if i + 1 < len(chars) else ""
        if ch in _THAI_COMBINING:
            if prev not in _THAI_CONSONANTS and prev not in _THAI_COMBINING:
                bad += 1
        elif ch in _THAI_LEADING_VOWELS:
            if nxt not in _THAI_CONSONANTS:
                bad += 1
        elif first < i < last and not thai_letter_count(ch) and ch not in "ฯๆ":
            bad += 1
    return max(0.0, 1.0 - bad / n_thai)
