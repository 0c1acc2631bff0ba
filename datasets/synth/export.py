"""Write synthetic samples to disk, and build ultralytics POSE datasets from them and from
the real box-only photos, so both can be mixed in one training run.

Sample folder: ``images/<seed>.jpg``, ``labels/<seed>.json`` (``labels.to_json``) and
``manifest.json`` (config, seed range, counts by kind, fonts), written last.

Pose folder: ``images/{train,val}/`` (symlinks), ``labels/{train,val}/*.txt`` with lines
``cls cx cy w h x1 y1 v1 ... x4 y4 v4`` normalised to the image (ultralytics: x / width with
the image spanning [0, width]; our labels have pixel centres at integers, hence +0.5), and
``data.yaml`` with ``kpt_shape: [4, 3]`` and ``flip_idx: [1, 0, 3, 2]`` (a left-right flip
swaps top-left/top-right and bottom-right/bottom-left).

Keypoint visibility: 2 = in the image and not occluded, 1 = in the image but occluded
(position still exact), 0 = outside the image (coordinates clamped into [0, 1]) or not
labelled. Ultralytics trains keypoint positions on every v > 0, so a corner outside the image
gets v = 0 rather than a clamped position with v = 1 that would teach a wrong location; its
own augmentations mark out-of-frame keypoints the same way.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path

import cv2

from datasets.build import REAL_STEM_PREFIX, link_file
from datasets.errors import DatasetError
from datasets.processes import spawned_pool
from datasets.real import CLASS_NAMES as REAL_CLASS_NAMES
from datasets.real import load_all
from datasets.split import is_validation
from datasets.synth.config import SynthConfig
from datasets.synth.fonts import font_names
from datasets.synth.kinds import SignKind
from datasets.synth.labels import SCHEMA_VERSION, SampleLabel, SignLabel, from_json, to_json
from datasets.synth.render import render_sample

DEFAULT_CLASS_MAP: dict[SignKind, str | None] = {
    SignKind.FASCIA: "signboard", SignKind.CUT_LETTER: "signboard",
    SignKind.VINYL_BANNER: "signboard", SignKind.BILLBOARD: "signboard",
    SignKind.PROJECTING: "projecting_sign", SignKind.VERTICAL_BANNER: "projecting_sign",
    SignKind.WINDOW_STICKER: "window_ad", SignKind.LED_DISPLAY: "led_display",
    SignKind.ROAD_SIGN: "government_sign", SignKind.STREET_NAME: "government_sign",
}
FLIP_IDX = (1, 0, 3, 2)


@dataclass(frozen=True, slots=True)
class WrittenSamples:
    root: Path
    images: int
    counts_by_kind: dict[str, int]


@dataclass(frozen=True, slots=True)
class PoseFilter:
    """Which labelled signs become training targets."""

    min_box_px: float = 4.0  # both sides of the in-image box
    max_occlusion: float = 0.85

    def keep(self, sign: SignLabel) -> bool:
        x1, y1, x2, y2 = sign.box_xyxy
        return x2 - x1 >= self.min_box_px and y2 - y1 >= self.min_box_px \
            and sign.occlusion_fraction <= self.max_occlusion


def _render_encoded(seed: int, config: SynthConfig, jpeg_quality: int) -> tuple[bytes, SampleLabel]:
    image, label = render_sample(seed, config)
    ok, buf = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, jpeg_quality])
    if not ok:
        raise DatasetError(f"JPEG encoding failed for seed {seed}")
    return buf.tobytes(), label


def render_many(seeds: list[int], config: SynthConfig, jpeg_quality: int, workers: int
              ) -> Iterator[tuple[int, bytes, SampleLabel]]:
    """Samples in seed order; with ``workers`` > 1 they render in worker processes (each
    sample depends on its seed alone, so the output is the same)."""
    if workers <= 1:
        for seed in seeds:
            yield seed, *_render_encoded(seed, config, jpeg_quality)
        return
    with spawned_pool(workers) as pool:
        results = pool.map(_render_encoded, seeds, repeat(config), repeat(jpeg_quality),
                           chunksize=4)
        for seed, (jpeg, label) in zip(seeds, results, strict=True):
            yield seed, jpeg, label


def _resumable(out_dir: Path, config: SynthConfig, jpeg_quality: int) -> set[int]:
    """Seeds an interrupted render of ``out_dir`` may have finished with these exact settings
    (config, schema, fonts, quality: everything that changes the output); none otherwise."""
    settings = json.dumps({"config": config.to_json(), "schema_version": SCHEMA_VERSION,
                           "fonts": font_names(), "jpeg_quality": jpeg_quality}, sort_keys=True,
                          ensure_ascii=False)
    marker = out_dir / "render-settings.json"
    if marker.is_file() and marker.read_text() == settings:
        return {int(p.stem) for p in (out_dir / "labels").glob("*.json") if p.stem.isdigit()}
    for stale in (out_dir / "labels").glob("*.json"):  # other settings: never reuse them
        stale.unlink()
    marker.write_text(settings)
    return set()


def write_samples(out_dir: Path, seeds: Iterable[int], config: SynthConfig, *,
                  jpeg_quality: int = 95, progress: Callable[[int], None] | None = None,
                  workers: int = 1) -> WrittenSamples:
    """Render ``seeds`` into ``out_dir``; the manifest is written last (its presence means done)."""
    seeds = list(seeds)
    if not seeds:
        raise DatasetError("no seeds to render")
    if len(set(seeds)) != len(seeds) or min(seeds) < 0:
        raise DatasetError("seeds must be distinct non-negative integers")
    (out_dir / "manifest.json").unlink(missing_ok=True)  # unfinished until rewritten
    for sub in ("images", "labels"):
        (out_dir / sub).mkdir(parents=True, exist_ok=True)
    done = _resumable(out_dir, config, jpeg_quality)
    counts: Counter[str] = Counter()
    todo = []
    for seed in seeds:
        label_path = out_dir / "labels" / f"{seed:08d}.json"
        if seed in done and label_path.is_file():
            # Rendered by an interrupted run with the same settings: the label is written
            # after its image, so its presence means both are whole.
            counts.update(s["kind"] for s in json.loads(label_path.read_text())["signs"])
            if progress is not None:
                progress(1)
        else:
            todo.append(seed)
    for seed, jpeg, label in render_many(todo, config, jpeg_quality, workers):
        stem = f"{seed:08d}"
        (out_dir / "images" / f"{stem}.jpg").write_bytes(jpeg)
        (out_dir / "labels" / f"{stem}.json").write_text(json.dumps(to_json(label),
                                                                   ensure_ascii=False))
        counts.update(str(s.kind) for s in label.signs)
        if progress is not None:
            progress(1)
    manifest = {"generator": "datasets.synth", "schema_version": SCHEMA_VERSION,
                "config": config.to_json(), "seeds": {"first": min(seeds), "last": max(seeds),
                                                      "count": len(seeds)},
                "stems": [f"{seed:08d}" for seed in seeds],
                "images": len(seeds), "signs_by_kind": dict(sorted(counts.items())),
                "fonts": font_names(), "jpeg_quality_written": jpeg_quality}
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
    return WrittenSamples(out_dir, len(seeds), dict(counts))


def _norm(v: float, size: int) -> float:
    return min(1.0, max(0.0, (v + 0.5) / size))


def pose_line(sign: SignLabel, size_wh: tuple[int, int], class_id: int) -> str:
    """One ultralytics pose label line: 17 numbers, all normalised into [0, 1]."""
    w, h = size_wh
    x1, y1, x2, y2 = sign.box_xyxy
    nx1, ny1, nx2, ny2 = _norm(x1, w), _norm(y1, h), _norm(x2, w), _norm(y2, h)
    parts = [str(class_id), *(f"{v:.6f}" for v in ((nx1 + nx2) / 2, (ny1 + ny2) / 2,
                                                    nx2 - nx1, ny2 - ny1))]
    for (x, y), inside, visible in zip(sign.corners_px, sign.corners_in_image,
                                       sign.corners_visible, strict=True):
        v = 0 if not inside else 2 if visible else 1
        parts += [f"{_norm(x, w):.6f}", f"{_norm(y, h):.6f}", str(v)]
    return " ".join(parts)


def _class_names(class_map: Mapping[SignKind, str | None], class_names: Sequence[str] | None
                 ) -> list[str]:
    mapped = [c for c in class_map.values() if c is not None]
    names = list(class_names) if class_names is not None else list(dict.fromkeys(mapped))
    missing = sorted(set(mapped) - set(names))
    if missing:
        raise DatasetError(f"class_map maps to {missing}, which class_names {names} lacks")
    return names


def write_data_yaml(out_dir: Path, class_names: Sequence[str]) -> Path:
    names = "\n".join(f"  {i}: {n}" for i, n in enumerate(class_names))
    path = out_dir / "data.yaml"
    path.write_text(f"path: {out_dir.resolve()}\ntrain: images/train\nval: images/val\n"
                    f"kpt_shape: [4, 3]\nflip_idx: {list(FLIP_IDX)}\nnames:\n{names}\n")
    return path


def write_pose_dataset(samples_dir: Path, out_dir: Path, *,
                       class_map: Mapping[SignKind, str | None] = DEFAULT_CLASS_MAP,
                       class_names: Sequence[str] | None = None, val_fraction: float = 0.1,
                       split_seed: int = 0, keep: PoseFilter = PoseFilter()) -> dict:
    """Convert a sample folder to an ultralytics pose dataset; returns counts per split.

    Kinds mapped to None are left unlabelled (background). Images are symlinked.
    """
    if not (samples_dir / "manifest.json").is_file():
        raise DatasetError(f"{samples_dir} has no manifest.json: not a finished sample folder")
    names = _class_names(class_map, class_names)
    stems = json.loads((samples_dir / "manifest.json").read_text())["stems"]
    counts: dict[str, Counter] = {"train": Counter(), "val": Counter()}
    for label_path in (samples_dir / "labels" / f"{stem}.json" for stem in stems):
        label: SampleLabel = from_json(json.loads(label_path.read_text()))
        stem = f"synth__{label_path.stem}"
        split = "val" if is_validation(stem, seed=split_seed, val_fraction=val_fraction) else "train"
        lines = []
        for sign in label.signs:
            cls = class_map.get(sign.kind)
            if cls is not None and keep.keep(sign):
                lines.append(pose_line(sign, label.size_wh, names.index(cls)))
                counts[split][cls] += 1
        link_file(samples_dir / "images" / f"{label_path.stem}.jpg",
              out_dir / "images" / split / f"{stem}.jpg")
        (out_dir / "labels" / split).mkdir(parents=True, exist_ok=True)
        (out_dir / "labels" / split / f"{stem}.txt").write_text("".join(ln + "\n" for ln in lines))
        counts[split]["images"] += 1
    write_data_yaml(out_dir, names)
    return {k: dict(v) for k, v in counts.items()}


def add_real_to_pose(data_root: Path, out_dir: Path, *, class_names: Sequence[str],
                     val_fraction: float = 0.15, split_seed: int = 0) -> dict:
    """Add the real box-only photos to a pose dataset: keypoints are the box corners with
    v = 0 (not labelled), so only the boxes train. The split key and rule are those of
    ``datasets.build`` so a real photo lands in the same split as in the detect dataset."""
    items = load_all(data_root)
    if not items:
        raise DatasetError(f"no labelled real images under {data_root}")
    counts: dict[str, Counter] = {"train": Counter(), "val": Counter()}
    for item in items:
        split = "val" if item.in_validation(seed=split_seed, val_fraction=val_fraction) \
            else "train"
        lines = []
        for b in item.boxes:
            name = REAL_CLASS_NAMES[b.class_id].value
            if name not in class_names:
                raise DatasetError(f"real class {name!r} is not in class_names {list(class_names)}")
            x1, y1, x2, y2 = b.cx - b.w / 2, b.cy - b.h / 2, b.cx + b.w / 2, b.cy + b.h / 2
            kpts = " ".join(f"{min(1.0, max(0.0, x)):.6f} {min(1.0, max(0.0, y)):.6f} 0"
                            for x, y in ((x1, y1), (x2, y1), (x2, y2), (x1, y2)))
            lines.append(f"{class_names.index(name)} {b.cx:.6f} {b.cy:.6f} {b.w:.6f} {b.h:.6f} "
                         f"{kpts}")
            counts[split][name] += 1
        stem = f"{REAL_STEM_PREFIX}{item.source}__{item.image_path.stem}"
        link_file(item.image_path, out_dir / "images" / split / f"{stem}{item.image_path.suffix}")
        (out_dir / "labels" / split).mkdir(parents=True, exist_ok=True)
        (out_dir / "labels" / split / f"{stem}.txt").write_text("".join(ln + "\n" for ln in lines))
        counts[split]["images"] += 1
    write_data_yaml(out_dir, class_names)
    return {k: dict(v) for k, v in counts.items()}
