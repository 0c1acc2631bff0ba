"""Does a content network read a sign's facts better as the mean over views of the crop?
(issue 4's study behind the views of ``members.json`` format 2; see the README row "c9 over
three views of the crop").

Renders scenes from ``--first-seed`` (default 975,000,000: neither a network's training
scenes, 700,000,000 on, nor the evaluation's, 950,000,000 on, nor the fusion's tuning scenes,
960,000,000 on), cuts every kept sign from its true corners as ``signtax eval content`` does,
reads each crop with the network in five views (as cut and four trims) and prints, for each
view and for every mean of the as-cut view with others, each fact's accuracy at 0.5 and the
mean log loss over the facts. The network alone: whether better facts make better tax types
is for ``signtax eval fusion`` and the content gate to say. ::

    .venv/bin/python scripts/content_views_study.py --crops 600   # about 15 min on 2 cores
"""

from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from training.content_crops import scene_crops  # noqa: E402
from training.eval_content import DEFAULT_FILTER  # noqa: E402
from vision.content.classifier import (  # noqa: E402
    FACTS,
    letterbox,
    load_network,
    to_tensor_batch,
)
from vision.content.ensemble import CropView  # noqa: E402
from vision.types import Script  # noqa: E402

VIEWS = {
    "as cut": CropView(),
    "trim 3%": CropView(0.03, 0.03),
    "trim 6%": CropView(0.06, 0.06),
    "trim x 4%": CropView(0.04, 0.0),
    "trim y 6%": CropView(0.0, 0.06),
}
SCORED = ("thai", "latin", "cjk", "below", "graphics")  # "other" never occurs in the renders


def true_facts(crop) -> list[bool]:
    known = {Script.THAI, Script.LATIN, Script.CJK}
    return [Script.THAI in crop.scripts, Script.LATIN in crop.scripts,
            Script.CJK in crop.scripts, bool(crop.scripts - known),
            bool(crop.thai_below_foreign), bool(crop.has_graphics)]


def read_views(model_dir: Path, first_seed: int, n_crops: int) -> tuple[np.ndarray, np.ndarray]:
    """(truth n x facts, probabilities n x views x facts)."""
    import torch
    from tqdm import tqdm

    net, input_hw, _ = load_network(model_dir)
    net.eval()
    truth, probs = [], []
    seed = first_seed
    with tqdm(total=n_crops, desc="crops", unit="crop", file=sys.stderr) as bar:
        while len(truth) < n_crops:
            for crop in scene_crops(seed, (1280, 960), DEFAULT_FILTER)[: n_crops - len(truth)]:
                batch = to_tensor_batch([letterbox(v.apply(crop.crop_bgr), input_hw)
                                         for v in VIEWS.values()])
                with torch.inference_mode():
                    probs.append(torch.sigmoid(net(batch)).double().numpy())
                truth.append(true_facts(crop))
                bar.update(1)
            seed += 1
    return np.array(truth, bool), np.array(probs)


def score_line(name: str, truth: np.ndarray, p: np.ndarray) -> str:
    cols = [FACTS.index(f) for f in SCORED]
    acc = ((p >= 0.5) == truth).mean(0)
    eps = 1e-6
    loss = -(truth * np.log(p + eps) + (~truth) * np.log(1 - p + eps)).mean(0)
    return (f"{name:48s} " + " ".join(f"{f} {acc[c]:.3f}" for f, c in zip(SCORED, cols, strict=True))
            + f" | log loss {loss[cols].mean():.4f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", type=Path, default=Path("models/content-classifier/c9"),
                        help="a single network's version folder")
    parser.add_argument("--first-seed", type=int, default=975_000_000)
    parser.add_argument("--crops", type=int, default=600)
    args = parser.parse_args(argv)
    if args.crops < 1:
        parser.error("--crops must be >= 1")
    truth, probs = read_views(args.model, args.first_seed, args.crops)
    names = list(VIEWS)
    print(f"{len(truth)} crops of scenes from {args.first_seed}, network {args.model.name}")
    for i, name in enumerate(names):
        print(score_line(name, truth, probs[:, i]))
    for k in range(2, len(names) + 1):
        for combo in itertools.combinations(range(1, len(names)), k - 1):
            chosen = (0, *combo)
            print(score_line("mean: " + " + ".join(names[i] for i in chosen), truth,
                             probs[:, list(chosen)].mean(1)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
