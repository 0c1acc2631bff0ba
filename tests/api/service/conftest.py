"""Fixtures for the service tests.

Every test gets its own data directory and SQLite database; ``TestClient`` is always used as a
context manager so the lifespan (migrations, resume, worker) runs as in production.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from tests.api.service.service_support import FakeScanner, fake_pricer


@pytest.fixture(autouse=True)
def _no_signtax_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings read SIGNTAX_* variables; keep the developer's or CI's out of these tests."""
    for name in list(os.environ):
        if name.startswith("SIGNTAX_"):
            monkeypatch.delenv(name)


@pytest.fixture
def make_settings(tmp_path: Path) -> Callable[..., Settings]:
    def make(**overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "data_dir": tmp_path,
            "database_url": f"sqlite:///{tmp_path / 'signtax.sqlite3'}",
            "photo_dir": tmp_path / "photos",
            "model_dir": tmp_path / "no-model",
            "tax_year": 2026,
            "worker_poll_s": 0.05,
        }
        values.update(overrides)
        return Settings(**values)

    return make


@pytest.fixture
def scanner() -> FakeScanner:
    return FakeScanner()


@pytest.fixture
def client(make_settings: Callable[..., Settings], scanner: FakeScanner) -> Iterator[TestClient]:
    app = create_app(make_settings(), scanner=scanner, pricer=fake_pricer)
    with TestClient(app) as c:
        yield c
