"""Upload → scan → candidates, and every way an upload is refused."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, func, select

from api.app import create_app
from api.db.models import AuditEventRow, PhotoRow
from tests.api.service.service_support import (
    FakeScanner,
    fake_pricer,
    photo_bytes,
    upload,
    wait_for_scan,
)


def _count_rows(settings_url: str, model: type) -> int:
    engine = create_engine(settings_url)
    try:
        with engine.connect() as conn:
            return conn.scalar(select(func.count()).select_from(model)) or 0
    finally:
        engine.dispose()


def _stored_files(photo_dir: Path) -> list[Path]:
    return [p for p in photo_dir.rglob("*") if p.is_file()]


def test_upload_is_scanned_and_candidates_are_ordered_by_baht_at_risk(
    client: TestClient, scanner: FakeScanner
) -> None:
    data = photo_bytes(1)
    response = upload(client, data, filename="ถนนนิพัทธ์อุทิศ.jpg", distance_m="6.5", surveyor="สมชาย")

    assert response.status_code == 202
    accepted = response.json()
    assert accepted["duplicate"] is False
    assert accepted["status"] == "queued"
    assert response.headers["location"] == f"/api/v1/photos/{accepted['photo_id']}"

    photo = wait_for_scan(client, accepted["photo_id"])
    assert photo["status"] == "done", photo["error"]
    assert photo["error"] is None
    assert photo["filename"] == "ถนนนิพัทธ์อุทิศ.jpg"
    assert photo["size_wh"] == [64, 48]
    assert photo["distance_m"] == 6.5
    assert photo["uploaded_by"] == "สมชาย"
    assert photo["model_version"] == "fake-1"
    assert photo["content_model_version"] == "fake-c1"
    assert photo["content_analysis"] == "fake-a1"
    assert scanner.calls == [("ถนนนิพัทธ์อุทิศ.jpg", 6.5)]
    # Within a photo, candidates keep detection order.
    assert [c["sign_class"] for c in photo["candidates"]] == [
        "window_ad",
        "projecting_sign",
        "signboard",
    ]
    unmeasured = photo["candidates"][1]
    assert unmeasured["measurement"] is None
    assert unmeasured["measurement_missing_reason"].startswith("no scale")
    assert unmeasured["due_baht"] is None
    big = photo["candidates"][2]
    assert big["measurement"]["area_cm2"] == pytest.approx(30000)
    assert big["measurement"]["area_ci95_cm2"] == pytest.approx([24000, 36000])
    assert big["content"]["scripts"] == ["latin", "thai"]
    # The evidence behind the type travels with the candidate, for the officer.
    assert big["content"]["lines"] == [
        {"text": "ร้านข้าวมันไก่", "script": "thai", "bbox_xyxy": [4.0, 3.0, 120.0, 30.0],
         "confidence": 0.91, "evidence": True},
        {"text": "CHICKEN RICE", "script": "latin", "bbox_xyxy": [6.0, 34.0, 118.0, 52.0],
         "confidence": 0.88, "evidence": True},
        {"text": "อเพห", "script": "thai", "bbox_xyxy": [6.0, 54.0, 40.0, 60.0],
         "confidence": 0.3, "evidence": False},
    ]
    assert big["content"]["note"] == "the network agrees with the OCR"
    assert photo["candidates"][0]["content"]["note"] == ""
    assert Decimal(big["due_baht"]) == Decimal("1560.00")  # 60 units x 26 baht, type 2
    assert big["tax"]["assessment"]["units_500"] == 60

    signs = client.get("/api/v1/signs").json()
    assert signs["total"] == 3
    risks = [s["baht_at_risk"] for s in signs["items"]]
    # Most baht at risk first; the unpriced sign last.
    assert risks == ["624.00", "5.00", None]
    assert [s["sign_class"] for s in signs["items"]] == [
        "signboard",
        "window_ad",
        "projecting_sign",
    ]
    assert all(s["status"] == "candidate" for s in signs["items"])

    image = client.get(f"/api/v1/photos/{accepted['photo_id']}/image")
    assert image.status_code == 200
    assert image.content == data
    assert image.headers["content-type"] == "image/jpeg"


def test_signs_are_paged_and_ordered_across_photos(make_settings, scanner: FakeScanner) -> None:
    app = create_app(make_settings(), scanner=scanner, pricer=fake_pricer)
    with TestClient(app) as client:
        ids = [upload(client, photo_bytes(seed)).json()["photo_id"] for seed in (1, 2)]
        for photo_id in ids:
            assert wait_for_scan(client, photo_id)["status"] == "done"

        first = client.get("/api/v1/signs", params={"limit": 4}).json()
        second = client.get("/api/v1/signs", params={"limit": 4, "offset": 4}).json()

    assert first["total"] == second["total"] == 6
    items = first["items"] + second["items"]
    assert len(items) == 6
    risks = [Decimal(s["baht_at_risk"]) for s in items if s["baht_at_risk"] is not None]
    assert risks == sorted(risks, reverse=True)
    assert [s["baht_at_risk"] for s in items[-2:]] == [None, None]


def test_same_bytes_again_return_the_first_photo_without_a_new_scan(
    client: TestClient, scanner: FakeScanner
) -> None:
    data = photo_bytes(2)
    first = upload(client, data).json()
    wait_for_scan(client, first["photo_id"])

    again = upload(client, data, filename="renamed.jpg")

    assert again.status_code == 202
    assert again.json() == {
        "photo_id": first["photo_id"],
        "status": "done",
        "duplicate": True,
        "url": f"/api/v1/photos/{first['photo_id']}",
    }
    assert len(scanner.calls) == 1
    assert len(client.get("/api/v1/photos").json()["items"]) == 1


def test_upload_and_scan_are_audited(client: TestClient, make_settings) -> None:
    photo_id = upload(client, photo_bytes(3), surveyor="Somchai").json()["photo_id"]
    wait_for_scan(client, photo_id)

    engine = create_engine(make_settings().database_url)
    with engine.connect() as conn:
        events = conn.execute(
            select(AuditEventRow.action, AuditEventRow.actor, AuditEventRow.entity_id,
                   AuditEventRow.detail).order_by(AuditEventRow.id)
        ).all()
    engine.dispose()
    assert [tuple(e[:3]) for e in events] == [
        ("photo.uploaded", "Somchai", str(photo_id)),
        ("photo.scanned", "worker", str(photo_id)),
    ]
    scanned = events[1].detail
    assert (scanned["model_version"], scanned["content_model_version"],
            scanned["content_analysis"]) == ("fake-1", "fake-c1", "fake-a1")


@pytest.mark.parametrize(
    ("payload", "status", "code", "reason"),
    [
        (b"", 422, "empty_upload", "empty"),
        (b"this is not a photo", 422, "invalid_image", "not an image"),
        (photo_bytes(4)[:300], 422, "invalid_image", "corrupt or truncated"),
        (b"x" * 5000, 413, "upload_too_large", "upload limit"),
    ],
    ids=["empty", "not-an-image", "truncated-jpeg", "too-large"],
)
def test_bad_files_are_refused_with_a_reason_and_leave_nothing_behind(
    make_settings, scanner: FakeScanner, payload: bytes, status: int, code: str, reason: str
) -> None:
    settings = make_settings(max_upload_bytes=4096)
    with TestClient(create_app(settings, scanner=scanner, pricer=fake_pricer)) as client:
        response = upload(client, payload)

    assert response.status_code == status
    body = response.json()
    assert body["code"] == code
    assert reason in body["detail"]
    assert set(body) == {"code", "detail"}
    assert _count_rows(settings.database_url, PhotoRow) == 0
    assert _stored_files(settings.photos_path) == []
    assert scanner.calls == []


def test_too_many_pixels_is_refused_with_visions_message(make_settings, scanner) -> None:
    settings = make_settings(max_pixels=1000)
    with TestClient(create_app(settings, scanner=scanner, pricer=fake_pricer)) as client:
        response = upload(client, photo_bytes(5))

    assert response.status_code == 422
    assert response.json()["code"] == "invalid_image"
    assert "MP limit" in response.json()["detail"]


def test_oversized_body_is_refused_from_its_declared_length(make_settings, scanner) -> None:
    settings = make_settings(max_upload_bytes=4096)
    with TestClient(create_app(settings, scanner=scanner, pricer=fake_pricer)) as client:
        response = client.post(
            "/api/v1/photos",
            content=b"0" * (200 * 1024),
            headers={"content-type": "multipart/form-data; boundary=xyz"},
        )
    assert response.status_code == 413
    assert response.json() == {
        "code": "upload_too_large",
        "detail": "the file is larger than the 4 KiB upload limit",
    }


@pytest.mark.parametrize(
    ("distance", "ok"),
    [
        ("6.5", True),
        ("", True),
        ("abc", False),
        ("0", False),
        ("-2", False),
        ("nan", False),
        ("inf", False),
        ("5000", False),
    ],
)
def test_distance_is_validated(client: TestClient, distance: str, ok: bool) -> None:
    response = upload(client, photo_bytes(6), distance_m=distance)

    if ok:
        assert response.status_code == 202
    else:
        assert response.status_code == 422
        assert response.json()["code"] == "invalid_distance"
        assert "distance_m" in response.json()["detail"]
        assert client.get("/api/v1/photos").json()["items"] == []


def test_upload_without_a_file_field_is_refused(client: TestClient) -> None:
    response = client.post("/api/v1/photos", data={"distance_m": "5"})

    assert response.status_code == 422
    assert response.json() == {
        "code": "missing_file",
        "detail": "send the photo as a multipart/form-data field named 'file'",
    }


def test_too_long_surveyor_name_is_refused(client: TestClient) -> None:
    response = upload(client, photo_bytes(7), surveyor="ก" * 101)

    assert response.status_code == 422
    assert response.json()["code"] == "invalid_surveyor"


def test_the_real_tax_engine_prices_the_candidates(make_settings) -> None:
    """No pricer injected: the service prices with ``api.pricing`` and stores its document."""
    with TestClient(create_app(make_settings(), scanner=FakeScanner())) as client:
        photo = wait_for_scan(client, upload(client, photo_bytes(8)).json()["photo_id"])
        signs = client.get("/api/v1/signs").json()["items"]

    assert photo["status"] == "done", photo["error"]
    window_ad, unmeasured, big = photo["candidates"]
    assert big["sign_type"] == big["tax"]["content"]["tax_type"] == 2
    assert big["due_baht"] == big["tax"]["tax"]["due_baht"] == "1560.00"  # 60 units x 26 baht
    assert big["baht_at_risk"] == big["tax"]["tax"]["baht_at_risk"]
    assert window_ad["sign_type"] == 1
    assert Decimal(window_ad["due_baht"]) == Decimal("200.00")  # the per-sign minimum
    assert unmeasured["due_baht"] is None and unmeasured["baht_at_risk"] is None
    assert unmeasured["tax"]["tax"] is None
    assert unmeasured["tax_missing_reason"].startswith("no area, so no tax")
    risks = [Decimal(s["baht_at_risk"]) for s in signs if s["baht_at_risk"] is not None]
    assert risks == sorted(risks, reverse=True)
    assert signs[-1]["id"] == unmeasured["id"]


def test_a_streamed_body_is_cut_off_once_it_passes_the_limit(make_settings, scanner) -> None:
    """No Content-Length (chunked): the limit is enforced while the bytes arrive."""
    settings = make_settings(max_upload_bytes=4096)
    sent = 0

    def body():
        nonlocal sent
        yield b'--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\n\r\n'
        for _ in range(1000):  # up to 64 MB, far past the limit
            sent += 65536
            yield b"\0" * 65536

    with TestClient(create_app(settings, scanner=scanner, pricer=fake_pricer)) as client:
        response = client.post(
            "/api/v1/photos",
            content=body(),
            headers={"content-type": "multipart/form-data; boundary=xyz"},
        )

    assert response.status_code == 413
    assert response.json()["code"] == "upload_too_large"
    assert _count_rows(settings.database_url, PhotoRow) == 0


def test_a_concurrent_duplicate_that_wins_the_insert_race_is_returned(
    make_settings, monkeypatch
) -> None:
    """Both uploads pass the duplicate check; the unique index decides, the loser gets the winner."""
    from api.db.engine import Database
    from api.db.migrate import upgrade_to_head
    from api.repository import photos
    from api.services.ingest import IngestService
    from api.services.photo_store import PhotoStore

    settings = make_settings()
    db = Database(settings.database_url)
    upgrade_to_head(db.engine)
    service = IngestService(
        db, PhotoStore(settings.photos_path), max_upload_bytes=10**6, max_pixels=10**7
    )
    data = photo_bytes(9)
    first = service.ingest(data, filename="a.jpg")
    real_lookup = photos.by_sha256
    calls = []

    def lookup_missing_once(session, sha256):
        calls.append(sha256)
        return None if len(calls) == 1 else real_lookup(session, sha256)

    monkeypatch.setattr(photos, "by_sha256", lookup_missing_once)
    second = service.ingest(data, filename="b.jpg")
    db.dispose()

    assert second.duplicate is True
    assert second.photo_id == first.photo_id
    assert len(calls) == 2
    assert _count_rows(settings.database_url, PhotoRow) == 1


def test_uploading_again_restores_a_stored_file_that_went_missing(
    client: TestClient, make_settings
) -> None:
    data = photo_bytes(19)
    first = upload(client, data).json()
    sha = wait_for_scan(client, first["photo_id"])["sha256"]
    stored = make_settings().photos_path / sha[:2] / sha
    stored.unlink()

    again = upload(client, data).json()

    assert again["duplicate"] is True
    assert stored.read_bytes() == data
    assert client.get(f"/api/v1/photos/{first['photo_id']}/image").content == data


def _rotated_jpeg(size_wh: tuple[int, int], orientation: int) -> bytes:
    import io

    from PIL import Image

    exif = Image.Exif()
    exif[0x0112] = orientation
    buf = io.BytesIO()
    Image.new("RGB", size_wh, (120, 80, 40)).save(buf, format="JPEG", exif=exif)
    return buf.getvalue()


def test_upload_checks_every_byte_and_records_the_upright_size(make_settings, scanner) -> None:
    """Upload validation reads a reduced copy, not the full pixels: it must still refuse a photo
    cut off in its image data (not only in its header) and record the size the photo has once
    turned upright by its EXIF orientation."""
    big = photo_bytes(6, size_wh=(1600, 1200))
    cut = big[: len(big) * 2 // 3]
    settings = make_settings(max_upload_bytes=8 * 1024 * 1024)
    with TestClient(create_app(settings, scanner=scanner, pricer=fake_pricer)) as client:
        refused = upload(client, cut)
        turned = upload(client, _rotated_jpeg((800, 600), orientation=6))
        photo_id = turned.json()["photo_id"]
        photo = client.get(f"/api/v1/photos/{photo_id}").json()

    assert refused.status_code == 422
    assert refused.json()["code"] == "invalid_image"
    assert "corrupt or truncated" in refused.json()["detail"]
    assert turned.status_code == 202
    assert photo["size_wh"] == [600, 800]
