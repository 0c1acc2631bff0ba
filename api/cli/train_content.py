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
from vision.content.classifier import ARCHS, DEFAULT_ARCH


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
                        "(default ../shared/data/real); or a crops file (.npz) written by "
                        "--write-real-crops")
    p.add_argument("--write-real-crops", type=Path, default=None, metavar="FILE",
                   help="only write the real crops of --data-root to FILE (.npz, JPEG-packed, "
                        "about 20 MB) and stop: for a machine that has no photos")
    p.add_argument("--arch", choices=ARCHS, default=DEFAULT_ARCH,
                   help=f"network (default {DEFAULT_ARCH}; facts-m is about 20x the compute: "
                        "train it with --device cuda)")
    p.add_argument("--device", default="cpu",
                   help="cpu (default), cuda or cuda:N; on a GPU the crops sit in its memory")
    p.add_argument("--render-minutes", type=float, default=None, metavar="M",
                   help="stop starting new scene chunks after M minutes and train on what is "
                        "rendered (up to --scenes)")
    p.add_argument("--train-minutes", type=float, default=None, metavar="M",
                   help="end training after M minutes, the learning rate annealed to fit "
                        "(up to --epochs)")
    p.add_argument("--number-lines", type=float, default=0.0, metavar="P",
                   help="chance that a rendered shop face gets one more row of bare digits "
                        "(phone, price, hours; no script, so its type is unchanged), to teach "
                        "the network that digits are not Latin (default 0: scenes as the "
                        "evaluation renders them)")
    p.add_argument("--no-real", action="store_true",
                   help="train on rendered crops only")
    p.add_argument("--promote", action="store_true",
                   help="then fit its confidence calibration (as signtax eval fusion "
                        "--write-calibration does) and promote it as signtax promote --content "
                        "does: only if it does not regress against the content network in "
                        "production (needs --data-root to be the photos folder)")
    p.set_defaults(run=run)


def _fail(message: str) -> int:
    print(f"signtax train-content: error: {message}", file=sys.stderr)
    return 2


def _positive_minutes(value: float | None) -> bool:
    return value is None or value > 0


def run(args: argparse.Namespace) -> int:
    from training.content_data import (
        CHUNK_SCENES,
        SYNTH_CONTENT_TRAIN_FIRST_SEED,
        build_content_set,
        empty_content_set,
        load_crops,
        save_crops,
        with_real_negatives,
    )
    from training.train_content import ContentTrainConfig, train_content
    from vision.content.classifier import WEIGHTS_NAME

    if args.write_real_crops is not None:
        if not args.data_root.is_dir():
            return _fail(f"no real photos at {args.data_root}")
        real = with_real_negatives(empty_content_set(), args.data_root)
        save_crops(real, args.write_real_crops)
        print(f"wrote {len(real.images)} real crops to {args.write_real_crops}")
        return 0
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
    if not 0 <= args.number_lines <= 1:
        return _fail(f"--number-lines must be in [0, 1], got {args.number_lines:g}")
    if not (_positive_minutes(args.render_minutes) and _positive_minutes(args.train_minutes)):
        return _fail("--render-minutes and --train-minutes must be > 0")
    try:
        config = ContentTrainConfig(
            epochs=args.epochs, batch=args.batch, lr=args.lr, arch=args.arch, device=args.device,
            time_budget_s=None if args.train_minutes is None else args.train_minutes * 60)
    except ValueError as exc:
        return _fail(f"bad --epochs/--batch/--lr/--device: {exc}")
    if args.device != "cpu" and not _cuda_available():
        return _fail(f"--device {args.device}: torch sees no CUDA GPU here")
    real_file = args.data_root.suffix == ".npz"
    if not args.no_real and not (args.data_root.is_dir() or
                                 (real_file and args.data_root.is_file())):
        return _fail(f"no real photos at {args.data_root} (pass --no-real to train without)")
    if args.promote and not args.data_root.is_dir():
        return _fail(f"--promote calibrates and compares on the real photos: --data-root must be "
                     f"their folder, got {args.data_root}")
    models = args.models_dir / CONTENT_MODEL_NAME
    if (models / args.version).exists():
        return _fail(f"{models / args.version} exists: versions are immutable, pick a new name")
    try:
        data = build_content_set(
            args.work_dir / "crops", args.scenes, size_wh=size_wh,
            first_seed=SYNTH_CONTENT_TRAIN_FIRST_SEED + args.first_scene,
            workers=max(1, args.workers),
            render_budget_s=None if args.render_minutes is None else args.render_minutes * 60,
            number_lines=args.number_lines)
        n_scenes = args.scenes
        if args.render_minutes and len(data.scene_seeds):  # whole chunks: a prefix
            last = int(data.scene_seeds.max()) - SYNTH_CONTENT_TRAIN_FIRST_SEED - args.first_scene
            n_scenes = min(args.scenes, (last // CHUNK_SCENES + 1) * CHUNK_SCENES)
        if not args.no_real:
            data = data.concat(load_crops(args.data_root)) if real_file else \
                with_real_negatives(data, args.data_root)
    except ValueError as exc:
        return _fail(str(exc))
    print(f"{len(data.labels)} crops ({int((data.scene_seeds < 0).sum())} real) from "
          f"{n_scenes} scenes", file=sys.stderr)
    command = (f"signtax train-content --version {args.version} --scenes {args.scenes} "
               f"--epochs {args.epochs} --batch {args.batch}"
               + (f" --first-scene {args.first_scene}" if args.first_scene else "")
               + (f" --init-from {args.init_from}" if args.init_from else "")
               + (f" --lr {args.lr:g}" if args.lr != ContentTrainConfig().lr else "")
               + (f" --arch {args.arch}" if args.arch != DEFAULT_ARCH else "")
               + (f" --device {args.device}" if args.device != "cpu" else "")
               + (f" --render-minutes {args.render_minutes:g}" if args.render_minutes else "")
               + (f" --train-minutes {args.train_minutes:g}" if args.train_minutes else "")
               + (f" --number-lines {args.number_lines:g}" if args.number_lines else "")
               + (" --no-real" if args.no_real else ""))
    target = train_content(data, args.work_dir / f"run-{args.version}", models, args.version,
                           config, n_scenes=n_scenes, command=command,
                           init_from=args.init_from)
    print(f"wrote {target}")
    return _promoted(target, args) if args.promote else 0


def _promoted(target: Path, args: argparse.Namespace) -> int:
    """Calibrate the new network, then put it through the promotion gate (exit status 0
    promoted, 3 not promoted)."""
    from api.cli.evaluate import TUNING_CROPS
    from api.cli.promote import COMPARE_CROPS, promote_content_network
    from api.pricing import sign_type_of
    from training.tune_fusion import calibrate

    try:
        fitted = calibrate(target, sign_type_of, data_root=args.data_root,
                           n_synth=TUNING_CROPS, workers=max(1, args.workers),
                           reads_cache=args.work_dir / "fusion-reads.pkl")
    except ValueError as exc:
        return _fail(f"cannot fit a calibration for {target.name}: {exc}")
    print(f"calibration written (expected calibration error {fitted.ece_before:.3f} raw, "
          f"{fitted.ece_after:.3f} calibrated)")
    return promote_content_network(args.models_dir, args.version, data_root=args.data_root,
                                   synth=COMPARE_CROPS, workers=args.workers,
                                   reads_cache=args.work_dir / "content-reads.pkl")


def _cuda_available() -> bool:
    import torch

    return torch.cuda.is_available()
