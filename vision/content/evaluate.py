"""Evaluation report for sign content analysis.

    python -m vision.content.evaluate [--data-root DIR] [--per-dataset N] [--fonts N] [-v]

Prints, for the default tesseract reader:

- synthetic accuracy on rendered signs (:func:`vision.content.samples.synthetic_cases`):
  exact script sets, Thai presence, thai_below_foreign, both together, graphics;
- the real-data no-Thai rate: the share of real non-Thai sign crops (Vietnamese,
  Russian; :data:`vision.content.samples.REAL_DATASETS`) on which Thai was *not* reported;
- seconds per crop, and how many results asked for review.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from vision.content.analysis import analyze
from vision.content.ocr import TesseractReader, TextReader
from vision.content.samples import real_crops, synthetic_cases
from vision.types import Script, SignContent

DEFAULT_DATA_ROOT = Path(__file__).resolve().parents[3] / "shared" / "data" / "real"


@dataclass(frozen=True, slots=True)
class SyntheticResult:
    n: int
    scripts_exact: float
    thai_presence: float
    below: float
    scripts_and_below: float
    graphics: float | None
    graphics_n: int
    review_rate: float
    seconds_per_crop: float
    failures: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RealResult:
    n: int
    no_thai_rate: float
    review_rate: float
    seconds_per_crop: float
    thai_found_in: tuple[str, ...]


def _fmt(c: SignContent) -> str:
    scripts = ",".join(sorted(s.value for s in c.scripts)) or "-"
    return (
        f"scripts={scripts} below={c.thai_below_foreign} graphics={c.has_graphics} "
        f"conf={c.confidence:.2f} review={c.needs_review}"
    )


def evaluate_synthetic(
    reader: TextReader,
    n_fonts: int,
    verbose: bool = False,
    *,
    degraded: str = "half",
    seed: int = 1000,
) -> SyntheticResult:
    cases = synthetic_cases(n_fonts, degraded=degraded, seed=seed)
    exact = presence = below = both = g_ok = g_n = review = 0
    failures = []
    t0 = time.perf_counter()
    for case in cases:
        c = analyze(case.image(), ocr=reader)
        ok_scripts = c.scripts == case.scripts
        ok_below = c.thai_below_foreign == case.thai_below_foreign
        exact += ok_scripts
        presence += (Script.THAI in c.scripts) == (Script.THAI in case.scripts)
        below += ok_below
        both += ok_scripts and ok_below
        review += c.needs_review
        if case.has_graphics is not None:
            g_n += 1
            g_ok += c.has_graphics == case.has_graphics
        if not (ok_scripts and ok_below):
            failures.append(f"{case.name}: {_fmt(c)}")
        if verbose:
            print(f"  {'ok ' if ok_scripts and ok_below else 'BAD'} {case.name}: {_fmt(c)}")
    dt = time.perf_counter() - t0
    n = len(cases)
    return SyntheticResult(
        n=n,
        scripts_exact=exact / n,
        thai_presence=presence / n,
        below=below / n,
        scripts_and_below=both / n,
        graphics=(g_ok / g_n) if g_n else None,
        graphics_n=g_n,
        review_rate=review / n,
        seconds_per_crop=dt / n,
        failures=tuple(failures),
    )


def evaluate_real(
    reader: TextReader, data_root: Path, per_dataset: int, verbose: bool = False
) -> RealResult | None:
    crops = real_crops(data_root, per_dataset)
    if not crops:
        return None
    thai_found = []
    review = 0
    t0 = time.perf_counter()
    for crop in crops:
        c = analyze(crop.crop_bgr, ocr=reader)
        review += c.needs_review
        if Script.THAI in c.scripts:
            thai_found.append(crop.name)
        if verbose:
            print(f"  {'THAI' if Script.THAI in c.scripts else 'ok  '} {crop.name}: {_fmt(c)}")
    dt = time.perf_counter() - t0
    n = len(crops)
    return RealResult(
        n=n,
        no_thai_rate=1.0 - len(thai_found) / n,
        review_rate=review / n,
        seconds_per_crop=dt / n,
        thai_found_in=tuple(thai_found),
    )


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m vision.content.evaluate", description=(__doc__ or "").splitlines()[0]
    )
    ap.add_argument(
        "--data-root",
        type=Path,
        default=DEFAULT_DATA_ROOT,
        help="holds signboards-vn/, facades-spb/",
    )
    ap.add_argument("--per-dataset", type=int, default=15, help="real crops per dataset")
    ap.add_argument("--fonts", type=int, default=6, help="Thai fonts in the synthetic grid (1-6)")
    ap.add_argument("--skip-synthetic", action="store_true")
    ap.add_argument("--skip-real", action="store_true")
    ap.add_argument("-v", "--verbose", action="store_true", help="one line per crop")
    args = ap.parse_args(argv)
    reader = TesseractReader()

    if not args.skip_synthetic:
        s = evaluate_synthetic(reader, args.fonts, args.verbose)
        print(f"synthetic signs: {s.n} ({args.fonts} Thai fonts x 6 layouts, half degraded)")
        print(f"  script set exact      {s.scripts_exact:6.1%}")
        print(f"  Thai presence         {s.thai_presence:6.1%}")
        print(f"  thai_below_foreign    {s.below:6.1%}")
        print(f"  scripts and below     {s.scripts_and_below:6.1%}")
        if s.graphics is not None:
            print(
                f"  has_graphics          {s.graphics:6.1%}  (on {s.graphics_n} cases with an expectation)"
            )
        print(f"  needs_review          {s.review_rate:6.1%}")
        print(f"  seconds per crop      {s.seconds_per_crop:6.2f}")
        for f in s.failures:
            print(f"  miss: {f}")

    if not args.skip_real:
        r = evaluate_real(reader, args.data_root, args.per_dataset, args.verbose)
        if r is None:
            print(f"real crops: none found under {args.data_root}")
        else:
            print(
                f"real non-Thai sign crops: {r.n} (Vietnamese + Russian, {args.per_dataset} per set)"
            )
            print(f"  no-Thai rate          {r.no_thai_rate:6.1%}")
            print(f"  needs_review          {r.review_rate:6.1%}")
            print(f"  seconds per crop      {r.seconds_per_crop:6.2f}")
            for name in r.thai_found_in:
                print(f"  Thai wrongly found: {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
