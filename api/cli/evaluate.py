"""``signtax eval detect``: detector accuracy on the held-out real photos (per class, per size)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from api.paths import default_model_dir, project_root


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("eval", help="evaluate models on held-out data")
    what = p.add_subparsers(dest="what", required=True, metavar="WHAT")
    d = what.add_parser("detect", help="detector mAP50, mAP50-95, precision, recall per class "
                                       "and per box size on the held-out real photos")
    d.add_argument("--model", type=Path, default=None,
                   help="detector folder (default: the shipped models/sign-detector)")
    d.add_argument("--data-root", type=Path, default=project_root().parent / "shared/data/real")
    d.add_argument("--seed", type=int, default=0, help="split seed (the model card's)")
    d.add_argument("--val-fraction", type=float, default=0.15)
    d.add_argument("--conf", type=float, default=0.25, help="operating threshold for P/R")
    d.add_argument("--json", action="store_true", help="print JSON instead of tables")
    d.set_defaults(run=run_detect)


def run_detect(args: argparse.Namespace) -> int:
    from training.eval_detect import evaluate_real, report_markdown
    from vision.errors import ModelLoadError

    if not args.data_root.is_dir():
        print(f"error: no data at {args.data_root}", file=sys.stderr)
        return 2
    try:
        report = evaluate_real(args.model or default_model_dir(), args.data_root, seed=args.seed,
                               val_fraction=args.val_fraction, conf_threshold=args.conf)
    except ModelLoadError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        json.dump(report.to_dict(), sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print(report_markdown(report))
    return 0
