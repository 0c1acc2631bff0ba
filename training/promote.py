"""Promote a model version only when it does not regress (``signtax promote``): a detector, or a
content network (``--content``).

The candidate and the model in production are run on the same held-out data (a detector: real
photos and fresh synthetic scenes, :mod:`training.compare_detect`; a content network: rendered
and real sign crops, :mod:`training.compare_content`), compared with paired intervals, and the
folder's ``PRODUCTION`` is pointed at the candidate only when no headline figure's interval lies
below zero, unless forced. The first model of a folder (no ``PRODUCTION`` yet) has nothing to be
compared with and is promoted as it is. Every decision, taken or refused, is appended to
``<model folder>/promotions.jsonl`` with its figures, so the log says which model scanned when
and why it was chosen.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from training.compare_content import compare_content_runs
from training.compare_detect import compare_runs
from training.errors import ConfigError
from training.eval_content import ContentPlan, SourceReport, evaluate_content_plan
from training.eval_detect import DetectReport, EvalPlan, evaluate_plan
from training.package import point_production
from training.paired import DEFAULT_RESAMPLES, Comparison
from vision.content.calibration import CALIBRATION_NAME
from vision.content.classifier import WEIGHTS_NAME, resolve_content_model_dir
from vision.content.ensemble import MEMBERS_NAME
from vision.detector import PRODUCTION_FILE, WEIGHTS_FILE, resolve_model_dir

PROMOTION_LOG = "promotions.jsonl"


@dataclass(frozen=True, slots=True)
class Promotion:
    at_utc: str
    candidate: str
    baseline: str | None  # None: no model was in production, nothing to compare with
    promoted: bool
    forced: bool  # promoted although it regresses
    comparison: Comparison | None

    def to_dict(self) -> dict:
        return {"at_utc": self.at_utc, "candidate": self.candidate, "baseline": self.baseline,
                "promoted": self.promoted, "forced": self.forced,
                "comparison": None if self.comparison is None else self.comparison.to_dict()}


def candidate_dir(detector_root: Path, version: str) -> Path:
    folder = detector_root / version
    if not version or "/" in version or not (folder / WEIGHTS_FILE).is_file():
        raise ConfigError(f"no detector version {version!r} in {detector_root} "
                          f"(a folder holding {WEIGHTS_FILE})")
    return folder


def content_candidate_dir(content_root: Path, version: str) -> Path:
    """A content network (or ensemble) version with its confidence calibration: without one a
    scan would send crops to review on the raw confidence, which the gate never measured."""
    folder = content_root / version
    if not version or "/" in version or not any(
            (folder / name).is_file() for name in (WEIGHTS_NAME, MEMBERS_NAME)):
        raise ConfigError(f"no content network version {version!r} in {content_root} "
                          f"(a folder holding {WEIGHTS_NAME} or {MEMBERS_NAME})")
    if not (folder / CALIBRATION_NAME).is_file():
        raise ConfigError(f"{version} has no {CALIBRATION_NAME}: fit it first with signtax eval "
                          f"fusion --classifier {folder} --write-calibration")
    return folder


def _reports(model_dir: Path, plan: EvalPlan) -> dict[str, DetectReport]:
    reports = evaluate_plan(model_dir, plan)
    if not reports:
        raise ConfigError("nothing to compare on: no real photos and no synthetic scenes")
    return reports


def _content_reports(model_dir: Path, plan: ContentPlan) -> dict[str, SourceReport]:
    reports = evaluate_content_plan(model_dir, plan)
    if not reports:
        raise ConfigError("nothing to compare on: no rendered crops and no real crops")
    return reports


def promote(detector_root: Path, version: str, plan: EvalPlan, *, force: bool = False,
            resamples: int = DEFAULT_RESAMPLES) -> Promotion:
    """Compare detector ``version`` with the one in production, promote it unless it regresses
    (or when ``force``), and log the decision."""
    candidate = candidate_dir(detector_root, version)
    return _gate(detector_root, candidate, "detector",
                 lambda: resolve_model_dir(detector_root),
                 lambda baseline: compare_runs(_reports(candidate, plan),
                                               _reports(baseline, plan), resamples=resamples),
                 force)


def promote_content(content_root: Path, version: str, plan: ContentPlan, *,
                    force: bool = False, resamples: int = DEFAULT_RESAMPLES) -> Promotion:
    """Compare content network ``version`` with the one in production on the same crops,
    promote it unless it regresses (or when ``force``), and log the decision."""
    candidate = content_candidate_dir(content_root, version)
    return _gate(content_root, candidate, "content network",
                 lambda: resolve_content_model_dir(content_root),
                 lambda baseline: compare_content_runs(
                     _content_reports(candidate, plan), _content_reports(baseline, plan),
                     candidate_name=candidate.name, baseline_name=baseline.name,
                     resamples=resamples),
                 force)


def _gate(root: Path, candidate: Path, kind: str, production: Callable[[], Path],
          compare: Callable[[Path], Comparison], force: bool) -> Promotion:
    if not (root / PRODUCTION_FILE).exists():
        point_production(candidate)
        return _logged(root, Promotion(_now(), candidate.name, None, True, False, None))
    baseline = production()
    if baseline.resolve() == candidate.resolve():
        raise ConfigError(f"{candidate.name} is already the {kind} in production")
    comparison = compare(baseline)
    promoted = force or not comparison.regresses
    if promoted:
        point_production(candidate)
    return _logged(root, Promotion(_now(), candidate.name, baseline.name, promoted,
                                   promoted and comparison.regresses, comparison))


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _logged(root: Path, decision: Promotion) -> Promotion:
    with (root / PROMOTION_LOG).open("a", encoding="utf-8") as log:
        log.write(json.dumps(decision.to_dict()) + "\n")
    return decision
