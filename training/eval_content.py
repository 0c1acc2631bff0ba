"""Content evaluation on held-out crops: tax type, Thai-below-foreign, review rate.

Two sources (``signtax eval content`` runs both):

- *synthetic*: ``n`` sign crops cut from freshly rendered scenes never used in training
  (:mod:`training.content_crops`), with the renderer's true type;
- *real*: the largest labelled sign of each photo in ``facades-spb`` (St Petersburg:
  Cyrillic and Latin) and ``signboards-vn`` (Vietnamese), none of which carries Thai, so
  the right answer is always Type 3. Only the photos held out from the content network's
  training count (:func:`training.content_real.real_photo_held_out`, half of them). The
  first ``REAL_TUNED_PER_DATASET`` crops of each set (name order) are the ones the OCR
  thresholds were set on; the held-out crops after them are scored apart.

The tax type follows from :class:`~vision.types.SignContent` through ``decide_type``,
injected so this module stays free of the tax engine (the CLI passes
``api.pricing.sign_type_of``, the very function a scan uses).
"""

from __future__ import annotations

import functools
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from datasets.processes import spawned_pool
from training.baht import FullYearBaht
from training.content_crops import SYNTH_CONTENT_FIRST_SEED, CropFilter, scene_crops
from training.content_money import PricedCrop, TypeErrorCost, price_crop
from training.content_real import REAL_CONTENT_HELD_OUT_FRACTION, held_out_real_crops
from training.content_scores import (
    BELOW_ACCURACY_TARGET,
    NO_THAI_TARGET,
    TYPE_ACCURACY_TARGET,
    TYPES,
    CropOutcome,
    Scores,
)
from training.reads_cache import crop_key, load_reads, reader_fingerprint, save_reads
from vision.content.analysis import REVIEW_BELOW, analyze, with_network
from vision.content.calibration import calibrated_content
from vision.content.classifier import ContentClassifier
from vision.content.ocr import TextReader
from vision.content.samples import REAL_DATASETS
from vision.types import Script, SignContent

DecideType = Callable[[SignContent], int]
REAL_TUNED_PER_DATASET = 60  # see vision/content/ocr.py and lines.py: "--per-dataset 60"
MAX_LISTED_MISSES = 15
# Synthetic scores are also split by the height of the sign's smallest text line (photo px).
TEXT_SIZE_BUCKETS_PX = ((10.0, 16.0), (16.0, 24.0), (24.0, 40.0), (40.0, 1e9))
DEFAULT_FILTER = CropFilter()


@dataclass(frozen=True, slots=True)
class SourceReport:
    source: str  # "synthetic" or "real"
    description: str
    scores: Scores
    subsets: dict[str, Scores]  # e.g. per dataset; empty when there is nothing to split
    outcomes: tuple[CropOutcome, ...]  # every crop, in evaluation order
    wall_s: float
    workers: int
    money: TypeErrorCost | None = None  # synthetic signs priced at their true size; else None

    @property
    def misses(self) -> tuple[CropOutcome, ...]:
        """The crops given the wrong type, in evaluation order."""
        return tuple(o for o in self.outcomes if not o.correct)

    def to_dict(self) -> dict:
        return {
            "source": self.source,
            "description": self.description,
            **self.scores.to_dict(),
            "subsets": {k: s.to_dict() for k, s in self.subsets.items()},
            "misses": [m.to_dict() for m in self.misses],
            "money": None if self.money is None else self.money.to_dict(),
            "wall_s": round(self.wall_s, 1),
            "workers": self.workers,
        }


def _detail(c: SignContent) -> str:
    scripts = ",".join(sorted(s.value for s in c.scripts)) or "-"
    return f"scripts={scripts} graphics={c.has_graphics} conf={c.confidence:.2f}"


@dataclass(frozen=True, slots=True)
class _SceneResult:
    name: str
    tax_type: int
    below: bool | None  # truth, where the sign has Thai and foreign text
    text_height_px: float | None
    area_cm2: float  # the sign's true face, width x height
    moving: bool
    content: SignContent
    raw_confidence: float  # before calibration
    key: str  # the crop's pixels (training.reads_cache)
    fresh_read: SignContent | None  # the OCR's reading if made here (to keep), else None


