"""PDF plumbing shared by the forms: fpdf2 with HarfBuzz shaping and a Thai TrueType font.

Why fpdf2: it is pure Python (plus the ``uharfbuzz`` wheel), and with
``set_text_shaping(True)`` HarfBuzz positions Thai above/below vowels and tone marks
(ผู้, ปั้น, ฟ้า: the tone mark moves left of a tall consonant and stacks over an upper vowel).
Without shaping, or with reportlab, marks collide or drop. Headless Chromium also renders
Thai correctly but is a 200+ MB browser process per document.

Font: Loma from Debian's fonts-thai-tlwg (sans, Thai + Latin in one file); Garuda as a
fallback. Loma's shaped text also extracts in logical order with ``pdftotext``, which the
tests rely on (Noto Sans Thai and Norasi reorder some marks on extraction).

Line breaking: Thai has no spaces between words, and fpdf2 breaks only at spaces and
U+200B. ``breakable`` adds U+200B at safe syllable starts so long Thai wraps between
syllables rather than at an arbitrary character.
"""

from __future__ import annotations

import re
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from .errors import FontNotFound

FONT_DIRS = (Path("/usr/share/fonts/truetype/tlwg"), Path("/usr/share/fonts/opentype/tlwg"))
FONT_FAMILIES = ("Loma", "Garuda")
FAMILY = "thai"
ZWSP = "\u200b"
NBSP = "\u00a0"
LINE_FACTOR = 0.46  # line height in mm per point of font size (Thai needs room for marks)

# before a leading vowel (เ แ โ ใ ไ) a new syllable starts; after ะ or ำ one ends
_BREAK_BEFORE = re.compile(r"(?<=[\u0e01-\u0e4f])(?=[\u0e40-\u0e44])")
_BREAK_AFTER = re.compile(r"(?<=[\u0e30\u0e33])(?=[\u0e01-\u0e2e\u0e40-\u0e44])")


def find_font_files() -> tuple[Path, Path]:
    """(regular, bold) TrueType files of the first available Thai family."""
    for family in FONT_FAMILIES:
        for folder in FONT_DIRS:
            for ext in (".ttf", ".otf"):
                regular, bold = folder / f"{family}{ext}", folder / f"{family}-Bold{ext}"
                if regular.is_file() and bold.is_file():
                    return regular, bold
    raise FontNotFound(
        f"no Thai font found: looked for {', '.join(FONT_FAMILIES)} in "
        f"{', '.join(str(d) for d in FONT_DIRS)}; install Debian fonts-thai-tlwg "
        "(scripts/install-system-deps.sh)"
    )


def nobreak(text: str) -> str:
    """``text`` with its spaces made non-breaking (a date or an amount stays on one line)."""
    return text.replace(" ", NBSP)


def breakable(text: str) -> str:
    """``text`` with zero-width break opportunities at Thai syllable starts."""
    return _BREAK_AFTER.sub(ZWSP, _BREAK_BEFORE.sub(ZWSP, text))


class FormPDF(FPDF):
    """A4 page with the Thai font registered as ``thai`` (regular and bold) and shaping on."""

    def __init__(self, *, orientation: str = "portrait", title: str, form_code: str) -> None:
        super().__init__(orientation=orientation, unit="mm", format="A4")
        regular, bold = find_font_files()
        self.add_font(FAMILY, "", str(regular))
        self.add_font(FAMILY, "B", str(bold))
        self.set_text_shaping(use_shaping_engine=True, script="thai", language="tha")
        self.set_lang("th")
        self.set_title(title)
        self.set_subject(form_code)
        self.set_creator("SignTax")
        self.set_margins(15, 12, 15)
        self.set_auto_page_break(True, margin=14)
        self.form_code = form_code
        self.alias_nb_pages()
        self.set_font(FAMILY, size=12)

    def footer(self) -> None:
        self.set_y(-11)
        self.set_font(FAMILY, size=8)
        self.cell(0, 5, f"{self.form_code}  หน้า {self.page_no()}/{{nb}}", align="R")

    # --- text helpers --------------------------------------------------------------------

    def use_font(self, size: float = 12, *, bold: bool = False) -> None:
        self.set_font(FAMILY, "B" if bold else "", size)

    def para(
        self, text: str, *, size: float = 12, bold: bool = False, align: str = "L", h: float = 0
    ) -> None:
        """A paragraph across the full width, wrapped at spaces and Thai syllables."""
        self.use_font(size, bold=bold)
        self.multi_cell(
            0, h or size * LINE_FACTOR, breakable(text), align=align, new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )

    def field(self, label: str, value: str, *, size: float = 12, dots: bool = True) -> None:
        """``label: value`` on one line; an empty value prints a dotted blank to fill in."""
        self.use_font(size, bold=True)
        self.write(size * LINE_FACTOR, label + " ")
        self.use_font(size)
        shown = value if value else ("." * 40 if dots else "")
        self.multi_cell(
            0, size * LINE_FACTOR, breakable(shown), align="L", new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )

    def dashed_rule(self, y: float, label: str = "") -> None:
        """A cut line across the page at ``y``, with an optional centred label."""
        self.set_line_width(0.3)
        self.set_dash_pattern(dash=2, gap=1.5)
        self.line(self.l_margin, y, self.w - self.r_margin, y)
        self.set_dash_pattern()
        if label:
            self.use_font(9)
            w = self.get_string_width(label) + 4
            self.set_xy((self.w - w) / 2, y - 2.5)
            self.set_fill_color(255, 255, 255)
            self.cell(w, 5, label, align="C", fill=True)

    def space(self, mm: float) -> None:
        self.ln(mm)
