"""One picture of a detector comparison (``signtax eval detect --against B --against-plot
FILE.png``): per headline figure, the difference candidate - baseline as a point with its 95 %
interval as a bar, and zero as a line. A bar wholly right of the line is better, wholly left is
worse (the candidate regresses), across it is no clear change.

Drawn off-screen (:mod:`training.plots`).
"""

from __future__ import annotations

from pathlib import Path

from training.paired import Comparison
from training.plots import pyplot, save_png

VERDICT_COLOURS = {"better": "tab:green", "worse": "tab:red", "no clear change": "tab:gray"}


def write_comparison_plot(comparison: Comparison, path: Path) -> Path:
    """Write the figure to ``path`` (PNG) and return it."""
    if not comparison.deltas:
        raise ValueError("nothing to plot: the comparison has no figures")
    plt = pyplot()
    deltas = list(reversed(comparison.deltas))  # first figure on top
    fig, ax = plt.subplots(figsize=(8.0, 1.2 + 0.48 * len(deltas)))
    for y, d in enumerate(deltas):
        colour = VERDICT_COLOURS[d.verdict]
        ax.plot([d.low, d.high], [y, y], color=colour, linewidth=3, solid_capstyle="butt")
        ax.plot([d.delta], [y], "o", color=colour, markersize=6)
        ax.annotate(f"{d.baseline:.3f} → {d.candidate:.3f}  ({d.verdict})", (d.high, y),
                    textcoords="offset points", xytext=(6, -3), fontsize=8)
    ax.axvline(0.0, color="black", linewidth=0.8)
    ax.set_yticks(range(len(deltas)), [f"{d.data}: {d.figure}" for d in deltas], fontsize=8)
    lo = min(d.low for d in deltas)
    hi = max(d.high for d in deltas)
    span = max(hi - lo, 0.02)
    # Room on the right for the labels beside the intervals.
    ax.set_xlim(min(lo, 0.0) - 0.1 * span, max(hi, 0.0) + 0.9 * span)
    ax.set_xlabel(f"{comparison.candidate} - {comparison.baseline} (95 % interval, paired "
                  f"bootstrap over {comparison.drawn}, {comparison.resamples} draws)", fontsize=8)
    verdict = "REGRESSES: do not promote" if comparison.regresses else "does not regress"
    ax.set_title(f"{comparison.candidate} against {comparison.baseline}: {verdict}", fontsize=10)
    return save_png(fig, path)
