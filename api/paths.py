"""Where the shipped model lives, independent of the current directory."""

from __future__ import annotations

from pathlib import Path

DETECTOR_NAME = "sign-detector"


def project_root() -> Path:
    # api/paths.py -> repository root (the package is installed editable from the repo).
    return Path(__file__).resolve().parent.parent


def default_model_dir() -> Path:
    """``models/sign-detector`` (its PRODUCTION file names the active version)."""
    return project_root() / "models" / DETECTOR_NAME
