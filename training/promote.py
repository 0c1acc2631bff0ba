"""Promote a detector version only when it does not regress (``signtax promote``).

The candidate and the detector in production are run on the same held-out real photos and
fresh synthetic scenes, compared with paired intervals (:mod:`training.compare_detect`), and
``PRODUCTION`` is pointed at the candidate only when no headline figure's interval lies below
zero, unless forced. The first detector of a models folder (no ``PRODUCTION`` yet) has nothing
to be compared with and is promoted as it is. Every decision, taken or refused, is appended to
``<detector folder>/promotions.jsonl`` with its figures, so the log says which detector scanned
when and why it was chosen.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from training.compare_detect import DEFAULT_RESAMPLES, Comparison, compare_runs
from training.errors import ConfigError
from training.eval_detect import DetectReport, EvalPlan, evaluate_plan
from training.package import point_production
from vision.detector import PRODUCTION_FILE, WEIGHTS_FILE, resolve_model_dir

PROMOTION_LOG = "promotions.jsonl"


@dataclass(frozen=True, slots=True)
class Promotion:
    at_utc: str
    candidate: str
    baseline: str | None  # None: no detector was in production, nothing to compare with
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


def _reports(model_dir: Path, plan: EvalPlan) -> dict[str, DetectReport]:
    reports = evaluate_plan(model_dir, plan)
    if not reports:
        raise ConfigError("nothing to compare on: no real photos and no synthetic scenes")
    return reports


def promote(detector_root: Path, version: str, plan: EvalPlan, *, force: bool = False,
            resamples: int = DEFAULT_RESAMPLES) -> Promotion:
    """Compare ``version`` with the detector in production, promote it unless it regresses (or
    when ``force``), and log the decision."""
    candidate = candidate_dir(detector_root, version)
    if not (detector_root / PRODUCTION_FILE).exists():
        point_production(candidate)
        return _logged(detector_root, Promotion(_now(), candidate.name, None, True, False, None))
    baseline = resolve_model_dir(detector_root)
    if baseline.resolve() == candidate.resolve():
        raise ConfigError(f"{version} is already the detector in production")
    comparison = compare_runs(_reports(candidate, plan), _reports(baseline, plan),
                              resamples=resamples)
    promoted = force or not comparison.regresses
    if promoted:
        point_production(candidate)
    return _logged(detector_root, Promotion(_now(), candidate.name, baseline.name, promoted,
                                            promoted and comparison.regresses, comparison))


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _logged(detector_root: Path, decision: Promotion) -> Promotion:
    with (detector_root / PROMOTION_LOG).open("a", encoding="utf-8") as log:
        log.write(json.dumps(decision.to_dict()) + "\n")
    return decision
