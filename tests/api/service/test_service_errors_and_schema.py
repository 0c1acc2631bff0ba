"""One error shape everywhere, and a migration that matches the models."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from fastapi.testclient import TestClient

from api.db.engine import make_engine
from api.db.migrate import current_revision, head_revision, upgrade_to_head
from api.db.models import Base


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("get", "/api/v1/photos/12345", 404, "photo_not_found"),
        ("get", "/api/v1/photos/12345/image", 404, "photo_not_found"),
        ("get", "/api/v1/photos/abc", 422, "invalid_request"),
        ("get", "/api/v1/photos/0", 422, "invalid_request"),
        ("get", "/api/v1/signs?limit=0", 422, "invalid_request"),
        ("get", "/api/v1/signs?limit=201", 422, "invalid_request"),
        ("get", "/api/v1/signs?status=maybe", 422, "invalid_request"),
        ("get", "/api/v1/nothing-here", 404, "not_found"),
        ("delete", "/api/v1/photos", 405, "method_not_allowed"),
    ],
)
def test_errors_are_json_with_code_and_detail(
    client: TestClient, method: str, path: str, status: int, code: str
) -> None:
    response = client.request(method, path)

    assert response.status_code == status
    body = response.json()
    assert set(body) == {"code", "detail"}
    assert body["code"] == code
    assert isinstance(body["detail"], str) and body["detail"]


def test_validation_detail_names_the_parameter(client: TestClient) -> None:
    body = client.get("/api/v1/signs", params={"limit": 0}).json()

    assert body["detail"].startswith("limit: ")


def test_openapi_schema_documents_the_upload(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    upload = schema["paths"]["/api/v1/photos"]["post"]

    assert "file" in upload["requestBody"]["content"]["multipart/form-data"]["schema"]["properties"]
    assert "202" in upload["responses"] and "413" in upload["responses"]


def test_migrations_reach_head_once_and_match_the_models(tmp_path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    try:
        upgrade_to_head(engine)
        upgrade_to_head(engine)  # idempotent: a restart does nothing
        assert current_revision(engine) == head_revision() == "0004_content_analysis"
        with engine.connect() as conn:
            diff = compare_metadata(
                MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata
            )
        assert diff == []
    finally:
        engine.dispose()


def _migrate(engine, verb: str, revision: str) -> None:
    from alembic import command

    from api.db.migrate import alembic_config

    config = alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        getattr(command, verb)(config, revision)


def _database_with_an_old_photo(tmp_path, revision: str):
    """A SQLite registry at ``revision`` holding photo 1, scanned by detector v5."""
    from sqlalchemy import text

    engine = make_engine(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    _migrate(engine, "upgrade", revision)
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO photos (id, sha256, original_filename, stored_path, content_type, "
            "size_bytes, width_px, height_px, uploaded_at, status, attempts, model_version) "
            "VALUES (1, 'ab', 'old.jpg', 'ab.jpg', 'image/jpeg', 10, 4, 3, "
            "'2026-01-05 10:00:00', 'done', 1, 'v5')"))
    return engine


def test_a_database_of_the_first_revision_upgrades_with_its_photos(tmp_path) -> None:
    """A municipality's registry made before photos named their content network and analysis
    keeps every photo; those photos say nothing (null) about either rather than a guess."""
    from sqlalchemy import text

    engine = _database_with_an_old_photo(tmp_path, "0001_initial")
    try:
        upgrade_to_head(engine)
        with engine.connect() as conn:
            rows = conn.execute(text(
                "SELECT original_filename, model_version, content_model_version, "
                "content_analysis FROM photos"))
            assert rows.all() == [("old.jpg", "v5", None, None)]
        _migrate(engine, "downgrade", "0001_initial")  # and back, keeping the photo
        with engine.connect() as conn:
            assert conn.execute(text("SELECT model_version FROM photos")).all() == [("v5",)]
    finally:
        engine.dispose()


def _add_an_old_candidate(engine) -> None:
    """Photo 1's sign, as the first revisions stored it."""
    from sqlalchemy import text

    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO candidates (photo_id, index_in_photo, sign_class, confidence, "
            "bbox_xyxy, corners_px, corners_source, scripts, thai_below_foreign, "
            "has_graphics, moving, content_confidence, content_needs_review, sign_type, "
            "tax_year, tax, status, created_at) VALUES (1, 0, 'signboard', 0.9, "
            "'[0, 0, 2, 1]', '[[0, 0], [2, 0], [2, 1], [0, 1]]', 'box', '[\"thai\"]', 0, 0, "
            "0, 0.8, 0, 1, 2026, '{}', 'candidate', '2026-01-05 10:00:00')"))


def test_downgrading_to_the_first_revision_keeps_the_signs(tmp_path) -> None:
    """Dropping a photos column must not copy the table on SQLite: dropping the old table
    would cascade to its candidates (it did, for the downgrades of 0002 and 0004)."""
    from sqlalchemy import text

    engine = _database_with_an_old_photo(tmp_path, "0001_initial")
    try:
        _add_an_old_candidate(engine)
        upgrade_to_head(engine)
        _migrate(engine, "downgrade", "0001_initial")
        with engine.connect() as conn:
            assert conn.execute(text("SELECT photo_id, sign_class FROM candidates")).all() == [
                (1, "signboard")]
    finally:
        engine.dispose()


def test_candidates_scanned_before_the_evidence_was_kept_say_null(tmp_path) -> None:
    """Signs stored at revision 0002 had their lines read but not kept: after the upgrade the
    API says null ("not recorded"), not an empty list (which would mean nothing legible)."""
    from sqlalchemy import text
    from sqlalchemy.orm import Session

    from api.db.models import CandidateRow
    from api.routes.schemas import CandidateOut

    engine = _database_with_an_old_photo(tmp_path, "0002_content_model_version")
    try:
        _add_an_old_candidate(engine)
        upgrade_to_head(engine)
        with Session(engine) as session:
            row = session.query(CandidateRow).one()
            content = CandidateOut.of(row).content
            assert (content.lines, content.note, content.scripts) == (None, None, ["thai"])
        _migrate(engine, "downgrade", "0002_content_model_version")  # and back, keeping it
        with engine.connect() as conn:
            assert conn.execute(text("SELECT sign_class FROM candidates")).all() == [("signboard",)]
    finally:
        engine.dispose()
