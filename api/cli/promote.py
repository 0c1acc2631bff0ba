"""``signtax promote VERSION``: make a detector version the one scans use, only when it does not
regress against the one in production (``training.promote``)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from api.cli.evaluate import evaluation_pricing
from api.paths import DETECTOR_NAME, project_root

EXIT_REGRESSES = 3  # not promoted: the candidate regresses (0: promoted, 2: bad request)


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("promote", help="point models/sign-detector/PRODUCTION at a detector "
                                       "version if it does not regress against the current one")
    p.add_argument("version", help="the detector version folder, e.g. v6avg")
    p.add_argument("--models-dir", type=Path, default=project_root() / "models",
                   help="where model folders live (default: the repository's models/)")
    p.add_argument("--data-root", type=Path, default=project_root().parent / "shared/data/real",
                   help="the real labelled photos (their seeded held-out split is used)")
    p.add_argument("--no-real", action="store_true", help="compare on synthetic scenes only")
    p.add_argument("--synth", type=int, default=150, metavar="N",
                   help="fresh synthetic scenes to compare on (default 150; 0 skips)")
    p.add_argument("--workers", type=int, default=min(8, os.cpu_count() or 1),
                   help="processes rendering the synthetic scenes")
    p.add_argument("--force", action="store_true",
                   help="promote even if it regresses (logged as forced)")
    p.add_argument("--json", action="store_true", help="print the decision as JSON")
    p.add_argument("--plot", type=Path, default=None, metavar="FILE.png",
                   help="also draw the comparison (differences and their intervals)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from training.compare_detect import comparison_markdown
    from training.errors import ConfigError
    from training.eval_detect import EvalPlan
    from training.promote import promote
    from vision.errors import ModelLoadError

    def fail(message: str) -> int:
        print(f"error: {message}", file=sys.stderr)
        return 2

    if args.plot is not None and args.plot.suffix.lower() != ".png":
        return fail(f"--plot must name a .png file, got {args.plot}")
    if args.synth < 0:
        return fail(f"--synth must be >= 0, got {args.synth}")
    if not args.no_real and not args.data_root.is_dir():
        return fail(f"no data at {args.data_root}")
    pricing = evaluation_pricing(None)
    if isinstance(pricing, str):
        return fail(pricing)
    plan = EvalPlan(None if args.no_real else args.data_root, args.synth, workers=args.workers,
                    full_year_baht=pricing[0], pricing_basis=pricing[1])
    try:
        decision = promote(args.models_dir / DETECTOR_NAME, args.version, plan,
                           force=args.force)
    except (ConfigError, ModelLoadError, OSError) as exc:
        return fail(str(exc))
    if args.json:
        print(json.dumps(decision.to_dict(), indent=2))
    else:
        print(comparison_markdown(decision.comparison))
        if decision.forced:
            print(f"promoted {decision.candidate} although it regresses (--force)")
        elif decision.promoted:
            print(f"promoted {decision.candidate}: scans now use it instead of "
                  f"{decision.baseline}")
        else:
            print(f"not promoted: {decision.baseline} stays in production")
    if args.plot is not None:
        from training.compare_plots import write_comparison_plot

        print(f"plot: {write_comparison_plot(decision.comparison, args.plot)}", file=sys.stderr)
    return 0 if decision.promoted else EXIT_REGRESSES
