"""Exemptions: Act §8 (13 categories) and Ministerial Regulation No. 2 (B.E. 2535).

tax-law §9. Categories §8(1)-(12) are facts an officer asserts about the sign or its owner
(a cinema, a temple, a government office...), so the engine honours them as given. The two
Regulation No. 2 items (§9.2) are unverified and applied only when the local policy says so.
"""

from __future__ import annotations

from enum import StrEnum

from .policy import LocalPolicy


class Exemption(StrEnum):
    """An exemption claimed for a sign. The value (Act section) is what is stored."""

    THEATRE = "s8(1)"  # theatre or cinema advertising its show
    GOODS = "s8(2)"  # on goods, their wrapping or packaging
    TEMPORARY_EVENT = "s8(3)"  # inside the grounds of an occasional event
    PERSON_OR_ANIMAL = "s8(4)"
    INDOOR_SMALL = "s8(5)"  # inside a building, each sign within the regulation's size
    GOVERNMENT = "s8(6)"
    STATE_AGENCY = "s8(7)"
    STATE_BANK = "s8(8)"
    PRIVATE_SCHOOL = "s8(9)"
    FARMER_OWN_PRODUCE = "s8(10)"
    RELIGION_OR_CHARITY = "s8(11)"
    ASSOCIATION_OR_FOUNDATION = "s8(12)"
    PRIVATE_CAR = "s8(13)-mr2-private-car"  # unverified (tax-law §9.2)


_REASONS: dict[Exemption, str] = {
    Exemption.THEATRE: "§8(1) theatre or cinema sign advertising its show",
    Exemption.GOODS: "§8(2) sign on goods or their packaging",
    Exemption.TEMPORARY_EVENT: "§8(3) sign inside the grounds of an occasional event",
    Exemption.PERSON_OR_ANIMAL: "§8(4) sign on a person or animal",
    Exemption.INDOOR_SMALL: "§8(5) indoor sign within the regulation's size limit",
    Exemption.GOVERNMENT: "§8(6) government sign",
    Exemption.STATE_AGENCY: "§8(7) state organisation sign",
    Exemption.STATE_BANK: "§8(8) state bank sign",
    Exemption.PRIVATE_SCHOOL: "§8(9) private school sign at its own premises",
    Exemption.FARMER_OWN_PRODUCE: "§8(10) farmer selling own produce",
    Exemption.RELIGION_OR_CHARITY: "§8(11) temple, religious or public-charity body",
    Exemption.ASSOCIATION_OR_FOUNDATION: "§8(12) association or foundation",
    Exemption.PRIVATE_CAR: "§8(13) Reg. No. 2 (B.E. 2535): private car <= 1,600 kg "
    "[unverified, enabled by local policy]",
}

SMALL_SIGN_MAX_CM2 = 500
_SMALL_SIGN_REASON = (
    "§8(13) Reg. No. 2 (B.E. 2535): sign of at most 500 cm² [unverified, enabled by local policy]"
)


def exempt_reason(
    area_cm2: int, claimed: Exemption | None, policy: LocalPolicy
) -> tuple[str | None, str | None]:
    """(reason the sign is exempt or None, note on a claim that was not honoured or None).

    ``area_cm2`` matters for §8(5), which covers only signs up to
    ``policy.indoor_exempt_max_cm2``, and for the small-sign rule. A claim that fails is not
    an error: the sign is simply taxable, and the note says why.
    """
    note = None
    if claimed is Exemption.INDOOR_SMALL and area_cm2 > policy.indoor_exempt_max_cm2:
        note = (
            f"§8(5) claim not applied: {area_cm2} cm² exceeds the indoor limit of "
            f"{policy.indoor_exempt_max_cm2} cm²"
        )
    elif claimed is Exemption.PRIVATE_CAR and not policy.exempt_private_car_signs:
        note = "§8(13) private-car claim not applied: local policy has not enabled it"
    elif claimed is not None:
        return _REASONS[claimed], None
    if policy.exempt_small_signs_500cm2 and area_cm2 <= SMALL_SIGN_MAX_CM2:
        return _SMALL_SIGN_REASON, note
    return None, note
