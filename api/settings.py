"""Service settings: one ``Settings`` object, built in the entry point and passed in.

Nothing here reads the environment at import time; ``Settings()`` reads ``SIGNTAX_*`` variables
when it is constructed. Keyword arguments win over the environment, so tests build
``Settings(data_dir=tmp_path)`` without touching ``os.environ``.

Relative paths are resolved against the current working directory when the object is built,
except the default ``model_dir``, which is the repository's ``models/sign-detector``.
"""

from __future__ import annotations

import math
import re
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from api.paths import default_model_dir

MiB = 1024 * 1024
PRODUCTION_FILE = "PRODUCTION"
_VERSION_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


def resolve_model_dir(path: Path) -> Path:
    """Follow ``<path>/PRODUCTION`` (which names a version folder) if present.

    A directory without a ``PRODUCTION`` file is taken as the version folder itself. A
    ``PRODUCTION`` file that is empty, names something that is not a plain folder name, or names
    a folder that does not exist is refused: that is a broken deployment, not a missing model.
    """
    marker = path / PRODUCTION_FILE
    if not marker.is_file():
        return path
    name = marker.read_text(encoding="utf-8").strip()
    if not _VERSION_NAME.match(name):
        raise ValueError(
            f"{marker} must contain one version folder name (letters, digits, '.', '_', '-'), "
            f"got {name!r}"
        )
    version_dir = path / name
    if not version_dir.is_dir():
        raise ValueError(f"{marker} names version {name!r} but {version_dir} is not a directory")
    return version_dir


class Settings(BaseSettings):
    """All knobs of the service. Environment variables are ``SIGNTAX_<NAME>``."""

    model_config = SettingsConfigDict(
        env_prefix="SIGNTAX_", extra="forbid", validate_default=True, frozen=True
    )

    data_dir: Path = Path("var")
    database_url: str = Field(
        default="", description="SQLAlchemy URL; default: SQLite file data_dir/signtax.sqlite3"
    )
    photo_dir: Path | None = Field(default=None, description="default: data_dir/photos")
    model_dir: Path = Field(
        default_factory=default_model_dir,
        description="model folder; a PRODUCTION file inside names the active version folder "
        "(default: the repository's models/sign-detector, wherever the service is started)",
    )
    max_upload_bytes: int = 40 * MiB
    max_pixels: int = 120_000_000
    tax_year: int = Field(default_factory=lambda: date.today().year)
    worker: Literal["inprocess"] = "inprocess"
    worker_poll_s: float = Field(
        default=2.0, description="how often the worker looks for jobs queued by other processes"
    )

    @field_validator("data_dir", "photo_dir", "model_dir")
    @classmethod
    def _absolute(cls, value: Path | None) -> Path | None:
        if value is None:
            return None
        if str(value).strip() == "":
            raise ValueError("must not be empty")
        return value.expanduser().resolve()

    @field_validator("model_dir")
    @classmethod
    def _production_is_sound(cls, value: Path) -> Path:
        # Refuse a broken pointer at start-up, but keep the folder as given: the scan worker
        # follows PRODUCTION, so a promotion takes effect without a restart.
        resolve_model_dir(value)
        return value

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        value = value.strip()
        if not value:
            return value  # filled from data_dir below
        scheme = value.split("://", 1)[0] if "://" in value else ""
        # Plain postgres URLs would pick psycopg2, which is not installed; psycopg 3 is.
        if scheme in ("postgres", "postgresql"):
            return "postgresql+psycopg://" + value.split("://", 1)[1]
        if scheme in ("postgresql+psycopg",) or scheme.startswith("sqlite"):
            return value
        raise ValueError(
            "database_url must be a sqlite:/// or postgresql+psycopg:// URL, "
            f"got scheme {scheme or '(none)'!r}"
        )

    @field_validator("max_upload_bytes")
    @classmethod
    def _upload_limit(cls, value: int) -> int:
        if not 1024 <= value <= 1024 * MiB:
            raise ValueError(f"max_upload_bytes must be between 1 KiB and 1 GiB, got {value}")
        return value

    @field_validator("max_pixels")
    @classmethod
    def _pixel_limit(cls, value: int) -> int:
        if not 256 <= value <= 1_000_000_000:
            raise ValueError(f"max_pixels must be between 256 and 1e9, got {value}")
        return value

    @field_validator("tax_year")
    @classmethod
    def _tax_year(cls, value: int) -> int:
        if 2400 <= value <= 2700:
            raise ValueError(
                f"tax_year {value} looks like a Buddhist-era year (พ.ศ.); "
                f"give the Gregorian year, {value - 543}"
            )
        if not 2000 <= value <= 2200:
            raise ValueError(
                f"tax_year must be a Gregorian year between 2000 and 2200, got {value}"
            )
        return value

    @field_validator("worker_poll_s")
    @classmethod
    def _poll(cls, value: float) -> float:
        if not (math.isfinite(value) and 0.01 <= value <= 300):
            raise ValueError(f"worker_poll_s must be between 0.01 and 300 seconds, got {value}")
        return value

    @model_validator(mode="before")
    @classmethod
    def _derived_defaults(cls, values: object) -> object:
        if not isinstance(values, dict):
            return values
        data_dir = Path(values.get("data_dir") or "var").expanduser().resolve()
        if not values.get("database_url"):
            values = {**values, "database_url": f"sqlite:///{data_dir / 'signtax.sqlite3'}"}
        if not values.get("photo_dir"):
            values = {**values, "photo_dir": data_dir / "photos"}
        return values

    @property
    def photos_path(self) -> Path:
        """``photo_dir``, never None after validation."""
        if self.photo_dir is None:  # only reachable with model_construct()
            return self.data_dir / "photos"
        return self.photo_dir

    @property
    def active_model_dir(self) -> Path:
        """The version folder ``model_dir``'s PRODUCTION names now (``model_dir`` without one)."""
        return resolve_model_dir(self.model_dir)

    @property
    def model_version(self) -> str | None:
        """Name of the version folder scans use now, or None if it does not exist."""
        active = self.active_model_dir
        return active.name if active.is_dir() else None

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
