"""Training crops for the content classifier (:mod:`vision.content.classifier`), cut from
rendered street scenes the way the scan cuts detected signs.

Scenes use seeds from :data:`SYNTH_CONTENT_TRAIN_FIRST_SEED` on, a range kept apart from the
held-out evaluation scenes (:data:`training.content_crops.SYNTH_CONTENT_FIRST_SEED`, 950,000,000
on). Each kept sign gives ``JITTERED_COPIES`` crops whose corners are moved by up to
``CORNER_JITTER`` of the face's sides (the detector's corners are not exact). The filter is
looser than the evaluation's: the network should also learn from hard cases.

Each scene also gives ``NON_SIGN_CROPS_PER_SCENE`` crops of the same scene *away from every
sign* (wall, shutters, sky, trees, cables), labelled with no script and no picture and tax type
:data:`NOT_A_SIGN`: the detector's false positives reach the content analysis too, and a
network that has only ever seen signs reads script into a bare wall (c8 read Latin at 0.7-0.9
on noise).

Scenes are rendered in chunks of ``CHUNK_SCENES`` into ``<out>/chunk-<first seed>.npz``
(letterboxed uint8 images and the fact labels); a chunk on disk is not rendered again, so an
interrupted build resumes. On a rented machine the rendering can be bounded in time instead
(``render_budget_s``), and the real crops travel as one JPEG-packed file
(:func:`save_crops`, :func:`load_crops`) since the photos do not.
"""

from __future__ import annotations

import itertools
import sys
from concurrent.futures import FIRST_COMPLETED, wait
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from datasets.processes import spawned_pool
from training.content_crops import CropFilter, keep_sign
from vision.content.classifier import FACTS, INPUT_HW_PX, letterbox
from vision.sign_crop import cut_sign_crop
from vision.types import Script

SYNTH_CONTENT_TRAIN_FIRST_SEED = 700_000_000
CHUNK_SCENES = 40
JITTERED_COPIES = 3
CORNER_JITTER = 0.04
NON_SIGN_CROPS_PER_SCENE = 1
NOT_A_SIGN = 0  # the tax type recorded for a non-sign crop
# A non-sign crop: width a share of the scene's, aspect (w/h) as signs have, clear of every
# sign's box grown by this share of its size, found within this many random tries.
NON_SIGN_WIDTH_SHARE = (0.06, 0.45)
NON_SIGN_ASPECT = (0.3, 6.0)
NON_SIGN_MARGIN = 0.1
NON_SIGN_TRIES = 30
TRAIN_FILTER = CropFilter(
    max_occlusion=0.15, min_in_image=0.97, min_height_px=24.0, min_width_px=40.0,
    min_text_height_px=7.0, min_foreshortening=0.4,
)


@dataclass(frozen=True, slots=True)
class ContentSet:
    images: np.ndarray  # N x INPUT_HW_PX x 3 uint8, BGR, letterboxed
    labels: np.ndarray  # N x len(FACTS) float32, 0/1
    tax_types: np.ndarray  # N int8, 1..3, or NOT_A_SIGN (0) for a crop of no sign
    scene_seeds: np.ndarray  # N int64: crops of one scene stay in one split (< 0: real photos)
    known: np.ndarray  # N x len(FACTS) float32: 1 where the label is known, 0 to mask the loss

    def __post_init__(self) -> None:
        n = len(self.images)
        if not (len(self.labels) == len(self.tax_types) == len(self.scene_seeds)
                == len(self.known) == n):
            raise ValueError("a ContentSet's arrays must have one row per crop")

    def concat(self, other: ContentSet) -> ContentSet:
        return ContentSet(*(np.concatenate([getattr(self, f), getattr(other, f)])
                            for f in ("images", "labels", "tax_types", "scene_seeds", "known")))


def empty_content_set(input_hw_px: tuple[int, int] = INPUT_HW_PX) -> ContentSet:
    """A set with no crops (to collect real ones into, say)."""
    n = len(FACTS)
    return ContentSet(np.zeros((0, *input_hw_px, 3), np.uint8), np.zeros((0, n), np.float32),
                      np.zeros(0, np.int8), np.zeros(0, np.int64), np.zeros((0, n), np.float32))


def with_real_negatives(data: ContentSet, data_root: Path, *, progress: bool = True) -> ContentSet:
    """``data`` plus the real no-Thai sign crops of the training photos
    (:mod:`training.content_real`); each real photo is a "scene" with a negative seed."""
    from tqdm import tqdm

    from training.content_real import (
        REAL_SIGN_CLASSES,
        iter_real_training_crops,
        real_negative_labels,
    )

    images, seeds = [], []
    offsets = {name: k * 1_000_000 for k, name in enumerate(sorted(REAL_SIGN_CLASSES))}
    for dataset, index, crop in tqdm(iter_real_training_crops(data_root, data.images.shape[1:3]),
                                     desc="real crops", unit="crop", file=sys.stderr,
                                     disable=not progress):
        images.append(crop)
        seeds.append(-1 - offsets[dataset] - index)
    if not images:
        return data
    labels, known = real_negative_labels(len(images))
    real = ContentSet(np.stack(images), labels, np.full(len(images), 3, np.int8),
                      np.asarray(seeds, np.int64), known)
    return data.concat(real)


