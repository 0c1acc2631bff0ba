"""``signtax board``: write the printable reference board."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from vision.board import DEFAULT_BOARD, write_board


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("board", help="write the printable reference board (PDF or PNG)",
                       description="Write the ChArUco reference board that `scan` recognises. "
                                   "Print at 100%% and hold it flat on the sign face.")
    p.add_argument("--out", type=Path, required=True, help="output file: .pdf, .png or .tiff")
    p.add_argument("--dpi", type=int, default=300, help="print resolution (default 300)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if not 72 <= args.dpi <= 1200:
        print(f"error: --dpi must be between 72 and 1200, got {args.dpi}", file=sys.stderr)
        return 2
    try:
        path = write_board(args.out, DEFAULT_BOARD, dpi=args.dpi)
    except (ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    w, h = DEFAULT_BOARD.size_cm
    print(f"wrote {path}: {DEFAULT_BOARD.describe()}; board area {w:g} x {h:g} cm. "
          f"Print at 100% and check one square measures {DEFAULT_BOARD.square_cm:g} cm.")
    return 0
