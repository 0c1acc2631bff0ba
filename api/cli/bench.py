"""``signtax bench detect PHOTO``: CPU throughput, plain ultralytics vs the shipped paths."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from api.paths import default_model_dir


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("bench", help="measure speed")
    what = p.add_subparsers(dest="what", required=True, metavar="WHAT")
    d = what.add_parser("detect", help="images per second, decode included: ultralytics' default "
                                       "predict vs the shipped detector stage and full scan")
    d.add_argument("photo", type=Path, help="a photo, ideally 12 MP")
    d.add_argument("--model", type=Path, default=None)
    d.add_argument("--runs", type=int, default=10)
    d.add_argument("--json", action="store_true")
    d.set_defaults(run=run_detect)


def run_detect(args: argparse.Namespace) -> int:
    import os

    from training.benchmark import benchmark_detector
    from vision.errors import InvalidImage, ModelLoadError
    from vision.image import load_photo_file

    if args.runs < 1:
        print("error: --runs must be >= 1", file=sys.stderr)
        return 2
    try:
        photo = load_photo_file(args.photo)
        bench = benchmark_detector(args.model or default_model_dir(), args.photo, runs=args.runs)
    except (InvalidImage, ModelLoadError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    w, h = photo.size_wh
    doc = {"photo": str(args.photo), "size_wh": [w, h], "megapixels": round(w * h / 1e6, 1),
           "cpu_count": os.cpu_count(), "runs": args.runs,
           "paths": [{"name": t.name, "detail": t.detail, "median_s": round(t.median_s, 4),
                      "images_per_s": round(t.images_per_s, 2),
                      "cpu_median_s": round(t.cpu_median_s, 4), "detections": t.detections}
                     for t in bench.paths],
           "detector_speedup": round(bench.detector_speedup, 2)}
    if args.json:
        json.dump(doc, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return 0
    print(f"{args.photo}: {w}x{h} ({doc['megapixels']} MP), median of {args.runs} runs, "
          f"{doc['cpu_count']} CPU cores; wall time (CPU time of all threads)")
    for t in bench.paths:
        print(f"  {t.name:28s} {t.median_s * 1000:7.1f} ms  {t.images_per_s:6.2f} img/s  "
              f"(cpu {t.cpu_median_s * 1000:7.1f} ms)  {t.detections} detections  {t.detail}")
    print(f"  detector speed-up (shipped detector vs ultralytics): {bench.detector_speedup:.2f}x")
    return 0
