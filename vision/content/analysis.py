"""Sign content analysis: what is on a sign crop, as facts for the tax engine.

``analyze`` reads the text (through an injected :class:`TextReader`), decides which
scripts are present, whether Thai sits below foreign text, and whether there are
pictures/logos; it never decides the tax type.

Second look: regions the graphics cue found off the board colour that no read line covers
(unread text-like rows, picture-like regions) are cut out and read again on their own when
they could change the type (see :mod:`vision.content.regions`); their lines join the first
reading's.

Confidence (``SignContent.confidence``, 0..1) is the weakest of the inputs the tax type
actually depends on for this sign:

- Thai found: the best Thai line's confidence;
  - with foreign text: the best foreign line's confidence and the layout decision's;
  - without foreign text: ``1 -`` the best rejected foreign candidate's, and the
    graphics cue's (Type 1 versus Type 2 hinges on it), capped at
    ``UNREAD_TEXT_CONFIDENCE`` when a text-like region nobody read remains (it may be
    an English or Chinese subtitle the reader missed: Type 2, not 1).
- No Thai found: ``1 - REJECTED_THAI_WEIGHT x`` the best rejected Thai candidate's, capped
  by the best foreign line's confidence (if we could not read the foreign text well, we
  cannot be sure there is no Thai either), and capped at ``UNREAD_TEXT_CONFIDENCE`` when
  a text-like region nobody read sits above or beside the foreign text (it may be Thai
  the reader missed; unread Thai *below* foreign text would give Type 3 anyway).
- No text read at all: ``NO_TEXT_CONFIDENCE`` (a blank, unreadable, or picture-only sign).
- No image structure at all (noise, corrupt data; :mod:`vision.content.structure`): 0, for
  review, without reading it or asking the network.

``needs_review`` is set when the confidence is below ``REVIEW_BELOW`` or no text was read.
Moving displays are not detectable from a still (see :mod:`vision.content.moving`) and do
not lower the confidence; the note says so.

That raw confidence orders crops for review; with the content network it is then mapped to
the measured probability that the type is right (:mod:`vision.content.calibration`), which is
what the tax engine spreads over the other types for the baht at risk.
"""

from __future__ import annotations

import statistics

import numpy as np

from vision.content.calibration import calibrated_content
from vision.content.classifier import ContentClassifier
from vision.content.fusion import fuse
from vision.content.graphics import BBox, GraphicsCue, detect_graphics
from vision.content.layout import box_below, thai_below_foreign
from vision.content.lines import ACCEPT_LINE, merge_lines
from vision.content.moving import detect_moving_display
from vision.content.ocr import TesseractReader, TextReader
from vision.content.regions import regions_to_reread, reread_regions
from vision.content.structure import STRUCTURELESS_BELOW, neighbour_correlation
from vision.errors import InvalidImage, ModelLoadError, VisionError
from vision.types import Script, SignContent, TextLine

REVIEW_BELOW = 0.5
NO_TEXT_CONFIDENCE = 0.3
UNREAD_TEXT_CONFIDENCE = 0.45  # below the review line: an officer looks at the region
MIN_CROP_SIDE_PX = 8
REJECTED_THAI_WEIGHT = 2.0  # see "absence of Thai text" below
UNREAD_MIN_LINE_HEIGHTS = 0.3  # unread text-like regions smaller than this are specks


def _check_crop(crop_bgr: np.ndarray) -> None:
    if not isinstance(crop_bgr, np.ndarray):
        raise InvalidImage(f"crop_bgr must be a numpy array, got {type(crop_bgr).__name__}")
    if crop_bgr.ndim != 3 or crop_bgr.shape[2] != 3 or crop_bgr.dtype != np.uint8:
        raise InvalidImage(
            f"crop_bgr must be HxWx3 uint8, got shape {crop_bgr.shape} dtype {crop_bgr.dtype}"
        )
    if min(crop_bgr.shape[:2]) < MIN_CROP_SIDE_PX:
        raise InvalidImage(
            f"crop_bgr must be at least {MIN_CROP_SIDE_PX} px on each side, "
            f"got {crop_bgr.shape[1]}x{crop_bgr.shape[0]}"
        )


