"""``signtax eval detect``: detector accuracy per class and per size on the held-out real photos
and on fresh synthetic scenes (with corner errors).

``signtax eval content``: sign content analysis (tax type, Thai-below-foreign, review rate and
the type confusion matrix) on held-out synthetic sign crops and on the real non-Thai crops.

``signtax eval fusion``: the fusion policies of ``vision.content.fusion`` side by side on
tuning crops kept apart from the content evaluation's."""

from __future__ import annotations

import argparse
import functools
import json
import os
import sys
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

from api.cli.sizes import parse_size_wh
from api.paths import default_model_dir, project_root

TUNING_CROPS = 160  # rendered crops a fusion policy is scored and calibrated on by default

# Detector input sizes --imgsz accepts: ultralytics' stride is 32; past 2048 px a 2-core CPU
# takes seconds a photo and the trained weights have never seen such scales.
MIN_IMGSZ_PX, MAX_IMGSZ_PX = 320, 2048


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("eval", help="evaluate models on held-out data")
    what = p.add_subparsers(dest="what", required=True, metavar="WHAT")
    d = what.add_parser("detect", help="detector mAP50, mAP50-95, precision, recall per class "
                                       "and per box size on the held-out real photos and on "
                                       "fresh synthetic scenes, with corner errors")
    d.add_argument("--model", type=Path, default=None,
                   help="detector folder (default: the shipped models/sign-detector)")
    d.add_argument("--data-root", type=Path, default=project_root().parent / "shared/data/real")
    d.add_argument("--seed", type=int, default=0, help="split seed (the model card's)")
    d.add_argument("--val-fraction", type=float, default=0.15)
    d.add_argument("--conf", type=float, default=0.25, help="operating threshold for P/R")
    d.add_argument("--synth", type=int, default=200, metavar="N",
                   help="also render N synthetic scenes never used in training and report boxes "
                        "and corner errors on them (default 200; 0 skips)")
    d.add_argument("--synth-size", default="960x720", help="synthetic scene size WxH")
    d.add_argument("--no-real", action="store_true", help="skip the real photos")
    d.add_argument("--workers", type=int, default=min(8, os.cpu_count() or 1),
                   help="processes rendering the synthetic scenes")
    d.add_argument("--tiles", default=None, metavar="GRID",
                   help="also run GRID tiles of the full photo (e.g. 2x2 or 3x2: tiles along the "
                        "long x short side) besides the single pass, merged (vision.tiling)")
    d.add_argument("--tile-overlap", type=float, default=0.2,
                   help="share of a tile's side overlapping its neighbour (default 0.2)")
    d.add_argument("--buckets-at", type=int, default=None, metavar="PX",
                   help="size buckets of boxes scaled to a PX long side, e.g. 640 for signs as "
                        "the model sees them in one pass (default: the photo's own pixels)")
    d.add_argument("--imgsz", type=int, default=None, metavar="PX",
                   help="the detector's input size, a multiple of 32 from 320 to 2048 (default: "
                        "the size the model was trained at, which the scan uses)")
    _add_tax_year(d, "price the synthetic scenes' taxable signs, for the share of their tax "
                     "found, with this year's rate table")
    d.add_argument("--json", action="store_true", help="print JSON instead of tables")
    d.add_argument("--plot", type=Path, default=None, metavar="FILE.png",
                   help="also draw the synthetic scenes' signs and tax found per box size")
    d.add_argument("--against", type=Path, default=None, metavar="BASELINE",
                   help="also run the detector folder BASELINE (e.g. the one in production) on "
                        "the same images and report the paired differences with 95%% "
                        "bootstrap intervals, and whether --model regresses")
    d.add_argument("--resamples", type=int, default=None, metavar="N",
                   help="bootstrap draws for --against (default 2000)")
    d.add_argument("--against-plot", type=Path, default=None, metavar="FILE.png",
                   help="also draw the --against differences and their intervals")
    d.add_argument("--conf-sweep", default=None, metavar="C,C,...",
                   help="also report recall, precision and false candidates per image at each "
                        "of these confidences (classes merged), e.g. 0.05,0.1,0.25,0.4")
    d.add_argument("--gallery", type=Path, default=None, metavar="DIR",
                   help="also write a picture of each held-out real photo with a missed sign or "
                        "a false candidate at --conf (ranked by misses) and DIR/misses.csv")
    d.set_defaults(run=run_detect)
    _add_content_parser(what)
    _add_fusion_parser(what)