@functools.lru_cache(maxsize=2)
def _classifier(model_dir: Path | None) -> ContentClassifier | None:
    """One content network per process (worker processes load their own)."""
    return None if model_dir is None else ContentClassifier(model_dir)


def _method(classifier_dir: Path | None) -> str:
    if classifier_dir is None:
        return "analysis: OCR alone"
    return f"analysis: OCR + content network {Path(classifier_dir).name}"


def _known_reads(reads_cache: Path | None) -> Mapping[str, SignContent]:
    """The OCR readings kept in ``reads_cache`` (read once per process and file version)."""
    if reads_cache is None or not reads_cache.is_file():
        return {}
    stat = reads_cache.stat()
    return _reads_at(reads_cache, stat.st_mtime_ns, stat.st_size, reader_fingerprint())


@functools.lru_cache(maxsize=2)
def _reads_at(path: Path, mtime_ns: int, size: int, fingerprint: str
              ) -> Mapping[str, SignContent]:
    return MappingProxyType(load_reads(path, fingerprint))


def _analyze(crop_bgr, reader: TextReader | None, classifier: ContentClassifier | None,
             known: Mapping[str, SignContent]
             ) -> tuple[SignContent, float, str, SignContent | None]:
    """The content a scan reports for the crop, its confidence before calibration, the crop's
    key, and the OCR's reading when it was made here rather than found in ``known``."""
    key = crop_key(crop_bgr)
    read = known.get(key)
    fresh = None
    if read is None:
        read = fresh = analyze(crop_bgr, ocr=reader)  # the OCR's reading alone
    raw = read if classifier is None else with_network(read, crop_bgr, classifier,
                                                       calibrate=False)
    return (calibrated_content(raw, classifier and classifier.calibration, REVIEW_BELOW),
            raw.confidence, key, fresh)


def _analyze_scene(
    seed: int, size_wh: tuple[int, int], keep: CropFilter, reader: TextReader | None,
    classifier_dir: Path | None = None, reads_cache: Path | None = None,
) -> list[_SceneResult]:
    """Worker: the analysis of every kept sign of one scene (pixels stay in the worker)."""
    classifier = _classifier(classifier_dir)
    known = _known_reads(reads_cache)
    out = []
    for crop in scene_crops(seed, size_wh, keep):
        below = crop.thai_below_foreign if crop.has_thai_and_foreign else None
        out.append(_SceneResult(crop.name, crop.tax_type, below, crop.text_height_px,
                                crop.width_cm * crop.height_cm, crop.moving,
                                *_analyze(crop.crop_bgr, reader, classifier, known)))
    return out


def _outcome(name: str, true_type: int, below: bool | None, content: SignContent,
             decide_type: DecideType, raw_confidence: float | None = None) -> CropOutcome:
    scripts = content.scripts
    return CropOutcome(
        name=name,
        true_type=true_type,
        decided_type=int(decide_type(content)),
        needs_review=content.needs_review,
        confidence=content.confidence,
        true_below=below,
        decided_below=content.thai_below_foreign,
        detail=_detail(content),
        found_thai_and_foreign=Script.THAI in scripts and bool(scripts - {Script.THAI}),
        raw_confidence=raw_confidence,
    )


def _text_size_bucket(text_height_px: float | None) -> str:
    if text_height_px is None:
        return "no text on the sign"
    for lo, hi in TEXT_SIZE_BUCKETS_PX:
        if lo <= text_height_px < hi:
            return f"smallest text line {lo:.0f}-{hi:.0f} px" if hi < 1e9 else (
                f"smallest text line >= {lo:.0f} px")
    return f"smallest text line < {TEXT_SIZE_BUCKETS_PX[0][0]:.0f} px"


