"""Keep the OCR's reading of each evaluation or tuning crop, so that scoring another content
network costs the rendering and the network, not the OCR again (most of an evaluation's time).

A reading is keyed by the crop's pixels (a changed renderer or crop reads again) and is valid
only for the code and the Tesseract install that made it (:func:`reader_fingerprint`): a cache
written by other reading code (another layout rule, say), another Tesseract release or other
language data is ignored whole, never scored as if the current reader had read it. The cache is
this project's own file under ``var/``; a damaged one is read around.
"""

from __future__ import annotations

import functools
import hashlib
import pickle
import re
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from vision.types import SignContent

# The modules of vision.content that the OCR's reading does not use: changing them keeps the
# cached readings.
NOT_IN_THE_READING = frozenset({"classifier.py", "ensemble.py", "fusion.py", "calibration.py"})


def crop_key(crop_bgr: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(crop_bgr).tobytes()).hexdigest()


def reader_fingerprint() -> str:
    """A hash of the source of the OCR-side content analysis (``vision/content`` but the
    network and its ensembles, the fusion and the calibration) and of the Tesseract install
    that reads for it (:func:`tesseract_fingerprint`)."""
    import vision.content

    h = hashlib.sha256()
    for path in sorted(Path(vision.content.__file__).parent.glob("*.py")):
        if path.name not in NOT_IN_THE_READING:
            h.update(path.name.encode() + b"\0" + path.read_bytes())
    h.update(b"\0tesseract\0" + tesseract_fingerprint().encode())
    return h.hexdigest()


@functools.lru_cache(maxsize=1)  # once per process: a worker asks once per scene
def tesseract_fingerprint() -> str:
    """Tesseract's version lines and a hash of the language data the reader uses.

    A Debian upgrade of tesseract or of a ``tesseract-ocr-*`` language package changes what
    the OCR reads, so the readings kept before it must not be scored as the current reader's.
    "missing" when tesseract is not installed (the reads then fail loudly elsewhere).
    """
    from vision.content.ocr import DEFAULT_LANGUAGES

    exe = shutil.which("tesseract")
    if exe is None:
        return "missing"
    version = _run([exe, "--version"])
    listing = _run([exe, "--list-langs"])
    h = hashlib.sha256(version.encode())
    found = re.search(r'"([^"]+)"', listing)  # List of available languages in "DIR/" (N):
    tessdata = Path(found.group(1)) if found else None
    for lang in DEFAULT_LANGUAGES.split("+"):
        data = tessdata / f"{lang}.traineddata" if tessdata else None
        h.update(f"\0{lang}\0".encode())
        if data is not None and data.is_file():
            h.update(hashlib.sha256(data.read_bytes()).digest())
    return h.hexdigest()


def _run(argv: list[str]) -> str:
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"failed: {exc}"
    return done.stdout + done.stderr  # older releases print the version to stderr


def load_reads(path: Path | None, fingerprint: str) -> dict[str, SignContent]:
    """The readings in ``path`` made by the code of ``fingerprint``; {} when there are none."""
    if path is None or not path.is_file():
        return {}
    try:
        with path.open("rb") as f:
            cached = pickle.load(f)  # our own file under var/, never an upload
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError,
            ImportError, ValueError):
        return {}  # unreadable: read the crops again
    if not isinstance(cached, dict) or cached.get("reader") != fingerprint:
        return {}  # read by other code (or an older cache format): read again
    reads = cached.get("reads")
    return dict(reads) if isinstance(reads, dict) else {}


def save_reads(path: Path, fingerprint: str, fresh: Mapping[str, SignContent]) -> None:
    """Add ``fresh`` readings to the cache at ``path`` (atomically: never a half-written file).

    Readings already there (made by the same code) are kept, so one file can serve several
    sets of crops.
    """
    if not fresh:
        return
    reads = load_reads(path, fingerprint)
    reads.update(fresh)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("wb") as f:
        pickle.dump({"reader": fingerprint, "reads": reads}, f)
    tmp.replace(path)
