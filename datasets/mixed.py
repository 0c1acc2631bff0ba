"""The detector's mixed dataset: synthetic Thai scenes (boxes + 4 corners) and real photos (boxes).

Synthetic samples are rendered once into ``synth_dir`` and reused while the seeds and config
match (the manifest is written last, so an interrupted render is redone, never half-used).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from datasets.build import BuiltDataset
from datasets.synth import SynthConfig
from datasets.synth.export import (
    DEFAULT_CLASS_MAP,
    add_real_to_pose,
    write_pose_dataset,
    write_samples,
)

# Class order of pose models; the first three match the real data's classes.
POSE_CLASS_NAMES: tuple[str, ...] = (
    "signboard", "projecting_sign", "window_ad", "led_display", "government_sign")


def ensure_synth_samples(synth_dir: Path, *, n: int, first_seed: int, config: SynthConfig,
                         progress: Callable[[int], None] | None = None, workers: int = 1) -> Path:
    """Render seeds ``first_seed .. first_seed+n-1`` unless a finished identical set exists."""
    manifest = synth_dir / "manifest.json"
    if manifest.is_file():
        m = json.loads(manifest.read_text())
        # Compare through JSON: the manifest holds lists where the config has tuples.
        wanted = json.loads(json.dumps(config.to_json()))
        if (m.get("config") == wanted and m["seeds"]["first"] == first_seed
                and m["seeds"]["count"] == n):
            return synth_dir
    write_samples(synth_dir, range(first_seed, first_seed + n), config, progress=progress,
                  workers=workers)
    return synth_dir


def build_pose_dataset(data_root: Path, synth_dir: Path, out_dir: Path, *, seed: int,
                       val_fraction: float, synth_val_fraction: float = 0.1) -> BuiltDataset:
    """Pose dataset (kpt_shape [4, 3]) with both sources; each keeps its own seeded split."""
    synth_counts = write_pose_dataset(synth_dir, out_dir, class_map=DEFAULT_CLASS_MAP,
                                      class_names=POSE_CLASS_NAMES,
                                      val_fraction=synth_val_fraction, split_seed=seed)
    real_counts = add_real_to_pose(data_root, out_dir, class_names=POSE_CLASS_NAMES,
                                   val_fraction=val_fraction, split_seed=seed)
    counts = {split: {"synthetic": synth_counts.get(split, {}), "real": real_counts.get(split, {})}
              for split in ("train", "val")}
    (out_dir / "manifest.json").write_text(json.dumps({"seed": seed, "counts": counts}, indent=1))
    return BuiltDataset(out_dir, out_dir / "data.yaml", counts)
