"""Compare fusion policies (:class:`vision.content.fusion.FusionPolicy`) on tuning crops kept
apart from the content evaluation's, the way the default policy was chosen.

Tuning crops: rendered signs from scenes ``TUNING_FIRST_SEED`` on (the evaluation's held-out
scenes start at 950,000,000, the network's training scenes at 700,000,000) and the held-out
real crops among the first ``REAL_TUNED_PER_DATASET`` photos of each real set. The OCR reads
each crop once; every policy then fuses the same reading with the same network facts, so the
grid costs one OCR pass.

``signtax eval fusion --classifier models/content-classifier/c4`` prints the grid; with
``--write-calibration`` it also fits the network's confidence calibration
(:mod:`vision.content.calibration`) on the same crops, fused by the default policy.
"""

from __future__ import annotations

import itertools
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from training.content_crops import CropFilter, scene_crops
from training.content_real import held_out_real_crops
from training.content_scores import Reliability
from training.eval_content import REAL_TUNED_PER_DATASET
from training.reads_cache import crop_key, load_reads, reader_fingerprint, save_reads
from vision.content.analysis import REVIEW_BELOW, analyze
from vision.content.calibration import ConfidenceCalibration, calibrated_content
from vision.content.classifier import ContentClassifier, ContentFacts
from vision.content.fusion import DEFAULT_POLICY, FusionPolicy, ThaiAdding, fuse
from vision.types import SignContent

TUNING_FIRST_SEED = 960_000_000


@dataclass(frozen=True, slots=True)
class TuningCrop:
    source: str  # "synthetic" or "real"
    true_type: int
    read: SignContent  # the OCR alone
    facts: ContentFacts


@dataclass(frozen=True, slots=True)
class PolicyScore:
    synth_right: int
    synth_n: int
    synth_review: int
    real_type3: int
    real_n: int

    def describe(self) -> str:
        n = max(1, self.synth_n)
        return (f"rendered {self.synth_right}/{self.synth_n} ({self.synth_right / n:.1%}), "
                f"review {self.synth_review / n:.0%} | real no Thai {self.real_type3}/{self.real_n}")


def score(crops: Sequence[TuningCrop], policy: FusionPolicy | None,
          decide_type: Callable[[SignContent], int]) -> PolicyScore:
    """``policy`` None scores the OCR alone."""
    s_right = s_n = s_review = r3 = r_n = 0
    for c in crops:
        content = c.read if policy is None else fuse(c.read, c.facts, REVIEW_BELOW, policy)
        decided = int(decide_type(content))
        if c.source == "synthetic":
            s_n += 1
            s_right += decided == c.true_type
            s_review += content.needs_review
        else:
            r_n += 1
            r3 += decided == 3
    return PolicyScore(s_right, s_n, s_review, r3, r_n)


def describe_policy(policy: FusionPolicy) -> str:
    overrides = "-" if policy.network_overrides is None else policy.network_overrides
    unread = "never" if policy.unread_script_min is None else policy.unread_script_min
    rules_out = "-" if policy.network_rules_out is None else policy.network_rules_out
    return (f"decides {policy.network_decides} adding {policy.thai_adding.value:10s} "
            f"thai >= {policy.add_thai_min} overrides {overrides} unread clears at {unread} "
            f"rules out {rules_out}{' places Thai' if policy.place_thai_candidates else ''}"
            f"{' reviews unread Thai' if policy.review_unread_thai else ''}"
            + ("" if policy.keep_sure_scripts is None
               else f" keeps scripts read at {policy.keep_sure_scripts}"))


def policy_grid() -> list[FusionPolicy]:
    return [FusionPolicy(d, a, t, o, c, r, p, u, k) for d, a, t, o, c, r, p, u, k in
            itertools.product((0.5, 0.6, 0.7), list(ThaiAdding), (0.5, 0.7, 0.9),
                              (None, 0.95, 0.99), (None, 0.9, 0.0), (None, 0.6, 0.8),
                              (False, True), (False, True), (None, 0.9))]


