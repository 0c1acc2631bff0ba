"""``signtax average``: a detector whose parameters are the weighted mean of detectors of one
training line (``training.average``), written as a new version folder."""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from pathlib import Path

from api.cli.promote import COMPARE_SCENES, promote_detector
from api.paths import DETECTOR_NAME, project_root


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("average", help="average the weights of detectors trained on from one "
                                       "another into a new detector version")
    p.add_argument("members", type=Path, nargs="+", metavar="MODEL_DIR",
                   help="detector folders (e.g. models/sign-detector/v5 models/sign-detector/v6)")
    p.add_argument("--version", required=True, help="new version folder name, e.g. v6avg")
    p.add_argument("--weights", type=float, nargs="+", default=None, metavar="W",
                   help="each member's share, in order (default: equal shares)")
    p.add_argument("--models-dir", type=Path, default=project_root() / "models",
                   help="where model folders live (default: the repository's models/)")
    p.add_argument("--promote", action="store_true",
                   help="then promote it as signtax promote does: only if it does not regress "
                        "against the detector in production")
    p.add_argument("--data-root", type=Path, default=project_root().parent / "shared/data/real",
                   help="with --promote: the real labelled photos compared on (held-out split)")
    p.add_argument("--no-real", action="store_true",
                   help="with --promote: compare on synthetic scenes only")
    p.add_argument("--synth", type=int, default=COMPARE_SCENES, metavar="N",
                   help=f"with --promote: fresh synthetic scenes compared on "
                        f"(default {COMPARE_SCENES})")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from training.average import members_of, write_average
    from training.errors import ConfigError

    # Rebuilt from the arguments (not sys.argv) so the card's command is the same however
    # the CLI was called.
    command = shlex.join(["signtax", "average", *map(str, args.members), "--version",
                          args.version, *(["--weights", *map(str, args.weights)]
                                          if args.weights else [])])
    try:
        members = members_of(args.members, args.weights)
        target = write_average(models_root=args.models_dir, name=DETECTOR_NAME,
                               version=args.version, members=members, command=command)
    except (ConfigError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    shares = ", ".join(f"{m.model_dir.name} {m.weight:.2f}" for m in members)
    print(f"wrote {target} ({shares})")
    if not args.promote:
        return 0
    return promote_detector(args.models_dir, args.version,
                            data_root=None if args.no_real else args.data_root,
                            synth=args.synth, workers=min(8, os.cpu_count() or 1))
