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
from api.settings import PRODUCTION_FILE

EXIT_REGRESSES = 3  # not promoted: the candidate regresses (0: promoted, 2: bad request)
COMPARE_SCENES = 150  # fresh synthetic scenes a promotion compares on by default


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("promote", help="point models/sign-detector/PRODUCTION at a detector "
                                       "version if it does not regress against the current one")
    p.add_argument("version", help="the detector version folder, e.g. v6avg")
    p.add_argument("--models-dir", type=Path, default=project_root() / "models",
                   help="where model folders live (default: the repository's models/)")
    p.add_argument("--data-root", type=Path, default=project_root().parent / "shared/data/real",
                   help="the real labelled photos (their seeded held-out split is used)")
    p.add_argument("--no-real", action="store_true", help="compare on synthetic scenes only")
    p.add_argument("--synth", type=int, default=COMPARE_SCENES, metavar="N",
                   help=f"fresh synthetic scenes to compare on (default {COMPARE_SCENES}; "
                        "0 skips)")
    p.add_argument("--workers", type=int, default=min(8, os.cpu_count() or 1),
                   help="processes rendering the synthetic scenes")
    p.add_argument("--force", action="store_true",
                   help="promote even if it regresses (logged as forced)")
    p.add_argument("--json", action="store_true", help="print the decision as JSON")
    p.add_argument("--plot", type=Path, default=None, metavar="FILE.png",
                   help="also draw the comparison (differences and their intervals)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.plot is not None and args.plot.suffix.lower() != ".png":
        return _fail(f"--plot must name a .png file, got {args.plot}")
    if args.synth < 0:
        return _fail(f"--synth must be >= 0, got {args.synth}")
    return promote_detector(args.models_dir, args.version,
                            data_root=None if args.no_real else args.data_root,
                            synth=args.synth, workers=args.workers, force=args.force,
                            as_json=args.json, plot=args.plot)


def promote_detector(models_dir: Path, version: str, *, data_root: Path | None, synth: int,
                     workers: int, force: bool = False, as_json: bool = False,
                     plot: Path | None = None, current_ok: bool = False) -> int:
    """The gate every detector promotion goes through (``signtax promote``, and ``--promote`` of
    ``train`` and ``average``): compare with production, print the decision, return the exit
    status (0 promoted, 3 regresses, 2 bad request). ``current_ok``: a version already in
    production is no error (``train`` packaging a finished run again)."""
    from training.compare_detect import comparison_markdown
    from training.errors import ConfigError
    from training.eval_detect import EvalPlan
    from training.promote import promote
    from vision.errors import ModelLoadError

    if current_ok and _in_production(models_dir / DETECTOR_NAME) == version:
        print(f"{version} is already the detector in production")
        return 0
    if data_root is not None and not data_root.is_dir():
        return _fail(f"no data at {data_root}")
    pricing = evaluation_pricing(None)
    if isinstance(pricing, str):
        return _fail(pricing)
    plan = EvalPlan(data_root, synth, workers=workers,
                    full_year_baht=pricing[0], pricing_basis=pricing[1])
    try:
        decision = promote(models_dir / DETECTOR_NAME, version, plan, force=force)
    except (ConfigError, ModelLoadError, OSError) as exc:
        return _fail(str(exc))
    if as_json:
        print(json.dumps(decision.to_dict(), indent=2))
    elif decision.comparison is None:
        print(f"promoted {decision.candidate}: no detector was in production to compare with")
    else:
        print(comparison_markdown(decision.comparison))
        if decision.forced:
            print(f"promoted {decision.candidate} although it regresses (--force)")
        elif decision.promoted:
            print(f"promoted {decision.candidate}: scans now use it instead of "
                  f"{decision.baseline}")
        else:
            print(f"not promoted: {decision.baseline} stays in production")
    if plot is not None and decision.comparison is not None:
        from training.compare_plots import write_comparison_plot

        print(f"plot: {write_comparison_plot(decision.comparison, plot)}", file=sys.stderr)
    return 0 if decision.promoted else EXIT_REGRESSES


def _in_production(detector_root: Path) -> str | None:
    pointer = detector_root / PRODUCTION_FILE
    return pointer.read_text().strip() if pointer.is_file() else None


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2
