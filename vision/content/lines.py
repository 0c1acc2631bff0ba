"""From OCR words to same-script text runs, and how much to trust each run.

Pure geometry and arithmetic over :class:`OcrWord`; no OCR engine here, so every rule is
unit-testable. Coordinates are crop pixels, xyxy, y down.

A *run* is a stretch of words on one text row that share a script, with no gap wider than
``MAX_GAP_ROW_HEIGHTS`` row heights. Each run becomes one :class:`~vision.types.TextLine`,
so "ร้าน ABC" on one row gives a THAI line and a LATIN line side by side; that is what the
Thai-below-foreign test needs.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from vision.content.scripts import (
    dominant_script,
    is_thai_mark_only,
    letter_count,
    thai_letter_count,
    thai_orthography_score,
)
from vision.types import TEXT_LINE_EVIDENCE_MIN, Script, TextLine

BBox = tuple[float, float, float, float]

ACCEPT_LINE = TEXT_LINE_EVIDENCE_MIN  # a line at or above this is evidence for its script
MAX_GAP_ROW_HEIGHTS = 1.2  # a wider horizontal gap starts a new run
ROW_OVERLAP_MIN = 0.5  # share of the smaller height two boxes must overlap to share a row
TRIM_BELOW = 0.6  # words under this OCR confidence are cut from the ends of a run

# Evidence needed before a run counts at all: OCR invents one- and two-letter "words" on
# textures, logos and foreign glyphs far more often than three-letter ones. A two-letter Thai
# run is still kept, as a candidate only (THAI_FULL_LETTERS caps it at 0.4, under the accept
# line): Thai signs carry whole two-letter words ("ลด 50%", "ยา"), and a sure "no Thai" on a
# board whose only Thai word is "ลด" bills Type 3 for a Type 1 or 2 sign; as a candidate it
# sends the crop to the content network and the officer instead. Measured with c9
# (2026-11-29): the OCR alone 230/300 tuning crops right against 229, the scan's fusion
# unchanged there (280/300) and on the 300 held-out crops (279/300), real no-Thai 57/58 and
# 329/332 as before: few rendered signs carry a lone two-letter word.
MIN_THAI_CANDIDATE_LETTERS = 2
MIN_FOREIGN_LETTERS = 3

# Thai evidence x (mean OCR confidence, 0..1) is mapped linearly from THAI_X_LO..THAI_X_HI
# onto line confidence 0..1. Measured on tesseract 5.3 tha+eng (see evaluate.py): real
# Thai runs on rendered signs score x >= 0.86; most Thai that tesseract hallucinated on
# Vietnamese, Cyrillic and logo crops scores x <= 0.80. The few higher ones are short and
# are cut down by the letter count, the orthography check and
# thai_run_inside_foreign_row (1 of 120 real crops still passes, at 0.50).
THAI_X_LO = 0.78
THAI_X_HI = 0.92
THAI_FULL_LETTERS = 5  # fewer Thai letters than this scale the confidence down
# A Thai run right beside confident foreign text on the same row (see
# thai_run_inside_foreign_row) has its confidence multiplied by EMBEDDED_FACTOR.
EMBED_FOREIGN_CONFIDENCE = 0.8
EMBED_GAP_HEIGHTS = 1.5
EMBEDDED_FACTOR = 0.6
# Latin/other text: tesseract reports 0.85+ on clean words and < 0.5 on noise.
FOREIGN_X_LO = 0.45
FOREIGN_X_HI = 0.85
FOREIGN_FULL_LETTERS = 4
# A CJK character is a syllable and a morpheme: a two-character shop word (理髪, 金行) is as
# much evidence as a four-letter Latin word, and Chinese on Thai signs is mostly that short.
CJK_LETTER_WEIGHT = 2
# Two lines of one script found by different views of the crop are the same line when their
# boxes overlap this much (intersection over union).
SAME_LINE_IOU = 0.3


@dataclass(frozen=True, slots=True)
class OcrWord:
    """One word as the OCR engine returned it; ``confidence`` is the engine's, 0..1."""

    text: str
    bbox_xyxy: BBox
    confidence: float

    @property
    def height(self) -> float:
        return self.bbox_xyxy[3] - self.bbox_xyxy[1]


@dataclass(frozen=True, slots=True)
class Run:
    """Same-script words on one row; ``mean_confidence`` is weighted by letters."""

    words: tuple[OcrWord, ...]
    script: Script
    text: str
    bbox_xyxy: BBox
    letters: int  # letters of the run's own script (Thai letters for THAI)
    mean_confidence: float  # 0..1

    @property
    def is_thai(self) -> bool:
        return self.script is Script.THAI


def union_bbox(boxes: Sequence[BBox]) -> BBox:
    if not boxes:
        raise ValueError("union_bbox needs at least one box")
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def _range_overlap(a_lo: float, a_hi: float, b_lo: float, b_hi: float) -> float:
    """Overlap of two ranges as a share of the shorter one, 0..1."""
    inter = min(a_hi, b_hi) - max(a_lo, b_lo)
    shorter = min(a_hi - a_lo, b_hi - b_lo)
    if shorter <= 0:
        return 0.0
    return max(0.0, min(1.0, inter / shorter))


