"""Test support for the service tests: a fake scanner and pricer, test images, polling.

Imported by the tests and by ``conftest.py`` (fixtures live there).
"""

from __future__ import annotations

import io
import threading
import time
from decimal import Decimal
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient
from PIL import Image

from api.services.pricing import SignPrice
from vision.types import (
    Detection,
    Measurement,
    MeasureMethod,
    Photo,
    PhotoScan,
    Script,
    SignClass,
    SignContent,
    SignObservation,
    TextLine,
)

SCAN_TIMEOUT_S = 20.0


def observation(
    *,
    sign_class: SignClass = SignClass.SIGNBOARD,
    confidence: float = 0.9,
    bbox: tuple[float, float, float, float] = (10, 10, 50, 30),
    size_cm: tuple[float, float] | None = (300.0, 100.0),
    spread: float = 0.1,
    thai_only: bool = True,
) -> SignObservation:
    """A sign as vision would report it; ``size_cm=None`` means it could not be measured."""
    x1, y1, x2, y2 = bbox
    measurement = None
    reason = "no scale: no reference board and no distance given"
    if size_cm is not None:
        w, h = size_cm
        area = w * h
        measurement = Measurement(
            width_cm=w,
            height_cm=h,
            area_cm2=area,
            area_ci95_cm2=(area * (1 - spread), area * (1 + spread)),
            method=MeasureMethod.EXIF_DISTANCE,
            scale_source="distance 6.00 m, focal 2900 px",
        )
        reason = None
    return SignObservation(
        detection=Detection(
            sign_class=sign_class,
            confidence=confidence,
            bbox_xyxy=bbox,
            corners_px=((x1, y1), (x2, y1), (x2, y2), (x1, y2)),
        ),
        measurement=measurement,
        measurement_missing_reason=reason,
        content=SignContent(
            scripts=frozenset({Script.THAI} if thai_only else {Script.THAI, Script.LATIN}),
            thai_below_foreign=False,
            has_graphics=not thai_only,
            moving_display=False,
            confidence=0.8,
            lines=(TextLine("ร้านข้าวมันไก่", Script.THAI, (4.0, 3.0, 120.0, 30.0), 0.91),)
            + (() if thai_only else (
                TextLine("CHICKEN RICE", Script.LATIN, (6.0, 34.0, 118.0, 52.0), 0.88),
                TextLine("อเพห", Script.THAI, (6.0, 54.0, 40.0, 60.0), 0.3))),
            note="" if thai_only else "the network agrees with the OCR",
            needs_review=not thai_only,
        ),
    )


def default_observations() -> tuple[SignObservation, ...]:
    """Three signs whose baht-at-risk order differs from their detection order."""
    return (
        observation(sign_class=SignClass.WINDOW_AD, bbox=(5, 5, 20, 15), size_cm=(50, 40)),
        observation(
            sign_class=SignClass.PROJECTING_SIGN, bbox=(30, 5, 45, 40), size_cm=None, confidence=0.6
        ),
        observation(bbox=(10, 20, 60, 40), size_cm=(300, 100), spread=0.2, thai_only=False),
    )


class FakeScanner:
    """Stands in for ``vision.pipeline`` scanners: returns fixed observations, records calls."""

    model_version = "fake-1"
    content_version = "fake-c1"
    content_analysis = "fake-a1"

    def __init__(
        self,
        observations: tuple[SignObservation, ...] | None = None,
        *,
        error: Exception | None = None,
        gate: threading.Event | None = None,
    ) -> None:
        self.observations = default_observations() if observations is None else observations
        self.error = error
        self.gate = gate
        self.calls: list[tuple[str, float | None]] = []

    def scan(self, photo: Photo, *, distance_m: float | None = None) -> PhotoScan:
        self.calls.append((photo.source_name, distance_m))
        if self.gate is not None:
            self.gate.wait(SCAN_TIMEOUT_S)
        if self.error is not None:
            raise self.error
        return PhotoScan(
            source_name=photo.source_name,
            size_wh=photo.size_wh,
            camera=photo.camera,
            observations=self.observations,
        )


RATE_BAHT_PER_UNIT = {1: Decimal(5), 2: Decimal(26), 3: Decimal(50)}


def fake_pricer(obs: SignObservation, *, tax_year: int) -> SignPrice:
    """Simple stand-in for the tax engine, with the same result shape."""
    sign_type = 1 if obs.content.scripts == frozenset({Script.THAI}) else 2
    m = obs.measurement
    if m is None:
        return SignPrice(
            sign_type=sign_type,
            due_baht=None,
            baht_at_risk=None,
            tax_missing_reason="no measurement",
            detail={"sign_type": sign_type, "assessment": None, "tax_year": tax_year},
        )
    rate = RATE_BAHT_PER_UNIT[sign_type]
    units = int(m.area_cm2 // 500)
    due = max(Decimal(200), units * rate)
    lo, hi = m.area_ci95_cm2
    risk = (Decimal(int(hi // 500)) - Decimal(int(lo // 500))) * rate
    return SignPrice(
        sign_type=sign_type,
        due_baht=due,
        baht_at_risk=risk,
        tax_missing_reason=None,
        detail={
            "sign_type": sign_type,
            "tax_year": tax_year,
            "assessment": {"units_500": units, "due_baht": due, "baht_at_risk": risk},
        },
    )


def photo_bytes(seed: int = 0, size_wh: tuple[int, int] = (64, 48)) -> bytes:
    rng = np.random.default_rng(seed)
    pixels = rng.integers(0, 256, size=(size_wh[1], size_wh[0], 3), dtype=np.uint8)
    buf = io.BytesIO()
    Image.fromarray(pixels).save(buf, format="JPEG", quality=90)
    return buf.getvalue()


def upload(
    client: TestClient,
    data: bytes,
    *,
    filename: str = "street.jpg",
    **fields: str,
) -> Any:
    return client.post(
        "/api/v1/photos", files={"file": (filename, data, "image/jpeg")}, data=fields
    )


def wait_for_scan(client: TestClient, photo_id: int, timeout_s: float = SCAN_TIMEOUT_S) -> dict:
    """Poll the photo until its scan is done or failed; fail the test on timeout."""
    deadline = time.monotonic() + timeout_s
    while True:
        body = client.get(f"/api/v1/photos/{photo_id}").json()
        if body["status"] in ("done", "failed"):
            return body
        if time.monotonic() > deadline:
            pytest.fail(f"photo {photo_id} still {body['status']} after {timeout_s} s")
        time.sleep(0.02)
