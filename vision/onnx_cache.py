"""The detector's ONNX file, built once from ``weights.pt`` and kept in a cache folder.

ONNX Runtime runs the network about twice as fast as PyTorch on a CPU, but the exported file
(39 MB for YOLO11s-pose) is too large for git. So the first process that needs it exports it
and later ones reuse it. The file is named by the SHA-256 of the weights, so new weights never
meet an old export, and it appears atomically (exported in a temporary folder beside it, then
``os.replace``): a process killed mid-export, or two exporting at once, leave no half-file.

Exporting needs ultralytics, so the exporter is passed in (``vision.detector`` provides it).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

# <repo>/var/cache/onnx: var/ is git-ignored and already holds the service's data by default.
DEFAULT_CACHE_DIR = Path(__file__).resolve().parent.parent / "var" / "cache" / "onnx"

# (weights.pt, an empty work folder) -> the .onnx file written somewhere inside the work folder.
Exporter = Callable[[Path, Path], Path]
KEEP_NEWEST = 8  # older exports (of weights since replaced, e.g. by retraining) are deleted


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def cache_path(weights_pt: Path, cache_dir: Path, variant: str = "") -> Path:
    """``<sha256 of the weights>[-<variant>].onnx``; the variant names the export settings, so
    a change of settings never reuses an older export."""
    suffix = f"-{variant}" if variant else ""
    return cache_dir / f"{file_sha256(weights_pt)}{suffix}.onnx"


def cached_onnx(weights_pt: Path, *, cache_dir: Path, exporter: Exporter, variant: str = "",
                rebuild: bool = False) -> Path:
    """The cached export of ``weights_pt``, exporting it first when missing (or ``rebuild``).

    Raises whatever the exporter raises, or ``OSError`` when the cache folder is not writable;
    the caller decides what to fall back to.
    """
    target = cache_path(weights_pt, cache_dir, variant)
    if target.is_file() and not rebuild:
        return target
    cache_dir.mkdir(parents=True, exist_ok=True)
    # Same folder as the target, so os.replace is a rename on one file system (atomic).
    with tempfile.TemporaryDirectory(dir=cache_dir, prefix=".export-") as work:
        produced = exporter(weights_pt, Path(work))
        if not produced.is_file() or produced.stat().st_size == 0:
            raise RuntimeError(f"the ONNX export of {weights_pt} produced no file")
        os.replace(produced, target)
    _prune(cache_dir, keep=target)
    return target


def _prune(cache_dir: Path, *, keep: Path) -> None:
    """Delete all but the newest ``KEEP_NEWEST`` exports; a loaded model is already in memory."""
    try:
        files = sorted(cache_dir.glob("*.onnx"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in files[KEEP_NEWEST:]:
            if old != keep:
                old.unlink(missing_ok=True)
    except OSError:
        pass  # best effort: another process may be pruning at the same time