def _unread_text(graphics: GraphicsCue, read: list[TextLine]) -> list[BBox]:
    """Unread text-like regions at least ``UNREAD_MIN_LINE_HEIGHTS`` of the ``read`` lines
    tall: down to small print, since a subtitle is often much smaller than the name."""
    line_h = statistics.median(ln.bbox_xyxy[3] - ln.bbox_xyxy[1] for ln in read)
    return [b for b in graphics.text_like_xyxy if b[3] - b[1] >= UNREAD_MIN_LINE_HEIGHTS * line_h]


def _best(lines: list[TextLine]) -> float:
    return max((ln.confidence for ln in lines), default=0.0)


def analyze(
    crop_bgr: np.ndarray,
    *,
    ocr: TextReader | None = None,
    classifier: ContentClassifier | None = None,
    calibrate: bool = True,
) -> SignContent:
    """What is on one sign crop (HxWx3 uint8 BGR, upright, ideally rectified).

    ``ocr`` defaults to a fresh :class:`TesseractReader` (cheap: tesseract runs as a
    subprocess, nothing is loaded here). With a ``classifier`` (the content network), its
    facts are fused with the OCR's (:mod:`vision.content.fusion`). Raises
    :class:`InvalidImage` for a malformed crop and :class:`ModelLoadError` when tesseract or
    its language data is missing; any other reader failure gives ``needs_review=True`` with
    the error in ``note``. With a classifier that has a confidence calibration
    (:mod:`vision.content.calibration`), the confidence is the measured probability that the
    type is right, unless ``calibrate`` is False (the evaluation compares both).
    """
    _check_crop(crop_bgr)
    correlation = neighbour_correlation(crop_bgr)
    if correlation < STRUCTURELESS_BELOW:
        return _structureless(correlation)
    read = _read_content(crop_bgr, ocr if ocr is not None else TesseractReader())
    return read if classifier is None else _fused(read, crop_bgr, classifier, calibrate)


def with_network(read: SignContent, crop_bgr: np.ndarray, classifier: ContentClassifier, *,
                 calibrate: bool = True) -> SignContent:
    """``read`` (``analyze(crop_bgr)`` without a network, kept by an evaluation) fused with
    the network's facts on the crop: what ``analyze`` with ``classifier`` reports."""
    if neighbour_correlation(crop_bgr) < STRUCTURELESS_BELOW:
        return read  # noise or corrupt data: nothing for a network to judge either
    return _fused(read, crop_bgr, classifier, calibrate)


def _fused(read: SignContent, crop_bgr: np.ndarray, classifier: ContentClassifier,
           calibrate: bool) -> SignContent:
    fused = fuse(read, classifier.facts(crop_bgr), REVIEW_BELOW)
    return calibrated_content(fused, classifier.calibration, REVIEW_BELOW) if calibrate else fused


def _structureless(correlation: float) -> SignContent:
    """Noise or corrupt data: nothing to read, nothing for a network to judge; an officer looks."""
    return SignContent(
        scripts=frozenset(),
        thai_below_foreign=False,
        has_graphics=False,
        moving_display=False,
        confidence=0.0,
        needs_review=True,
        note=f"the crop has no image structure (neighbouring pixels correlate at "
             f"{correlation:.2f}: sensor noise or corrupt data); not read",
    )


