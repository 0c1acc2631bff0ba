"""``signtax eval detect``: detector accuracy per class and per size on the held-out real photos
and on fresh synthetic scenes (with corner errors)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from api.paths import default_model_dir, project_root


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("eval", help="evaluate models on held-out data")
    what = p.add_subparsers(dest="what", required=True, metavar="WHAT")
    d = what.add_parser("detect", help="detector mAP50, mAP50-95, precision, recall per class "
                                       "and per box size on the held-out real photos and on "
                                       "fresh synthetic scenes, with corner errors")
    d.add_argument("--model", type=Path, default=None,
                   help="detector folder (default: the shipped models/sign-detector)")
    d.add_argument("--data-root", type=Path, default=project_root().parent / "shared/data/real")
    d.add_argument("--seed", type=int, default=0, help="split seed (the model card's)")
    d.add_argument("--val-fraction", type=float, default=0.15)
    d.add_argument("--conf", type=float, default=0.25, help="operating threshold for P/R")
    d.add_argument("--synth", type=int, default=200, metavar="N",
                   help="also render N synthetic scenes never used in training and report boxes "
                        "and corner errors on them (default 200; 0 skips)")
    d.add_argument("--synth-size", default="960x720", help="synthetic scene size WxH")
    d.add_argument("--no-real", action="store_true", help="skip the real photos")
    d.add_argument("--workers", type=int, default=min(8, os.cpu_count() or 1),
                   help="processes rendering the synthetic scenes")
    d.add_argument("--json", action="store_true", help="print JSON instead of tables")
    d.set_defaults(run=run_detect)


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


def run_detect(args: argparse.Namespace) -> int:
    from training.eval_detect import evaluate_real, evaluate_synthetic, report_markdown
    from vision.errors import ModelLoadError

    if not args.no_real and not args.data_root.is_dir():
        return _fail(f"no data at {args.data_root}")
    if args.synth < 0:
        return _fail(f"--synth must be >= 0, got {args.synth}")
    if args.no_real and args.synth == 0:
        return _fail("nothing to evaluate: --no-real with --synth 0")
    try:
        size_wh = tuple(int(v) for v in args.synth_size.lower().split("x"))
        if len(size_wh) != 2 or min(size_wh) < 64:
            raise ValueError
    except ValueError:
        return _fail(f"--synth-size must look like 960x720, got {args.synth_size!r}")
    model = args.model or default_model_dir()
    reports = {}
    try:
        if not args.no_real:
            reports["real"] = evaluate_real(model, args.data_root, seed=args.seed,
                                            val_fraction=args.val_fraction,
                                            conf_threshold=args.conf)
        if args.synth:
            reports["synthetic"] = evaluate_synthetic(model, n_images=args.synth,
                                                      size_wh=size_wh, conf_threshold=args.conf,
                                                      workers=args.workers)
    except ModelLoadError as exc:
        return _fail(str(exc))
    if args.json:
        json.dump({k: r.to_dict() for k, r in reports.items()}, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print("\n".join(report_markdown(r) for r in reports.values()))
    return 0
