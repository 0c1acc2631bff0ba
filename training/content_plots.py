"""One picture of a content evaluation (``signtax eval content --plot FILE.png``): the type
confusion matrix of the rendered crops, the reliability diagram (is the confidence a
probability?) of every source, raw and as a scan reports it, and, when the rendered signs were
priced, what their wrong types would cost, unchecked and in review.

Drawn off-screen (:mod:`training.plots`).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from training.content_money import TypeErrorCost
from training.content_scores import TYPES, Reliability, Scores
from training.plots import pyplot, save_png


def _reliability_points(rel: Reliability) -> tuple[list[float], list[float], list[int]]:
    bins = [b for b in rel.bins if b.n]
    return ([b.mean_confidence for b in bins], [b.share_right for b in bins], [b.n for b in bins])


def _money_panel(ax, money: TypeErrorCost) -> None:
    groups = (("not sent to review\n(would reach the roll)", money.unchecked),
              ("sent to review", money.reviewed))
    xs = range(len(groups))
    over = [float(g.over_baht) for _, g in groups]
    under = [float(g.under_baht) for _, g in groups]
    ax.bar(xs, over, 0.5, color="tab:red", label="over-assessed")
    ax.bar(xs, under, 0.5, bottom=over, color="tab:orange", label="under-assessed")
    for x, (_, g), o, u in zip(xs, groups, over, under, strict=True):
        ax.annotate(f"{g.signs} signs\n{o + u:,.0f} baht", (x, o + u), textcoords="offset points",
                    xytext=(0, 4), ha="center", fontsize=8)
    ax.set_xticks(list(xs), [name for name, _ in groups])
    ax.set_ylim(0, 1.25 * max(1.0, *(o + u for o, u in zip(over, under, strict=True))))
    ax.set_ylabel("baht a year")
    ax.set_title(f"wrong types in baht (true tax {money.true_baht:,.0f})", fontsize=10)
    ax.legend(loc="upper left", fontsize=8)


def write_content_plot(scores_by_source: Mapping[str, Scores], path: Path,
                       money: TypeErrorCost | None = None) -> Path:
    """Write the figure to ``path`` (PNG) and return it; ``scores_by_source`` maps a source
    name ("synthetic", "real") to its scores; ``money``: the rendered signs priced, for a
    third panel."""
    plt = pyplot()
    if not scores_by_source:
        raise ValueError("nothing to plot: no scores")
    synth = scores_by_source.get("synthetic")
    ncols = (2 if synth is not None else 1) + (money is not None)
    fig, axes = plt.subplots(1, ncols, figsize=(6 * ncols, 5), squeeze=False)
    col = 0
    if synth is not None:
        ax = axes[0][col]
        counts = synth.confusion.counts
        ax.imshow(counts, cmap="Blues")
        for t in range(len(TYPES)):
            for d in range(len(TYPES)):
                ax.text(d, t, str(counts[t][d]), ha="center", va="center",
                        color="white" if counts[t][d] > max(map(max, counts)) / 2 else "black")
        ax.set_xticks(range(len(TYPES)), [f"Type {t}" for t in TYPES])
        ax.set_yticks(range(len(TYPES)), [f"Type {t}" for t in TYPES])
        ax.set_xlabel("decided")
        ax.set_ylabel("true")
        acc = synth.type_accuracy
        ax.set_title(f"rendered crops: type right {acc.hits}/{acc.n}")
        col += 1
    ax = axes[0][col]
    ax.plot([0, 1], [0, 1], color="grey", linestyle=":", label="perfectly calibrated")
    for (source, scores), colour in zip(scores_by_source.items(), ("tab:blue", "tab:orange"),
                                        strict=False):
        for rel, style, what in ((scores.reliability, "-", "reported"),
                                 (scores.raw_reliability, "--", "raw")):
            if rel.ece is None:
                continue
            x, y, n = _reliability_points(rel)
            ax.plot(x, y, style, color=colour, marker="o",
                    label=f"{source}, {what} (ECE {rel.ece:.3f})")
            if what == "reported":
                for xi, yi, ni in zip(x, y, n, strict=True):
                    ax.annotate(str(ni), (xi, yi), textcoords="offset points", xytext=(4, -10),
                                fontsize=7, color=colour)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("confidence (mean of the bin)")
    ax.set_ylabel("share of crops with the right type")
    ax.set_title("reliability (numbers: crops per bin)")
    ax.legend(loc="lower right", fontsize=8)
    if money is not None:
        _money_panel(axes[0][col + 1], money)
    return save_png(fig, path)