def _add_content_parser(what: argparse._SubParsersAction) -> None:
    c = what.add_parser("content", help="tax type accuracy and confusion matrix of the content "
                                        "analysis on held-out synthetic sign crops, and the "
                                        "\"no Thai\" rate on the real non-Thai crops")
    c.add_argument("--synth", type=int, default=300, metavar="N",
                   help="synthetic sign crops, cut from scenes never used in training "
                        "(default 300; 0 skips)")
    c.add_argument("--first-seed", type=int, default=None,
                   help="first scene seed (default 950000000, outside training and eval detect)")
    c.add_argument("--synth-size", default="1280x960", help="synthetic scene size WxH")
    c.add_argument("--data-root", type=Path, default=project_root().parent / "shared/data/real",
                   help="holds facades-spb/ and signboards-vn/")
    c.add_argument("--real", type=int, default=None, metavar="N",
                   help="the first N crops of each dataset held out from the content "
                        "network's training (default: all)")
    c.add_argument("--no-real", action="store_true", help="skip the real crops")
    c.add_argument("--workers", type=int, default=min(8, os.cpu_count() or 1),
                   help="processes (synthetic) or threads (real) reading crops")
    c.add_argument("--classifier", type=Path, default=None, metavar="DIR",
                   help="content network: a version folder or a folder with PRODUCTION "
                        "(default: models/content-classifier when one is promoted)")
    c.add_argument("--no-classifier", action="store_true",
                   help="OCR alone, without the content network (to compare)")
    c.add_argument("--reads-cache", type=Path, default=None, metavar="FILE",
                   help="keep the OCR's readings of the crops in FILE and reuse them (keyed "
                        "by the crops' pixels and the reading code), so that scoring another "
                        "network skips the OCR, e.g. var/content-reads.pkl")
    _add_tax_year(c, "price each synthetic sign's type error with this year's rate table")
    c.add_argument("--json", action="store_true", help="print JSON instead of tables")
    c.add_argument("--plot", type=Path, default=None, metavar="FILE.png",
                   help="also draw the confusion matrix and the reliability diagram")
    c.set_defaults(run=run_content)


def _add_fusion_parser(what: argparse._SubParsersAction) -> None:
    f = what.add_parser("fusion", help="compare policies for fusing the OCR with the content "
                                       "network on tuning crops (not the evaluation's)")
    f.add_argument("--classifier", type=Path, required=True, metavar="DIR",
                   help="content network version folder")
    f.add_argument("--synth", type=int, default=TUNING_CROPS, metavar="N",
                   help="at least N rendered tuning crops (whole scenes from 960,000,000; "
                        f"default {TUNING_CROPS})")
    f.add_argument("--data-root", type=Path, default=project_root().parent / "shared/data/real",
                   help="holds facades-spb/ and signboards-vn/")
    f.add_argument("--workers", type=int, default=min(8, os.cpu_count() or 1),
                   help="threads reading crops")
    f.add_argument("--reads-cache", type=Path, default=None, metavar="FILE",
                   help="keep the OCR's readings of the tuning crops in FILE and reuse them "
                        "(keyed by the crops' pixels), e.g. var/fusion-reads.pkl")
    f.add_argument("--write-calibration", action="store_true",
                   help="fit the confidence calibration of the default policy on these crops "
                        "and store it beside the network's weights (calibration.json)")
    f.set_defaults(run=run_fusion)