def tuning_crops(n_synth: int, data_root: Path, classifier: ContentClassifier, *,
                 workers: int = 2, reads_cache: Path | None = None,
                 progress: bool = True) -> list[TuningCrop]:
    """At least ``n_synth`` rendered crops (whole scenes) and the real tuning crops.

    ``reads_cache``: a file keeping the OCR's reading of each crop
    (:mod:`training.reads_cache`), so that scoring another network costs the rendering and the
    network, not the OCR again. ``progress``: bars on stderr for the rendering, the OCR (most
    of the time without a cache: some 20 minutes for 300 crops) and the network.
    """
    from tqdm import tqdm

    def bar(desc: str, total: int):
        return tqdm(total=total, desc=desc, unit="crop", file=sys.stderr, disable=not progress)

    items = []  # (source, true type, crop)
    seed = TUNING_FIRST_SEED
    with bar("rendering tuning crops", n_synth) as rendered:
        while (n := sum(1 for it in items if it[0] == "synthetic")) < n_synth:
            items += [("synthetic", c.tax_type, c.crop_bgr)
                      for c in scene_crops(seed, (1280, 960), CropFilter())]
            rendered.update(min(n_synth, len(items)) - n)
            seed += 1
    items += [("real", 3, crop.crop_bgr) for _, _, crop in
              held_out_real_crops(data_root, within_first=REAL_TUNED_PER_DATASET)]
    fingerprint = reader_fingerprint()
    cached = load_reads(reads_cache, fingerprint)
    keys = [crop_key(it[2]) for it in items]
    missing = [(k, it) for k, it in zip(keys, items, strict=True) if k not in cached]
    with (ThreadPoolExecutor(max_workers=max(1, workers)) as pool,  # tesseract: subprocesses
          bar("OCR reading", len(missing)) as reading):
        def read(kit):
            result = analyze(kit[1][2])
            reading.update(1)
            return result

        fresh = dict(zip((k for k, _ in missing), pool.map(read, missing), strict=True))
    if reads_cache is not None:
        save_reads(reads_cache, fingerprint, fresh)
    cached.update(fresh)
    reads = [cached[k] for k in keys]
    with bar(f"content network {classifier.version}", len(items)) as scoring:
        out = []
        for (src, t, crop), read in zip(items, reads, strict=True):
            out.append(TuningCrop(src, t, read, classifier.facts(crop)))
            scoring.update(1)
    return out


@dataclass(frozen=True, slots=True)
class FittedCalibration:
    calibration: ConfidenceCalibration
    ece_before: float  # on the crops it was fitted on (in-sample)
    ece_after: float  # as a scan reports it (unreadable results for review capped)


def fit_calibration(crops: Sequence[TuningCrop], decide_type: Callable[[SignContent], int],
                    n_synth_asked: int, policy: FusionPolicy = DEFAULT_POLICY
                    ) -> FittedCalibration:
    """The confidence calibration of ``policy`` on ``crops`` (a rendered crop is right with its
    true type, a real one with Type 3)."""
    contents = [fuse(c.read, c.facts, REVIEW_BELOW, policy) for c in crops]
    raw = [content.confidence for content in contents]
    right = [int(decide_type(content)) == c.true_type for c, content in zip(crops, contents,
                                                                            strict=True)]
    n_synth = sum(c.source == "synthetic" for c in crops)
    fitted_on = (f"{n_synth} rendered crops (at least {n_synth_asked} asked; scenes from "
                 f"{TUNING_FIRST_SEED:,}) and {len(crops) - n_synth} held-out real crops "
                 f"without Thai among the first {REAL_TUNED_PER_DATASET} of each set; "
                 f"fusion: {describe_policy(policy)}")
    calibration = ConfidenceCalibration.fit(raw, right, fitted_on)
    reported = [calibrated_content(c, calibration, REVIEW_BELOW).confidence for c in contents]
    return FittedCalibration(calibration, Reliability.of(raw, right).ece,
                             Reliability.of(reported, right).ece)


def calibrate(model_dir: Path, decide_type: Callable[[SignContent], int], *, data_root: Path,
              n_synth: int, workers: int = 2, reads_cache: Path | None = None
              ) -> FittedCalibration:
    """Fit the default policy's confidence calibration for the network in ``model_dir`` on the
    tuning crops and store it beside its weights, as ``signtax eval fusion --write-calibration``
    does (``train-content --promote``: a network is promoted only with its calibration)."""
    crops = tuning_crops(n_synth, data_root, ContentClassifier(model_dir), workers=workers,
                         reads_cache=reads_cache)
    fitted = fit_calibration(crops, decide_type, n_synth)
    fitted.calibration.write(model_dir)
    return fitted

