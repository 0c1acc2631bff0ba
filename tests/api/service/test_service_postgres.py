"""The same flow against the real PostgreSQL server, each test in its own fresh database.

CI starts the server, so an unreachable server is a failure here, never a skip.
``TEST_POSTGRES_URL`` points elsewhere if needed (the database in it is only used to create
and drop the per-test one).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from decimal import Decimal

import psycopg
import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from fastapi.testclient import TestClient
from psycopg import sql
from sqlalchemy.engine import make_url

from api.app import create_app
from api.db.engine import make_engine
from api.db.models import Base
from tests.api.service.service_support import (
    FakeScanner,
    fake_pricer,
    photo_bytes,
    upload,
    wait_for_scan,
)

ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")

pytestmark = pytest.mark.postgres


def _libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A newly created, empty database; dropped (connections and all) after the test."""
    name = f"signtax_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(_libpq(ADMIN_URL), autocommit=True, connect_timeout=5) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(_libpq(ADMIN_URL), autocommit=True, connect_timeout=5) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def test_upload_scan_and_baht_at_risk_order_on_postgres(make_settings, postgres_url: str) -> None:
    settings = make_settings(database_url=postgres_url)
    scanner = FakeScanner()
    with TestClient(create_app(settings, scanner=scanner, pricer=fake_pricer)) as client:
        ids = [upload(client, photo_bytes(seed)).json()["photo_id"] for seed in (30, 31)]
        photos = [wait_for_scan(client, i) for i in ids]
        duplicate = upload(client, photo_bytes(30)).json()
        signs = client.get("/api/v1/signs").json()
        health = client.get("/healthz").json()

    assert [p["status"] for p in photos] == ["done", "done"]
    assert duplicate["duplicate"] is True and duplicate["photo_id"] == ids[0]
    assert len(scanner.calls) == 2
    assert signs["total"] == 6
    risks = [s["baht_at_risk"] for s in signs["items"]]
    assert risks == ["624.00", "624.00", "5.00", "5.00", None, None]  # NULLs last on PG too
    assert Decimal(signs["items"][0]["due_baht"]) == Decimal("1560.00")
    assert health["database"] == "ok"


def test_crash_resume_on_postgres(make_settings, postgres_url: str) -> None:
    settings = make_settings(database_url=postgres_url)
    with TestClient(create_app(settings, scanner=FakeScanner(), pricer=fake_pricer)) as client:
        photo_id = upload(client, photo_bytes(32)).json()["photo_id"]
        wait_for_scan(client, photo_id)
    engine = make_engine(postgres_url)
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "UPDATE photos SET status = 'processing', claim_token = 'dead' WHERE id = %s",
            (photo_id,),
        )
    engine.dispose()

    with TestClient(create_app(settings, scanner=FakeScanner(), pricer=fake_pricer)) as client:
        photo = wait_for_scan(client, photo_id)
        total = client.get("/api/v1/signs").json()["total"]

    assert photo["status"] == "done"
    assert total == 3


def test_postgres_schema_matches_the_models(make_settings, postgres_url: str) -> None:
    with TestClient(create_app(make_settings(database_url=postgres_url), scanner=FakeScanner())):
        pass
    engine = make_engine(postgres_url)
    try:
        with engine.connect() as conn:
            diff = compare_metadata(
                MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata
            )
    finally:
        engine.dispose()
    assert diff == []