def _add_tax_year(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument("--tax-year", type=int, default=None,
                        help=f"{what} (Gregorian; default: the current year)")


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


def evaluation_pricing(tax_year: int | None
                       ) -> tuple[Callable[[float, int, bool], Decimal], str] | str:
    """Evaluations' pricing of a sign for ``--tax-year`` (``training.baht.FullYearBaht``) and
    its description, or why the year is refused."""
    from api.cli.scan import tax_year_problem
    from api.pricing import full_year_baht
    from api.tax import rate_table_for_year

    year = date.today().year if tax_year is None else tax_year
    if (problem := tax_year_problem(year)) is not None:
        return problem
    basis = (f"rate table {rate_table_for_year(year).version}, tax year {year}, each sign a "
             "whole year at its true size and motion, default policy")
    return functools.partial(full_year_baht, tax_year=year), basis


def run_detect(args: argparse.Namespace) -> int:
    from training.compare_detect import compare_runs
    from training.eval_detect import EvalPlan, evaluate_plan, report_markdown
    from training.paired import DEFAULT_RESAMPLES, MIN_RESAMPLES, comparison_markdown
    from vision.errors import ModelLoadError

    if args.plot is not None and args.plot.suffix.lower() != ".png":
        return _fail(f"--plot must name a .png file, got {args.plot}")
    if args.plot is not None and args.synth == 0:
        return _fail("--plot draws the synthetic scenes' tax found: give --synth N > 0")
    if not args.no_real and not args.data_root.is_dir():
        return _fail(f"no data at {args.data_root}")
    if args.synth < 0:
        return _fail(f"--synth must be >= 0, got {args.synth}")
    if args.no_real and args.synth == 0:
        return _fail("nothing to evaluate: --no-real with --synth 0")
    size_wh = parse_size_wh(args.synth_size)
    if size_wh is None:
        return _fail(f"--synth-size must look like 960x720, got {args.synth_size!r}")
    tiles = None
    if args.tiles is not None:
        from vision.tiling import TileGrid

        try:
            tiles = TileGrid.parse(args.tiles, overlap_frac=args.tile_overlap)
        except ValueError as exc:
            return _fail(f"--tiles/--tile-overlap: {exc}")
    if args.buckets_at is not None and args.buckets_at < 32:
        return _fail(f"--buckets-at must be >= 32 px, got {args.buckets_at}")
    if args.imgsz is not None and not (
            MIN_IMGSZ_PX <= args.imgsz <= MAX_IMGSZ_PX and args.imgsz % 32 == 0):
        return _fail(f"--imgsz must be a multiple of 32 from {MIN_IMGSZ_PX} to {MAX_IMGSZ_PX} "
                     f"px, got {args.imgsz}")
    pricing = evaluation_pricing(args.tax_year)
    if isinstance(pricing, str):
        return _fail(pricing)
    confidences = ()
    if args.conf_sweep is not None:
        from training.operating import parse_confidences

        try:
            confidences = parse_confidences(args.conf_sweep)
        except ValueError as exc:
            return _fail(f"--conf-sweep: {exc}")
    if args.resamples is not None and args.against is None:
        return _fail("--resamples sets the bootstrap of --against: give --against BASELINE")
    if args.against_plot is not None and args.against is None:
        return _fail("--against-plot draws the comparison: give --against BASELINE")
    if args.against_plot is not None and args.against_plot.suffix.lower() != ".png":
        return _fail(f"--against-plot must name a .png file, got {args.against_plot}")
    resamples = DEFAULT_RESAMPLES if args.resamples is None else args.resamples
    if resamples < MIN_RESAMPLES:
        return _fail(f"--resamples must be >= {MIN_RESAMPLES}, got {resamples}")
    if args.against is not None and not args.against.is_dir():
        return _fail(f"--against: no detector folder at {args.against}")
    if args.gallery is not None and args.no_real:
        return _fail("--gallery draws the held-out real photos: drop --no-real")
    if args.gallery is not None and args.buckets_at is not None:
        return _fail("--gallery draws boxes in photo pixels: drop --buckets-at")

    plan = EvalPlan(None if args.no_real else args.data_root, args.synth, seed=args.seed,
                    val_fraction=args.val_fraction, conf_threshold=args.conf, size_wh=size_wh,
                    workers=args.workers, tiles=tiles, bucket_long_side_px=args.buckets_at,
                    imgsz=args.imgsz, full_year_baht=pricing[0], pricing_basis=pricing[1])
    try:
        reports = evaluate_plan(args.model or default_model_dir(), plan)
        baseline = evaluate_plan(args.against, plan) if args.against is not None else None
    except ModelLoadError as exc:
        return _fail(str(exc))
    comparison = None if baseline is None else compare_runs(reports, baseline,
                                                            resamples=resamples)
    sweeps = {}
    if confidences:
        from training.operating import operating_points, sweep_markdown

        sweeps = {k: operating_points(r, confidences) for k, r in reports.items()}
    if args.json:
        out = {k: r.to_dict() for k, r in reports.items()}
        for k, points in sweeps.items():
            out[k]["conf_sweep"] = [p.to_dict() for p in points]
        if comparison is not None:
            out["against"] = comparison.to_dict() | {
                "baseline_reports": {k: r.to_dict() for k, r in baseline.items()}}
        json.dump(out, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print("\n".join(report_markdown(r) for r in reports.values()))
        for k, points in sweeps.items():
            print(sweep_markdown(k, points))
        if comparison is not None:
            print(comparison_markdown(comparison))
    if args.plot is not None:
        from training.detect_plots import write_tax_found_plot

        synth = reports["synthetic"]
        written = write_tax_found_plot(
            synth.tax_found, args.plot,
            title=f"detector {synth.model_version}: tax found on {synth.n_images} synthetic "
                  f"scenes at confidence {synth.conf_threshold}")
        print(f"plot: {written}", file=sys.stderr)
    if args.gallery is not None:
        from datasets.real import CLASS_NAMES
        from training.detect_gallery import write_gallery

        real = reports["real"]
        g = write_gallery(real.images, real.image_paths, args.gallery,
                          conf_threshold=real.conf_threshold,
                          class_names=[c.value for c in CLASS_NAMES])
        print(f"gallery: {g.pictures} photos in {g.out_dir} ({g.missed} of {g.truths} signs "
              f"missed, {g.false} false candidates; list in {g.out_dir / 'misses.csv'})",
              file=sys.stderr)
    if args.against_plot is not None:
        from training.compare_plots import write_comparison_plot

        print(f"plot: {write_comparison_plot(comparison, args.against_plot)}", file=sys.stderr)
    return 0


def run_content(args: argparse.Namespace) -> int:
    from api.paths import shipped_content_model_dir
    from api.pricing import sign_type_of
    from training.content_crops import SYNTH_CONTENT_FIRST_SEED
    from training.eval_content import evaluate_real, evaluate_synthetic, report_markdown
    from vision.content.classifier import resolve_content_model_dir
    from vision.errors import ModelLoadError

    if args.synth < 0:
        return _fail(f"--synth must be >= 0, got {args.synth}")
    if args.real is not None and args.real < 1:
        return _fail(f"--real must be >= 1, got {args.real}")
    if args.no_real and args.synth == 0:
        return _fail("nothing to evaluate: --no-real with --synth 0")
    if not args.no_real and not args.data_root.is_dir():
        return _fail(f"no data at {args.data_root}")
    size_wh = parse_size_wh(args.synth_size)
    if size_wh is None:
        return _fail(f"--synth-size must look like 1280x960, got {args.synth_size!r}")
    if args.plot is not None and args.plot.suffix.lower() != ".png":
        return _fail(f"--plot must name a .png file, got {args.plot}")
    pricing = evaluation_pricing(args.tax_year)
    if isinstance(pricing, str):
        return _fail(pricing)
    workers = max(1, args.workers)
    # Like a scan: the promoted content network when there is one, else the OCR alone.
    wanted = None if args.no_classifier else (args.classifier or shipped_content_model_dir())
    classifier_dir = None
    if wanted is not None:
        try:
            classifier_dir = resolve_content_model_dir(wanted)
        except ModelLoadError as exc:
            return _fail(f"{exc} (--no-classifier evaluates the OCR alone)")
    first_seed = SYNTH_CONTENT_FIRST_SEED if args.first_seed is None else args.first_seed
    reports = {}
    try:
        if args.synth:
            reports["synthetic"] = evaluate_synthetic(args.synth, sign_type_of,
                                                      first_seed=first_seed, size_wh=size_wh,
                                                      classifier_dir=classifier_dir,
                                                      workers=workers,
                                                      reads_cache=args.reads_cache,
                                                      full_year_baht=pricing[0],
                                                      pricing_basis=pricing[1])
        if not args.no_real:
            real = evaluate_real(args.data_root, sign_type_of, per_dataset=args.real,
                                 classifier_dir=classifier_dir, workers=workers,
                                 reads_cache=args.reads_cache)
            if real is None:
                return _fail(f"no facades-spb/ or signboards-vn/ under {args.data_root}")
            reports["real"] = real
    except ModelLoadError as exc:
        return _fail(str(exc))
    if args.json:
        json.dump({k: r.to_dict() for k, r in reports.items()}, sys.stdout, indent=2,
                  ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        print("\n".join(report_markdown(r) for r in reports.values()))
    if args.plot is not None:
        from training.content_plots import write_content_plot

        synth = reports.get("synthetic")
        written = write_content_plot({k: r.scores for k, r in reports.items()}, args.plot,
                                     money=None if synth is None else synth.money)
        print(f"plot: {written}", file=sys.stderr)
    return 0


def run_fusion(args: argparse.Namespace) -> int:
    from api.pricing import sign_type_of
    from training.tune_fusion import (
        describe_policy,
        fit_calibration,
        policy_grid,
        score,
        tuning_crops,
    )
    from vision.content.classifier import ContentClassifier, resolve_content_model_dir
    from vision.errors import ModelLoadError

    if args.synth < 0:
        return _fail(f"--synth must be >= 0, got {args.synth}")
    try:
        model_dir = resolve_content_model_dir(args.classifier)
        classifier = ContentClassifier(model_dir)
    except ModelLoadError as exc:
        return _fail(str(exc))
    crops = tuning_crops(args.synth, args.data_root, classifier, workers=args.workers,
                         reads_cache=args.reads_cache)
    print(f"OCR alone: {score(crops, None, sign_type_of).describe()}")
    for policy in policy_grid():
        print(f"{describe_policy(policy)}: {score(crops, policy, sign_type_of).describe()}")
    if args.write_calibration:
        try:
            fitted = fit_calibration(crops, sign_type_of, args.synth)
        except ValueError as exc:
            return _fail(f"cannot fit a calibration: {exc}")
        print(f"calibration of the default policy, on the same crops: expected calibration "
              f"error {fitted.ece_before:.3f} raw, {fitted.ece_after:.3f} calibrated")
        print(f"calibration written: {fitted.calibration.write(model_dir)}")
    return 0
