"""``signtax form {pp1,pp3} --input FILE.json --out FILE.pdf``: write a signboard-tax form.

- ``pp1``: แบบแสดงรายการภาษีป้าย (ภ.ป.1), the owner's declaration of all their signs;
- ``pp3``: หนังสือแจ้งการประเมิน (ภ.ป.3), the assessment notice with its tear-off receipt;
  each sign is assessed with ``api.tax`` (needs the input's ``notice`` section).

The input JSON (owner, signs, notice) is documented in ``api.forms.inputs``; an example is
``api/forms/examples/owner_example.json``. Bad input exits 2 naming the field; a missing
Thai font exits 1.
"""

from __future__ import annotations

import argparse
import sys
from decimal import Decimal
from pathlib import Path


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "form", help="write the ภ.ป.1 declaration or ภ.ป.3 assessment notice as PDF",
        description="Write a signboard-tax form as PDF from a JSON file of owner and sign "
                    "facts (shape: api/forms/inputs.py; example: "
                    "api/forms/examples/owner_example.json).")
    p.add_argument("form", choices=("pp1", "pp3"),
                   help="pp1 = ภ.ป.1 declaration; pp3 = ภ.ป.3 assessment notice + receipt")
    p.add_argument("--input", type=Path, required=True, help="owner and signs, JSON")
    p.add_argument("--out", type=Path, required=True, help="output PDF file")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from api.forms import FontNotFound, FormInputError, load_form_file, render_pp1, render_pp3
    from api.forms.thai_text import baht_figure, baht_text

    if args.out.suffix.lower() != ".pdf":
        print(f"error: --out must end in .pdf, got {args.out}", file=sys.stderr)
        return 2
    try:
        data = load_form_file(args.input)
        if args.form == "pp1":
            pdf = render_pp1(data.declaration)
            total: Decimal | None = None
        else:
            notice = data.notice()
            pdf = render_pp3(notice)
            total = notice.total_baht
    except FormInputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except FontNotFound as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    try:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        tmp = args.out.with_name(args.out.name + ".part")
        tmp.write_bytes(pdf)
        tmp.replace(args.out)  # never leave a half-written PDF behind
    except OSError as exc:
        print(f"error: --out cannot be written: {exc}", file=sys.stderr)
        return 2
    signs = len(data.declaration.signs)
    summary = f"wrote {args.out}: {'ภ.ป.1' if total is None else 'ภ.ป.3'}, " \
              f"{data.declaration.owner.name}, {signs} row(s)"
    if total is not None:
        summary += f", total {baht_figure(total)} baht ({baht_text(total)})"
    print(summary)
    return 0
