"""Evaluate the shipped detection path per class and per box size: on the held-out real photos,
and on freshly rendered synthetic scenes, where the exact corners also give the corner error.

Runs the product's own detector adapter (``vision.detector``) rather than ultralytics' val,
so the figure describes what ``signtax scan`` does (same pre-processing, same thresholds).

Synthetic scenes use seeds from :data:`SYNTH_EVAL_FIRST_SEED` on: training renders seeds
``seed * 1_000_000 + i`` (``i`` < its sample count), so for training seeds below 900 these
scenes were never trained on, which is stricter than a split of the training renders.

With ``tiles`` the detector runs as ``vision.tiling.detect_tiled`` does for a large photo: the
shipped full-frame pass on the preview plus that grid's tiles of the full decode, merged. Size
buckets are COCO's absolute box areas; on 12 MP photos nearly every sign is "large" in photo
pixels, so ``bucket_long_side_px`` (e.g. 640) buckets boxes as the model sees them in one pass
(boxes of both sides scaled alike, which leaves every IoU unchanged).
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from datasets.real import CLASS_NAMES, LabelledImage, load_all
from training.baht import FullYearBaht
from training.detect_money import PricedTruth, TaxFound, priced_truths
from training.metrics import SIZE_BUCKETS, APResult, ImageBoxes, evaluate, iou_matrix
from vision.detector import DetectorConfig, YoloDetector
from vision.image import load_photo, load_preview, read_photo_file
from vision.tiling import TileGrid, detect_tiled
from vision.types import Detection, Preview, SignClass

AP_CONFIDENCE_MIN = 0.001  # AP needs the whole precision-recall curve
SYNTH_EVAL_FIRST_SEED = 900_000_000
CORNER_SCALE_LONG_SIDE_PX = 640  # corner errors are reported as if the photo were this size
CORNER_MATCH_IOU = 0.5
ANY_SIGN = "any_sign"

# The real photos are labelled with three classes. There an LED display is a signboard, and
# government signs are not labelled at all, so a 5-class model's government signs are left out.
REAL_CLASS_INDEX: dict[SignClass, int] = {c: i for i, c in enumerate(CLASS_NAMES)} | {
    SignClass.LED_DISPLAY: CLASS_NAMES.index(SignClass.SIGNBOARD)}


@dataclass(frozen=True, slots=True)
class CornerErrors:
    """Per matched sign, the mean distance of its 4 predicted corners from the true ones, in
    pixels of the photo scaled to a :data:`CORNER_SCALE_LONG_SIDE_PX` long side."""

    n_signs: int  # true signs with all 4 corners in the image, matched by a detection
    n_from_keypoints: int  # of those, how many detections gave keypoint corners (not box ones)
    median_px: float
    p90_px: float
    mean_px: float

    def to_dict(self) -> dict:
        return {"signs": self.n_signs, "from_keypoints": self.n_from_keypoints,
                "median_px": _num(self.median_px), "p90_px": _num(self.p90_px),
                "mean_px": _num(self.mean_px),
                "scaled_to_long_side_px": CORNER_SCALE_LONG_SIDE_PX}


def _num(v: float) -> float | None:
    return None if np.isnan(v) else round(v, 4)


@dataclass(frozen=True, slots=True)
class DetectTiming:
    """Mean wall time per photo in milliseconds. Decodes are apart from the detector, since a
    scan decodes the full photo anyway once a sign is found; a tiled run times its full-frame
    pass apart too, so one run gives the cost of both ways under the same machine load."""

    n_photos: int
    preview_decode_ms: float
    full_frame_ms: float  # the shipped single pass on the preview
    full_decode_ms: float  # tiled runs only: tiles need the full photo before detection
    tiles_ms: float  # tiled runs only: the tiles' inference and the merge

    @property
    def detect_ms(self) -> float:
        return self.full_frame_ms + self.tiles_ms

    def to_dict(self) -> dict:
        return {"photos": self.n_photos, "preview_decode_ms": round(self.preview_decode_ms, 1),
                "full_frame_ms": round(self.full_frame_ms, 1),
                "full_decode_ms": round(self.full_decode_ms, 1),
                "tiles_ms": round(self.tiles_ms, 1), "detect_ms": round(self.detect_ms, 1)}


@dataclass(frozen=True, slots=True)
class DetectReport:
    model_version: str
    n_images: int
    conf_threshold: float
    by_source: dict[str, dict[str, dict[str, APResult]]]  # source -> class -> bucket -> result
    corners: CornerErrors | None = None  # synthetic data only: real photos have no corners
    description: str = "held-out real photos"
    tiles: str | None = None  # the tile grid ("2x2"), None for the shipped single pass
    bucket_long_side_px: int | None = None  # None: size buckets in the photo's own pixels
    timing: DetectTiming | None = None
    input_px: int | None = None  # the detector's input size for this run
    tax_found: TaxFound | None = None  # synthetic scenes priced at their true sizes; else None
    # (predictions, truth) per image in the report's class indices, for paired comparisons
    # (training.compare_detect); not part of the JSON.
    images: tuple[tuple[ImageBoxes, ImageBoxes], ...] = field(default=(), repr=False,
                                                             compare=False)
    # Real runs: each image's file, same order as ``images`` (for training.detect_gallery).
    image_paths: tuple[Path, ...] = field(default=(), repr=False, compare=False)
    # Synthetic runs that price their signs: each image's priced taxable signs, same order.
    priced_images: tuple[tuple[PricedTruth, ...], ...] = field(default=(), repr=False,
                                                               compare=False)

    def to_dict(self) -> dict:
        def res(r: APResult) -> dict:
            return {"gt": r.n_truth, "predictions": r.n_pred, "map50": _num(r.ap50),
                    "map50_95": _num(r.ap50_95), "precision": _num(r.precision),
                    "recall": _num(r.recall)}

        out = {"model": self.model_version, "images": self.n_images,
               "description": self.description, "conf_threshold": self.conf_threshold,
               "tiles": self.tiles, "bucket_long_side_px": self.bucket_long_side_px,
               "input_px": self.input_px,
               "by_source": {s: {c: {b: res(r) for b, r in per.items()} for c, per in cls.items()}
                             for s, cls in self.by_source.items()}}
        if self.corners is not None:
            out["corners"] = self.corners.to_dict()
        if self.timing is not None:
            out["timing"] = self.timing.to_dict()
        if self.tax_found is not None:
            out["tax_found"] = self.tax_found.to_dict()
        return out


class _Timer:
    """Sums the wall time of the decode and detection steps over the photos."""

    def __init__(self) -> None:
        self.n = 0
        self.preview_s = self.full_frame_s = self.full_s = self.tiles_s = 0.0

    def report(self) -> DetectTiming:
        n = max(self.n, 1)
        return DetectTiming(self.n, 1000 * self.preview_s / n, 1000 * self.full_frame_s / n,
                            1000 * self.full_s / n, 1000 * self.tiles_s / n)


def _detect_photo(detector: YoloDetector, data: bytes, tiles: TileGrid | None, timer: _Timer,
                  source_name: str = "") -> tuple[Preview, tuple[Detection, ...]]:
    """The shipped path (reduced decode, one pass, boxes in full-photo pixels), plus with
    ``tiles`` the grid's tiles of the full decode merged in (``vision.tiling``)."""
    t0 = time.perf_counter()
    preview = load_preview(data, min_long_side_px=detector.input_size_px, source_name=source_name)
    t1 = time.perf_counter()
    dets = detector.detect_preview(preview)
    t2 = time.perf_counter()
    if tiles is not None:
        photo = load_photo(data, source_name=source_name)
        t3 = time.perf_counter()
        dets = detect_tiled(detector, photo.pixels_bgr, tiles, full_frame=dets)
        timer.full_s += t3 - t2
        timer.tiles_s += time.perf_counter() - t3
    timer.n += 1
    timer.preview_s += t1 - t0
    timer.full_frame_s += t2 - t1
    return preview, dets


