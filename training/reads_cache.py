"""Keep the OCR's reading of each evaluation or tuning crop, so that scoring another content
network costs the rendering and the network, not the OCR again (most of an evaluation's time).

A reading is keyed by the crop's pixels (a changed renderer or crop reads again) and is valid
only for the code and the Tesseract install that made it (:func:`reader_fingerprint`): a cache
written by other reading code (another layout rule, say), another Tesseract release or other
language data is ignored whole, never scored as if the current reader had read it. The cache is
this project's own file under ``var/``; a damaged one is read around.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from vision.content.fingerprint import source_digest, tesseract_fingerprint
from vision.types import SignContent

# The modules of vision.content that the OCR's reading does not use: changing them keeps the
# cached readings.
NOT_IN_THE_READING = frozenset({"classifier.py", "ensemble.py", "fusion.py", "calibration.py",
                                "fingerprint.py"})


def crop_key(crop_bgr: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(crop_bgr).tobytes()).hexdigest()


def reader_fingerprint() -> str:
    """A hash of the source of the OCR-side content analysis (``vision/content`` but the
    network and its ensembles, the fusion and the calibration) and of the Tesseract install
    that reads for it (:func:`~vision.content.fingerprint.tesseract_fingerprint`)."""
    h = hashlib.sha256(source_digest(NOT_IN_THE_READING).encode())
    h.update(b"\0tesseract\0" + tesseract_fingerprint().encode())
    return h.hexdigest()


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