def facts_of(sign) -> list[float]:
    """The label vector of a :class:`datasets.synth.labels.SignLabel`, in :data:`FACTS` order."""
    scripts = sign.scripts
    values = {
        "thai": Script.THAI in scripts,
        "latin": Script.LATIN in scripts,
        "cjk": Script.CJK in scripts,
        "other": Script.OTHER in scripts,
        "below": sign.thai_below_foreign,
        "graphics": sign.has_graphics,
    }
    return [float(values[f]) for f in FACTS]


def _jitter(corners, rng: np.random.Generator) -> np.ndarray:
    c = np.asarray(corners, float)
    w = (np.linalg.norm(c[1] - c[0]) + np.linalg.norm(c[2] - c[3])) / 2
    h = (np.linalg.norm(c[3] - c[0]) + np.linalg.norm(c[2] - c[1])) / 2
    return c + rng.uniform(-CORNER_JITTER, CORNER_JITTER, (4, 2)) * np.array([w, h])


def non_sign_corners(size_wh: tuple[int, int], sign_boxes_xyxy, rng: np.random.Generator
                     ) -> np.ndarray | None:
    """Corners (clockwise from top-left) of a random upright rectangle in the image that
    touches no sign's box (grown by ``NON_SIGN_MARGIN``), or None if none was found."""
    w_img, h_img = size_wh
    grown = []
    for x1, y1, x2, y2 in sign_boxes_xyxy:
        mx, my = (x2 - x1) * NON_SIGN_MARGIN, (y2 - y1) * NON_SIGN_MARGIN
        grown.append((x1 - mx, y1 - my, x2 + mx, y2 + my))
    for _ in range(NON_SIGN_TRIES):
        w = rng.uniform(*NON_SIGN_WIDTH_SHARE) * w_img
        # log-uniform aspect: as many tall crops as wide ones around 1.4
        h = w / float(np.exp(rng.uniform(*np.log(NON_SIGN_ASPECT))))
        if h < 16 or h > h_img or w < 16:
            continue
        x, y = rng.uniform(0, w_img - w), rng.uniform(0, h_img - h)
        if any(x < bx2 and bx1 < x + w and y < by2 and by1 < y + h
               for bx1, by1, bx2, by2 in grown):
            continue
        return np.array([[x, y], [x + w, y], [x + w, y + h], [x, y + h]])
    return None


def _scene(seed: int, size_wh: tuple[int, int], number_lines: float = 0.0
           ) -> list[tuple[np.ndarray, list[float], int]]:
    from datasets.synth.config import SynthConfig
    from datasets.synth.render import render_sample

    image, label = render_sample(seed, SynthConfig(size_wh=size_wh,
                                                   number_line_probability=number_lines))
    rng = np.random.default_rng(seed)
    out = []
    for sign in label.signs:
        if not keep_sign(sign, TRAIN_FILTER):
            continue
        y = facts_of(sign)
        for copy in range(JITTERED_COPIES):
            corners = sign.corners_px if copy == 0 else _jitter(sign.corners_px, rng)
            out.append((letterbox(cut_sign_crop(image, corners)), y, int(sign.tax_type)))
    # Every sign counts here, kept or not: a half-hidden sign is still no wall.
    boxes = [sign.box_xyxy for sign in label.signs]
    for _ in range(NON_SIGN_CROPS_PER_SCENE):
        corners = non_sign_corners(size_wh, boxes, rng)
        if corners is not None:
            out.append((letterbox(cut_sign_crop(image, corners)), [0.0] * len(FACTS), NOT_A_SIGN))
    return out


def _chunk(first_seed: int, n: int, size_wh: tuple[int, int], path: Path,
           number_lines: float = 0.0) -> int:
    images, labels, types, seeds = [], [], [], []
    for seed in range(first_seed, first_seed + n):
        for img, y, t in _scene(seed, size_wh, number_lines):
            images.append(img)
            labels.append(y)
            types.append(t)
            seeds.append(seed)
    tmp = path.with_name(path.stem + ".tmp.npz")
    np.savez_compressed(
        tmp,
        images=np.asarray(images, np.uint8).reshape(-1, *INPUT_HW_PX, 3),
        labels=np.asarray(labels, np.float32).reshape(-1, len(FACTS)),
        tax_types=np.asarray(types, np.int8),
        scene_seeds=np.asarray(seeds, np.int64),
    )
    tmp.replace(path)  # a chunk is on disk whole or not at all
    return len(images)


