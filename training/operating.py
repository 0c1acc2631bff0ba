"""Where to draw the detector's confidence line (``signtax eval detect --conf-sweep``).

Each candidate below the line is a sign the city may not tax; each one above it that is not a
sign costs an officer a look in the review queue. Per confidence, with the classes merged (a
sign found as the wrong kind is still found): the share of true signs found, the share of
kept detections that are signs, and the false candidates per photo.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from training.eval_detect import DetectReport
from training.metrics import match_image


@dataclass(frozen=True, slots=True)
class OperatingPoint:
    confidence: float
    recall: float  # true signs matched at IoU >= 0.5 by a kept detection
    precision: float  # kept detections that match a sign (nan when none are kept)
    false_per_image: float  # kept detections matching no sign, per photo or scene

    def to_dict(self) -> dict:
        def num(v: float) -> float | None:
            return None if np.isnan(v) else round(v, 4)

        return {"confidence": self.confidence, "recall": num(self.recall),
                "precision": num(self.precision), "false_per_image": num(self.false_per_image)}


def parse_confidences(text: str) -> tuple[float, ...]:
    """``"0.05,0.1,0.25"`` -> sorted distinct values in (0, 1); ValueError names a bad one."""
    values = set()
    for part in text.split(","):
        try:
            v = float(part)
        except ValueError:
            raise ValueError(f"not a number: {part.strip()!r}") from None
        if not 0.0 < v < 1.0:
            raise ValueError(f"confidences must be between 0 and 1, got {v}")
        values.add(v)
    return tuple(sorted(values))


def operating_points(report: DetectReport, confidences: Sequence[float]
                     ) -> tuple[OperatingPoint, ...]:
    """The report's images scored at each confidence, classes merged."""
    if not report.images:
        raise ValueError("the report kept no per-image results to sweep")
    matches = [match_image(p.classes_merged(), t.classes_merged()) for p, t in report.images]
    score = np.concatenate([m.score for m in matches])
    tp = np.concatenate([m.tp50 for m in matches])
    n_truth = sum(len(m.truth_cls) for m in matches)
    out = []
    for c in confidences:
        kept = score >= c
        found = int(tp[kept].sum())
        out.append(OperatingPoint(
            confidence=float(c),
            recall=found / n_truth if n_truth else float("nan"),
            precision=found / int(kept.sum()) if kept.any() else float("nan"),
            false_per_image=int((~tp[kept]).sum()) / len(matches)))
    return tuple(out)


def sweep_markdown(name: str, points: Sequence[OperatingPoint]) -> str:
    rows = [f"Confidence sweep, {name} (classes merged):", "",
            "| confidence | recall | precision | false candidates per image |",
            "|---|---|---|---|"]
    rows += [f"| {p.confidence:g} | {p.recall:.3f} | {p.precision:.3f} | {p.false_per_image:.2f} |"
             for p in points]
    return "\n".join([*rows, ""])