def _scene_results(
    first_seed: int,
    size_wh: tuple[int, int],
    keep: CropFilter,
    reader: TextReader | None,
    workers: int,
    classifier_dir: Path | None = None,
    reads_cache: Path | None = None,
) -> Iterator[tuple[int, list]]:
    """(seed, results) in seed order, without end; the caller stops when it has enough."""
    seed = first_seed
    if workers <= 1:
        while True:
            yield seed, _analyze_scene(seed, size_wh, keep, reader, classifier_dir, reads_cache)
            seed += 1
    window = 3 * workers  # enough queued scenes to keep every worker busy
    with spawned_pool(workers) as pool:
        pending: list[tuple[int, Future]] = []
        try:
            while True:
                while len(pending) < window:
                    pending.append((seed, pool.submit(_analyze_scene, seed, size_wh, keep, reader,
                                                      classifier_dir, reads_cache)))
                    seed += 1
                s, fut = pending.pop(0)
                yield s, fut.result()
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


def evaluate_synthetic(
    n_crops: int,
    decide_type: DecideType,
    *,
    first_seed: int = SYNTH_CONTENT_FIRST_SEED,
    size_wh: tuple[int, int] = (1280, 960),
    keep: CropFilter = DEFAULT_FILTER,
    reader: TextReader | None = None,
    classifier_dir: Path | None = None,
    workers: int = 1,
    progress: bool = True,
    reads_cache: Path | None = None,
    full_year_baht: FullYearBaht | None = None,
    pricing_basis: str = "",
) -> SourceReport:
    """Scores on the first ``n_crops`` kept signs of scenes ``first_seed``, ``first_seed + 1``...

    ``reader`` (default: a fresh TesseractReader per crop) must pickle when ``workers > 1``.
    ``reads_cache``: a file keeping the OCR's readings (:mod:`training.reads_cache`; made by
    the default reader: give none with another ``reader``), so that scoring another network
    costs the rendering and the network.
    ``full_year_baht``: prices each sign at its true size with the true and the decided type
    (:mod:`training.content_money`; ``pricing_basis`` says how, for the report); None: no
    money view.
    """
    from tqdm import tqdm

    if n_crops < 1:
        raise ValueError(f"n_crops must be >= 1, got {n_crops}")
    t0 = time.perf_counter()
    outcomes: list[CropOutcome] = []
    priced: list[PricedCrop] = []
    sizes: list[str] = []
    last_seed = first_seed
    fresh: dict[str, SignContent] = {}
    scenes = _scene_results(first_seed, size_wh, keep, reader, workers, classifier_dir,
                            reads_cache)
    # closing(): leaving the loop closes the generator, which cancels the queued scenes.
    with closing(scenes), tqdm(total=n_crops, desc="synthetic crops", unit="crop",
                               file=sys.stderr, disable=not progress) as bar:
        for seed, results in scenes:
            last_seed = seed
            for r in results[: n_crops - len(outcomes)]:
                outcome = _outcome(r.name, r.tax_type, r.below, r.content, decide_type,
                                   r.raw_confidence)
                outcomes.append(outcome)
                if full_year_baht is not None:
                    priced.append(price_crop(r.name, r.area_cm2, r.moving, outcome.true_type,
                                             outcome.decided_type, outcome.needs_review,
                                             full_year_baht))
                sizes.append(_text_size_bucket(r.text_height_px))
                if r.fresh_read is not None:
                    fresh[r.key] = r.fresh_read
                bar.update(1)
            if len(outcomes) >= n_crops:
                break
    if reads_cache is not None:
        save_reads(reads_cache, reader_fingerprint(), fresh)
    scores = Scores.of(outcomes)
    subsets = {
        f"true type {t}": Scores.of([o for o in outcomes if o.true_type == t]) for t in TYPES
    }
    for bucket in sorted(set(sizes)):
        subsets[bucket] = Scores.of([o for o, b in zip(outcomes, sizes, strict=True) if b == bucket])
    description = (
        f"{len(outcomes)} held-out synthetic sign crops from scenes {first_seed}..{last_seed} "
        f"({size_wh[0]}x{size_wh[1]}), rectified from the true corners; kept: {keep.describe()}; "
        f"{_method(classifier_dir)}"
    )
    return SourceReport(
        "synthetic",
        description,
        scores,
        subsets,
        tuple(outcomes),
        time.perf_counter() - t0,
        workers,
        None if full_year_baht is None else TypeErrorCost.of(priced, pricing_basis),
    )


