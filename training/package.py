"""Write ``models/<name>/<version>/`` (weights, metrics, model card) and the PRODUCTION pointer."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from training.errors import ConfigError
from training.evaluate import DetectMetrics
from vision.detector import PRODUCTION_FILE, WEIGHTS_FILE


def _table(metrics: DetectMetrics) -> str:
    rows = ["| class | images | instances | precision | recall | mAP50 | mAP50-95 |",
            "|---|---|---|---|---|---|---|"]
    for c in metrics.per_class:
        rows.append(f"| {c.name} | {c.images} | {c.instances} | {c.precision:.3f} | "
                    f"{c.recall:.3f} | {c.map50:.3f} | {c.map50_95:.3f} |")
    rows.append(f"| **all** | | | {metrics.precision:.3f} | {metrics.recall:.3f} | "
                f"{metrics.map50:.3f} | {metrics.map50_95:.3f} |")
    return "\n".join(rows)


def _classes_text(metrics: DetectMetrics, train_info: dict) -> str:
    names = ", ".join(f"`{c.name}`" for c in metrics.per_class)
    if train_info.get("task") == "pose":
        return (f"{names}. A pose model: each sign also gets 4 corner keypoints (clockwise from "
                "top-left); the pipeline refines them at full resolution.")
    return (f"{names}. Boxes only: the pipeline finds the 4 corners from the box at full "
            "resolution.")


def _synthetic_images(train_info: dict, dataset_counts: dict) -> int:
    """Synthetic scenes in the dataset: the counts know, also for a packed ``--dataset``."""
    from_counts = sum(part.get("synthetic", {}).get("images", 0)
                      for part in dataset_counts.values() if isinstance(part, dict))
    return from_counts or int(train_info.get("synth_samples") or 0)


def _synth_text(n_synth: int, train_info: dict) -> str:
    if not n_synth:
        return "No Thai photos and no synthetic data in this model."
    options = []
    if train_info.get("photo_pictures"):
        options.append(f"pictures cut from the real training photos with chance "
                       f"{train_info['photo_pictures']:g} (`--photo-pictures`)")
    if train_info.get("along_street"):
        options.append(f"views along the street with both sides' shophouses with chance "
                       f"{train_info['along_street']:g} (`--along-street`)")
    if train_info.get("window_campaigns"):
        options.append(f"shop window campaigns (one poster in every pane, seen through the "
                       f"glass) with chance {train_info['window_campaigns']:g} "
                       "(`--window-campaigns`)")
    return (f"Plus {n_synth} synthetic Thai street scenes from `datasets.synth` (`signtax synth`), "
            "with exact boxes and corners; real photos contribute boxes only (keypoints v=0)."
            + (f" Scenes drawn with {'; '.join(options)}." if options else ""))


def _limits_text(n_synth: int) -> str:
    if not n_synth:
        return ("- Trained on European and Vietnamese streets only; expect lower recall on Thai "
                "streets,\n  vertical banners, LED screens and cut-letter signs until the "
                "synthetic-data detector lands.")
    return ("- No real Thai photo was in training or validation: Thai appearance comes from the "
            "synthetic\n  scenes only. Check recall on real Thai streets before trusting it "
            "there.\n- `led_display` and `government_sign` are learnt from synthetic scenes only.")


def _dataset_table(counts: dict) -> str:
    """Counts are {split: {"images", "boxes"}} (real only) or {split: {source: {class: n, "images"}}}."""
    rows = ["| split | source | images | boxes |", "|---|---|---|---|"]
    for split in ("train", "val"):
        part = counts[split]
        sources = {"real": part} if "images" in part else part
        for source, c in sources.items():
            boxes = c.get("boxes", {k: v for k, v in c.items() if k != "images"})
            rows.append(f"| {split} | {source} | {c.get('images', 0)} | "
                        f"{', '.join(f'{k} {v}' for k, v in sorted(boxes.items()))} |")
    return "\n".join(rows)


def _origin_text(train_info: dict) -> str:
    start = train_info.get("init_weights")
    if start:
        return (f"trained by this project starting from `{start}`, an earlier model of its own "
                "(no pretrained weights exist on the build machines).")
    return "trained from scratch by this project (no pretrained weights exist on the build machines)."


def _weighting_text(train_info: dict) -> str:
    repeat = int(train_info.get("real_repeat") or 1)
    rare = float(train_info.get("rare_class_repeat") or 0.0)
    text = "" if repeat == 1 else (
        f" Each real training photo was listed {repeat} times per epoch "
        "(`--real-repeat`), so the photos the detector is measured on weigh more; the "
        "validation split is unchanged.")
    if rare:
        text += (f" Real photos showing a class that fewer than {rare:g} of them show were "
                 f"listed sqrt({rare:g} / share) times as often again "
                 "(`--rare-class-repeat`, repeat factor sampling).")
    return text


def model_card(*, name: str, version: str, metrics: DetectMetrics, train_info: dict,
               dataset_counts: dict, command: str) -> str:
    n_synth = _synthetic_images(train_info, dataset_counts)
    return f"""# {name} {version}

