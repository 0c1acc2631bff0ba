"""Fixtures for sign content tests (real data comes from tests/conftest.py: shared_data)."""

from __future__ import annotations

import shutil
import subprocess

import numpy as np
import pytest


def _tesseract_langs() -> set[str]:
    exe = shutil.which("tesseract")
    if exe is None:
        return set()
    out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, check=False)
    return {ln.strip() for ln in out.stdout.splitlines()[1:] if ln.strip()}


@pytest.fixture(scope="session")
def tesseract() -> None:
    # `make test` installs Tesseract and its language data: their absence is a broken set-up,
    # which must fail loudly rather than silently skip the OCR tests.
    missing = {"tha", "eng", "rus", "chi_tra"} - _tesseract_langs()
    assert not missing, f"tesseract language data {sorted(missing)} missing: run `make install`"


@pytest.fixture
def plain_crop() -> np.ndarray:
    """A flat light-grey 320x120 crop (no edges anywhere)."""
    return np.full((120, 320, 3), 220, np.uint8)