def evaluate_real(
    data_root: Path,
    decide_type: DecideType,
    *,
    per_dataset: int | None = None,
    reader: TextReader | None = None,
    classifier_dir: Path | None = None,
    workers: int = 1,
    progress: bool = True,
    reads_cache: Path | None = None,
) -> SourceReport | None:
    """"No Thai" on the real non-Thai crops under ``data_root``; None if no set is there.

    ``reads_cache``: as for :func:`evaluate_synthetic`.
    """
    from tqdm import tqdm

    items = list(held_out_real_crops(data_root, per_dataset=per_dataset))
    if not items:
        return None
    t0 = time.perf_counter()
    # Tesseract runs as a subprocess, so threads read crops in parallel.
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        classifier = _classifier(classifier_dir)
        known = _known_reads(reads_cache)
        contents = pool.map(lambda it: _analyze(it[2].crop_bgr, reader, classifier, known),
                            items)
        held = []  # (dataset, index, outcome)
        fresh: dict[str, SignContent] = {}
        for (dataset, i, crop), (content, raw, key, read) in tqdm(
                zip(items, contents, strict=True), total=len(items), desc="real crops",
                unit="crop", file=sys.stderr, disable=not progress):
            held.append((dataset, i, _outcome(crop.name, 3, None, content, decide_type, raw)))
            if read is not None:
                fresh[key] = read
    if reads_cache is not None:
        save_reads(reads_cache, reader_fingerprint(), fresh)
    subsets = {
        f"{dataset}, held out": Scores.of([o for d, _, o in held if d == dataset])
        for dataset, _ in REAL_DATASETS
        if any(d == dataset for d, _, _ in held)
    }
    untuned = [o for _, i, o in held if i >= REAL_TUNED_PER_DATASET]
    if untuned:
        subsets[f"held out, not used for tuning (crop {REAL_TUNED_PER_DATASET + 1}+ of each "
                "set)"] = Scores.of(untuned)
    every = [o for _, _, o in held]
    counts = ", ".join(f"{k.split(',')[0]} {s.n}" for k, s in subsets.items()
                       if k.endswith(", held out"))
    description = (
        f"{len(every)} real sign crops without Thai from the photos held out from the content "
        f"network's training ({REAL_CONTENT_HELD_OUT_FRACTION:.0%} of them; {counts}; the "
        f"largest labelled sign of each photo, at least 120x30 px); the right type is always 3; "
        f"{_method(classifier_dir)}"
    )
    return SourceReport(
        "real",
        description,
        Scores.of(every),
        subsets,
        tuple(every),
        time.perf_counter() - t0,
        workers,
    )


@dataclass(frozen=True, slots=True)
class ContentPlan:
    """What a content network is scored on, and how: ``n_synth`` held-out rendered crops (0:
    skipped) and the real held-out crops under ``data_root`` (None: skipped). Two networks
    scored on one plan see the same crops, which :mod:`training.compare_content` needs; with one
    ``reads_cache`` the OCR reads each crop once for both."""

    decide_type: DecideType
    n_synth: int
    data_root: Path | None
    workers: int = 1
    reads_cache: Path | None = None
    first_seed: int = SYNTH_CONTENT_FIRST_SEED


def evaluate_content_plan(classifier_dir: Path, plan: ContentPlan) -> dict[str, SourceReport]:
    """``{"synthetic": ..., "real": ...}`` for the parts the plan has (a part with no crops is
    left out)."""
    reports = {}
    if plan.n_synth:
        reports["synthetic"] = evaluate_synthetic(
            plan.n_synth, plan.decide_type, first_seed=plan.first_seed,
            classifier_dir=classifier_dir, workers=plan.workers, reads_cache=plan.reads_cache)
    if plan.data_root is not None:
        real = evaluate_real(plan.data_root, plan.decide_type, classifier_dir=classifier_dir,
                             workers=plan.workers, reads_cache=plan.reads_cache)
        if real is not None:
            reports["real"] = real
    return reports