Sign detector for SignTax (AGPL-3.0-or-later). Ultralytics YOLO, {_origin_text(train_info)}

## Classes
{_classes_text(metrics, train_info)}

## Data
Real labelled street photos in `../shared/data/real/` (not copied into the repository):
`facades-spb` (St Petersburg facades, CC0; classes cantilever→projecting_sign,
signboard→signboard, win_ad→window_ad; windows/arches/doors dropped) and `signboards-vn`
(Vietnamese shop signs, MIT).
{_synth_text(n_synth, train_info)}

Split of the real photos: per image, seeded hash (seed {train_info.get('seed')}, validation fraction
{train_info.get('val_fraction')}), stable when images are added.

{_dataset_table(dataset_counts)}

## Training
Command: `{command}`

Architecture `{train_info.get('model_yaml')}`, image size {train_info.get('imgsz')},
epochs run {train_info.get('epochs_run')}, wall time {train_info.get('wall_hours')} h on
{train_info.get('hardware')}.{_weighting_text(train_info)}

## Metrics (held-out validation split, imgsz {metrics.imgsz})
mAP at conf 0.001; precision and recall at the best-F1 threshold.

{_table(metrics)}

## Limits
{_limits_text(n_synth)}
- Small distant signs are partly unlabelled in the source data, so precision is understated.

Written {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}.
"""


def package_model(*, models_root: Path, name: str, version: str, weights: Path,
                  metrics: DetectMetrics, train_info: dict, dataset_counts: dict,
                  command: str) -> Path:
    """Write the version folder atomically (temp dir + rename)."""
    def fill(tmp: Path) -> None:
        shutil.copy2(weights, tmp / WEIGHTS_FILE)
        (tmp / "metrics.json").write_text(json.dumps(
            {"val": metrics.to_dict(), "train": train_info, "dataset": dataset_counts}, indent=2))
        (tmp / "model_card.md").write_text(model_card(
            name=name, version=version, metrics=metrics, train_info=train_info,
            dataset_counts=dataset_counts, command=command))

    return write_version(models_root, name, version, fill)


def write_version(models_root: Path, name: str, version: str,
                  fill: Callable[[Path], None]) -> Path:
    """Create ``models_root/name/version`` (which must not exist yet: versions are immutable)
    atomically: ``fill`` writes the files into a temporary folder beside it, which is renamed
    into place, or removed if ``fill`` fails. Promotion is a separate, gated step
    (:mod:`training.promote`)."""
    if not version or "/" in version or version.startswith("."):
        raise ConfigError(f"version must be a plain folder name, got {version!r}")
    target = models_root / name / version
    if target.exists():
        raise ConfigError(f"{target} already exists; model versions are immutable, pick a new one")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{version}-", dir=target.parent))
    try:
        fill(tmp)
        os.replace(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target


def point_production(target: Path) -> None:
    """Make the version folder ``target`` the one scans use (atomic rename of the pointer)."""
    pointer = target.parent / PRODUCTION_FILE
    pointer_tmp = pointer.with_suffix(".tmp")
    pointer_tmp.write_text(target.name + "\n")
    os.replace(pointer_tmp, pointer)
