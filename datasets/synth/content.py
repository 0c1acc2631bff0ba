"""What a sign face shows: its text rows, fonts, colours and graphics (a ``FaceDesign``).

The design is data chosen from a Generator; :mod:`datasets.synth.faces` paints it. The
layout decides the tax type together with the graphics, so rows are built to keep the
layout's intent (e.g. a phone line under Thai-above-English text has no Thai prefix).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import numpy as np

from datasets.synth.fonts import FontSet, covers, installed_fonts
from datasets.synth.kinds import SignKind, TextLayout
from datasets.synth.photos import PhotoCrop, choose_photo_crop
from datasets.synth.text import script_of
from datasets.synth.vocab import (
    CHINESE_BY_ICON,
    LED_MESSAGES_LATIN,
    LED_MESSAGES_THAI,
    STICKER_LATIN,
    STICKER_THAI,
    THAI_NAMES,
    TRADES,
    Trade,
    number_text,
    phone_number,
    pick,
    shop_name,
)
from vision.types import Script

Colour = tuple[int, int, int]

# (background, text, accent) BGR: red/yellow, blue/white, green/white, white/red, ...
PALETTES: tuple[tuple[Colour, Colour, Colour], ...] = (
    ((30, 30, 200), (40, 220, 255), (255, 255, 255)),
    ((150, 60, 10), (255, 255, 255), (40, 200, 255)),
    ((40, 130, 20), (255, 255, 255), (40, 230, 255)),
    ((245, 245, 245), (30, 30, 190), (150, 60, 10)),
    ((40, 215, 255), (20, 20, 20), (30, 30, 200)),
    ((25, 25, 25), (60, 200, 240), (255, 255, 255)),
    ((240, 240, 235), (120, 40, 20), (30, 120, 240)),
    ((20, 120, 240), (255, 255, 255), (120, 20, 20)),
    ((120, 30, 110), (255, 255, 255), (60, 220, 255)),
    ((200, 160, 0), (255, 255, 255), (30, 30, 200)),
)
LAYOUT_WEIGHTS: dict[TextLayout, float] = {
    TextLayout.THAI_ONLY: 0.25, TextLayout.THAI_ABOVE_FOREIGN: 0.3,
    TextLayout.FOREIGN_ABOVE_THAI: 0.15, TextLayout.THAI_BESIDE_FOREIGN: 0.05,
    TextLayout.FOREIGN_ONLY: 0.18, TextLayout.GRAPHICS_ONLY: 0.07,
}


class FaceStyle(StrEnum):
    PANEL = "panel"
    BANNER = "banner"
    BILLBOARD = "billboard"
    LED = "led"
    CUT_LETTER = "cut_letter"
    STICKER = "sticker"
    POSTER = "poster"  # a printed poster filling a window pane, picture-led
    NEON = "neon"  # lit tube or LED-strip letters behind the glass
    ROAD = "road"
    STREET = "street"


@dataclass(frozen=True, slots=True)
class LineSpec:
    text: str
    weight: float  # share of the text block's height, relative to the other rows
    font_path: str

    def __post_init__(self) -> None:
        if not self.text.strip():
            raise ValueError("a text line must not be empty")
        if self.weight <= 0:
            raise ValueError(f"weight must be positive, got {self.weight}")

    @property
    def script(self) -> Script | None:
        return script_of(self.text)


@dataclass(frozen=True, slots=True)
class FaceDesign:
    style: FaceStyle
    layout: TextLayout
    rows: tuple[tuple[LineSpec, ...], ...]  # top to bottom; >1 line in a row = side by side
    background: Colour
    text_colour: Colour
    accent: Colour
    graphic: str | None  # "icon:<name>", "logo", "picture" or None
    rotated: bool = False  # text runs bottom-to-top on a tall face
    seed: int = 0  # for paint-time texture detail (grime, LED scroll offset)
    photo: PhotoCrop | None = None  # the "picture" is this photo crop, not a procedural one

    def __post_init__(self) -> None:
        if self.layout is TextLayout.GRAPHICS_ONLY and (self.rows or self.graphic is None):
            raise ValueError("a graphics-only face has a graphic and no text rows")
        if any(not row for row in self.rows):
            raise ValueError("text rows must not be empty")


def _pool(script: Script | None) -> tuple[Path, ...]:
    fonts: FontSet = installed_fonts()
    return fonts.thai if script is Script.THAI else fonts.cjk if script is Script.CJK \
        else fonts.latin


def _font(rng: np.random.Generator, script: Script | None) -> str:
    pool = _pool(script)
    return str(pool[int(rng.integers(len(pool)))])


def _line(rng: np.random.Generator, text: str, weight: float, fonts: dict) -> LineSpec:
    s = script_of(text)
    key = s if s in (Script.THAI, Script.CJK) else Script.LATIN
    path = fonts[key]
    if not covers(Path(path), text):  # e.g. Noto Sans Thai has no digits: use a TLWG face
        pool = _pool(key)
        path = str(next((p for p in pool if covers(p, text)), pool[0]))
    return LineSpec(text, weight, path)


def choose_layout(rng: np.random.Generator, weights: dict[TextLayout, float] | None = None
                  ) -> TextLayout:
    w = weights or LAYOUT_WEIGHTS
    keys = list(w)
    p = np.array([w[k] for k in keys], float)
    return keys[int(rng.choice(len(keys), p=p / p.sum()))]


def _rows(rng: np.random.Generator, layout: TextLayout, kind: SignKind, tall: bool,
          fonts: dict, trade: Trade) -> tuple[tuple[LineSpec, ...], ...]:
    thai, eng = shop_name(rng, trade)
    if kind is SignKind.WINDOW_STICKER and rng.random() < 0.65:  # else the shop's own name
        thai, eng = pick(rng, STICKER_THAI), pick(rng, STICKER_LATIN)
    elif kind is SignKind.LED_DISPLAY:
        thai, eng = pick(rng, LED_MESSAGES_THAI), pick(rng, LED_MESSAGES_LATIN)
    elif tall:
        return _tall_rows(rng, layout, trade, eng, fonts)
    extra = kind in (SignKind.FASCIA, SignKind.VINYL_BANNER, SignKind.BILLBOARD,
                     SignKind.WINDOW_STICKER) and not tall
    phone = phone_number(rng) if extra and rng.random() < 0.5 else None
    tag = pick(rng, trade.thai_lines) if extra and rng.random() < 0.4 else None
    L = lambda t, w: _line(rng, t, w, fonts)  # noqa: E731
    rows: list[tuple[LineSpec, ...]] = []
    if layout is TextLayout.THAI_ONLY:
        rows = [(L(thai, 1.0),)] + ([(L(tag, 0.55),)] if tag else [])
        if phone:
            rows.append((L(("โทร. " if rng.random() < 0.5 else "") + phone, 0.4),))
    elif layout is TextLayout.THAI_ABOVE_FOREIGN:
        rows = [(L(thai, 1.0),), (L(eng, 0.6),)]
        if phone:
            rows.append((L(("Tel. " if rng.random() < 0.5 else "") + phone, 0.4),))
    elif layout is TextLayout.FOREIGN_ABOVE_THAI:
        rows = [(L(eng, 1.0),), (L(thai, 0.7),)]
        if phone:
            rows.append((L(pick(rng, ("โทร. ", "Tel. ", "")) + phone, 0.4),))
    elif layout is TextLayout.THAI_BESIDE_FOREIGN:
        rows = [(L(thai, 1.0), L(eng, 1.0))]
        if phone:
            rows.append((L(phone, 0.4),))
    elif layout is TextLayout.FOREIGN_ONLY:
        rows = [(L(eng, 1.0),)]
        if phone:
            rows.append((L(("Tel. " if rng.random() < 0.5 else "") + phone, 0.4),))
    return tuple(rows)


def _with_number_line(rng: np.random.Generator, rows: tuple[tuple[LineSpec, ...], ...],
                      fonts: dict) -> tuple[tuple[LineSpec, ...], ...]:
    """One more row of digits only (no script, so the tax type is unchanged), at the bottom
    or, less often, the top, drawn in the font of one of the face's lines: Thai signs draw
    their digits in the Thai face as often as not."""
    faces = [ln.font_path for row in rows for ln in row]
    text = number_text(rng)
    path = faces[int(rng.integers(len(faces)))]
    if not covers(Path(path), text):
        path = _line(rng, text, 1.0, fonts).font_path
    row = (LineSpec(text, float(rng.uniform(0.35, 0.55)), path),)
    return (row, *rows) if rng.random() < 0.3 else (*rows, row)


def _tall_rows(rng: np.random.Generator, layout: TextLayout, trade, eng: str, fonts: dict
               ) -> tuple[tuple[LineSpec, ...], ...]:
    """Short stacked rows for projecting boxes and vertical banners."""
    name, head = pick(rng, THAI_NAMES), pick(rng, trade.thai_heads)
    word = max(eng.split(), key=len)
    L = lambda t, w: (_line(rng, t, w, fonts),)  # noqa: E731
    if layout is TextLayout.THAI_ONLY:
        return (L(head, 1.0), L(name, 1.0))
    if layout in (TextLayout.THAI_ABOVE_FOREIGN, TextLayout.THAI_BESIDE_FOREIGN):
        return (L(head, 1.0), L(name, 1.0), L(word, 0.6))
    if layout is TextLayout.FOREIGN_ABOVE_THAI:
        return (L(word, 0.8), L(head, 1.0), L(name, 1.0))
    if layout is TextLayout.FOREIGN_ONLY:
        if len(word) <= 7 and rng.random() < 0.6:  # letters stacked one per row
            return tuple(L(ch, 1.0) for ch in word if ch.strip())
        return (L(word, 1.0), L(pick(rng, trade.english).split()[0], 0.7))
    return ()


def _with_chinese(rng: np.random.Generator, rows: tuple[tuple[LineSpec, ...], ...], trade: Trade,
                  fonts: dict) -> tuple[tuple[LineSpec, ...], ...]:
    """Swap the first Latin line for Chinese shop words (the rows keep their order, so the
    Thai/foreign arrangement and thus the tax type is unchanged)."""
    words = CHINESE_BY_ICON.get(trade.icon)
    if not words:
        return rows
    out, done = [], False
    for row in rows:
        new = []
        for ln in row:
            if not done and ln.script is Script.LATIN:
                new.append(_line(rng, pick(rng, words), ln.weight, fonts))
                done = True
            else:
                new.append(ln)
        out.append(tuple(new))
    return tuple(out)


STYLE_OF: dict[SignKind, FaceStyle] = {
    SignKind.FASCIA: FaceStyle.PANEL, SignKind.PROJECTING: FaceStyle.PANEL,
    SignKind.VERTICAL_BANNER: FaceStyle.BANNER, SignKind.VINYL_BANNER: FaceStyle.BANNER,
    SignKind.BILLBOARD: FaceStyle.BILLBOARD, SignKind.LED_DISPLAY: FaceStyle.LED,
    SignKind.CUT_LETTER: FaceStyle.CUT_LETTER, SignKind.WINDOW_STICKER: FaceStyle.STICKER,
    SignKind.ROAD_SIGN: FaceStyle.ROAD, SignKind.STREET_NAME: FaceStyle.STREET,
}


# Window advertising as the real photos show it (issue 3): mostly posters that fill a pane
# (food, products, "rent" and sale posters), lit lettering hung behind the glass, and fewer
# small vinyl stickers than the first renderer drew.
WINDOW_AD_STYLES: tuple[tuple[FaceStyle, float], ...] = (
    (FaceStyle.POSTER, 0.45), (FaceStyle.NEON, 0.15), (FaceStyle.STICKER, 0.40))
NEON_COLOURS: tuple[Colour, ...] = (
    (70, 60, 255), (255, 210, 80), (90, 255, 120), (255, 120, 255), (60, 220, 255),
    (240, 240, 255))


def _window_ad(rng: np.random.Generator, layout: TextLayout, graphic: str | None,
               palette: tuple[Colour, Colour, Colour]
               ) -> tuple[FaceStyle, str | None, Colour, Colour, Colour]:
    """(style, graphic, background, text colour, accent) of a window advertisement."""
    styles = [st for st, _ in WINDOW_AD_STYLES]
    p = np.array([w for _, w in WINDOW_AD_STYLES])
    style = styles[int(rng.choice(len(styles), p=p / p.sum()))]
    bg, fg, accent = palette
    if style is FaceStyle.POSTER:
        return style, "picture", bg, fg, accent  # a poster is led by its picture
    if style is FaceStyle.NEON:
        glow = NEON_COLOURS[int(rng.integers(len(NEON_COLOURS)))]
        trim = NEON_COLOURS[int(rng.integers(len(NEON_COLOURS)))]
        keep = "logo" if layout is TextLayout.GRAPHICS_ONLY else None
        return style, keep, (18, 16, 14), glow, trim
    return style, graphic, bg, fg, accent


def design_face(rng: np.random.Generator, kind: SignKind, width_cm: float, height_cm: float,
                layout: TextLayout | None = None,
                layout_weights: dict[TextLayout, float] | None = None,
                number_line_probability: float = 0.0, photos: tuple[str, ...] = (),
                photo_probability: float = 0.0) -> FaceDesign:
    """Choose the content of a taxable sign face (government signs: see govsigns).

    ``number_line_probability``: the chance that a face with text (not LED or cut letters) gets
    one more row of digits only (see :func:`_with_number_line`). At 0 no random number is
    drawn for it, so the scenes of every seed stay as the evaluation sets were rendered.
    ``photos`` / ``photo_probability``: the chance that a face's picture is a crop of one of
    these photos (:mod:`datasets.synth.photos`); likewise no number is drawn without photos.
    """
    if kind in (SignKind.ROAD_SIGN, SignKind.STREET_NAME):
        raise ValueError(f"{kind} faces are designed by datasets.synth.govsigns")
    layout = layout or choose_layout(rng, layout_weights)
    no_graphics_only = kind in (SignKind.LED_DISPLAY, SignKind.CUT_LETTER)
    if layout is TextLayout.GRAPHICS_ONLY and no_graphics_only:
        layout = TextLayout.FOREIGN_ONLY
    tall = height_cm > 1.4 * width_cm
    if tall and layout is TextLayout.THAI_BESIDE_FOREIGN:
        layout = TextLayout.THAI_ABOVE_FOREIGN
    rotated = tall and layout in (TextLayout.THAI_ONLY, TextLayout.FOREIGN_ONLY) \
        and rng.random() < 0.35
    has_cjk = bool(installed_fonts().cjk)
    fonts = {s: _font(rng, s) for s in (Script.THAI, Script.LATIN, Script.CJK)} \
        if has_cjk else {s: _font(rng, s) for s in (Script.THAI, Script.LATIN)}
    trade = TRADES[int(rng.integers(len(TRADES)))]
    rows = _rows(rng, layout, kind, tall and not rotated, fonts, trade)
    if has_cjk and rows and rng.random() < 0.3:
        rows = _with_chinese(rng, rows, trade, fonts)
    if (number_line_probability > 0 and rows and not rotated and not no_graphics_only
            and rng.random() < number_line_probability):
        rows = _with_number_line(rng, rows, fonts)
    bg, fg, accent = PALETTES[int(rng.integers(len(PALETTES)))]
    trade_icon = trade.icon
    graphic: str | None = None
    if layout is TextLayout.GRAPHICS_ONLY:
        graphic = "logo" if rng.random() < 0.6 else "picture"
    elif kind is SignKind.BILLBOARD or (kind is SignKind.VINYL_BANNER and rng.random() < 0.6):
        graphic = "picture"
    elif not no_graphics_only and not rotated and rng.random() < 0.4:
        graphic = f"icon:{trade_icon}" if rng.random() < 0.6 else "logo"
    style = STYLE_OF[kind]
    if kind is SignKind.WINDOW_STICKER:
        style, graphic, bg, fg, accent = _window_ad(rng, layout, graphic, (bg, fg, accent))
    seed = int(rng.integers(2**31))
    photo = None
    if photos and photo_probability > 0 and graphic == "picture" \
            and rng.random() < photo_probability:
        # Posters and billboards show their picture over most of the face; elsewhere it
        # sits in a square beside the text.
        whole = style in (FaceStyle.POSTER, FaceStyle.BILLBOARD)
        aspect = width_cm / height_cm if whole else 1.0
        photo = choose_photo_crop(rng, photos, aspect)
    return FaceDesign(style, layout, rows, bg, fg, accent, graphic, rotated, seed, photo)
