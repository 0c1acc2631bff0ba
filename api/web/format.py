"""Display helpers for the templates: Thai-first, bilingual, Buddhist-era dates."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import cv2

from api.pricing import classify_facts
from api.tax import classify, classify_reason
from vision.sign_crop import sign_crop_frame

THAI_TIME = timezone(timedelta(hours=7), "ICT")
BUDDHIST_ERA_OFFSET = 543
_THAI_MONTHS = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)  # fmt: skip

_SIGN_TYPES = {
    1: ("ประเภท 1", "Type 1: Thai only"),
    2: ("ประเภท 2", "Type 2: Thai with foreign text or images"),
    3: ("ประเภท 3", "Type 3: no Thai, or Thai below foreign text"),
}
_SIGN_CLASSES = {
    "signboard": ("ป้ายหน้าร้าน", "Signboard"),
    "projecting_sign": ("ป้ายยื่น", "Projecting sign"),
    "window_ad": ("ป้ายติดกระจก", "Window ad"),
    "led_display": ("ป้ายจอ LED (ข้อความเคลื่อนที่)", "LED display (moving)"),
    "government_sign": ("ป้ายราชการ/จราจร (ไม่เสียภาษี)", "Government/traffic sign (not taxed)"),
}
_SCRIPTS = {
    "thai": ("ไทย", "Thai"),
    "latin": ("ละติน", "Latin"),
    "cjk": ("จีน", "Chinese"),
    "other": ("อื่น ๆ", "other"),
}
_STATUSES = {
    "queued": ("รอคิว", "Queued"),
    "processing": ("กำลังวิเคราะห์", "Processing"),
    "done": ("เสร็จแล้ว", "Done"),
    "failed": ("ล้มเหลว", "Failed"),
    "candidate": ("รอตรวจสอบ", "Candidate"),
    "accepted": ("ยืนยันแล้ว", "Accepted"),
    "rejected": ("ปฏิเสธแล้ว", "Rejected"),
}


def baht(value: Decimal | None) -> str:
    """``1234.5`` → ``"1,234.50"``; None → ``"–"``."""
    if value is None:
        return "–"
    return f"{Decimal(value):,.2f}"


def thai_datetime(value: datetime | None) -> str:
    """An aware timestamp as Thai time with a Buddhist-era year: ``25 พ.ย. 2568 18:15``."""
    if value is None:
        return "–"
    local = value.astimezone(THAI_TIME) if value.tzinfo else value
    return (
        f"{local.day} {_THAI_MONTHS[local.month - 1]} {local.year + BUDDHIST_ERA_OFFSET} "
        f"{local:%H:%M}"
    )


def camera_time(value: datetime | None) -> str:
    """The camera's own (zone-less, local) clock, Buddhist-era year."""
    if value is None:
        return "–"
    return thai_datetime(value.replace(tzinfo=None))


def percent(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f}%"


def size_cm(width_cm: float | None, height_cm: float | None) -> str:
    if width_cm is None or height_cm is None:
        return "–"
    return f"{width_cm:,.0f} × {height_cm:,.0f} cm"


def area_m2(area_cm2: float | None) -> str:
    return "–" if area_cm2 is None else f"{area_cm2 / 10_000:,.2f} m²"


def points(corners: Sequence[Sequence[float]]) -> str:
    """Corner list → SVG ``points`` attribute."""
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in corners)


def line_points(corners: Sequence[Sequence[float]], bbox_xyxy: Sequence[float]) -> str:
    """A text line's box on the sign's crop → SVG ``points`` on the photo, through the
    transform that cut the crop the line was read from; "" when it cannot be placed (nothing
    of it inside the crop, or corners that make no quadrilateral)."""
    try:
        corners_in_photo = sign_crop_frame(corners).crop_box_to_photo(bbox_xyxy)
    except cv2.error:
        return ""
    return "" if corners_in_photo is None else points(corners_in_photo)


def _bilingual(table: dict, key: object) -> str:
    if key in table:
        th, en = table[key]
        return f"{th} / {en}"
    return str(key)


def sign_type_label(sign_type: int | None) -> str:
    return _bilingual(_SIGN_TYPES, sign_type)


def sign_class_label(sign_class: str) -> str:
    return _bilingual(_SIGN_CLASSES, sign_class)


def script_label(script: str) -> str:
    return _bilingual(_SCRIPTS, script)


def status_label(status: str) -> str:
    return _bilingual(_STATUSES, status)


def type_reason(scripts: Sequence[str], thai_below_foreign: bool, has_graphics: bool,
                moving: bool, sign_type: int) -> str:
    """Why the sign has its type, in Thai then English, from the facts the content analysis
    decided (the Act's rules in order, ``api.tax.classify_reason``); empty where the facts do
    not give the stored type (nothing to explain it by)."""
    facts = classify_facts(scripts, thai_below_foreign=thai_below_foreign,
                           has_graphics=has_graphics)
    if not (scripts or has_graphics):
        th, en = ("ไม่มีข้อความที่อ่านได้ ถือเป็นประเภท 3 จนกว่าจะตรวจ",
                  "nothing legible read: type 3 until an officer checks")
        reason = (th, en) if sign_type == 3 else None
    else:
        reason = classify_reason(**facts) if int(classify(**facts)) == sign_type else None
    if reason is None:
        return ""
    th, en = reason
    if moving:
        th, en = (th + "; ข้อความเคลื่อนที่หรือเปลี่ยนได้ อัตรา ก",
                  en + "; moving or changing message, rate ก")
    return f"{th} / {en}"
