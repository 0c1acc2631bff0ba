"""The server-rendered pages: Thai first, self-contained, showing what the API knows."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from tests.api.service.service_support import photo_bytes, upload, wait_for_scan

HTML = {"accept": "text/html"}
# Anything that would make the browser fetch from another host.
EXTERNAL = re.compile(r"""(?:src|href|action)\s*=\s*["']?(?:https?:)?//""", re.IGNORECASE)


def _assert_self_contained_thai_page(response) -> str:
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    assert '<html lang="th">' in html
    assert '<meta charset="utf-8">' in html
    assert not EXTERNAL.search(html), EXTERNAL.search(html)
    csp = response.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    return html


@pytest.fixture
def scanned_photo(client: TestClient) -> dict:
    photo_id = upload(client, photo_bytes(20), filename="ร้านข้าวมันไก่.jpg").json()["photo_id"]
    return wait_for_scan(client, photo_id)


def test_upload_page_has_the_form_and_recent_photos(client: TestClient, scanned_photo) -> None:
    html = _assert_self_contained_thai_page(client.get("/", headers=HTML))

    assert "อัปโหลดภาพ" in html and "Upload photo" in html
    assert 'type="file"' in html and "multiple" in html
    assert 'name="distance_m"' in html
    assert '<script src="/static/upload.js"' in html
    assert "ร้านข้าวมันไก่.jpg" in html
    assert f'href="/photos/{scanned_photo["id"]}"' in html
    assert "เสร็จแล้ว / Done" in html


def test_photo_page_draws_boxes_and_lists_the_signs(client: TestClient, scanned_photo) -> None:
    photo_id = scanned_photo["id"]
    html = _assert_self_contained_thai_page(client.get(f"/photos/{photo_id}", headers=HTML))

    assert f'src="/api/v1/photos/{photo_id}/image"' in html
    assert 'viewBox="0 0 64 48"' in html
    assert html.count('<polygon points=') == 3  # the signs' outlines
    assert 'points="10.0,20.0 60.0,20.0 60.0,40.0 10.0,40.0"' in html
    # Where each line was read, drawn through the crop's transform and clipped to the crop:
    # the three signs' Thai lines; the mixed sign's Latin and weak Thai lines lie below its
    # 50 x 20 px crop in this fake, so nothing is drawn for them. (The crop's edge is a pixel
    # past the sign's corners: the corner pixels' centres sit on them.)
    assert html.count('<polygon class="text-line"') == 3
    assert ('<polygon class="text-line" points="14.1,23.2 61.0,23.2 61.0,41.1 14.1,41.1" '
            'fill="none" stroke="#16a34a"') in html
    assert "บรรทัดอักษรไทย" in html and "foreign line" in html  # the key to the colours
    assert "300 × 100 cm" in html
    assert "ไม่ทราบขนาด" in html and "no scale" in html  # the unmeasured sign says why
    assert "ประเภท 2 / Type 2" in html
    assert "1,560.00" in html
    assert "/static/photo.js" not in html  # scan finished: no polling
    # The evidence behind each type, for the officer: the lines read, their scripts, the note.
    assert html.count('<tr class="evidence">') == 3
    assert '<q lang="th">ร้านข้าวมันไก่</q> <span class="muted">91%</span>' in html
    assert "ละติน / Latin" in html and "<q>CHICKEN RICE</q>" in html
    # A line read too unsurely is shown, marked as not counted.
    assert ('<span class="line weak"><span class="script">ไทย / Thai</span> <q lang="th">อเพห</q> '
            '<span class="muted">30% ไม่นับ <span class="en">not counted</span></span></span>'
            in html)
    assert html.count("not counted") == 1
    assert "the network agrees with the OCR" in html
    assert html.count('<span class="review-flag">') == 1  # only the mixed sign needs review
    # Two confidences, named apart: that it is a sign, and that its tax type is right.
    assert "Detection confidence" in html and "type confidence</span> 80%" in html
    # Why each type, from the decided facts (two Thai-only signs, one with Latin and a logo).
    assert html.count("Thai with foreign characters and pictures or marks, so type 2") == 1
    assert html.count("Thai characters only, so type 1") == 2


def test_signs_page_lists_candidates_by_baht_at_risk(client: TestClient, scanned_photo) -> None:
    html = _assert_self_contained_thai_page(client.get("/signs", headers=HTML))

    assert "ป้ายรอตรวจสอบ" in html and "baht at risk" in html
    body = html[html.index("<tbody>") :]
    order = re.findall(r"Signboard|Window ad|Projecting sign", body)
    assert order == ["Signboard", "Window ad", "Projecting sign"]
    assert body.index("624.00") < body.index("no scale")
    # The sign whose type needs review says so in the queue (the Type 2 signboard, first).
    assert body.count('<span class="review-flag">') == 1
    assert body.index("review-flag") < body.index("Window ad")


def test_empty_pages_render(client: TestClient) -> None:
    assert "ยังไม่มีภาพ" in _assert_self_contained_thai_page(client.get("/", headers=HTML))
    assert "ไม่มีป้ายรอตรวจสอบ" in _assert_self_contained_thai_page(client.get("/signs"))


def test_static_assets_are_served(client: TestClient) -> None:
    css = client.get("/static/style.css")
    assert css.status_code == 200
    assert '"Noto Sans Thai"' in css.text and "Loma" in css.text
    assert "@import" not in css.text and "url(" not in css.text
    assert client.get("/static/upload.js").status_code == 200


def test_a_missing_photo_is_a_thai_error_page_for_browsers_and_json_for_the_api(
    client: TestClient,
) -> None:
    page = client.get("/photos/999", headers=HTML)
    api = client.get("/api/v1/photos/999", headers=HTML)

    assert page.status_code == 404
    assert '<html lang="th">' in page.text
    assert "photo 999 does not exist" in page.text
    assert api.status_code == 404
    assert api.json() == {"code": "photo_not_found", "detail": "photo 999 does not exist"}


def test_upload_page_warns_when_the_model_cannot_load(tmp_path):
    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.settings import Settings

    settings = Settings(data_dir=tmp_path, model_dir=tmp_path / "no-model")
    import time

    with TestClient(create_app(settings)) as client:
        deadline = time.monotonic() + 30
        # The worker thread tries to load the model in the background.
        while client.get("/healthz").json()["model_error"] is None:
            assert time.monotonic() < deadline, "the worker never reported the model error"
            time.sleep(0.05)
        page = client.get("/")
    assert page.status_code == 200
    assert "The sign detector is not loaded" in page.text
