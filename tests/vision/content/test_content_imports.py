"""Import hygiene of vision.content: light to import, OCR engine only inside functions."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

CONTENT = Path(__file__).resolve().parents[3] / "vision" / "content"


def test_importing_vision_content_does_not_load_pytesseract() -> None:
    code = "import sys, vision.content; print('pytesseract' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=CONTENT.parents[1],
    )
    assert out.stdout.strip() == "False"


def test_pytesseract_is_imported_inside_functions_only() -> None:
    offenders = []
    for path in sorted(CONTENT.glob("*.py")):
        for node in ast.parse(path.read_text()).body:  # module level statements only
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(n.split(".")[0] == "pytesseract" for n in names):
                offenders.append(path.name)
    assert not offenders, offenders
