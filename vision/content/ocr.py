"""Text readers: the ``TextReader`` protocol and the tesseract adapter.

``pytesseract`` is imported inside a function only, so importing ``vision`` does not
need it.

How :class:`TesseractReader` reads a crop (units: crop pixels, confidences 0..1):

1. Two views of the crop (:mod:`vision.content.views`): the colour crop scaled so its long
   side is about ``target_long_side_px`` (at most ``max_upscale`` times larger) and
   bilateral-filtered, read as sparse text (``--psm 11``); and a grey, sharpened,
   full-contrast, dark-on-light copy about 300 px tall, read as a block (``--psm 6``) with a
   local (Sauvola) threshold, so uneven light on the board does not hide its text.
   Languages: ``tha+eng+rus+chi_tra``.
2. In each view: words -> rows -> same-script runs (:mod:`vision.content.lines`).
3. Every Thai run with at least ``MIN_THAI_CANDIDATE_LETTERS`` letters, unless it is long and very
   confident (``STRONG_THAI_*``), is re-read twice as a single raw line (``--psm 13``),
   once Thai-only and once English-only. Tesseract invents Thai
   letters on Cyrillic, stylised Latin and textures, often with high per-letter confidence;
   those do not survive a Thai-only re-read and often read better as English. See
   :func:`vision.content.lines.thai_evidence`. CJK runs are re-read Chinese-only the same
   way (tesseract invents CJK on textures too).
4. A Thai run that is not strong and sits right beside confident foreign text on its row
   loses confidence (``EMBEDDED_FACTOR``; see ``thai_run_inside_foreign_row``).
5. Runs become :class:`~vision.types.TextLine` with a calibrated confidence. Runs with
   too few letters or zero confidence are dropped. The views' lines are merged
   (:func:`vision.content.lines.merge_lines`): the same line read twice stays once, with
   the better confidence.
"""

from __future__ import annotations

import os
from typing import Any, Protocol, runtime_checkable

import numpy as np

from vision.content.lines import (
    EMBEDDED_FACTOR,
    MIN_THAI_CANDIDATE_LETTERS,
    OcrWord,
    Run,
    find_row_runs,
    foreign_line_confidence,
    merge_lines,
    thai_evidence,
    thai_line_confidence,
    thai_run_inside_foreign_row,
)
from vision.content.scripts import letter_count, thai_letter_count
from vision.content.views import OcrView, Thresholding, colour_view, contrast_view
from vision.errors import InvalidImage, ModelLoadError, VisionError
from vision.types import Script, TextLine


@runtime_checkable
class TextReader(Protocol):
    """Reads the text on a sign crop (HxWx3 uint8 BGR) into lines with scripts.

    ``TextLine.bbox_xyxy`` is in crop pixels; ``TextLine.confidence`` (0..1) says how sure
    the reader is that the line is real text in ``TextLine.script``. Readers may return
    low-confidence lines: :func:`vision.content.analyze` uses them to lower its own
    confidence, not as evidence.
    """

    def read(self, crop_bgr: np.ndarray) -> tuple[TextLine, ...]: ...


# A run this long and this confident is not re-read. On the 120 real non-Thai crops
# (evaluate.py --per-dataset 60) the hallucinated Thai runs with >= 8 letters had a mean
# confidence of at most 0.82; re-reading a strip that also holds part of a logo can sink
# real Thai.
STRONG_THAI_CONFIDENCE = 0.90
STRONG_THAI_LETTERS = 8
DEFAULT_LANGUAGES = "tha+eng+rus+chi_tra"


class OcrError(VisionError):
    """The OCR engine failed on a crop (crash, timeout); the crop needs a human."""


