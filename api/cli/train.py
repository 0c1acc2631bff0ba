"""``signtax train``: build the dataset, train (resumable), evaluate, package a model version.

``training`` is imported lazily here: the rest of ``api`` never depends on it.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
from pathlib import Path

from api.cli.promote import COMPARE_SCENES, promote_detector
from api.paths import DETECTOR_NAME, project_root


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "train", help="train the sign detector and write models/sign-detector/<version>/",
        description="Builds the dataset from the real labelled photos (seeded split), trains "
                    "with ultralytics (resuming an interrupted run in the same --run-dir), "
                    "evaluates on the held-out split and writes the model folder with its card.")
    p.add_argument("--version", required=True, help="model version folder name, e.g. v1")
    p.add_argument("--data-root", type=Path, default=project_root().parent / "shared/data/real",
                   help="folder holding facades-spb/ and signboards-vn/ (default ../shared/data/real)")
    p.add_argument("--work-dir", type=Path, default=project_root() / "var",
                   help="datasets and training runs go here (default ./var)")
    p.add_argument("--models-dir", type=Path, default=project_root() / "models",
                   help="where model folders are written (default ./models)")
    p.add_argument("--limit-images", type=int, default=None,
                   help="use only the first N images (smoke tests)")
    p.add_argument("--synth", type=int, default=0, metavar="N",
                   help="add N synthetic Thai street scenes and train a pose model that also "
                        "predicts the 4 corners (default 0: box-only model on the real photos)")
    p.add_argument("--synth-size", default="1280x960", help="synthetic image size WxH")
    p.add_argument("--synth-first", type=int, default=0, metavar="K",
                   help="render scenes K .. K+N-1 of the seed's range (default 0); a model "
                        "trained on from an earlier one (--init-from) sees new scenes")
    p.add_argument("--photo-pictures", type=float, default=0.0, metavar="P",
                   help="with --synth: the chance (0..1) that a rendered poster's, billboard's "
                        "or banner's picture is a crop of a real photo from the training half "
                        "of the split, not a procedural one (default 0)")
    p.add_argument("--along-street", type=float, default=0.0, metavar="P",
                   help="with --synth: the chance (0..1) that a rendered scene looks along the "
                        "street (camera turned 55-82 degrees from the facade) with both sides' "
                        "shophouses and denser projecting signs (default 0)")
    p.add_argument("--window-campaigns", type=float, default=0.0, metavar="P",
                   help="with --synth: the chance (0..1) that a rendered shop unit has the same "
                        "poster in every pane of its windows; every window ad is then seen "
                        "through its glass (default 0)")
    p.add_argument("--init-from", type=Path, default=None, metavar="WEIGHTS",
                   help="start from these weights (e.g. models/sign-detector/v1/weights.pt): "
                        "matching layers are copied, a new head starts fresh")
    p.add_argument("--dataset", type=Path, default=None, metavar="DATA_YAML",
                   help="train on this already built dataset (e.g. one written by --pack on "
                        "another machine) instead of building one; pose if it has kpt_shape")
    p.add_argument("--baseline", action="store_true",
                   help="with --dataset: the plain baseline, a box-only model from scratch on "
                        "the real photos of that dataset (same images and split)")
    p.add_argument("--pack", type=Path, default=None, metavar="DIR",
                   help="build the dataset, write a self-contained copy with smaller images to "
                        "DIR (to train on a GPU machine with --dataset) and stop")
    p.add_argument("--pack-max-side", type=int, default=640, metavar="PX",
                   help="long side of packed images (default 640)")
    p.add_argument("--pack-quality", type=int, default=80, metavar="Q",
                   help="WebP quality of packed images, 1-100 (default 80)")
    p.add_argument("--real-repeat", type=int, default=1, metavar="N",
                   help="list each real training photo N times (weighs the photos the detector "
                        "is measured on more; validation unchanged; default 1)")
    p.add_argument("--rare-class-repeat", type=float, default=0.0, metavar="T",
                   help="repeat factor sampling over the real training photos: a photo showing "
                        "a class that fewer than the share T of them show is listed "
                        "sqrt(T / share) times as often (0..1; default 0: off)")
    p.add_argument("--model", default=None, metavar="YAML",
                   help="ultralytics model description (default yolo11n-pose.yaml for pose, "
                        "yolo11n.yaml for boxes)")
    p.add_argument("--workers", type=int, default=min(8, os.cpu_count() or 1),
                   help="processes for rendering and data loading (default: CPU cores, max 8)")
    p.add_argument("--imgsz", type=int, default=480)
    p.add_argument("--hours", type=float, default=1.9,
                   help="training time budget in hours (0: no time limit, use --epochs)")
    p.add_argument("--epochs", type=int, default=300, help="upper bound on epochs")
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--device", default="cpu", help="cpu, or a CUDA index such as 0")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--val-fraction", type=float, default=0.15)
    p.add_argument("--fresh", action="store_true", help="ignore a checkpoint and start over")
    p.add_argument("--promote", action="store_true",
                   help="then promote it as signtax promote does: only if it does not regress "
                        "against the detector in production (compared on the held-out photos "
                        f"of --data-root and {COMPARE_SCENES} fresh synthetic scenes)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from datasets.build import REAL_STEM_PREFIX, build_real_dataset
    from datasets.errors import DatasetError
    from datasets.pack import repeated_view
    from training.errors import TrainingError
    from training.evaluate import evaluate_detector
    from training.package import package_model
    from training.train import TrainConfig, config_dict, train

    command = "signtax train " + " ".join(shlex.quote(a) for a in sys.argv[2:])
    if args.pack is not None:
        return _pack(args)
    run_dir = args.work_dir / "runs" / f"{DETECTOR_NAME}-{args.version}"
    target = args.models_dir / DETECTOR_NAME / args.version
    if target.exists():
        print(f"error: {target} already exists; model versions are immutable, pick a new "
              "--version", file=sys.stderr)
        return 2
    if not 0.0 <= args.rare_class_repeat <= 1.0:
        print(f"error: --rare-class-repeat must be within 0..1, got {args.rare_class_repeat}",
              file=sys.stderr)
        return 2
    if args.baseline and args.dataset is None:
        print("error: --baseline needs --dataset", file=sys.stderr)
        return 2
    try:
        if args.dataset is not None:
            built, task = _given_dataset(args)
            model_yaml = "yolo11n-pose.yaml" if task == "pose" else "yolo11n.yaml"
        elif args.synth:
            built, task = _build_mixed(args), "pose"
            model_yaml = "yolo11n-pose.yaml"
        else:
            task = "detect"
            built = build_real_dataset(args.data_root,
                                       args.work_dir / "datasets" / f"real-seed{args.seed}",
                                       seed=args.seed, val_fraction=args.val_fraction,
                                       limit=args.limit_images)
            model_yaml = "yolo11n.yaml"
        model_yaml = args.model or model_yaml
        print(f"dataset: {json.dumps(built.counts)}", file=sys.stderr)
        train_yaml = repeated_view(built.data_yaml, stem_prefix=REAL_STEM_PREFIX,
                                   repeat=args.real_repeat,
                                   rare_threshold=args.rare_class_repeat)
        config = TrainConfig(data_yaml=train_yaml, run_dir=run_dir, imgsz=args.imgsz,
                             model_yaml=model_yaml, init_weights=args.init_from,
                             epochs=args.epochs, time_hours=args.hours or None, batch=args.batch,
                             device=args.device, seed=args.seed, workers=args.workers)
        best = train(config, resume=not args.fresh)
        epochs_run, train_seconds = _run_progress(run_dir)
        metrics = evaluate_detector(best, built.data_yaml, imgsz=args.imgsz)
        rendered_here = args.dataset is None and args.synth > 0
        info = config_dict(config) | {
            "seed": args.seed, "val_fraction": args.val_fraction, "wall_hours": round(train_seconds / 3600, 2),
            "task": task, "synth_samples": args.synth, "real_repeat": args.real_repeat,
            "rare_class_repeat": args.rare_class_repeat,
            # Scene options tell how scenes were rendered here; a given dataset's were not.
            "photo_pictures": args.photo_pictures if rendered_here else 0.0,
            "along_street": args.along_street if rendered_here else 0.0,
            "window_campaigns": args.window_campaigns if rendered_here else 0.0,
            "epochs_run": epochs_run, "hardware": _hardware(args.device)}
        target = package_model(
            models_root=args.models_dir, name=DETECTOR_NAME, version=args.version,
            weights=best, metrics=metrics, train_info=info, dataset_counts=built.counts,
            command=command)
    except (TrainingError, DatasetError, OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {target}: mAP50 {metrics.map50:.3f}, recall {metrics.recall:.3f}")
    if not args.promote:
        return 0
    return promote_detector(args.models_dir, args.version, data_root=args.data_root,
                            synth=COMPARE_SCENES, workers=args.workers, current_ok=True)


def _build_mixed(args: argparse.Namespace):
    from tqdm import tqdm

    from datasets.mixed import build_pose_dataset, ensure_synth_samples
    from datasets.real import training_photos
    from datasets.synth import SynthConfig

    try:
        w, h = (int(v) for v in args.synth_size.lower().split("x"))
    except ValueError as exc:
        raise ValueError(f"--synth-size must look like 1280x960, got {args.synth_size!r}") from exc
    if args.synth_first < 0:
        raise ValueError(f"--synth-first must be >= 0, got {args.synth_first}")
    for flag, value in (("--photo-pictures", args.photo_pictures),
                        ("--along-street", args.along_street),
                        ("--window-campaigns", args.window_campaigns)):
        if not 0.0 <= value <= 1.0:
            raise ValueError(f"{flag} must be in [0, 1], got {value}")
    photos = training_photos(args.data_root, seed=args.seed, val_fraction=args.val_fraction) \
        if args.photo_pictures > 0 else ()
    if args.photo_pictures > 0 and not photos:
        raise ValueError(f"--photo-pictures needs real photos under {args.data_root}")
    config = SynthConfig(size_wh=(w, h), picture_photos=photos,
                         photo_picture_probability=args.photo_pictures,
                         along_street_probability=args.along_street,
                         window_campaign_probability=args.window_campaigns)
    scenes = f"n{args.synth}-seed{args.seed}" + (f"-from{args.synth_first}" if args.synth_first else "") \
        + (f"-photos{args.photo_pictures:g}" if photos else "") \
        + (f"-along{args.along_street:g}" if args.along_street else "") \
        + (f"-campaigns{args.window_campaigns:g}" if args.window_campaigns else "")
    synth_dir = args.work_dir / "synth" / f"{w}x{h}-{scenes}"
    with tqdm(total=args.synth, desc="rendering", unit="scene", file=sys.stderr) as bar:
        ensure_synth_samples(synth_dir, n=args.synth,
                             first_seed=args.seed * 1_000_000 + args.synth_first,
                             config=config, progress=bar.update, workers=args.workers)
    return build_pose_dataset(args.data_root, synth_dir,
                              args.work_dir / "datasets" / f"mixed-{scenes}",
                              seed=args.seed, val_fraction=args.val_fraction)


def _given_dataset(args: argparse.Namespace):
    from datasets.build import REAL_STEM_PREFIX, BuiltDataset
    from datasets.pack import detect_view, read_data_yaml
    from datasets.real import CLASS_NAMES as REAL_CLASS_NAMES

    spec = read_data_yaml(args.dataset)
    manifest = args.dataset.parent / "manifest.json"
    counts = json.loads(manifest.read_text()).get("counts", {}) if manifest.is_file() else {}
    if args.baseline:
        view = args.work_dir / "datasets" / f"{args.dataset.parent.name}-baseline"
        data_yaml = detect_view(args.dataset, view, stem_prefix=REAL_STEM_PREFIX,
                                class_names=[c.value for c in REAL_CLASS_NAMES])
        real_counts = {split: c.get("real", c) for split, c in counts.items()}
        return BuiltDataset(view, data_yaml, real_counts), "detect"
    return BuiltDataset(args.dataset.parent, args.dataset, counts), \
        "pose" if "kpt_shape" in spec else "detect"


def _pack(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from datasets.errors import DatasetError
    from datasets.pack import pack_dataset

    if not args.synth:
        print("error: --pack packs the mixed pose dataset: give --synth N", file=sys.stderr)
        return 2
    try:
        built = _build_mixed(args)
        total = sum(c.get("images", 0) for split in built.counts.values() for c in split.values())
        with tqdm(total=total, desc="packing", unit="img", file=sys.stderr) as bar:
            packed = pack_dataset(built.data_yaml, args.pack, max_side_px=args.pack_max_side,
                                  quality=args.pack_quality, progress=bar.update)
    except (DatasetError, OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"packed {packed.images} images ({packed.image_bytes / 2**20:.1f} MiB) into "
          f"{packed.data_yaml}; train there with: signtax train --version VERSION "
          f"--dataset {packed.data_yaml} --device 0")
    return 0


def _run_progress(run_dir: Path) -> tuple[int, float]:
    """Epochs run and training seconds, from ultralytics' results.csv (survives resumes)."""
    import csv

    results = run_dir / "results.csv"
    if not results.is_file():
        return 0, 0.0
    rows = list(csv.DictReader(results.read_text().splitlines()))
    if not rows:
        return 0, 0.0
    return len(rows), float(rows[-1].get("time") or 0.0)


def _hardware(device: str) -> str:
    import platform

    if device == "cpu":
        return f"CPU, {os.cpu_count()} cores ({platform.machine()})"
    import torch

    if torch.cuda.is_available():
        return f"{torch.cuda.get_device_name(int(device))} (CUDA), {os.cpu_count()} CPU cores"
    return f"CUDA device {device}"