def vertical_overlap(a: BBox, b: BBox) -> float:
    """Overlap of the y-ranges of ``a`` and ``b`` as a share of the smaller height, 0..1."""
    return _range_overlap(a[1], a[3], b[1], b[3])


def horizontal_overlap(a: BBox, b: BBox) -> float:
    """Overlap of the x-ranges of ``a`` and ``b`` as a share of the narrower width, 0..1."""
    return _range_overlap(a[0], a[2], b[0], b[2])


def _row_core(words: Sequence[OcrWord]) -> BBox:
    # Median top/bottom, so one tall mark or a merged box does not stretch the row.
    return (
        min(w.bbox_xyxy[0] for w in words),
        statistics.median(w.bbox_xyxy[1] for w in words),
        max(w.bbox_xyxy[2] for w in words),
        statistics.median(w.bbox_xyxy[3] for w in words),
    )


def group_rows(words: Sequence[OcrWord]) -> list[list[OcrWord]]:
    """Group words into text rows by vertical overlap; rows top to bottom, words left to right.

    A word joins the row whose median y-range it overlaps most (at least ROW_OVERLAP_MIN
    of the smaller height). Words that overlap no row but sit within one row height of
    one (Thai vowel and tone marks OCR'd as separate "words") join the nearest row.
    """
    rows: list[list[OcrWord]] = []
    pending: list[OcrWord] = []
    for word in sorted(words, key=lambda w: (w.bbox_xyxy[1] + w.bbox_xyxy[3]) / 2):
        best, best_ov = None, ROW_OVERLAP_MIN
        for row in rows:
            ov = vertical_overlap(word.bbox_xyxy, _row_core(row))
            if ov >= best_ov:
                best, best_ov = row, ov
        if best is not None:
            best.append(word)
        elif is_thai_mark_only(word.text):
            pending.append(word)  # decide after the rows exist
        else:
            rows.append([word])
    for word in pending:
        cy = (word.bbox_xyxy[1] + word.bbox_xyxy[3]) / 2
        near = None
        near_d = float("inf")
        for row in rows:
            core = _row_core(row)
            h = core[3] - core[1]
            d = max(core[1] - cy, cy - core[3], 0.0)
            if d <= h and d < near_d:
                near, near_d = row, d
        if near is not None:
            near.append(word)
        else:
            rows.append([word])
    for row in rows:
        row.sort(key=lambda w: w.bbox_xyxy[0])
    rows.sort(key=lambda r: _row_core(r)[1])
    return rows


def _word_script(word: OcrWord) -> Script | None:
    return dominant_script(word.text)


def _script_letters(text: str, script: Script) -> int:
    if script is Script.THAI:
        return thai_letter_count(text)
    return letter_count(text) - thai_letter_count(text)


def _make_run(words: list[OcrWord], script: Script) -> Run | None:
    # Low-confidence words at either end are mostly OCR noise from an adjacent logo, frame
    # or texture; inside the run they stay and pull the mean down.
    lo, hi = 0, len(words)
    while lo < hi and words[lo].confidence < TRIM_BELOW:
        lo += 1
    while hi > lo and words[hi - 1].confidence < TRIM_BELOW:
        hi -= 1
    words = words[lo:hi]
    if not words:
        return None
    joiner = "" if script is Script.THAI else " "
    text = joiner.join(w.text for w in words)
    weights = [_script_letters(w.text, script) for w in words]
    total = sum(weights)
    if total:
        mean = sum(w.confidence * k for w, k in zip(words, weights, strict=True)) / total
    else:
        mean = 0.0
    return Run(
        words=tuple(words),
        script=script,
        text=text,
        bbox_xyxy=union_bbox([w.bbox_xyxy for w in words]),
        letters=total,
        mean_confidence=mean,
    )


def split_runs(row: Sequence[OcrWord]) -> list[Run]:
    """Split one row (words left to right) into same-script runs.

    Words without letters (numbers, punctuation) join the run they sit in but add no
    evidence; a run made only of them is dropped.
    """
    if not row:
        return []
    row_h = statistics.median(max(w.height, 1.0) for w in row)
    runs: list[Run] = []
    cur: list[OcrWord] = []
    cur_script: Script | None = None

    def flush() -> None:
        if cur and cur_script is not None:
            run = _make_run(cur, cur_script)
            if run is not None and run.letters:
                runs.append(run)

    for word in row:
        script = _word_script(word)
        gap = word.bbox_xyxy[0] - cur[-1].bbox_xyxy[2] if cur else 0.0
        breaks = bool(cur) and (
            gap > MAX_GAP_ROW_HEIGHTS * row_h
            or (script is not None and cur_script is not None and script is not cur_script)
        )
        if breaks:
            flush()
            cur, cur_script = [], None
        cur.append(word)
        if cur_script is None:
            cur_script = script
    flush()
    return runs


