"""Where the shipped model lives, independent of the current directory."""

from __future__ import annotations

from pathlib import Path

DETECTOR_NAME = "sign-detector"
CONTENT_MODEL_NAME = "content-classifier"


def project_root() -> Path:
    # api/paths.py -> repository root (the package is installed editable from the repo).
    return Path(__file__).resolve().parent.parent


def default_model_dir() -> Path:
    """``models/sign-detector`` (its PRODUCTION file names the active version)."""
    return project_root() / "models" / DETECTOR_NAME


def default_content_model_dir() -> Path:
    """``models/content-classifier`` (its PRODUCTION file names the active version)."""
    return project_root() / "models" / CONTENT_MODEL_NAME


def shipped_content_model_dir() -> Path | None:
    """The content network folder when one is promoted (PRODUCTION exists), else None."""
    d = default_content_model_dir()
    return d if (d / "PRODUCTION").is_file() else None
