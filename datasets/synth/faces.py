"""Paint a sign face (BGRA texture) from its design, and report each text line's ink box.

Faces are painted at the resolution the renderer asks for (``w_px`` x ``h_px`` for the
face's W x H cm), so text stays sharp whatever the distance. Alpha 0 marks where the face
has no material (between cut letters, outside a round road sign).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from datasets.synth.content import FaceDesign, FaceStyle
from datasets.synth.graphics import draw_icon, draw_logo, draw_picture
from datasets.synth.photos import paint_photo
from datasets.synth.textblock import PaintedLine, TextStyle, ink_bbox, paint_rows

CUT_LETTER_REF_PX = 160


@dataclass(frozen=True, slots=True)
class FacePaint:
    bgra: np.ndarray  # h x w x 4 uint8
    lines: tuple[PaintedLine, ...]  # boxes in face pixels


def _blank(w: int, h: int, colour: tuple[int, int, int], alpha: int = 255) -> np.ndarray:
    img = np.empty((h, w, 4), np.uint8)
    img[..., :3] = colour
    img[..., 3] = alpha
    return img


def _weather(img: np.ndarray, rng: np.random.Generator, amount: float) -> None:
    """Low-frequency dirt and fading, multiplied into the colour channels."""
    h, w = img.shape[:2]
    cells = max(2, int(round(6 * w / max(w, h)))), max(2, int(round(6 * h / max(w, h))))
    small = rng.uniform(1 - amount, 1.0, (cells[1], cells[0])).astype(np.float32)
    shade = cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC)
    grad = np.linspace(1.0, 1 - amount * 0.6, h, dtype=np.float32)[:, None]
    img[..., :3] = np.clip(img[..., :3] * (shade * grad)[..., None], 0, 255).astype(np.uint8)


def _picture(img: np.ndarray, design: FaceDesign, box: tuple[int, int, int, int],
             rng: np.random.Generator) -> None:
    if design.photo is not None:
        paint_photo(img, box, design.photo, rng)
    else:
        draw_picture(img, box, rng)


def _graphic(img: np.ndarray, design: FaceDesign, box: tuple[int, int, int, int],
             rng: np.random.Generator) -> None:
    if design.graphic is None:
        return
    if design.graphic == "picture":
        _picture(img, design, box, rng)
    elif design.graphic == "logo":
        draw_logo(img, box, (design.accent, design.text_colour), rng)
    else:
        draw_icon(img, design.graphic.split(":", 1)[1], box, design.text_colour)


def _split_graphic(w: int, h: int, m: int, design: FaceDesign, share: float = 1.0
                   ) -> tuple[tuple[int, int, int, int], tuple[int, int, int, int]]:
    """(graphic box, text box) inside margin ``m``: graphic left on wide faces, top on tall."""
    inner = (m, m, w - m, h - m)
    if design.graphic is None:
        return (0, 0, 0, 0), inner
    if w >= h:
        side = int(min(h - 2 * m, share * (w - 2 * m) * 0.35))
        return (m, m + (h - 2 * m - side) // 2, m + side, m + (h - 2 * m + side) // 2), \
            (m + side + m // 2, m, w - m, h - m)
    side = int(min(w - 2 * m, (h - 2 * m) * 0.35))
    return (m + (w - 2 * m - side) // 2, m, m + (w - 2 * m + side) // 2, m + side), \
        (m, m + side + m // 2, w - m, h - m)


def _panel(design: FaceDesign, w: int, h: int, rng: np.random.Generator) -> FacePaint:
    img = _blank(w, h, design.background)
    if rng.random() < 0.5:  # light-box or printed gradient
        g = np.linspace(1.08, 0.88, h, dtype=np.float32)[:, None, None]
        img[..., :3] = np.clip(img[..., :3] * g, 0, 255).astype(np.uint8)
    t = max(1, int(round(min(w, h) * rng.uniform(0.02, 0.06)))) if rng.random() < 0.7 else 0
    if t:
        cv2.rectangle(img, (0, 0), (w - 1, h - 1), (*design.accent, 255), t)
    m = t + max(1, int(min(w, h) * 0.07))
    gbox, tbox = _split_graphic(w, h, m, design)
    _graphic(img, design, gbox, rng)
    stroke = 0.05 if rng.random() < 0.3 else 0.0
    lines = paint_rows(img, design.rows, tbox, TextStyle(design.text_colour, stroke, design.accent))
    _weather(img, rng, rng.uniform(0.0, 0.15))
    return FacePaint(img, tuple(lines))


def _banner(design: FaceDesign, w: int, h: int, rng: np.random.Generator) -> FacePaint:
    img = _blank(w, h, design.background)
    if rng.random() < 0.5:  # diagonal accent ribbon
        pts = np.array([[0, int(h * 0.7)], [w, int(h * 0.35)], [w, int(h * 0.5)], [0, h]], np.int32)
        cv2.fillConvexPoly(img, pts, (*design.accent, 255), cv2.LINE_AA)
    m = max(1, int(min(w, h) * 0.06))
    gbox, tbox = _split_graphic(w, h, m, design, share=1.3)
    _graphic(img, design, gbox, rng)
    lines = paint_rows(img, design.rows, tbox,
                       TextStyle(design.text_colour, 0.06, (20, 20, 20)))
    r = max(1, int(min(w, h) * 0.015))
    for cx, cy in ((2 * r, 2 * r), (w - 2 * r, 2 * r), (w - 2 * r, h - 2 * r), (2 * r, h - 2 * r)):
        cv2.circle(img, (cx, cy), r, (160, 160, 160, 255), -1, cv2.LINE_AA)
    _weather(img, rng, rng.uniform(0.0, 0.12))
    return FacePaint(img, tuple(lines))


def _billboard(design: FaceDesign, w: int, h: int, rng: np.random.Generator) -> FacePaint:
    img = _blank(w, h, design.background)
    _picture(img, design, (0, 0, w, h), rng)
    band_top = rng.random() < 0.4
    bh = int(h * rng.uniform(0.3, 0.45))
    y0, y1 = (0, bh) if band_top else (h - bh, h)
    band = img[y0:y1, :, :3].astype(np.float32)
    img[y0:y1, :, :3] = (band * 0.25 + np.array(design.background) * 0.75).astype(np.uint8)
    m = max(1, int(min(w, bh) * 0.08))
    lines = paint_rows(img, design.rows, (m, y0 + m, w - m, y1 - m),
                       TextStyle(design.text_colour, 0.04, design.accent))
    lb = int(min(w, h) * 0.22)
    ly = h - lb - m if band_top else m
    draw_logo(img, (w - lb - m, ly, w - m, ly + lb), (design.accent, design.text_colour), rng)
    return FacePaint(img, tuple(lines))


def _sticker(design: FaceDesign, w: int, h: int, rng: np.random.Generator) -> FacePaint:
    img = _blank(w, h, design.background, alpha=int(rng.integers(200, 256)))
    m = max(1, int(min(w, h) * 0.08))
    gbox, tbox = _split_graphic(w, h, m, design)
    _graphic(img, design, gbox, rng)
    lines = paint_rows(img, design.rows, tbox, TextStyle(design.text_colour))
    return FacePaint(img, tuple(lines))


def _poster(design: FaceDesign, w: int, h: int, rng: np.random.Generator) -> FacePaint:
    """A printed poster behind the glass: a picture over most of it, the text on a band
    (a side band on landscape posters), sometimes a white print margin."""
    img = _blank(w, h, (245, 245, 242))
    margin = int(min(w, h) * rng.uniform(0.02, 0.06)) if rng.random() < 0.4 else 0
    x0, y0, x1, y1 = margin, margin, w - margin, h - margin
    if not design.rows:
        _picture(img, design, (x0, y0, x1, y1), rng)
        return FacePaint(img, ())
    share = rng.uniform(0.28, 0.45)
    if (x1 - x0) >= 1.3 * (y1 - y0):  # landscape: the band is a side
        cut = x0 + int((x1 - x0) * share)
        band, picture = ((x0, y0, cut, y1), (cut, y0, x1, y1)) if rng.random() < 0.5 else \
            ((x1 - (cut - x0), y0, x1, y1), (x0, y0, x1 - (cut - x0), y1))
    else:
        cut = y0 + int((y1 - y0) * share)
        band, picture = ((x0, y0, x1, cut), (x0, cut, x1, y1)) if rng.random() < 0.5 else \
            ((x0, y1 - (cut - y0), x1, y1), (x0, y0, x1, y1 - (cut - y0)))
    _picture(img, design, picture, rng)
    img[band[1]:band[3], band[0]:band[2], :3] = design.background
    m = max(1, int(min(band[2] - band[0], band[3] - band[1]) * 0.08))
    lines = paint_rows(img, design.rows, (band[0] + m, band[1] + m, band[2] - m, band[3] - m),
                       TextStyle(design.text_colour, 0.04, design.accent))
    _weather(img, rng, rng.uniform(0.0, 0.1))
    return FacePaint(img, tuple(lines))


def _neon(design: FaceDesign, w: int, h: int, rng: np.random.Generator) -> FacePaint:
    """Lit letters (tube or LED strip) hung behind the glass against a dark interior: a white-
    hot core in the tube's colour with a soft glow around it."""
    img = _blank(w, h, design.background, alpha=int(rng.integers(170, 240)))
    lit = _blank(w, h, (0, 0, 0), alpha=0)
    m = max(1, int(min(w, h) * 0.1))
    if rng.random() < 0.5:  # a tube frame round the lettering
        t = max(1, int(min(w, h) * 0.025))
        cv2.rectangle(lit, (m // 2, m // 2), (w - 1 - m // 2, h - 1 - m // 2),
                      (*design.accent, 255), t, cv2.LINE_AA)
    gbox, tbox = _split_graphic(w, h, m, design)
    _graphic(lit, design, gbox, rng)
    lines = paint_rows(lit, design.rows, tbox, TextStyle(design.text_colour))
    a = lit[..., 3:4].astype(np.float32) / 255.0
    colour = lit[..., :3].astype(np.float32)
    k = max(3, (int(min(w, h) * 0.06) // 2) * 2 + 1)
    glow = cv2.GaussianBlur(colour * a, (k, k), 0) * 1.4
    core = colour * 0.55 + 255 * 0.45
    out = img[..., :3].astype(np.float32) + glow
    img[..., :3] = np.clip(out * (1 - a) + core * a, 0, 255).astype(np.uint8)
    img[..., 3] = np.maximum(img[..., 3], lit[..., 3])
    return FacePaint(img, tuple(lines))


def _cut_letter_natural(design: FaceDesign, ref_h: int, rng: np.random.Generator
                        ) -> tuple[np.ndarray, list[PaintedLine], tuple[int, int, int, int]]:
    """Letters (and a logo on the left, if any) on a transparent strip ``ref_h`` px high."""
    nat = _blank(ref_h * 14, ref_h, design.text_colour, alpha=0)
    x_text = ref_h + ref_h // 6 if design.graphic else 0
    if design.graphic:
        _graphic(nat, design, (0, 0, ref_h, ref_h), rng)
    shadow = (max(1, ref_h // 40),) * 2
    lines = paint_rows(nat, design.rows, (x_text, 0, ref_h * 14, ref_h),
                       TextStyle(design.text_colour, shadow=shadow, align="left"), fill_height=1.0)
    return nat, lines, ink_bbox(nat) or (0, 0, 1, 1)


def _cut_letter(design: FaceDesign, w: int, h: int, rng: np.random.Generator) -> FacePaint:
    """Loose letters: painted at a natural size, cropped to the ink, resized to fill w x h.

    The ink's bounding rectangle *is* the face: the law measures unframed signs by their
    outermost letters and marks (tax-law.md §6).
    """
    nat, lines, box = _cut_letter_natural(design, int(min(1024, max(CUT_LETTER_REF_PX, h))), rng)
    crop = nat[box[1]:box[3], box[0]:box[2]]
    sx, sy = w / crop.shape[1], h / crop.shape[0]
    interp = cv2.INTER_AREA if sx < 1 else cv2.INTER_LINEAR
    img = cv2.resize(crop, (w, h), interpolation=interp)
    moved = tuple(PaintedLine(ln.text, ln.script, (
        (ln.box_px[0] - box[0]) * sx, (ln.box_px[1] - box[1]) * sy,
        (ln.box_px[2] - box[0]) * sx, (ln.box_px[3] - box[1]) * sy)) for ln in lines)
    return FacePaint(img, moved)


def cut_letter_aspect(design: FaceDesign) -> float:
    """Width / height of a cut-letter face's ink (letters and logo) at the reference size."""
    _, _, box = _cut_letter_natural(design, CUT_LETTER_REF_PX, np.random.default_rng(design.seed))
    return (box[2] - box[0]) / max(1, box[3] - box[1])


def _rotated(design: FaceDesign, w: int, h: int, painter, rng: np.random.Generator) -> FacePaint:
    """Paint on the transposed face, then turn it so the text reads bottom to top."""
    inner = painter(design, h, w, rng)
    img = np.ascontiguousarray(np.rot90(inner.bgra, k=1))
    W0 = inner.bgra.shape[1]
    lines = tuple(PaintedLine(ln.text, ln.script, (ln.box_px[1], W0 - ln.box_px[2],
                                                    ln.box_px[3], W0 - ln.box_px[0]))
                  for ln in inner.lines)
    return FacePaint(img, lines)


PAINTERS = {FaceStyle.PANEL: _panel, FaceStyle.BANNER: _banner, FaceStyle.BILLBOARD: _billboard,
            FaceStyle.STICKER: _sticker, FaceStyle.CUT_LETTER: _cut_letter,
            FaceStyle.POSTER: _poster, FaceStyle.NEON: _neon}


def paint_face(design: FaceDesign, w_px: int, h_px: int) -> FacePaint:
    """Paint a taxable sign's face; LED and government faces have their own modules."""
    if design.style not in PAINTERS:
        raise ValueError(f"no painter for style {design.style!r} in datasets.synth.faces")
    rng = np.random.default_rng(design.seed)
    painter = PAINTERS[design.style]
    if design.rotated:
        return _rotated(design, w_px, h_px, painter, rng)
    return painter(design, w_px, h_px, rng)
