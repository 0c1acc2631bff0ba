"""Read back a generated PDF with poppler-utils (pdfinfo, pdftotext), as a person's viewer would.

poppler-utils is installed by scripts/install-system-deps.sh; its absence is a broken
machine, so these helpers fail rather than skip.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[3] / "api" / "forms" / "examples" / "owner_example.json"
# pdftotext splits Thai where shaped marks are offset and keeps U+200B/U+00A0 as written
_IGNORED = re.compile(r"[\s\u200b\u00a0]+")


def _tool(name: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} missing: run scripts/install-system-deps.sh (poppler-utils)"
    return path


def page_count(pdf: Path) -> int:
    out = subprocess.run([_tool("pdfinfo"), str(pdf)], capture_output=True, text=True,
                         check=True, timeout=30).stdout
    match = re.search(r"^Pages:\s+(\d+)", out, re.MULTILINE)
    assert match, out
    return int(match.group(1))


def pdf_text(pdf: Path) -> str:
    """All text of ``pdf`` with whitespace and zero-width/no-break spaces removed."""
    out = subprocess.run([_tool("pdftotext"), "-enc", "UTF-8", str(pdf), "-"],
                         capture_output=True, text=True, check=True, timeout=30).stdout
    return squash(out)


def squash(text: str) -> str:
    return _IGNORED.sub("", text)


def assert_valid_pdf(pdf: Path) -> None:
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-1."), data[:16]
    assert data.rstrip().endswith(b"%%EOF")
