"""Moving-message LED displays: a dot matrix in a dark housing, often caught mid-scroll.

Text is rasterised at the matrix resolution (one pixel per LED, pitch ``PITCH_CM``), then
each lit LED is drawn as a round dot. A scrolled message is cut off at the housing edge;
its line box is clipped to what is lit. These signs are "moving" (tax sub-type ก).
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw

from datasets.synth.content import FaceDesign
from datasets.synth.faces import FacePaint
from datasets.synth.fonts import font
from datasets.synth.textblock import PaintedLine

PITCH_CM = 1.6  # P16 outdoor modules
LED_COLOURS = ((40, 40, 255), (0, 170, 255), (60, 255, 60), (255, 255, 255), (255, 200, 60))


def _matrix(design: FaceDesign, cols: int, rows: int, rng: np.random.Generator
            ) -> tuple[np.ndarray, list[tuple[str, object, tuple[int, int, int, int]]]]:
    """Lit-LED mask (rows x cols, 0/255) and per line (text, script, box in LED units)."""
    mat = Image.new("L", (cols, rows), 0)
    draw = ImageDraw.Draw(mat)
    lines = [ln for row in design.rows for ln in row]
    out = []
    band = rows / max(1, len(lines))
    scroll = rng.random() < 0.5
    for i, line in enumerate(lines):
        size = max(6, int(band * 0.8))
        f = font(Path(line.font_path), size)
        x0, y0, x1, y1 = f.getbbox(line.text, anchor="ls")
        tw = x1 - x0
        if tw > cols and not scroll:  # shrink to fit unless it is scrolling anyway
            size = max(6, int(size * cols / tw))
            f = font(Path(line.font_path), size)
            x0, y0, x1, y1 = f.getbbox(line.text, anchor="ls")
            tw = x1 - x0
        x = (cols - tw) // 2 - x0
        if scroll:
            x = int(rng.integers(-tw // 2, max(1, cols - tw // 3))) - x0
        y = int(i * band + (band - (y1 - y0)) / 2) - y0
        draw.text((x, y), line.text, font=f, fill=255, anchor="ls")
        box = (max(0, x + x0), max(0, y + y0), min(cols, x + x1), min(rows, y + y1))
        if box[2] > box[0] and box[3] > box[1]:
            out.append((line.text, line.script, box))
    m = (np.asarray(mat) > 110).astype(np.uint8) * 255
    return m, out


def paint_led(design: FaceDesign, w: int, h: int, width_cm: float, height_cm: float
              ) -> FacePaint:
    rng = np.random.default_rng(design.seed)
    frame = max(1, int(round(min(w, h) * 0.06)))
    img = np.empty((h, w, 4), np.uint8)
    img[..., :3] = (30, 30, 30)
    img[..., 3] = 255
    inner_w, inner_h = max(1, w - 2 * frame), max(1, h - 2 * frame)
    frac = 1 - 2 * frame / max(1, min(w, h))
    cols = max(8, int(width_cm * frac / PITCH_CM))
    rows = max(7, int(height_cm * frac / PITCH_CM))
    mat, lines = _matrix(design, cols, rows, rng)
    colour = np.array(LED_COLOURS[int(rng.integers(len(LED_COLOURS)))], np.float32)
    lit = cv2.resize(mat, (inner_w, inner_h), interpolation=cv2.INTER_NEAREST).astype(np.float32)
    cell = inner_w / cols
    if cell >= 3:  # round dots with dark gaps
        yy, xx = np.mgrid[0:inner_h, 0:inner_w].astype(np.float32)
        fx = (xx * cols / inner_w) % 1.0 - 0.5
        fy = (yy * rows / inner_h) % 1.0 - 0.5
        lit *= (fx * fx + fy * fy < 0.16)
    base = np.full((inner_h, inner_w, 3), 12, np.float32)
    dots = base + lit[..., None] / 255.0 * (colour - 12)
    img[frame:frame + inner_h, frame:frame + inner_w, :3] = np.clip(dots, 0, 255).astype(np.uint8)
    sx, sy = inner_w / cols, inner_h / rows
    painted = tuple(PaintedLine(text, script, (frame + b[0] * sx, frame + b[1] * sy,
                                                frame + b[2] * sx, frame + b[3] * sy))
                    for text, script, b in lines)
    return FacePaint(img, painted)
