"""Which content analysis made a result: fingerprints of the code, the Tesseract install and the
network's calibration that decide a sign's content.

A content network's version names its weights, but the same weights give other types when the
reading code, the fusion policy, the calibration or Tesseract's language data change (on
2026-11-29 two-letter Thai candidates and the fusion's placing of Thai changed what c9's scans
report, and its calibration was refitted), and so do other crops of the same sign (the cutting,
:mod:`vision.sign_crop`). :func:`analysis_fingerprint` covers all of them, so
two stored results can be told to come from the same analysis or not; the evaluation's reads
cache uses the OCR-side part alone (:func:`source_digest` without the network's modules).
"""

from __future__ import annotations

import functools
import hashlib
import re
import shutil
import subprocess
from collections.abc import Collection
from pathlib import Path

FINGERPRINT_HEX_DIGITS = 16  # 64 bits: no two analyses this project runs will collide


def source_digest(excluded: Collection[str] = ()) -> str:
    """A hash of the source of ``vision.content``'s modules, but those named in ``excluded``."""
    import vision.content

    h = hashlib.sha256()
    for path in sorted(Path(vision.content.__file__).parent.glob("*.py")):
        if path.name not in excluded:
            h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


@functools.lru_cache(maxsize=1)  # once per process: a worker asks once per scene
def tesseract_fingerprint() -> str:
    """Tesseract's version lines and a hash of the language data the reader uses.

    A Debian upgrade of tesseract or of a ``tesseract-ocr-*`` language package changes what
    the OCR reads. "missing" when tesseract is not installed (the reads then fail loudly
    elsewhere).
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


def crop_cutting_digest() -> str:
    """A hash of the source that cuts a sign's crop from its photo (:mod:`vision.sign_crop`):
    other cutting gives the analysis other pixels."""
    import vision.sign_crop

    return hashlib.sha256(Path(vision.sign_crop.__file__).read_bytes()).hexdigest()


def analysis_fingerprint(network_version: str | None, calibration: object | None) -> str:
    """A short hex id of the whole content analysis: the cutting of the sign's crop, every
    module of ``vision.content`` (the reading, the layout rule, the fusion policy, the
    calibration code), the Tesseract install, the content network's version (None: the OCR
    reads alone) and its fitted calibration (a frozen dataclass, hashed by its repr; None:
    uncalibrated)."""
    h = hashlib.sha256(source_digest().encode())
    h.update(b"\0crop\0" + crop_cutting_digest().encode())
    h.update(b"\0tesseract\0" + tesseract_fingerprint().encode())
    h.update(b"\0network\0" + (network_version or "").encode())
    h.update(b"\0calibration\0" + repr(calibration).encode())
    return h.hexdigest()[:FINGERPRINT_HEX_DIGITS]
