"""``signtax`` command line: scan, board, tax-free helpers, serve, train."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from api.cli import (
    average,
    bench,
    board,
    evaluate,
    form,
    promote,
    scan,
    serve,
    synth,
    tax,
    train,
    train_content,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="signtax",
        description="SignTax: find, measure and price shop signs in street photos "
                    "(ภาษีป้าย, Signboard Tax Act B.E. 2510).",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in (scan, board, tax, form, serve, train, train_content, average, promote,
                   evaluate, bench, synth):
        module.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # ultralytics pip-installs missing packages by default (e.g. during the first ONNX export);
    # a tax office's machine must not change its own environment. YOLO_AUTOINSTALL=true opts in.
    os.environ.setdefault("YOLO_AUTOINSTALL", "false")
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
