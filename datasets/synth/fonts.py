"""Fonts for sign text: real Thai and Latin typefaces from the Debian font packages.

Thai needs complex text layout (vowels and tone marks stacked over/under consonants, e.g.
เตี๋ยว, ญู). PIL does this correctly only with its libraqm layout engine; the basic engine
drops stacked tone marks in Noto Sans Thai and collides ฐ/ญ with a lower vowel in TLWG fonts.
So every font here is opened with ``Layout.RAQM`` and :func:`require_raqm` refuses to run
without it instead of writing wrong Thai into training data.

Chinese text is written only if a CJK font is installed (Debian fonts-noto-cjk);
without one :data:`CJK_FONTS` is empty and no sign gets Chinese. The fonts in use are
recorded in each manifest, since they change the output.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PIL import ImageFont, features

from datasets.errors import DatasetError

FONT_ROOT = Path("/usr/share/fonts")


def _existing(rel_paths: tuple[str, ...]) -> tuple[Path, ...]:
    found = (FONT_ROOT / p for p in rel_paths)
    return tuple(p for p in found if p.is_file())


# Bold/display faces look like shop signs; regular ones are kept for variety.
THAI_FONTS: tuple[Path, ...] = _existing((
    "truetype/tlwg/Loma-Bold.ttf",
    "truetype/tlwg/Garuda-Bold.ttf",
    "truetype/tlwg/Kinnari-Bold.ttf",
    "truetype/tlwg/Norasi-Bold.ttf",
    "truetype/tlwg/Sawasdee-Bold.ttf",
    "truetype/tlwg/Umpush-Bold.ttf",
    "truetype/tlwg/Waree-Bold.ttf",
    "truetype/tlwg/TlwgTypist-Bold.ttf",
    "truetype/tlwg/Laksaman-Bold.ttf",
    "truetype/tlwg/Purisa-Bold.ttf",
    "truetype/noto/NotoSansThai-Bold.ttf",
    "truetype/noto/NotoSerifThai-Bold.ttf",
    "truetype/noto/NotoLoopedThai-Bold.ttf",
    "truetype/tlwg/Loma.ttf",
    "truetype/noto/NotoSansThai-Regular.ttf",
))
LATIN_FONTS: tuple[Path, ...] = _existing((
    "truetype/dejavu/DejaVuSans-Bold.ttf",
    "truetype/dejavu/DejaVuSansCondensed-Bold.ttf",
    "truetype/dejavu/DejaVuSerif-Bold.ttf",
    "truetype/noto/NotoSans-Bold.ttf",
    "truetype/noto/NotoSerif-Bold.ttf",
    "truetype/noto/NotoSansDisplay-Bold.ttf",
    "truetype/dejavu/DejaVuSans.ttf",
    "truetype/noto/NotoSans-Regular.ttf",
))
CJK_FONTS: tuple[Path, ...] = _existing((
    "opentype/noto/NotoSansCJK-Bold.ttc",
    "opentype/noto/NotoSerifCJK-Bold.ttc",
    "truetype/wqy/wqy-microhei.ttc",
    "truetype/wqy/wqy-zenhei.ttc",
    "truetype/arphic/uming.ttc",
    "truetype/droid/DroidSansFallbackFull.ttf",
))


def require_raqm() -> None:
    if not features.check("raqm"):
        raise DatasetError(
            "PIL was built without libraqm: Thai vowels and tone marks would be mis-placed. "
            "Install libraqm (Debian: libraqm0) so PIL can shape Thai text."
        )
    if not THAI_FONTS or not LATIN_FONTS:
        raise DatasetError(
            f"no Thai or Latin font under {FONT_ROOT}: install fonts-thai-tlwg, fonts-noto-core "
            f"and fonts-dejavu-core (found {len(THAI_FONTS)} Thai, {len(LATIN_FONTS)} Latin)"
        )


@lru_cache(maxsize=16)
def _collection_index(path: Path) -> int:
    """In a .ttc collection pick the Traditional Chinese face (Hat Yai's Chinese signs use
    traditional characters); 0 for plain font files."""
    if path.suffix.lower() != ".ttc":
        return 0
    for i in range(12):
        try:
            name = ImageFont.truetype(str(path), 12, index=i).getname()[0]
        except OSError:
            break
        if name.endswith(" TC"):
            return i
    return 0


@lru_cache(maxsize=512)
def font(path: Path, size_px: int) -> ImageFont.FreeTypeFont:
    """A cached font at an integer pixel size, shaped with libraqm."""
    require_raqm()
    return ImageFont.truetype(str(path), max(4, int(size_px)), index=_collection_index(path),
                              layout_engine=ImageFont.Layout.RAQM)


def font_names() -> dict[str, list[str]]:
    """File names of the fonts in use, for manifests (outputs change if these change)."""
    return {"thai": [p.name for p in THAI_FONTS], "latin": [p.name for p in LATIN_FONTS],
            "cjk": [p.name for p in CJK_FONTS]}


@lru_cache(maxsize=4096)
def _has_glyph(path: Path, ch: str) -> bool:
    f = font(path, 32)
    missing = f.getmask("\ue000")  # a private-use code point: renders the .notdef box
    m = f.getmask(ch)
    return ch.isspace() or (m.size, bytes(m)) != (missing.size, bytes(missing))


def covers(path: Path, text: str) -> bool:
    """True if the font has a glyph for every character of ``text`` (no "tofu" boxes).

    Noto Sans/Serif Thai have no Latin letters or digits, so a line like "ลด 50%" needs a
    TLWG font.
    """
    return all(_has_glyph(path, ch) for ch in set(text))