def _bucket_scale(size_wh: tuple[int, int], bucket_long_side_px: int | None) -> float:
    return 1.0 if bucket_long_side_px is None else bucket_long_side_px / max(size_wh)


def _scaled(boxes: ImageBoxes, factor: float) -> ImageBoxes:
    return boxes if factor == 1.0 else ImageBoxes(boxes.xyxy * factor, boxes.cls, boxes.score)


def _run_label(tiles: TileGrid | None, bucket_long_side_px: int | None, input_px: int) -> str:
    run = (f"tiled {tiles} (+ full frame)" if tiles else "single pass") + f" at {input_px} px"
    buckets = (f"size buckets at a {bucket_long_side_px}-px long side" if bucket_long_side_px
               else "size buckets in photo pixels")
    return f"{run}; {buckets}"


def validation_items(data_root: Path, *, seed: int, val_fraction: float) -> list[LabelledImage]:
    return [it for it in load_all(data_root)
            if it.in_validation(seed=seed, val_fraction=val_fraction)]


def evaluate_real(model_dir: Path, data_root: Path, *, seed: int = 0, val_fraction: float = 0.15,
                  conf_threshold: float = 0.25, progress: bool = True,
                  tiles: TileGrid | None = None,
                  bucket_long_side_px: int | None = None,
                  imgsz: int | None = None) -> DetectReport:
    """``imgsz``: the detector's input size (None: the size the model was trained at)."""
    from tqdm import tqdm

    detector = YoloDetector(model_dir, DetectorConfig(confidence_min=AP_CONFIDENCE_MIN,
                                                      max_detections=300, imgsz=imgsz))
    items = validation_items(data_root, seed=seed, val_fraction=val_fraction)
    per_source: dict[str, tuple[list, list]] = {}
    timer = _Timer()
    for item in tqdm(items, desc="evaluating", unit="photo", file=sys.stderr,
                     disable=not progress):
        # The path ``signtax scan`` ships: reduced decode, boxes mapped to the full photo.
        preview, found = _detect_photo(detector, read_photo_file(item.image_path), tiles, timer)
        dets = [d for d in found if d.sign_class in REAL_CLASS_INDEX]
        factor = _bucket_scale(preview.full_size_wh, bucket_long_side_px)
        pred = _scaled(_pred_boxes(dets, REAL_CLASS_INDEX), factor)
        truth = _scaled(ImageBoxes(
            np.array([b.xyxy_px(preview.full_size_wh) for b in item.boxes], float).reshape(-1, 4),
            np.array([b.class_id for b in item.boxes], int), np.ones(len(item.boxes))), factor)
        for key in (item.source, "all"):
            preds, truths = per_source.setdefault(key, ([], []))
            preds.append(pred)
            truths.append(truth)
    names = [c.value for c in CLASS_NAMES]
    by_source = {source: _per_class(preds, truths, names, conf_threshold)
                 for source, (preds, truths) in per_source.items()}
    return DetectReport(detector.version, len(items), conf_threshold, by_source,
                        description="held-out real photos, "
                                    f"{_run_label(tiles, bucket_long_side_px, detector.input_size_px)}",
                        tiles=str(tiles) if tiles else None,
                        bucket_long_side_px=bucket_long_side_px, timing=timer.report(),
                        input_px=detector.input_size_px,
                        images=tuple(zip(*per_source.get("all", ([], [])), strict=True)),
                        image_paths=tuple(it.image_path for it in items))