def _tesseract_dict(
    image_rgb: np.ndarray,
    lang: str,
    psm: int,
    timeout_s: float,
    thresholding: Thresholding = Thresholding.GLOBAL_OTSU,
) -> dict[str, Any]:
    import pytesseract

    try:
        return pytesseract.image_to_data(
            image_rgb,
            lang=lang,
            config=f"--psm {psm} -c thresholding_method={thresholding.value}",
            output_type=pytesseract.Output.DICT,
            timeout=timeout_s,
        )
    except pytesseract.TesseractNotFoundError as exc:
        raise ModelLoadError(f"tesseract is not installed or not on PATH: {exc}") from exc
    except pytesseract.TesseractError as exc:
        msg = str(exc)
        if "Failed loading language" in msg or "Error opening data file" in msg:
            raise ModelLoadError(f"tesseract language data missing for {lang!r}: {msg}") from exc
        raise OcrError(f"tesseract failed ({lang}, psm {psm}): {msg}") from exc
    except RuntimeError as exc:  # pytesseract raises RuntimeError on timeout
        raise OcrError(f"tesseract timed out after {timeout_s} s ({lang}, psm {psm})") from exc


def _words(data: dict[str, Any], scale: float, dx: float = 0.0, dy: float = 0.0) -> list[OcrWord]:
    out = []
    for i, raw in enumerate(data["text"]):
        text = str(raw).strip()
        conf = float(data["conf"][i])
        if not text or conf < 0:
            continue
        x, y = float(data["left"][i]), float(data["top"][i])
        w, h = float(data["width"][i]), float(data["height"][i])
        if w <= 0 or h <= 0:
            continue
        out.append(
            OcrWord(
                text=text,
                bbox_xyxy=(
                    (x + dx) / scale,
                    (y + dy) / scale,
                    (x + w + dx) / scale,
                    (y + h + dy) / scale,
                ),
                confidence=min(1.0, conf / 100.0),
            )
        )
    return out


def _mean_confidence(words: list[OcrWord], script: Script) -> tuple[float, int]:
    """Letter-weighted mean confidence of the words' letters in ``script``, and the count."""
    total = 0
    acc = 0.0
    for w in words:
        if script is Script.THAI:
            k = thai_letter_count(w.text)
        else:
            k = letter_count(w.text) - thai_letter_count(w.text)
        total += k
        acc += w.confidence * k
    return (acc / total if total else 0.0), total


