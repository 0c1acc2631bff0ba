"""Settings: derived defaults, the environment, the model's PRODUCTION pointer, refusals."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from api.settings import Settings


def test_defaults_derive_from_data_dir(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)

    assert settings.database_url == f"sqlite:///{tmp_path / 'signtax.sqlite3'}"
    assert settings.photos_path == tmp_path / "photos"
    assert settings.max_upload_bytes == 40 * 1024 * 1024
    assert settings.max_pixels == 120_000_000
    assert settings.worker == "inprocess"
    assert settings.is_sqlite


def test_environment_is_read_when_built_and_arguments_win(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SIGNTAX_DATA_DIR", str(tmp_path / "env"))
    monkeypatch.setenv("SIGNTAX_MAX_UPLOAD_BYTES", "2048")
    monkeypatch.setenv("SIGNTAX_TAX_YEAR", "2025")

    from_env = Settings()
    explicit = Settings(max_upload_bytes=4096)

    assert from_env.data_dir == tmp_path / "env"
    assert from_env.photos_path == tmp_path / "env" / "photos"
    assert from_env.max_upload_bytes == 2048
    assert from_env.tax_year == 2025
    assert explicit.max_upload_bytes == 4096


def test_model_dir_follows_the_production_file(tmp_path: Path) -> None:
    root = tmp_path / "sign-detector"
    (root / "v3").mkdir(parents=True)
    (root / "PRODUCTION").write_text("v3\n")

    settings = Settings(data_dir=tmp_path, model_dir=root)

    assert settings.model_dir == root
    assert settings.active_model_dir == root / "v3"
    assert settings.model_version == "v3"
    (root / "v4").mkdir()
    (root / "PRODUCTION").write_text("v4\n")  # a promotion while the service runs
    assert settings.active_model_dir == root / "v4"
    assert settings.model_version == "v4"


@pytest.mark.parametrize(
    ("production", "message"),
    [
        ("v9", "is not a directory"),
        ("../elsewhere", "one version folder name"),
        ("", "one version folder name"),
    ],
)
def test_a_broken_production_file_is_refused(tmp_path: Path, production: str, message: str) -> None:
    root = tmp_path / "sign-detector"
    root.mkdir()
    (root / "PRODUCTION").write_text(production)

    with pytest.raises(ValidationError, match=message):
        Settings(data_dir=tmp_path, model_dir=root)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("tax_year", 2569, "Buddhist-era year"),
        ("tax_year", 1999, "between 2000 and 2200"),
        ("max_upload_bytes", 0, "between 1 KiB and 1 GiB"),
        ("max_pixels", -1, "between 256 and 1e9"),
        ("database_url", "mysql://db/signtax", "sqlite:/// or postgresql\\+psycopg://"),
        ("worker", "celery", "inprocess"),
        ("worker_poll_s", 0, "worker_poll_s"),
        ("unknown_setting", 1, "Extra inputs are not permitted"),
    ],
)
def test_obviously_bad_values_are_refused(tmp_path: Path, field: str, value, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Settings(data_dir=tmp_path, **{field: value})


@pytest.mark.parametrize(
    "url", ["postgres://u@h/db", "postgresql://u@h/db", "postgresql+psycopg://u@h/db"]
)
def test_postgres_urls_use_psycopg3(tmp_path: Path, url: str) -> None:
    assert (
        Settings(data_dir=tmp_path, database_url=url).database_url == "postgresql+psycopg://u@h/db"
    )