def _class_agnostic(boxes: list[ImageBoxes]) -> list[ImageBoxes]:
    return [b.classes_merged() for b in boxes]


def _per_class(preds: list[ImageBoxes], truths: list[ImageBoxes], names: list[str],
               conf_threshold: float) -> dict[str, dict[str, APResult]]:
    """Per class, their mean ("all"), and ``any_sign``: every class merged into one, which is
    what matters for the tax roll (a sign found under the wrong kind is still found)."""
    raw = evaluate(preds, truths, n_classes=len(names), conf_threshold=conf_threshold)
    out = {("all" if k == "all" else names[int(k)]): v for k, v in raw.items()}
    merged = evaluate(_class_agnostic(preds), _class_agnostic(truths), n_classes=1,
                      conf_threshold=conf_threshold)
    out[ANY_SIGN] = merged["0"]
    return out


def _pred_boxes(dets: list[Detection], index: dict[SignClass, int]) -> ImageBoxes:
    return ImageBoxes(np.array([d.bbox_xyxy for d in dets], float).reshape(-1, 4),
                      np.array([index[d.sign_class] for d in dets], int),
                      np.array([d.confidence for d in dets], float))


def _sign_corner_errors(dets: list[Detection], truth_xyxy: np.ndarray, truth_corners: list,
                        conf_threshold: float, scale: float) -> list[tuple[float, bool]]:
    """(scaled mean corner error, came from keypoints) per true sign matched at IoU >= 0.5."""
    kept = [d for d in dets if d.confidence >= conf_threshold]
    if not kept or not len(truth_xyxy):
        return []
    ious = iou_matrix(truth_xyxy, np.array([d.bbox_xyxy for d in kept], float))
    out = []
    for g, corners in enumerate(truth_corners):
        if corners is None:
            continue
        best = int(np.argmax(ious[g]))
        if ious[g, best] < CORNER_MATCH_IOU:
            continue
        # ultralytics' coordinates put pixel centres at i + 0.5; the labels at integers.
        pred = np.array(kept[best].corners_px, float) - 0.5
        err = float(np.mean(np.linalg.norm(pred - np.array(corners, float), axis=1)))
        out.append((err * scale, kept[best].corners_source == "keypoints"))
    return out


