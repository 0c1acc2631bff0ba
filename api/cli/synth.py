"""``signtax synth``: render synthetic Thai street scenes with exact sign labels.

    signtax synth --out var/synth -n 2000 --seed 0 --size 1280x960 --pose-dataset var/pose
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from datasets.errors import DatasetError

MAX_SAMPLES = 1_000_000


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "synth", help="render synthetic Thai street scenes with exactly labelled signs",
        description="Renders N street scenes (seeds S .. S+N-1) into OUT/images/*.jpg with "
                    "labels OUT/labels/*.json and OUT/manifest.json; optionally converts them "
                    "to an ultralytics pose dataset (4 corner keypoints per sign).")
    p.add_argument("--out", type=Path, required=True, help="folder for images, labels, manifest")
    p.add_argument("-n", type=int, required=True, help="number of samples")
    p.add_argument("--seed", type=int, default=0, help="first seed (default 0)")
    p.add_argument("--size", default="1280x960", help="image size WxH (default 1280x960)")
    p.add_argument("--pose-dataset", type=Path, default=None,
                   help="also write an ultralytics pose dataset (data.yaml) here")
    p.add_argument("--val-fraction", type=float, default=0.1,
                   help="share of samples in the pose dataset's val split (default 0.1)")
    p.add_argument("--along-street", type=float, default=0.0, metavar="P",
                   help="the chance (0..1) that a scene looks along the street with both "
                        "sides' shophouses (default 0: every seed as the evaluation sets have it)")
    p.add_argument("--window-campaigns", type=float, default=0.0, metavar="P",
                   help="the chance (0..1) that a shop unit has the same poster in every pane "
                        "of its windows, every window ad then seen through its glass (default 0)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    p.set_defaults(run=run)


def _parse_size(text: str) -> tuple[int, int] | None:
    m = re.fullmatch(r"\s*(\d+)\s*[xX]\s*(\d+)\s*", text)
    return (int(m.group(1)), int(m.group(2))) if m else None


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


def run(args: argparse.Namespace) -> int:
    size = _parse_size(args.size)
    if size is None:
        return _fail(f"--size must look like 1280x960, got {args.size!r}")
    if not 1 <= args.n <= MAX_SAMPLES:
        return _fail(f"-n must be between 1 and {MAX_SAMPLES}, got {args.n}")
    if not 0 <= args.seed < 2**62:
        return _fail(f"--seed must be a non-negative integer, got {args.seed}")
    if not 0.0 < args.val_fraction < 1.0:
        return _fail(f"--val-fraction must be in (0, 1), got {args.val_fraction}")
    if args.out.exists() and not args.out.is_dir():
        return _fail(f"--out {args.out} exists and is not a folder")
    # Imported here: the generator pulls in OpenCV, PIL and the fonts, which other commands
    # do not need.
    from tqdm import tqdm

    from datasets.synth.config import SynthConfig
    from datasets.synth.export import write_pose_dataset, write_samples

    try:
        config = SynthConfig(size_wh=size, along_street_probability=args.along_street,
                             window_campaign_probability=args.window_campaigns)
    except ValueError as exc:
        return _fail(str(exc))
    try:
        with tqdm(total=args.n, desc="synth", unit="img", file=sys.stderr,
                  disable=args.no_progress) as bar:
            written = write_samples(args.out, range(args.seed, args.seed + args.n), config,
                                    progress=bar.update)
        print(f"wrote {written.images} samples to {args.out} "
              f"({sum(written.counts_by_kind.values())} labelled signs: "
              + ", ".join(f"{k} {v}" for k, v in sorted(written.counts_by_kind.items())) + ")")
        if args.pose_dataset is not None:
            counts = write_pose_dataset(args.out, args.pose_dataset, val_fraction=args.val_fraction)
            print(f"wrote pose dataset {args.pose_dataset / 'data.yaml'}: "
                  f"train {counts['train'].get('images', 0)} images, "
                  f"val {counts['val'].get('images', 0)} images")
    except (DatasetError, OSError, ValueError) as exc:
        return _fail(str(exc))
    return 0
