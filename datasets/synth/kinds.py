"""Sign kinds, their physical sizes, and the tax type that follows from a sign's content.

Sizes are in cm (the face's bounding rectangle, as the law measures it, tax-law.md §6).
The tax type follows tax-law.md §4:

- no Thai characters at all (pictures or not) -> type 3 (a);
- some Thai characters below / lower than foreign characters -> type 3 (b);
- Thai plus foreign characters and/or pictures or marks -> type 2;
- Thai characters only -> type 1.

Government signs (road signs, street names) are exempt (§8(6)) and have no type.
Digits and punctuation carry no script (a phone number is not "foreign characters"),
matching ``vision.content.scripts``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from vision.types import Script


class SignKind(StrEnum):
    """Fine-grained kind of a synthetic sign; the value is stored in labels."""

    FASCIA = "fascia"  # panel above the shop shutter, in the facade plane
    PROJECTING = "projecting"  # box sign perpendicular to the facade
    VERTICAL_BANNER = "vertical_banner"  # tall cloth/vinyl strip on a pillar
    VINYL_BANNER = "vinyl_banner"  # printed vinyl tied to a facade or balcony, may sag
    BILLBOARD = "billboard"  # large printed board on a roof or a pole
    LED_DISPLAY = "led_display"  # moving-message LED matrix (tax sub-type ก)
    CUT_LETTER = "cut_letter"  # loose letters on the wall: the outermost letters bound it
    WINDOW_STICKER = "window_sticker"  # vinyl on glass
    ROAD_SIGN = "road_sign"  # government traffic sign: exempt
    STREET_NAME = "street_name"  # government street-name plate: exempt


class TextLayout(StrEnum):
    """How the text lines of a sign face are arranged (decides the tax type with graphics)."""

    THAI_ONLY = "thai_only"
    THAI_ABOVE_FOREIGN = "thai_above_foreign"
    FOREIGN_ABOVE_THAI = "foreign_above_thai"
    THAI_BESIDE_FOREIGN = "thai_beside_foreign"
    FOREIGN_ONLY = "foreign_only"
    GRAPHICS_ONLY = "graphics_only"
    GOVERNMENT = "government"  # symbols and/or fixed wording of a road or street sign


@dataclass(frozen=True, slots=True)
class KindSpec:
    width_cm: tuple[float, float]  # uniform range; CUT_LETTER width follows its text
    height_cm: tuple[float, float]
    taxable: bool
    moving: bool

    def __post_init__(self) -> None:
        for name in ("width_cm", "height_cm"):
            lo, hi = getattr(self, name)
            if not 0 < lo <= hi:
                raise ValueError(f"{name} must be a range 0 < lo <= hi, got {(lo, hi)}")


KIND_SPECS: dict[SignKind, KindSpec] = {
    SignKind.FASCIA: KindSpec((250.0, 780.0), (60.0, 150.0), True, False),
    SignKind.PROJECTING: KindSpec((50.0, 120.0), (90.0, 320.0), True, False),
    SignKind.VERTICAL_BANNER: KindSpec((50.0, 100.0), (180.0, 400.0), True, False),
    SignKind.VINYL_BANNER: KindSpec((200.0, 600.0), (70.0, 200.0), True, False),
    SignKind.BILLBOARD: KindSpec((400.0, 1200.0), (200.0, 500.0), True, False),
    SignKind.LED_DISPLAY: KindSpec((100.0, 400.0), (30.0, 120.0), True, True),
    SignKind.CUT_LETTER: KindSpec((100.0, 900.0), (25.0, 110.0), True, False),
    SignKind.WINDOW_STICKER: KindSpec((35.0, 150.0), (25.0, 110.0), True, False),
    SignKind.ROAD_SIGN: KindSpec((60.0, 90.0), (60.0, 120.0), False, False),
    SignKind.STREET_NAME: KindSpec((90.0, 160.0), (25.0, 45.0), False, False),
}

GOVERNMENT_KINDS = frozenset({SignKind.ROAD_SIGN, SignKind.STREET_NAME})


def has_letters(text: str, script: Script | None) -> bool:
    """A line counts for the tax only if it has a script (digits-only lines have None)."""
    return script is not None and any(ch.isalpha() or "\u0e00" <= ch <= "\u0e7f" for ch in text)


@dataclass(frozen=True, slots=True)
class LineFact:
    """What the tax rule needs of one text line: script and box on the face (cm, y down)."""

    script: Script | None
    text: str
    box_cm: tuple[float, float, float, float]


SAME_ROW_OVERLAP = 0.5  # as vision.content.layout: more vertical overlap than this = same row


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    inter = min(a[3], b[3]) - max(a[1], b[1])
    smaller = min(a[3] - a[1], b[3] - b[1])
    return max(0.0, inter) / smaller if smaller > 0 else 0.0


def thai_below_foreign(lines: Sequence[LineFact]) -> bool:
    """True if any Thai line sits on a lower row than any foreign line.

    Lower row: Thai centre below the foreign centre and vertical overlap at most half the
    smaller line height (Thai beside or above foreign text is not below).
    """
    thai = [ln for ln in lines if ln.script is Script.THAI and has_letters(ln.text, ln.script)]
    foreign = [ln for ln in lines if ln.script not in (None, Script.THAI)
               and has_letters(ln.text, ln.script)]
    for t in thai:
        for f in foreign:
            t_cy = (t.box_cm[1] + t.box_cm[3]) / 2
            f_cy = (f.box_cm[1] + f.box_cm[3]) / 2
            if t_cy > f_cy and _overlap(t.box_cm, f.box_cm) <= SAME_ROW_OVERLAP:
                return True
    return False


def tax_type(lines: Sequence[LineFact], *, has_graphics: bool, taxable: bool) -> int | None:
    """Sign type 1, 2 or 3 per tax-law.md §4; None for an exempt (government) sign."""
    if not taxable:
        return None
    counted = [ln for ln in lines if has_letters(ln.text, ln.script)]
    thai = any(ln.script is Script.THAI for ln in counted)
    foreign = any(ln.script is not Script.THAI for ln in counted)
    if not thai:
        return 3
    if thai_below_foreign(counted):
        return 3
    if foreign or has_graphics:
        return 2
    return 1
