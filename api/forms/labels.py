"""Thai wording for values shown on the forms: sizes, classes, exemptions, changes."""

from __future__ import annotations

from decimal import Decimal

from api.tax import ChangeKind, Exemption, Motion, TaxAssessment

from .model import DeclaredSign
from .thai_text import thai_date_short

CHANGE_LABELS: dict[ChangeKind, str] = {
    ChangeKind.REPLACE_SAME: "ป้ายใหม่แทนป้ายเดิมที่เสียภาษีแล้ว (มาตรา 14(2))",
    ChangeKind.PARTIAL_UP: "เปลี่ยนแปลงบางส่วนทำให้ภาษีเพิ่มขึ้น (มาตรา 14(3))",
    ChangeKind.FULL_CHANGE: "เปลี่ยนข้อความ ภาพ และเครื่องหมายทั้งหมด (มาตรา 14 ทวิ)",
}


def exemption_label(exemption: Exemption) -> str:
    """``มาตรา 8(11)``; the unverified Regulation No. 2 item says so."""
    if exemption is Exemption.PRIVATE_CAR:
        return "กฎกระทรวง ฉบับที่ 2 (พ.ศ. 2535) รถยนต์ส่วนบุคคล"
    return "มาตรา 8" + exemption.value.removeprefix("s8")


def cm(value: Decimal) -> str:
    """``120`` or ``120.5``: a side in cm without trailing zeros, thousands separated."""
    text = f"{value.normalize():,f}"
    return text


def area(value: Decimal) -> str:
    """``36,000`` or ``36,150.25`` cm²."""
    whole = value == value.to_integral_value()
    return f"{value:,.0f}" if whole else f"{value:,.2f}"


def remarks(sign: DeclaredSign) -> str:
    """What the remarks column says: the owner's text plus moving/exemption/change facts."""
    parts = []
    facts = sign.facts
    if facts.motion is Motion.MOVING:
        parts.append("ข้อความเคลื่อนที่หรือเปลี่ยนได้ (ก)")
    if facts.exemption is not None:
        parts.append("ขอยกเว้นตาม" + exemption_label(facts.exemption))
    if facts.change is not None:
        parts.append(
            f"{CHANGE_LABELS[facts.change.kind]} เมื่อ {thai_date_short(facts.change.changed_on)}"
        )
    if sign.remarks:
        parts.append(sign.remarks)
    return "; ".join(parts)


def share_of_year(result: TaxAssessment) -> str:
    """``100%``, ``50%`` ...: the share of the year charged (proration factor)."""
    return f"{int(result.proration_factor * 100)}%"