def find_row_runs(words: Sequence[OcrWord]) -> list[list[Run]]:
    """Same-script runs of ``words``, grouped by row; rows top to bottom."""
    return [runs for runs in (split_runs(row) for row in group_rows(words)) if runs]


def find_runs(words: Sequence[OcrWord]) -> list[Run]:
    """All same-script runs of ``words``, rows top to bottom."""
    return [run for runs in find_row_runs(words) for run in runs]


def thai_run_inside_foreign_row(run: Run, row_runs: Sequence[Run]) -> bool:
    """True if a confident foreign run sits right next to ``run`` on the same row.

    Short "Thai" read in the middle of a Latin or Cyrillic line is the commonest OCR
    hallucination on the real non-Thai crops (Vietnamese diacritics look like Thai
    marks). A real Thai word beside foreign text also matches, so this only lowers
    confidence for runs that are not already strong.
    """
    h = run.bbox_xyxy[3] - run.bbox_xyxy[1]
    for other in row_runs:
        if other.is_thai or other.mean_confidence < EMBED_FOREIGN_CONFIDENCE:
            continue
        gap = max(other.bbox_xyxy[0] - run.bbox_xyxy[2], run.bbox_xyxy[0] - other.bbox_xyxy[2])
        if gap <= EMBED_GAP_HEIGHTS * h:
            return True
    return False


def _ramp(x: float, lo: float, hi: float) -> float:
    return max(0.0, min(1.0, (x - lo) / (hi - lo)))


def thai_evidence(
    ocr_confidence: float,
    verify_thai: float | None = None,
    verify_latin: float | None = None,
) -> float:
    """Combined Thai evidence x (0..1) from the first pass and optional re-reads.

    ``verify_thai`` is the mean confidence of a Thai-only re-read of the run's box,
    ``verify_latin`` of an English-only re-read. Real Thai keeps a high Thai re-read;
    hallucinated Thai on foreign text or texture drops, and foreign text often reads
    better as English, which costs the difference.
    """
    if verify_thai is None:
        return ocr_confidence
    x = (ocr_confidence + verify_thai) / 2
    if verify_latin is not None and verify_latin > verify_thai:
        x -= (verify_latin - verify_thai) / 2
    return max(0.0, x)


def thai_line_confidence(evidence: float, letters: int, text: str) -> float:
    """How sure we are that a run is real Thai text, 0..1 (0.5 is the accept line)."""
    if letters < MIN_THAI_CANDIDATE_LETTERS:
        return 0.0
    length = min(1.0, letters / THAI_FULL_LETTERS)
    # Squared: one misplaced mark in a short run is a strong sign of OCR noise.
    return _ramp(evidence, THAI_X_LO, THAI_X_HI) * length * thai_orthography_score(text) ** 2


def foreign_line_confidence(
    ocr_confidence: float, letters: int, script: Script | None = None
) -> float:
    """How sure we are that a non-Thai run is real text in that script, 0..1.

    CJK characters count ``CJK_LETTER_WEIGHT`` letters each.
    """
    if script is Script.CJK:
        letters *= CJK_LETTER_WEIGHT
    if letters < MIN_FOREIGN_LETTERS:
        return 0.0
    length = min(1.0, letters / FOREIGN_FULL_LETTERS)
    return _ramp(ocr_confidence, FOREIGN_X_LO, FOREIGN_X_HI) * length


def box_iou(a: BBox, b: BBox) -> float:
    """Intersection over union of two xyxy boxes, 0..1."""
    iw = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    ih = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = iw * ih
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def covered_share(inner: BBox, outer: BBox) -> float:
    """The share of ``inner``'s area that lies inside ``outer``, 0..1 (0 for an empty box)."""
    iw = max(0.0, min(inner[2], outer[2]) - max(inner[0], outer[0]))
    ih = max(0.0, min(inner[3], outer[3]) - max(inner[1], outer[1]))
    area = (inner[2] - inner[0]) * (inner[3] - inner[1])
    return iw * ih / area if area > 0 else 0.0


def merge_lines(groups: Sequence[Sequence[TextLine]]) -> tuple[TextLine, ...]:
    """Lines read from several views of one crop, each real line once.

    A line of one view and a line of the same script of another whose boxes overlap by
    ``SAME_LINE_IOU`` are one line; the more confident reading stays. Lines of different
    scripts never merge: Thai read over a line another view read as Latin stays as a
    candidate, and the confidences decide (see :func:`vision.content.analyze`).
    """
    merged: list[TextLine] = []
    for group in groups:
        for line in group:
            same = [
                i
                for i, m in enumerate(merged)
                if m.script is line.script and box_iou(m.bbox_xyxy, line.bbox_xyxy) >= SAME_LINE_IOU
            ]
            if not same:
                merged.append(line)
                continue
            best = max(same, key=lambda i: merged[i].confidence)
            if line.confidence > merged[best].confidence:
                merged[best] = line
    return tuple(merged)
