"""``signtax train-content``: render sign crops, train the content network, write
``models/content-classifier/<version>/``.

``training`` is imported lazily here: the rest of ``api`` never depends on it.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from api.cli.sizes import parse_size_wh
from api.paths import CONTENT_MODEL_NAME, project_root


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "train-content",
        help="train the content network (scripts, Thai below foreign, pictures) on rendered "
             "sign crops and write models/content-classifier/<version>/",
        description="Renders street scenes (seeds from 700,000,000; resumable), cuts their "
                    "signs the way a scan does, adds the real no-Thai signs of the training "
                    "half of the real photos, trains the network (resumable) and writes the "
                    "model folder with its card and metrics.")
    p.add_argument("--version", required=True, help="model version folder name, e.g. c1")
    p.add_argument("--scenes", type=int, default=3200,
                   help="rendered scenes (about 7 crops each; default 3200)")
    p.add_argument("--first-scene", type=int, default=0, metavar="K",
                   help="render scenes K .. K+N-1 of the training range (default 0); with "
                        "--init-from, new scenes for a network trained on from another")
    p.add_argument("--init-from", type=Path, default=None, metavar="DIR",
                   help="start from this content model's weights (e.g. "
                        "models/content-classifier/c3) instead of random ones")
    p.add_argument("--lr", type=float, default=2e-3,
                   help="peak one-cycle learning rate (default 0.002)")
    p.add_argument("--size", default="1280x960", help="scene size WxH")
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--work-dir", type=Path, default=project_root() / "var" / "content-train",
                   help="rendered crops and the resumable run (default ./var/content-train)")
    p.add_argument("--models-dir", type=Path, default=project_root() / "models",
                   help="where model folders are written (default ./models)")
    p.add_argument("--workers", type=int, default=min(8, os.cpu_count() or 1),
                   help="processes rendering scenes")
    p.add_argument("--data-root", type=Path, default=project_root().parent / "shared/data/real",
                   help="real labelled photos without Thai; the signs of the half not held out "
                        "for `signtax eval content` are added as \"no Thai\" crops "
                        "(default ../shared/data/real)")
    p.add_argument("--no-real", action="store_true",
                   help="train on rendered crops only")
    p.add_argument("--promote", action="store_true",
                   help="point models/content-classifier/PRODUCTION at the new version")
    p.set_defaults(run=run)


def _fail(message: str) -> int:
    print(f"signtax train-content: error: {message}", file=sys.stderr)
    return 2


def run(args: argparse.Namespace) -> int:
    from training.content_data import (
        CHUNK_SCENES,
        SYNTH_CONTENT_TRAIN_FIRST_SEED,
        build_content_set,
        with_real_negatives,
    )
    from training.train_content import ContentTrainConfig, train_content
    from vision.content.classifier import WEIGHTS_NAME

    if args.scenes < CHUNK_SCENES:
        return _fail(f"--scenes must be >= {CHUNK_SCENES}, got {args.scenes}")
    if "/" in args.version or args.version.startswith(".") or not args.version:
        return _fail(f"--version must be a plain folder name, got {args.version!r}")
    size_wh = parse_size_wh(args.size)
    if size_wh is None:
        return _fail(f"bad --size: must look like 1280x960, got {args.size!r}")
    if args.first_scene < 0 or args.first_scene % CHUNK_SCENES:
        return _fail(f"--first-scene must be a multiple of {CHUNK_SCENES} and >= 0, "
                     f"got {args.first_scene}")
    if args.init_from is not None and not (args.init_from / WEIGHTS_NAME).is_file():
        return _fail(f"--init-from: no content model at {args.init_from}")
    try:
        config = ContentTrainConfig(epochs=args.epochs, batch=args.batch, lr=args.lr)
    except ValueError as exc:
        return _fail(f"bad --epochs/--batch/--lr: {exc}")
    if not args.no_real and not args.data_root.is_dir():
        return _fail(f"no real photos at {args.data_root} (pass --no-real to train without)")
    models = args.models_dir / CONTENT_MODEL_NAME
    if (models / args.version).exists():
        return _fail(f"{models / args.version} exists: versions are immutable, pick a new name")
    data = build_content_set(args.work_dir / "crops", args.scenes, size_wh=size_wh,
                             first_seed=SYNTH_CONTENT_TRAIN_FIRST_SEED + args.first_scene,
                             workers=max(1, args.workers))
    if not args.no_real:
        data = with_real_negatives(data, args.data_root)
    print(f"{len(data.labels)} crops ({int((data.scene_seeds < 0).sum())} real) from "
          f"{args.scenes} scenes", file=sys.stderr)
    command = (f"signtax train-content --version {args.version} --scenes {args.scenes} "
               f"--epochs {args.epochs} --batch {args.batch}"
               + (f" --first-scene {args.first_scene}" if args.first_scene else "")
               + (f" --init-from {args.init_from}" if args.init_from else "")
               + (f" --lr {args.lr:g}" if args.lr != ContentTrainConfig().lr else "")
               + (" --no-real" if args.no_real else ""))
    target = train_content(data, args.work_dir / f"run-{args.version}", models, args.version,
                           config, n_scenes=args.scenes, command=command,
                           init_from=args.init_from)
    if args.promote:
        tmp = models / "PRODUCTION.tmp"
        tmp.write_text(args.version + "\n")
        tmp.replace(models / "PRODUCTION")
    print(f"wrote {target}")
    return 0