def build_content_set(out_dir: Path, n_scenes: int, *, size_wh: tuple[int, int] = (1280, 960),
                      first_seed: int = SYNTH_CONTENT_TRAIN_FIRST_SEED, workers: int = 1,
                      progress: bool = True, render_budget_s: float | None = None,
                      number_lines: float = 0.0) -> ContentSet:
    """Render (or reuse) ``n_scenes`` scenes' crops under ``out_dir`` and load them.

    ``number_lines``: the renderer's ``number_line_probability`` (a row of bare digits added to
    shop faces), for training only; 0 renders the scenes as the evaluation draws its own.

    ``render_budget_s``: stop *starting* chunks once this many seconds have passed (chunks
    under way are finished), and load the chunks on disk, a prefix of the range; for a rented
    machine whose time is counted. None: render every chunk.
    """
    import time

    from tqdm import tqdm

    t0 = time.monotonic()
    out_dir.mkdir(parents=True, exist_ok=True)
    starts = list(range(first_seed, first_seed + n_scenes, CHUNK_SCENES))
    # The tag names the scene size, the network's input size, the copies per sign and the
    # non-sign crops per scene and any added digit rows, so a chunk of another build is never
    # mixed in.
    tag = (f"{size_wh[0]}x{size_wh[1]}-in{INPUT_HW_PX[0]}x{INPUT_HW_PX[1]}-c{JITTERED_COPIES}"
           f"-n{NON_SIGN_CROPS_PER_SCENE}" + (f"-d{number_lines:g}" if number_lines else ""))
    paths = {s: out_dir / f"chunk-{tag}-{s}-{min(CHUNK_SCENES, first_seed + n_scenes - s)}.npz"
             for s in starts}
    todo = [s for s in starts if not paths[s].is_file()]

    def in_time() -> bool:
        return render_budget_s is None or time.monotonic() - t0 < render_budget_s

    with tqdm(total=len(starts), initial=len(starts) - len(todo), desc="content crops",
              unit="chunk", file=sys.stderr, disable=not progress) as bar:
        if workers <= 1:
            for s in todo:
                if not in_time():
                    break
                _chunk(s, min(CHUNK_SCENES, first_seed + n_scenes - s), size_wh, paths[s],
                       number_lines)
                bar.update(1)
        else:
            with spawned_pool(workers) as pool:
                pending = iter(todo)
                running: set = set()
                while True:
                    # Keep every worker busy, and no more: chunks not started cost nothing
                    # when the budget runs out.
                    while len(running) < workers and in_time():
                        s = next(pending, None)
                        if s is None:
                            break
                        running.add(pool.submit(_chunk, s, min(CHUNK_SCENES,
                                                                 first_seed + n_scenes - s),
                                                size_wh, paths[s], number_lines))
                    if not running:
                        break
                    done, running = wait(running, return_when=FIRST_COMPLETED)
                    for f in done:
                        f.result()
                        bar.update(1)
    # A prefix only: the scene range stays contiguous, as the model card says.
    kept = list(itertools.takewhile(lambda s: paths[s].is_file(), starts))
    if not kept:
        raise ValueError("no scene chunk was rendered within the time budget")
    parts = [np.load(paths[s]) for s in kept]
    labels = np.concatenate([p["labels"] for p in parts])
    return ContentSet(
        images=np.concatenate([p["images"] for p in parts]),
        labels=labels,
        tax_types=np.concatenate([p["tax_types"] for p in parts]),
        scene_seeds=np.concatenate([p["scene_seeds"] for p in parts]),
        known=np.ones_like(labels),  # the renderer knows every fact
    )


def save_crops(data: ContentSet, path: Path, *, jpeg_quality: int = 95) -> None:
    """Write ``data`` to one ``.npz`` with every crop JPEG-encoded (a tenth of the raw size),
    e.g. the real crops for a machine without the photos. Written whole or not at all."""
    import cv2

    blobs = []
    for im in data.images:
        ok, buf = cv2.imencode(".jpg", im, [cv2.IMWRITE_JPEG_QUALITY, int(jpeg_quality)])
        if not ok:
            raise ValueError("a crop could not be JPEG-encoded")
        blobs.append(buf.ravel())
    offsets = np.cumsum([0] + [len(b) for b in blobs]).astype(np.int64)
    tmp = path.with_name(path.name + ".tmp.npz")
    np.savez(tmp, jpeg=np.concatenate(blobs) if blobs else np.zeros(0, np.uint8),
             offsets=offsets, input_hw_px=np.asarray(data.images.shape[1:3], np.int64),
             labels=data.labels, tax_types=data.tax_types, scene_seeds=data.scene_seeds,
             known=data.known)
    tmp.replace(path)


def load_crops(path: Path) -> ContentSet:
    """The :class:`ContentSet` written by :func:`save_crops` (JPEG-decoded)."""
    import cv2

    try:
        z = np.load(path)
        jpeg, offsets = z["jpeg"], z["offsets"]
        in_h, in_w = (int(v) for v in z["input_hw_px"])
        images = np.empty((len(offsets) - 1, in_h, in_w, 3), np.uint8)
        for i in range(len(images)):
            im = cv2.imdecode(jpeg[offsets[i] : offsets[i + 1]], cv2.IMREAD_COLOR)
            if im is None or im.shape != (in_h, in_w, 3):
                raise ValueError(f"crop {i} does not decode to {in_h}x{in_w}")
            images[i] = im
        return ContentSet(images, z["labels"], z["tax_types"], z["scene_seeds"], z["known"])
    except (OSError, KeyError, ValueError) as exc:
        raise ValueError(f"{path} is not a crops file written by save_crops: {exc}") from exc
