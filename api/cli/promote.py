"""``signtax promote VERSION [--content]``: make a detector version (or a content network
version) the one scans use, only when it does not regress against the one in production
(``training.promote``)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from api.cli.evaluate import evaluation_pricing
from api.paths import CONTENT_MODEL_NAME, DETECTOR_NAME, project_root
from api.settings import PRODUCTION_FILE

EXIT_REGRESSES = 3  # not promoted: the candidate regresses (0: promoted, 2: bad request)
COMPARE_SCENES = 150  # fresh synthetic scenes a detector promotion compares on by default
# Held-out rendered crops a content promotion compares on by default: the README's evaluation.
COMPARE_CROPS = 300


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("promote", help="point models/sign-detector/PRODUCTION (or, with "
                                       "--content, models/content-classifier/PRODUCTION) at a "
                                       "version if it does not regress against the current one")
    p.add_argument("version", help="the version folder, e.g. v6avg (a detector) or c9 (with "
                                   "--content)")
    p.add_argument("--content", action="store_true",
                   help="promote a content network (or ensemble) instead of a detector; it "
                        "needs its calibration.json (signtax eval fusion --write-calibration)")
    p.add_argument("--models-dir", type=Path, default=project_root() / "models",
                   help="where model folders live (default: the repository's models/)")
    p.add_argument("--data-root", type=Path, default=project_root().parent / "shared/data/real",
                   help="the real labelled photos (their held-out split is used)")
    p.add_argument("--no-real", action="store_true", help="compare on synthetic data only")
    p.add_argument("--synth", type=int, default=None, metavar="N",
                   help=f"fresh synthetic scenes (default {COMPARE_SCENES}), or with --content "
                        f"held-out rendered sign crops (default {COMPARE_CROPS}), to compare "
                        "on; 0 skips")
    p.add_argument("--workers", type=int, default=min(8, os.cpu_count() or 1),
                   help="processes rendering the synthetic scenes")
    p.add_argument("--reads-cache", type=Path,
                   default=project_root() / "var" / "content-reads.pkl", metavar="FILE",
                   help="with --content: the OCR's readings of the crops, kept and reused so "
                        "the OCR reads each crop once for both networks (default "
                        "var/content-reads.pkl, shared with signtax eval content)")
    p.add_argument("--force", action="store_true",
                   help="promote even if it regresses (logged as forced)")
    p.add_argument("--json", action="store_true", help="print the decision as JSON")
    p.add_argument("--plot", type=Path, default=None, metavar="FILE.png",
                   help="also draw the comparison (differences and their intervals)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.plot is not None and args.plot.suffix.lower() != ".png":
        return _fail(f"--plot must name a .png file, got {args.plot}")
    synth = (COMPARE_CROPS if args.content else COMPARE_SCENES) if args.synth is None \
        else args.synth
    if synth < 0:
        return _fail(f"--synth must be >= 0, got {synth}")
    data_root = None if args.no_real else args.data_root
    if args.content:
        return promote_content_network(args.models_dir, args.version, data_root=data_root,
                                       synth=synth, workers=args.workers,
                                       reads_cache=args.reads_cache, force=args.force,
                                       as_json=args.json, plot=args.plot)
    return promote_detector(args.models_dir, args.version, data_root=data_root,
                            synth=synth, workers=args.workers, force=args.force,
                            as_json=args.json, plot=args.plot)


def promote_detector(models_dir: Path, version: str, *, data_root: Path | None, synth: int,
                     workers: int, force: bool = False, as_json: bool = False,
                     plot: Path | None = None, current_ok: bool = False) -> int:
    """The gate every detector promotion goes through (``signtax promote``, and ``--promote`` of
    ``train`` and ``average``): compare with production, print the decision, return the exit
    status (0 promoted, 3 regresses, 2 bad request). ``current_ok``: a version already in
    production is no error (``train`` packaging a finished run again)."""
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
    return _reported(decision, "detector", as_json, plot)


def promote_content_network(models_dir: Path, version: str, *, data_root: Path | None,
                            synth: int, workers: int, reads_cache: Path | None,
                            force: bool = False, as_json: bool = False,
                            plot: Path | None = None) -> int:
    """The gate every content network promotion goes through (``signtax promote --content``,
    and ``train-content --promote``); the exit status as for :func:`promote_detector`."""
    from api.pricing import sign_type_of
    from training.errors import ConfigError
    from training.eval_content import ContentPlan
    from training.promote import promote_content
    from vision.errors import ModelLoadError

    if data_root is not None and not data_root.is_dir():
        return _fail(f"no data at {data_root}")
    if reads_cache is not None:
        reads_cache.parent.mkdir(parents=True, exist_ok=True)
    plan = ContentPlan(sign_type_of, synth, data_root, workers=max(1, workers),
                       reads_cache=reads_cache)
    try:
        decision = promote_content(models_dir / CONTENT_MODEL_NAME, version, plan, force=force)
    except (ConfigError, ModelLoadError, OSError) as exc:
        return _fail(str(exc))
    return _reported(decision, "content network", as_json, plot)


def _reported(decision, kind: str, as_json: bool, plot: Path | None) -> int:
    """Print a decision (a ``training.promote.Promotion``: untyped here, as ``api`` imports
    ``training`` only inside commands); its exit status."""
    from training.paired import comparison_markdown

    if as_json:
        print(json.dumps(decision.to_dict(), indent=2))
    elif decision.comparison is None:
        print(f"promoted {decision.candidate}: no {kind} was in production to compare with")
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
