"""Sign type (1/2/3) and sub-type (ก moving / ข static): tax-law §4, Act Schedule (1)-(3)."""

from __future__ import annotations

from enum import IntEnum, StrEnum

from ._validate import require_bool
from .errors import TaxInputError


class SignType(IntEnum):
    """The Act's three rate classes. The int value is what is stored."""

    THAI_ONLY = 1  # Schedule (1): Thai characters only
    THAI_MIXED = 2  # Schedule (2): Thai with foreign characters and/or pictures/marks
    NO_THAI_OR_THAI_BELOW = 3  # Schedule (3)(a) no Thai at all, (b) Thai below the foreign text


class Motion(StrEnum):
    """Sub-type under the 2020 regulation: (ก) message moves or changes, (ข) all others."""

    MOVING = "moving"
    STATIC = "static"

    @property
    def thai_label(self) -> str:
        """The regulation's own label: "ก" for moving/changing, "ข" for static."""
        return "ก" if self is Motion.MOVING else "ข"


def sign_class_label(sign_type: SignType, motion: Motion) -> str:
    """Label as written on notices, e.g. ``"2(ข)"``."""
    return f"{int(sign_type)}({motion.thai_label})"


def classify(
    *, has_thai: bool, has_foreign: bool, has_graphics: bool, thai_below_foreign: bool
) -> SignType:
    """Rate class of one sign face, following tax-law §4 in order.

    - no Thai characters (foreign text and/or pictures only) -> 3 (Schedule (3)(a));
    - any Thai text below/lower than foreign text -> 3 (Schedule (3)(b));
    - Thai plus foreign text and/or pictures/marks -> 2 (a logo with Thai-only text is Type 2);
    - Thai characters only -> 1.

    Raises TaxInputError for facts no sign can have: nothing shown at all (not a sign under
    §6), or Thai "below foreign" text on a sign lacking Thai or foreign text.
    """
    has_thai = require_bool("has_thai", has_thai)
    has_foreign = require_bool("has_foreign", has_foreign)
    has_graphics = require_bool("has_graphics", has_graphics)
    thai_below_foreign = require_bool("thai_below_foreign", thai_below_foreign)
    if not (has_thai or has_foreign or has_graphics):
        raise TaxInputError(
            "has_thai, has_foreign, has_graphics: a sign must show characters or pictures/marks "
            "(§6), got all False"
        )
    if thai_below_foreign and not (has_thai and has_foreign):
        raise TaxInputError(
            "thai_below_foreign must be False unless the sign has both Thai and foreign text, "
            f"got True with has_thai={has_thai}, has_foreign={has_foreign}"
        )
    if not has_thai:
        return SignType.NO_THAI_OR_THAI_BELOW
    if thai_below_foreign:
        return SignType.NO_THAI_OR_THAI_BELOW
    if has_foreign or has_graphics:
        return SignType.THAI_MIXED
    return SignType.THAI_ONLY


def classify_reason(
    *, has_thai: bool, has_foreign: bool, has_graphics: bool, thai_below_foreign: bool
) -> tuple[str, str]:
    """Why ``classify`` gives its type, as (Thai, English), in the same order of rules: what an
    officer tells an owner at the counter. Same facts and errors as ``classify``."""
    sign_type = classify(has_thai=has_thai, has_foreign=has_foreign, has_graphics=has_graphics,
                         thai_below_foreign=thai_below_foreign)
    n = int(sign_type)
    if not has_thai:
        return (f"ไม่มีอักษรไทย จึงเป็นประเภท {n}", f"no Thai characters, so type {n}")
    if thai_below_foreign:
        return (f"อักษรไทยอยู่ต่ำกว่าอักษรต่างประเทศ จึงเป็นประเภท {n}",
                f"Thai characters below the foreign ones, so type {n}")
    if has_foreign and has_graphics:
        return (f"อักษรไทยปนอักษรต่างประเทศและภาพหรือเครื่องหมาย จึงเป็นประเภท {n}",
                f"Thai with foreign characters and pictures or marks, so type {n}")
    if has_foreign:
        return (f"อักษรไทยปนอักษรต่างประเทศ (ไทยไม่อยู่ต่ำกว่า) จึงเป็นประเภท {n}",
                f"Thai with foreign characters (Thai not below them), so type {n}")
    if has_graphics:
        return (f"อักษรไทยกับภาพหรือเครื่องหมาย จึงเป็นประเภท {n}",
                f"Thai characters with pictures or marks, so type {n}")
    return (f"อักษรไทยล้วน จึงเป็นประเภท {n}", f"Thai characters only, so type {n}")
