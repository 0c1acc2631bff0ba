"""Lay out text rows inside a box of a sign face and paint them; return each line's ink box.

Rows get heights in proportion to their weights; each line is sized to fill its slot's
height or width, whichever binds, so long lines get smaller type (as on real signs).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from datasets.synth.content import Colour, LineSpec
from datasets.synth.text import InkLine, blend_mask, fit_size, render_line
from vision.types import Script

Box = tuple[int, int, int, int]


@dataclass(frozen=True, slots=True)
class PaintedLine:
    text: str
    script: Script | None
    box_px: tuple[float, float, float, float]  # xyxy in face pixels, tight to the ink


@dataclass(frozen=True, slots=True)
class TextStyle:
    colour: Colour
    stroke: float = 0.0  # outline width as a share of the font size
    stroke_colour: Colour = (0, 0, 0)
    shadow: tuple[int, int] | None = None  # (dx, dy) px of a darker extrusion/shadow copy
    align: str = "centre"  # "centre" or "left"


def paint_rows(dst: np.ndarray, rows: tuple[tuple[LineSpec, ...], ...], region: Box,
               style: TextStyle, *, fill_height: float = 0.9) -> list[PaintedLine]:
    """Paint ``rows`` into BGRA ``dst`` inside ``region`` (xyxy px).

    Pass 1 sizes each line for its slot (slot heights follow the row weights); pass 2 stacks
    the rows with a gap of a quarter of the mean row height, centred in the region, so
    width-bound lines do not leave holes between rows.
    """
    x0, y0, x1, y1 = region
    rw, rh = x1 - x0, y1 - y0
    if not rows or rw < 4 or rh < 4:
        return []
    weights = [max(ln.weight for ln in row) for row in rows]
    usable = rh / (1 + 0.25 * (len(rows) - 1) / len(rows))
    sized: list[list[tuple[LineSpec, InkLine, float, float]]] = []
    for row, wt in zip(rows, weights, strict=True):
        slot_h = usable * wt / sum(weights)
        col_gap = 0.06 * rw if len(row) > 1 else 0.0
        slot_w = (rw - col_gap * (len(row) - 1)) / len(row)
        cells = []
        for i, line in enumerate(row):
            path = Path(line.font_path)
            size = fit_size(line.text, path, slot_w * 0.96, slot_h * fill_height, style.stroke)
            cells.append((line, render_line(line.text, path, size, stroke=style.stroke),
                          x0 + i * (slot_w + col_gap), slot_w))
        sized.append(cells)
    heights = [max(_mask(c[1]).shape[0] for c in cells) for cells in sized]
    gap = 0.25 * sum(heights) / len(heights) if len(rows) > 1 else 0.0
    total = sum(heights) + gap * (len(rows) - 1)
    y = y0 + max(0.0, (rh - total) / 2)
    out: list[PaintedLine] = []
    for cells, row_h in zip(sized, heights, strict=True):
        for line, ink, sx, sw in cells:
            painted = _paint_line(dst, line, ink, (sx, y, sw, row_h), style)
            if painted is not None:
                out.append(painted)
        y += row_h + gap
    return out


def _mask(ink: InkLine) -> np.ndarray:
    return ink.outline if ink.outline is not None else ink.fill


def _paint_line(dst: np.ndarray, line: LineSpec, ink: InkLine,
                slot: tuple[float, float, float, float], style: TextStyle) -> PaintedLine | None:
    sx, sy, sw, sh = slot
    h, w = ink.fill.shape
    x = int(round(sx + (sw - w) / 2 if style.align == "centre" else sx + 0.02 * sw))
    y = int(round(sy + (sh - h) / 2))
    if style.shadow is not None:
        dx, dy = style.shadow
        dark = tuple(int(c * 0.45) for c in style.colour)
        for k in range(1, max(abs(dx), abs(dy)) + 1):
            blend_mask(dst, _mask(ink), dark, x + int(np.sign(dx)) * min(k, abs(dx)),
                       y + int(np.sign(dy)) * min(k, abs(dy)))
    if ink.outline is not None:
        blend_mask(dst, ink.outline, style.stroke_colour, x, y)
    box = blend_mask(dst, ink.fill, style.colour, x, y)
    if box is None:
        return None
    if ink.outline is not None or style.shadow is not None:
        dx, dy = style.shadow or (0, 0)
        H, W = dst.shape[:2]
        box = (max(0, min(x, x + dx)), max(0, min(y, y + dy)),
               min(W, max(x + w, x + w + dx)), min(H, max(y + h, y + h + dy)))
    return PaintedLine(line.text, line.script, tuple(float(v) for v in box))


def ink_bbox(bgra: np.ndarray, threshold: int = 8) -> Box | None:
    """xyxy of the pixels with alpha above ``threshold``; None if there are none."""
    ys, xs = np.nonzero(bgra[..., 3] > threshold)
    if xs.size == 0:
        return None
    return int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1
