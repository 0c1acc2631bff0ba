"""Shared fixtures: paths to the real data and the shipped model."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = ROOT.parent / "shared" / "data" / "real"
MODEL_DIR = ROOT / "models" / "sign-detector"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    # Accuracy tests run on the real photos; their absence is a broken checkout, not a skip.
    assert SHARED_DATA.is_dir(), f"real data missing at {SHARED_DATA}"
    return SHARED_DATA


@pytest.fixture(scope="session")
def model_dir() -> Path:
    assert (MODEL_DIR / "PRODUCTION").is_file(), f"no shipped model at {MODEL_DIR}"
    return MODEL_DIR