def evaluate_synthetic(model_dir: Path, *, n_images: int = 200,
                       first_seed: int = SYNTH_EVAL_FIRST_SEED,
                       size_wh: tuple[int, int] = (960, 720), conf_threshold: float = 0.25,
                       workers: int = 1, progress: bool = True, tiles: TileGrid | None = None,
                       bucket_long_side_px: int | None = None,
                       imgsz: int | None = None, full_year_baht: FullYearBaht | None = None,
                       pricing_basis: str = "") -> DetectReport:
    """Boxes per class and size, and corner errors, on ``n_images`` freshly rendered scenes.

    ``imgsz``: the detector's input size (None: the size the model was trained at).
    ``full_year_baht``: prices the taxable signs for the share of their tax found
    (:mod:`training.detect_money`; ``pricing_basis`` says how); None: no such figure.
    """
    from tqdm import tqdm

    from datasets.mixed import POSE_CLASS_NAMES
    from datasets.synth import SynthConfig
    from datasets.synth.export import DEFAULT_CLASS_MAP, PoseFilter, render_many

    detector = YoloDetector(model_dir, DetectorConfig(confidence_min=AP_CONFIDENCE_MIN,
                                                      max_detections=300, imgsz=imgsz))
    index = {SignClass(name): i for i, name in enumerate(POSE_CLASS_NAMES)}
    keep = PoseFilter()
    preds, truths, errors = [], [], []
    priced: list[tuple[PricedTruth, ...]] = []  # per scene
    timer = _Timer()
    seeds = list(range(first_seed, first_seed + n_images))
    # Training images were JPEG quality 95 too, so the test sees the same artefacts.
    rendered = render_many(seeds, SynthConfig(size_wh=size_wh), 95, workers)
    for seed, jpeg, label in tqdm(rendered, total=n_images, desc="synthetic", unit="scene",
                                  file=sys.stderr, disable=not progress):
        preview, found = _detect_photo(detector, jpeg, tiles, timer, source_name=f"synth-{seed}")
        dets = [d for d in found if d.sign_class in index]
        signs = [s for s in label.signs
                 if DEFAULT_CLASS_MAP.get(s.kind) is not None and keep.keep(s)]
        truth_xyxy = np.array([s.box_xyxy for s in signs], float).reshape(-1, 4)
        factor = _bucket_scale(preview.full_size_wh, bucket_long_side_px)
        truths.append(_scaled(ImageBoxes(truth_xyxy, np.array(
            [POSE_CLASS_NAMES.index(DEFAULT_CLASS_MAP[s.kind]) for s in signs], int),
            np.ones(len(signs))), factor))
        preds.append(_scaled(_pred_boxes(dets, index), factor))
        corners = [s.corners_px if all(s.corners_in_image) else None for s in signs]
        scale = CORNER_SCALE_LONG_SIDE_PX / max(preview.full_size_wh)
        errors += _sign_corner_errors(dets, truth_xyxy, corners, conf_threshold, scale)
        if full_year_baht is not None:
            taxable = [s for s in signs if s.taxable]
            kept = [d for d in dets if d.sign_class.taxable and d.confidence >= conf_threshold]
            priced.append(tuple(priced_truths(
                np.array([s.box_xyxy for s in taxable], float).reshape(-1, 4) * factor,
                [full_year_baht(s.width_cm * s.height_cm, int(s.tax_type), s.moving)
                 for s in taxable],
                np.array([d.bbox_xyxy for d in kept], float).reshape(-1, 4) * factor,
                np.array([d.confidence for d in kept], float))))
    classes = _per_class(preds, truths, list(POSE_CLASS_NAMES), conf_threshold)
    errs = np.array([e for e, _ in errors], float)
    corner_errors = CornerErrors(
        n_signs=len(errs), n_from_keypoints=sum(1 for _, k in errors if k),
        median_px=float(np.median(errs)) if len(errs) else float("nan"),
        p90_px=float(np.percentile(errs, 90)) if len(errs) else float("nan"),
        mean_px=float(np.mean(errs)) if len(errs) else float("nan"))
    return DetectReport(detector.version, n_images, conf_threshold, {"synthetic": classes},
                        corners=corner_errors,
                        description=f"synthetic scenes {size_wh[0]}x{size_wh[1]}, seeds "
                                    f"{first_seed}..{first_seed + n_images - 1}, "
                                    f"{_run_label(tiles, bucket_long_side_px, detector.input_size_px)}",
                        tiles=str(tiles) if tiles else None,
                        bucket_long_side_px=bucket_long_side_px, timing=timer.report(),
                        input_px=detector.input_size_px,
                        tax_found=None if full_year_baht is None
                        else TaxFound.of((t for scene in priced for t in scene), pricing_basis),
                        images=tuple(zip(preds, truths, strict=True)), priced_images=tuple(priced))