def _pct(rate) -> str:
    v = rate.value
    return "n/a" if v is None else f"{100 * v:.1f} % ({rate.hits}/{rate.n})"


def _matrix(scores: Scores, rows: tuple[int, ...] = TYPES) -> list[str]:
    c = scores.confusion
    out = [
        "| true type \\ decided | 1 | 2 | 3 | crops | of which needs review |",
        "|---|---|---|---|---|---|",
    ]
    for t in rows:
        cells = " | ".join(str(v) for v in c.counts[t - 1])
        out.append(f"| {t} | {cells} | {c.row_total(t)} | {c.row_review(t)} |")
    return out


def _reliability(scores: Scores) -> list[str]:
    """Confidence against the share of right types, as reported and raw (see content_scores)."""
    rel, raw = scores.reliability, scores.raw_reliability
    if rel.ece is None:
        return []

    def cell(b) -> str:
        return "0 | - | -" if not b.n else f"{b.n} | {b.mean_confidence:.2f} | {b.share_right:.2f}"

    out = [f"Is the confidence a probability? Expected calibration error {rel.ece:.3f} "
           f"(raw, before calibration: {raw.ece:.3f}).", "",
           "| confidence | crops | mean confidence | share right | raw: crops | mean | "
           "share right |", "|---|---|---|---|---|---|---|"]
    for b, r in zip(rel.bins, raw.bins, strict=True):
        if b.n or r.n:
            out.append(f"| {b.lo:.1f}-{b.hi:.1f} | {cell(b)} | {cell(r)} |")
    return [*out, ""]


def report_markdown(report: SourceReport) -> str:
    s = report.scores
    lines = [f"**Content, {report.source}**: {report.description}.", ""]
    lines += ["| figure | value | target |", "|---|---|---|"]
    if report.source == "synthetic":
        lines += [
            f"| tax type correct (all crops) | {_pct(s.type_accuracy)} | "
            f">= {TYPE_ACCURACY_TARGET:.0%} |",
            f"| tax type correct, crops not sent to review | {_pct(s.unflagged_type_accuracy)} | |",
            f"| Thai-below-foreign correct (signs with Thai and foreign text) | "
            f"{_pct(s.below_accuracy)} | >= {BELOW_ACCURACY_TARGET:.0%} |",
            f"| ... of those, where both were read (the layout test alone) | "
            f"{_pct(s.below_accuracy_found)} | |",
        ]
        for name, sub in report.subsets.items():
            lines.append(f"| type correct, {name} | {_pct(sub.type_accuracy)} "
                         f"(review {_pct(sub.review_rate)}) | |")
    else:
        lines.append(
            f"| \"no Thai\": decided Type 3 | {_pct(s.type3_rate)} | >= {NO_THAI_TARGET:.0%} |"
        )
        for name, sub in report.subsets.items():
            lines.append(f"| ... {name} | {_pct(sub.type3_rate)} | |")
        lines.append(f"| decided Type 3, crops not sent to review | "
                     f"{_pct(s.unflagged_type_accuracy)} | |")
    lines += [
        f"| sent to review | {_pct(s.review_rate)} | |",
        f"| wall time | {report.wall_s:.0f} s ({report.wall_s / max(1, s.n):.2f} s per crop, "
        f"{report.workers} worker(s)) | |",
        "",
    ]
    lines += _matrix(s, TYPES if report.source == "synthetic" else (3,))
    lines.append("")
    lines += _reliability(s)
    if report.money is not None:
        lines += report.money.markdown()
    if report.misses:
        lines.append(f"Wrong type on {len(report.misses)} crop(s):")
        for m in report.misses[:MAX_LISTED_MISSES]:
            flag = ", review" if m.needs_review else ""
            lines.append(f"- {m.name}: true {m.true_type}, decided {m.decided_type}{flag} "
                         f"({m.detail})")
        if len(report.misses) > MAX_LISTED_MISSES:
            lines.append(f"- ... {len(report.misses) - MAX_LISTED_MISSES} more (see --json)")
        lines.append("")
    return "\n".join(lines)