def _read_content(crop_bgr: np.ndarray, reader: TextReader) -> SignContent:
    """The OCR's reading of the crop and the cues around it (see the module docstring)."""
    moving = detect_moving_display(crop_bgr)
    try:
        lines = tuple(reader.read(crop_bgr))
    except ModelLoadError:
        raise
    except VisionError as exc:
        return SignContent(
            scripts=frozenset(),
            thai_below_foreign=False,
            has_graphics=False,
            moving_display=moving.moving_display,
            confidence=0.0,
            needs_review=True,
            note=f"text could not be read: {exc}; {moving.note}",
        )

    graphics = detect_graphics(crop_bgr, [ln.bbox_xyxy for ln in lines])
    h, w = crop_bgr.shape[:2]
    regions = regions_to_reread(
        graphics, [ln for ln in lines if ln.is_evidence], (w, h)
    )
    if regions:
        try:
            extra = reread_regions(crop_bgr, reader, regions)
        except ModelLoadError:
            raise
        except VisionError:
            extra = ()  # the first reading stands
        if extra:
            lines = merge_lines([lines, extra])
            graphics = detect_graphics(crop_bgr, [ln.bbox_xyxy for ln in lines])

    evidence = [ln for ln in lines if ln.is_evidence]
    rejected = [ln for ln in lines if not ln.is_evidence]
    thai = [ln for ln in evidence if ln.script is Script.THAI]
    foreign = [ln for ln in evidence if ln.script is not Script.THAI]
    rejected_thai = [ln for ln in rejected if ln.script is Script.THAI]
    rejected_foreign = [ln for ln in rejected if ln.script is not Script.THAI]

    layout = thai_below_foreign(evidence, min_line_confidence=ACCEPT_LINE)

    terms: list[tuple[float, str]] = []
    if not evidence:
        what = "only unreadable text" if lines else "no text"
        terms.append((NO_TEXT_CONFIDENCE, f"{what} read (blank, unreadable or picture-only)"))
    elif thai:
        terms.append((_best(thai), "Thai text"))
        if foreign:
            terms.append((_best(foreign), "foreign text"))
            terms.append((layout.confidence, f"layout: {layout.reason}"))
        else:
            terms.append((1.0 - _best(rejected_foreign), "absence of foreign text"))
            terms.append((graphics.confidence, f"graphics: {graphics.reason}"))
            # An unread line beside or under the Thai may be foreign text (a Chinese or
            # English subtitle the reader missed): Type 2, not 1. Only an officer can tell.
            unread = _unread_text(graphics, thai)
            if unread:
                terms.append(
                    (
                        UNREAD_TEXT_CONFIDENCE,
                        f"{len(unread)} unread text-like region(s) could be foreign text",
                    )
                )
    else:
        # Doubled: a missed Thai line changes the type (3 -> 2), and tesseract's rejected
        # Thai candidates on real Thai sit higher than its inventions on foreign text.
        terms.append((1.0 - REJECTED_THAI_WEIGHT * _best(rejected_thai), "absence of Thai text"))
        terms.append((_best(foreign), "foreign text read"))
        # Unread Thai below foreign text would make the sign Type 3 anyway; only an unread
        # line-shaped region above or beside the foreign text could change the type.
        unread = [
            b
            for b in _unread_text(graphics, foreign)
            if not any(box_below(b, f.bbox_xyxy) for f in foreign)
        ]
        if unread:
            terms.append(
                (
                    UNREAD_TEXT_CONFIDENCE,
                    f"{len(unread)} unread text-like region(s) above or beside the foreign "
                    "text could be Thai",
                )
            )

    confidence, weakest = min(terms, key=lambda t: t[0])
    confidence = round(max(0.0, min(1.0, confidence)), 3)
    needs_review = confidence < REVIEW_BELOW or not evidence
    parts = [f"weakest input: {weakest} ({confidence:.2f})"]
    if thai and foreign:
        parts.append(f"layout: {layout.reason}")
    parts.append(f"graphics: {graphics.reason}")
    parts.append(moving.note)
    return SignContent(
        scripts=frozenset(ln.script for ln in evidence),
        thai_below_foreign=layout.thai_below_foreign,
        has_graphics=graphics.has_graphics,
        moving_display=moving.moving_display,
        confidence=confidence,
        lines=lines,
        needs_review=needs_review,
        note="; ".join(parts),
    )
