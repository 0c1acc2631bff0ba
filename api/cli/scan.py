"""``signtax scan PHOTO...``: find, measure and price every sign in each photo."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from api.cli.render import render_photo_table
from api.paths import default_model_dir, shipped_content_model_dir
from api.tax.rates import ACT_FIRST_TAX_YEAR

JSON_SCHEMA_VERSION = 1


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "scan", help="find, measure and price the signs in street photos",
        description="For each photo: every sign found, its size in cm with a 95%% interval "
                    "(when a scale is known), its tax type and its annual tax.")
    p.add_argument("photos", nargs="+", type=Path, metavar="PHOTO")
    p.add_argument("--json", action="store_true", help="print one JSON document (see README)")
    p.add_argument("--distance-m", type=float, default=None,
                   help="measured distance from the camera to the sign at the image centre, metres")
    p.add_argument("--focal-px", type=float, default=None,
                   help="focal length in pixels (overrides EXIF; from a camera calibration)")
    p.add_argument("--tax-year", type=int, default=None,
                   help="tax year (Gregorian, e.g. 2026); default: the current year")
    p.add_argument("--model", type=Path, default=None,
                   help="detector folder (a version folder or one with a PRODUCTION file); "
                        "default: the shipped models/sign-detector")
    p.add_argument("--min-confidence", type=float, default=0.25,
                   help="drop detections below this confidence (default 0.25)")
    p.set_defaults(run=run)


def _validate(args: argparse.Namespace) -> str | None:
    if args.distance_m is not None and not 0.3 <= args.distance_m <= 200:
        return f"--distance-m must be between 0.3 and 200 metres, got {args.distance_m}"
    if args.focal_px is not None and not 50 <= args.focal_px <= 50000:
        return f"--focal-px must be between 50 and 50000 pixels, got {args.focal_px}"
    if not 0 < args.min_confidence < 1:
        return f"--min-confidence must be in (0, 1), got {args.min_confidence}"
    return None if args.tax_year is None else tax_year_problem(args.tax_year)


def tax_year_problem(tax_year: int) -> str | None:
    """Why ``--tax-year`` is refused (before the Act, or after next year), else None."""
    if not ACT_FIRST_TAX_YEAR <= tax_year <= date.today().year + 1:
        return (f"--tax-year must be between {ACT_FIRST_TAX_YEAR} and {date.today().year + 1}, "
                f"got {tax_year}")
    return None


def run(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from api.pricing import price_observation, priced_sign_to_dict
    from vision.errors import InvalidImage, ModelLoadError
    from vision.image import read_photo_file
    from vision.pipeline import PipelineParams, load_scanner

    problem = _validate(args)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    tax_year = args.tax_year or date.today().year
    try:
        scanner = load_scanner(args.model or default_model_dir(),
                               params=PipelineParams(confidence_min=args.min_confidence),
                               content_model_dir=shipped_content_model_dir())
    except ModelLoadError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    results, failures = [], 0
    for path in tqdm(args.photos, desc="scanning", unit="photo", file=sys.stderr,
                     disable=None if len(args.photos) > 1 else True):
        try:
            # Detects on a reduced decode; the full photo is decoded only if a sign is found.
            scan = scanner.scan_data(read_photo_file(path), source_name=str(path),
                                     distance_m=args.distance_m, focal_px=args.focal_px)
        except InvalidImage as exc:
            failures += 1
            results.append({"file": str(path), "ok": False, "error": str(exc)})
            if not args.json:
                print(f"{path}: error: {exc}", file=sys.stderr)
            continue
        signs = [priced_sign_to_dict(price_observation(o, tax_year=tax_year))
                 for o in scan.observations]
        cam = scan.camera
        doc = {
            "file": str(path), "ok": True, "size_wh": list(scan.size_wh),
            "camera": {"focal_px": None if cam.focal_px is None else round(cam.focal_px, 1),
                       "focal_source": cam.focal_source, "gps_lat_deg": cam.gps_lat_deg,
                       "gps_lon_deg": cam.gps_lon_deg,
                       "taken_at": cam.taken_at.isoformat() if cam.taken_at else None},
            "board_found": scan.board_found, "signs": signs,
        }
        results.append(doc)
        if not args.json:
            print(render_photo_table(doc))
    if args.json:
        json.dump({"schema_version": JSON_SCHEMA_VERSION, "tax_year": tax_year,
                   "model": scanner.model_version, "content_model": scanner.content_version,
                   "content_analysis": scanner.content_analysis, "photos": results},
                  sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    return 1 if failures else 0
