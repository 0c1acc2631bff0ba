"""The scan worker: crash resume, failures, rescans, and a model that will not load."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import create_engine, select, update

from api.app import create_app
from api.db.models import AuditEventRow, CandidateRow, PhotoRow
from tests.api.service.service_support import (
    SCAN_TIMEOUT_S,
    FakeScanner,
    fake_pricer,
    photo_bytes,
    upload,
    wait_for_scan,
)
from vision.types import Camera, PhotoScan


def _simulate_crash_mid_scan(database_url: str, photo_id: int, *, attempts: int = 1) -> None:
    """Put the DB where a process killed during a scan leaves it: processing, half-written."""
    engine = create_engine(database_url)
    with engine.begin() as conn:
        conn.execute(
            update(PhotoRow)
            .where(PhotoRow.id == photo_id)
            .values(status="processing", claim_token="dead-worker", attempts=attempts, error=None)
        )
    engine.dispose()


def _audit_actions(database_url: str, photo_id: int) -> list[str]:
    engine = create_engine(database_url)
    with engine.connect() as conn:
        rows = conn.scalars(
            select(AuditEventRow.action)
            .where(AuditEventRow.entity_id == str(photo_id))
            .order_by(AuditEventRow.id)
        ).all()
    engine.dispose()
    return list(rows)


def test_scan_interrupted_by_a_crash_is_resumed_by_the_next_start(make_settings) -> None:
    settings = make_settings()
    first_scanner = FakeScanner(observations=())
    with TestClient(create_app(settings, scanner=first_scanner, pricer=fake_pricer)) as client:
        photo_id = upload(client, photo_bytes(10)).json()["photo_id"]
        wait_for_scan(client, photo_id)
    _simulate_crash_mid_scan(settings.database_url, photo_id)

    second_scanner = FakeScanner()
    with TestClient(create_app(settings, scanner=second_scanner, pricer=fake_pricer)) as client:
        photo = wait_for_scan(client, photo_id)

    assert photo["status"] == "done"
    assert photo["attempts"] == 2
    assert len(photo["candidates"]) == 3
    assert len(second_scanner.calls) == 1
    assert _audit_actions(settings.database_url, photo_id) == [
        "photo.uploaded",
        "photo.scanned",
        "photo.requeued",
        "photo.scanned",
    ]


def test_candidates_of_an_interrupted_scan_are_replaced_not_duplicated(make_settings) -> None:
    settings = make_settings()
    with TestClient(create_app(settings, scanner=FakeScanner(), pricer=fake_pricer)) as client:
        photo_id = upload(client, photo_bytes(11)).json()["photo_id"]
        wait_for_scan(client, photo_id)
    _simulate_crash_mid_scan(settings.database_url, photo_id)

    with TestClient(create_app(settings, scanner=FakeScanner(), pricer=fake_pricer)) as client:
        wait_for_scan(client, photo_id)
        total = client.get("/api/v1/signs").json()["total"]

    assert total == 3


def test_a_photo_interrupted_too_often_is_failed_not_retried(make_settings) -> None:
    settings = make_settings()
    with TestClient(create_app(settings, scanner=FakeScanner(), pricer=fake_pricer)) as client:
        photo_id = upload(client, photo_bytes(12)).json()["photo_id"]
        wait_for_scan(client, photo_id)
    _simulate_crash_mid_scan(settings.database_url, photo_id, attempts=3)

    scanner = FakeScanner()
    with TestClient(create_app(settings, scanner=scanner, pricer=fake_pricer)) as client:
        photo = client.get(f"/api/v1/photos/{photo_id}").json()

    assert photo["status"] == "failed"
    assert "interrupted 3 times" in photo["error"]
    assert scanner.calls == []


def test_shutdown_waits_for_the_running_scan(make_settings) -> None:
    gate = threading.Event()
    scanner = FakeScanner(gate=gate)
    settings = make_settings()
    with TestClient(create_app(settings, scanner=scanner, pricer=fake_pricer)) as client:
        photo_id = upload(client, photo_bytes(13)).json()["photo_id"]
        deadline = time.monotonic() + SCAN_TIMEOUT_S
        while not scanner.calls and time.monotonic() < deadline:
            time.sleep(0.01)
        assert scanner.calls, "the worker never started the scan"
        assert client.get(f"/api/v1/photos/{photo_id}").json()["status"] == "processing"
        threading.Timer(0.2, gate.set).start()
    # Leaving the block ran the shutdown, which let the scan finish and record its result.
    engine = create_engine(settings.database_url)
    with engine.connect() as conn:
        status = conn.scalar(select(PhotoRow.status).where(PhotoRow.id == photo_id))
        n = conn.scalar(select(CandidateRow.id).where(CandidateRow.photo_id == photo_id).limit(1))
    engine.dispose()
    assert status == "done"
    assert n is not None


def test_a_scanner_error_fails_the_photo_and_a_rescan_retries_it(make_settings) -> None:
    scanner = FakeScanner(error=RuntimeError("CUDA out of memory"))
    with TestClient(create_app(make_settings(), scanner=scanner, pricer=fake_pricer)) as client:
        photo_id = upload(client, photo_bytes(14)).json()["photo_id"]
        failed = wait_for_scan(client, photo_id)
        assert failed["status"] == "failed"
        assert failed["error"] == "scan failed: RuntimeError: CUDA out of memory"
        assert client.get("/healthz").json()["worker"] == "running"  # the worker survived

        not_again = client.post(f"/api/v1/photos/{photo_id + 1}/rescan")
        assert not_again.status_code == 404

        scanner.error = None
        response = client.post(f"/api/v1/photos/{photo_id}/rescan")
        assert response.status_code == 202
        done = wait_for_scan(client, photo_id)
        assert done["status"] == "done"
        assert done["error"] is None

        conflict = client.post(f"/api/v1/photos/{photo_id}/rescan")
        assert conflict.status_code == 409
        assert conflict.json()["code"] == "photo_not_failed"


def test_a_missing_stored_file_fails_the_photo_with_a_reason(make_settings) -> None:
    gate = threading.Event()
    settings = make_settings()
    scanner = FakeScanner(gate=gate)
    with TestClient(create_app(settings, scanner=scanner, pricer=fake_pricer)) as client:
        blocker = upload(client, photo_bytes(15)).json()["photo_id"]
        victim = upload(client, photo_bytes(16)).json()["photo_id"]
        sha = client.get(f"/api/v1/photos/{victim}").json()["sha256"]
        (Path(settings.photos_path) / sha[:2] / sha).unlink()
        gate.set()
        assert wait_for_scan(client, blocker)["status"] == "done"
        photo = wait_for_scan(client, victim)
        image = client.get(f"/api/v1/photos/{victim}/image")

    assert photo["status"] == "failed"
    assert "cannot be read" in photo["error"]
    assert image.status_code == 404
    assert image.json()["code"] == "photo_file_missing"


def test_without_a_loadable_model_jobs_wait_and_health_says_why(make_settings, tmp_path) -> None:
    empty_model_dir = tmp_path / "empty-model"
    empty_model_dir.mkdir()
    settings = make_settings(model_dir=empty_model_dir)
    with TestClient(create_app(settings, pricer=fake_pricer)) as client:  # no scanner injected
        photo_id = upload(client, photo_bytes(17)).json()["photo_id"]
        # The worker tries to load the model in its thread (importing torch first): wait for
        # the failure to be known, however slow the machine is.
        deadline = time.monotonic() + SCAN_TIMEOUT_S
        health = client.get("/healthz")
        while health.json()["model_error"] is None and time.monotonic() < deadline:
            time.sleep(0.1)
            health = client.get("/healthz")
        photo = client.get(f"/api/v1/photos/{photo_id}").json()

    assert photo["status"] == "queued"
    assert health.status_code == 200
    body = health.json()
    assert body["model"] is None
    assert body["database"] == "ok"
    assert body["model_error"].startswith(f"cannot load the model from {empty_model_dir}")


def test_health_reports_the_model_and_database(client: TestClient) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "model": "fake-1",
        "database": "ok",
        "worker": "running",
        "model_error": None,
        "content_model": "fake-c1",
        "content_analysis": "fake-a1",
    }


def test_provider_hands_bytes_to_a_scanner_that_takes_them(tmp_path: Path) -> None:
    """The vision scanner decodes itself (preview first); a plain scanner gets a decoded photo."""
    from api.services.scanning import ScannerProvider

    class BytesScanner(FakeScanner):
        def scan_data(self, data, *, source_name, max_pixels, distance_m=None):
            self.calls.append((f"{len(data)} bytes {source_name} {max_pixels}", distance_m))
            # as the vision scanner does: the result names the models that made it
            return PhotoScan(source_name, (8, 6), Camera(), detector_version="own-d",
                             content_version=None, content_analysis="own-a")

    data = photo_bytes(3)
    by_bytes = BytesScanner()
    provider = ScannerProvider(model_dir=tmp_path, scanner=by_bytes)
    scan = provider.scan_data(data, source_name="a.jpg", max_pixels=99_000_000, distance_m=4.0)
    assert by_bytes.calls == [(f"{len(data)} bytes a.jpg 99000000", 4.0)]
    assert (scan.size_wh, scan.detector_version, scan.content_version,
            scan.content_analysis) == ((8, 6), "own-d", None, "own-a")

    by_photo = FakeScanner(observations=())
    scan = ScannerProvider(model_dir=tmp_path, scanner=by_photo).scan_data(
        data, source_name="b.jpg", max_pixels=99_000_000, distance_m=None)
    assert by_photo.calls == [("b.jpg", None)] and scan.size_wh[0] > 0
    # a scanner whose results name no model: the provider names that scanner's versions
    assert (scan.detector_version, scan.content_version, scan.content_analysis) == (
        "fake-1", "fake-c1", "fake-a1")