@dataclass(frozen=True, slots=True)
class EvalPlan:
    """What a detector is run on, and how: the real photos' held-out split (``data_root`` None:
    skipped) and ``n_synth`` fresh synthetic scenes (0: skipped). Two detectors run on one plan
    see the same images, which :mod:`training.compare_detect` needs."""

    data_root: Path | None
    n_synth: int
    seed: int = 0  # the real photos' split
    val_fraction: float = 0.15
    conf_threshold: float = 0.25
    size_wh: tuple[int, int] = (960, 720)
    workers: int = 1
    tiles: TileGrid | None = None
    bucket_long_side_px: int | None = None
    imgsz: int | None = None
    full_year_baht: FullYearBaht | None = None
    pricing_basis: str = ""


def evaluate_plan(model_dir: Path, plan: EvalPlan) -> dict[str, DetectReport]:
    """``{"real": ..., "synthetic": ...}`` for the parts the plan has."""
    reports = {}
    if plan.data_root is not None:
        reports["real"] = evaluate_real(model_dir, plan.data_root, seed=plan.seed,
                                        val_fraction=plan.val_fraction,
                                        conf_threshold=plan.conf_threshold, tiles=plan.tiles,
                                        bucket_long_side_px=plan.bucket_long_side_px,
                                        imgsz=plan.imgsz)
    if plan.n_synth:
        reports["synthetic"] = evaluate_synthetic(
            model_dir, n_images=plan.n_synth, size_wh=plan.size_wh,
            conf_threshold=plan.conf_threshold, workers=plan.workers, tiles=plan.tiles,
            bucket_long_side_px=plan.bucket_long_side_px, imgsz=plan.imgsz,
            full_year_baht=plan.full_year_baht, pricing_basis=plan.pricing_basis)
    return reports


def _fmt(v: float) -> str:
    return "-" if v is None or (isinstance(v, float) and np.isnan(v)) else f"{v:.3f}"


def report_markdown(report: DetectReport) -> str:
    lines = [f"Detector {report.model_version} on {report.n_images} {report.description}; "
             f"precision/recall at confidence {report.conf_threshold}.", ""]
    for source, classes in report.by_source.items():
        lines += [f"**{source}**", "",
                  "| class | size | GT | mAP50 | mAP50-95 | precision | recall |",
                  "|---|---|---|---|---|---|---|"]
        for cls_name, per in classes.items():
            for bucket in ("all", *SIZE_BUCKETS):
                r = per[bucket]
                if r.n_truth == 0 and bucket != "all":
                    continue
                lines.append(f"| {cls_name} | {bucket} | {r.n_truth} | {_fmt(r.ap50)} | "
                             f"{_fmt(r.ap50_95)} | {_fmt(r.precision)} | {_fmt(r.recall)} |")
        lines.append("")
    c = report.corners
    if c is not None:
        lines += [f"Corner error ({c.n_signs} matched signs with 4 corners in the image, "
                  f"{c.n_from_keypoints} with keypoint corners; pixels at a "
                  f"{CORNER_SCALE_LONG_SIDE_PX}-px long side): median {_fmt(c.median_px)}, "
                  f"90th percentile {_fmt(c.p90_px)}, mean {_fmt(c.mean_px)}.", ""]
    if report.tax_found is not None:
        lines += report.tax_found.markdown()
    t = report.timing
    if t is not None and t.n_photos:
        tiled = (f" + tiles {t.tiles_ms:.0f} ms = {t.detect_ms:.0f} ms; full decode "
                 f"{t.full_decode_ms:.0f} ms" if report.tiles else "")
        lines += [f"Time per photo (mean of {t.n_photos}): preview decode "
                  f"{t.preview_decode_ms:.0f} ms; detector: full frame {t.full_frame_ms:.0f} ms"
                  f"{tiled}.", ""]
    return "\n".join(lines)
