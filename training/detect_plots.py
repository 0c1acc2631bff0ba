"""One picture of the detector's tax found (``signtax eval detect --plot FILE.png``): per box
size, the share of the taxable signs found beside the share of their yearly tax found, and the
baht the missed signs would pay. Where the two bars differ, the missed signs are cheaper or
costlier than the rest.

Drawn off-screen (:mod:`training.plots`).
"""

from __future__ import annotations

from pathlib import Path

from training.detect_money import FoundShare, TaxFound
from training.plots import pyplot, save_png


def write_tax_found_plot(found: TaxFound, path: Path, *, title: str = "") -> Path:
    """Write the figure to ``path`` (PNG) and return it."""
    plt = pyplot()
    groups: list[tuple[str, FoundShare]] = [("all", found.all), *found.by_size.items()]
    groups = [(name, s) for name, s in groups if s.signs]
    if not groups:
        raise ValueError("nothing to plot: no taxable signs")
    fig, ax = plt.subplots(figsize=(7.5, 5.2))
    xs = range(len(groups))
    width = 0.38
    signs = [100 * (s.sign_recall or 0.0) for _, s in groups]
    baht = [100 * (s.baht_recall or 0.0) for _, s in groups]
    ax.bar([x - width / 2 for x in xs], signs, width, color="tab:blue", label="signs found")
    ax.bar([x + width / 2 for x in xs], baht, width, color="tab:green",
           label="their yearly tax found")
    for x, (_, s), b in zip(xs, groups, baht, strict=True):
        missed = s.baht - s.baht_found
        ax.annotate(f"missed\n{missed:,.0f} baht", (x + width / 2, b), textcoords="offset points",
                    xytext=(0, 4), ha="center", fontsize=8)
    ax.set_xticks(list(xs), [f"{name}\n{s.signs} signs" for name, s in groups])
    ax.set_ylim(0, 118)
    ax.set_ylabel("% found")
    ax.set_title(title or f"tax found ({found.basis.split(',')[0]})", fontsize=10)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2, fontsize=8, frameon=False)
    return save_png(fig, path)
