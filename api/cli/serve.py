"""``signtax serve``: the web service with its embedded default (SQLite, local disk, in-process worker)."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="run the web service (upload photos, review candidates)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--data-dir", type=Path, default=None,
                   help="where the SQLite database and photos live (default ./var or SIGNTAX_DATA_DIR)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from api.app import create_app
    from api.settings import Settings

    overrides = {"data_dir": args.data_dir} if args.data_dir else {}
    settings = Settings(**overrides)
    app = create_app(settings)
    print(f"SignTax on http://{args.host}:{args.port}/  (data in {settings.data_dir})")
    uvicorn.run(app, host=args.host, port=args.port, log_level="info")
    return 0
