"""api/tax is the law alone: standard library and its own modules only (architecture §2)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

TAX_DIR = Path(__file__).resolve().parents[3] / "api" / "tax"
MODULES = sorted(TAX_DIR.glob("*.py"))


def absolute_imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_package_found():
    assert {p.name for p in MODULES} >= {"__init__.py", "engine.py", "rates.py"}


@pytest.mark.parametrize("path", MODULES, ids=[p.name for p in MODULES])
def test_imports_only_the_standard_library(path):
    outside = {n for n in absolute_imports(path) if n not in sys.stdlib_module_names}
    assert outside == set(), f"{path.name} imports {sorted(outside)}"


@pytest.mark.parametrize("path", MODULES, ids=[p.name for p in MODULES])
def test_modules_stay_small(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) < 300