class TesseractReader:
    """Default :class:`TextReader`: tesseract 5 with Thai, English, Russian and Chinese.

    ``languages`` is a tesseract language string; Thai must stay in it. Russian reads the
    Cyrillic of foreign-language signs (without it Cyrillic came back as unreadable, or as
    invented Thai); traditional Chinese reads the short Chinese words common on Thai shop
    signs (金行, 理髮), which make a Thai sign Type 2. Thai-Chinese signs use traditional
    characters; ``chi_tra`` reads simplified ones too, ``chi_sim`` missed most traditional.
    ``contrast_view`` adds the second reading (:func:`vision.content.views.contrast_view`);
    it roughly doubles the time.
    """

    def __init__(
        self,
        languages: str = DEFAULT_LANGUAGES,
        *,
        psm: int = 11,
        target_long_side_px: int = 900,
        max_upscale: float = 3.0,
        verify_thai: bool = True,
        denoise: bool = True,
        contrast_view: bool = True,
        timeout_s: float = 30.0,
    ) -> None:
        if "tha" not in languages.split("+"):
            raise ValueError(f"languages must include 'tha', got {languages!r}")
        if target_long_side_px < 64:
            raise ValueError(f"target_long_side_px must be >= 64, got {target_long_side_px}")
        if max_upscale < 1.0:
            raise ValueError(f"max_upscale must be >= 1, got {max_upscale}")
        self.languages = languages
        self.psm = psm
        self.target_long_side_px = target_long_side_px
        self.max_upscale = max_upscale
        self.verify_thai = verify_thai
        self.denoise = denoise
        self.contrast_view = contrast_view
        self.timeout_s = timeout_s
        # Tesseract's OpenMP threads slow it down on a shared CPU and when several crops
        # are read in parallel; one thread per process is faster in both cases.
        os.environ.setdefault("OMP_THREAD_LIMIT", "1")

    def views(self, crop_bgr: np.ndarray) -> list[OcrView]:
        """The images this reader gives tesseract for one crop."""
        out = [
            colour_view(
                crop_bgr,
                target_long_side_px=self.target_long_side_px,
                max_upscale=self.max_upscale,
                denoise=self.denoise,
                psm=self.psm,
            )
        ]
        if self.contrast_view:
            out.append(contrast_view(crop_bgr))
        return out

    def _reread(
        self,
        image_rgb: np.ndarray,
        box: tuple[float, float, float, float],
        lang: str,
        script: Script,
    ) -> float:
        """Mean confidence of ``script`` letters when the box is re-read as one raw line."""
        x1, y1, x2, y2 = box
        pad = 0.15 * (y2 - y1)
        h, w = image_rgb.shape[:2]
        xa, ya = max(0, int(x1 - pad)), max(0, int(y1 - pad))
        xb, yb = min(w, int(np.ceil(x2 + pad))), min(h, int(np.ceil(y2 + pad)))
        if xb - xa < 4 or yb - ya < 4:
            return 0.0
        data = _tesseract_dict(image_rgb[ya:yb, xa:xb], lang, 13, self.timeout_s)
        conf, _ = _mean_confidence(_words(data, 1.0), script)
        return conf

    def _thai_confidence(self, run: Run, row_runs: list[Run], view: OcrView) -> float:
        if run.letters < MIN_THAI_CANDIDATE_LETTERS:
            return 0.0
        strong = (
            run.mean_confidence >= STRONG_THAI_CONFIDENCE and run.letters >= STRONG_THAI_LETTERS
        )
        if strong or not self.verify_thai:
            x = thai_evidence(run.mean_confidence)
        else:
            box = view.to_view(run.bbox_xyxy)
            v_thai = self._reread(view.image_rgb, box, "tha", Script.THAI)
            v_latin = self._reread(view.image_rgb, box, "eng", Script.LATIN)
            x = thai_evidence(run.mean_confidence, v_thai, v_latin)
        conf = thai_line_confidence(x, run.letters, run.text)
        if not strong and thai_run_inside_foreign_row(run, row_runs):
            conf *= EMBEDDED_FACTOR
        return conf

    def _cjk_confidence(self, run: Run, view: OcrView) -> float:
        conf = foreign_line_confidence(run.mean_confidence, run.letters, Script.CJK)
        chinese = [lang for lang in self.languages.split("+") if lang.startswith("chi_")]
        if conf <= 0.0 or not chinese:
            return conf
        # Tesseract invents CJK on textures and logos; real Chinese keeps its confidence
        # when the box is re-read with Chinese alone.
        verify = self._reread(view.image_rgb, view.to_view(run.bbox_xyxy), chinese[0], Script.CJK)
        return min(conf, foreign_line_confidence(verify, run.letters, Script.CJK))

    def _read_view(self, view: OcrView) -> list[TextLine]:
        data = _tesseract_dict(view.image_rgb, self.languages, view.psm, self.timeout_s,
                               view.thresholding)
        words = _words(data, view.scale, -view.offset_px, -view.offset_px)
        lines = []
        for row_runs in find_row_runs(words):
            for run in row_runs:
                if run.is_thai:
                    conf = self._thai_confidence(run, row_runs, view)
                elif run.script is Script.CJK:
                    conf = self._cjk_confidence(run, view)
                else:
                    conf = foreign_line_confidence(run.mean_confidence, run.letters, run.script)
                if conf <= 0.0:
                    continue
                lines.append(
                    TextLine(
                        text=run.text,
                        script=run.script,
                        bbox_xyxy=run.bbox_xyxy,
                        confidence=round(conf, 3),
                    )
                )
        return lines

    def read(self, crop_bgr: np.ndarray) -> tuple[TextLine, ...]:
        if crop_bgr.ndim != 3 or crop_bgr.shape[2] != 3 or crop_bgr.dtype != np.uint8:
            raise InvalidImage(
                f"crop_bgr must be HxWx3 uint8, got shape {crop_bgr.shape} dtype {crop_bgr.dtype}"
            )
        return merge_lines([self._read_view(v) for v in self.views(crop_bgr)])
