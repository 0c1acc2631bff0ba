"""Fonts for sign text: real Thai and Latin typefaces from the Debian font packages.

Thai needs complex text layout (vowels and tone marks stacked over/under consonants, e.g.
เตี๋ยว, ญู). PIL does this correctly only with its libraqm layout engine; the basic engine
drops stacked tone marks in Noto Sans Thai and collides ฐ/ญ with a lower vowel in TLWG fonts.
So every font here is opened with ``Layout.RAQM`` and :func:`require_raqm` refuses to run
without it instead of writing wrong Thai into training data.

Chinese text is written only if a CJK font is installed (Debian fonts-noto-cjk);
without one :attr:`FontSet.cjk` is empty and no sign gets Chinese. The fonts in use are
recorded in each manifest, since they change the output.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import ImageFont, features

from datasets.errors import DatasetError

# Where the fonts are looked up; SIGNTAX_FONT_ROOT points elsewhere (a machine without
# Debian's font packages, e.g. a rented GPU machine given a copy of the same files).
FONT_ROOT_ENV = "SIGNTAX_FONT_ROOT"
DEFAULT_FONT_ROOT = Path("/usr/share/fonts")

# Bold/display faces look like shop signs; regular ones are kept for variety. Paths are
# relative to the font root, as Debian installs them.
THAI_FONT_FILES = (
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
)
LATIN_FONT_FILES = (
    "truetype/dejavu/DejaVuSans-Bold.ttf",
    "truetype/dejavu/DejaVuSansCondensed-Bold.ttf",
    "truetype/dejavu/DejaVuSerif-Bold.ttf",
    "truetype/noto/NotoSans-Bold.ttf",
    "truetype/noto/NotoSerif-Bold.ttf",
    "truetype/noto/NotoSansDisplay-Bold.ttf",
    "truetype/dejavu/DejaVuSans.ttf",
    "truetype/noto/NotoSans-Regular.ttf",
)
CJK_FONT_FILES = (
    "opentype/noto/NotoSansCJK-Bold.ttc",
    "opentype/noto/NotoSerifCJK-Bold.ttc",
    "truetype/wqy/wqy-microhei.ttc",
    "truetype/wqy/wqy-zenhei.ttc",
    "truetype/arphic/uming.ttc",
    "truetype/droid/DroidSansFallbackFull.ttf",
)


@dataclass(frozen=True, slots=True)
class FontSet:
    """The installed faces per script, in preference order (only files that exist)."""

    root: Path
    thai: tuple[Path, ...]
    latin: tuple[Path, ...]
    cjk: tuple[Path, ...]


def font_root() -> Path:
    """The font root: ``$SIGNTAX_FONT_ROOT`` if set, else Debian's ``/usr/share/fonts``."""
    env = os.environ.get(FONT_ROOT_ENV, "").strip()
    return Path(env) if env else DEFAULT_FONT_ROOT


@lru_cache(maxsize=4)
def _font_set(root: Path) -> FontSet:
    def existing(rel_paths: tuple[str, ...]) -> tuple[Path, ...]:
        return tuple(p for p in (root / r for r in rel_paths) if p.is_file())

    return FontSet(root, existing(THAI_FONT_FILES), existing(LATIN_FONT_FILES),
                   existing(CJK_FONT_FILES))


def installed_fonts() -> FontSet:
    """The faces under :func:`font_root`, looked up once per root (not at import)."""
    return _font_set(font_root())


def require_raqm() -> None:
    if not features.check("raqm"):
        raise DatasetError(
            "PIL was built without libraqm: Thai vowels and tone marks would be mis-placed. "
            "Install libraqm (Debian: libraqm0) so PIL can shape Thai text."
        )
    fonts = installed_fonts()
    if not fonts.thai or not fonts.latin:
        raise DatasetError(
            f"no Thai or Latin font under {fonts.root}: install fonts-thai-tlwg, "
            f"fonts-noto-core and fonts-dejavu-core, or set {FONT_ROOT_ENV} (found "
            f"{len(fonts.thai)} Thai, {len(fonts.latin)} Latin)"
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
    fonts = installed_fonts()
    return {"thai": [p.name for p in fonts.thai], "latin": [p.name for p in fonts.latin],
            "cjk": [p.name for p in fonts.cjk]}


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
