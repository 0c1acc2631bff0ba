"""Walk the import graph (AST) and fail on an edge the architecture forbids."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("vision", "datasets", "training", "api")
# package -> project packages it may import (architecture.md §2)
ALLOWED = {
    "vision": set(),
    "datasets": {"vision"},
    "training": {"datasets", "vision"},
    "api": {"vision", "datasets"},
}
FORBIDDEN_THIRD_PARTY = {
    "vision": {"fastapi", "sqlalchemy", "pydantic", "pydantic_settings", "starlette"},
    "api.tax": {"fastapi", "sqlalchemy", "pydantic", "pydantic_settings", "starlette", "vision",
                "datasets", "training"},
}
# api may import training only lazily, inside the CLI's train, average, promote and eval
# commands.
LAZY_TRAINING_OK = {
    "api/cli/train.py", "api/cli/train_content.py", "api/cli/evaluate.py", "api/cli/bench.py",
    "api/cli/average.py", "api/cli/promote.py",
}


def _imports(tree: ast.AST):
    """(module, top_level) pairs; top_level False when the import sits inside a function."""
    out = []

    def visit(node, in_function):
        for child in ast.iter_child_nodes(node):
            nested = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.Import):
                out.extend((alias.name, not in_function) for alias in child.names)
            elif isinstance(child, ast.ImportFrom) and child.module and child.level == 0:
                out.append((child.module, not in_function))
            visit(child, nested)

    visit(tree, False)
    return out


def _files():
    for pkg in PACKAGES:
        for path in sorted((ROOT / pkg).rglob("*.py")):
            yield pkg, path


def test_there_is_code_to_check():
    assert sum(1 for _ in _files()) > 20


@pytest.mark.parametrize(("pkg", "path"), list(_files()), ids=lambda v: str(v).split("/work/")[-1])
def test_no_forbidden_edges(pkg, path):
    rel = path.relative_to(ROOT).as_posix()
    tree = ast.parse(path.read_text(), filename=rel)
    problems = []
    for module, top_level in _imports(tree):
        root = module.split(".")[0]
        if root in PACKAGES and root != pkg and root not in ALLOWED[pkg]:
            if not (root == "training" and rel in LAZY_TRAINING_OK and not top_level):
                problems.append(f"{rel} imports {module} ({pkg} may import {sorted(ALLOWED[pkg])})")
        for scope, banned in FORBIDDEN_THIRD_PARTY.items():
            if rel.startswith(scope.replace(".", "/") + "/") and root in banned:
                problems.append(f"{rel} imports {module}, forbidden in {scope}")
        if root == "ultralytics" and top_level:
            problems.append(f"{rel} imports ultralytics at module level; import it inside functions")
    assert not problems, "\n".join(problems)


def test_checker_catches_a_forbidden_edge(tmp_path):
    tree = ast.parse("import fastapi\nfrom api.tax import assess\ndef f():\n    import training\n")
    found = _imports(tree)
    assert ("fastapi", True) in found and ("api.tax", True) in found and ("training", False) in found
