"""Government signs (exempt from the tax, tax-law.md §9.1 (6)): Thai road signs and
Hat Yai street-name plates. They are hard negatives for "taxable" and still get corners.

Road signs follow the Thai shapes: red octagon "หยุด", inverted triangle "ให้ทาง", red-ringed
discs (speed limit, no parking, no entry), blue mandatory discs, yellow warning diamonds and
blue information rectangles. The face is the shape's bounding rectangle; outside the shape
the texture is transparent.
"""

from __future__ import annotations

import cv2
import numpy as np

from datasets.synth.content import FaceDesign, FaceStyle, LineSpec
from datasets.synth.faces import FacePaint
from datasets.synth.fonts import installed_fonts
from datasets.synth.kinds import TextLayout
from datasets.synth.textblock import TextStyle, paint_rows
from datasets.synth.vocab import STREETS, pick

AA = cv2.LINE_AA
RED, WHITE, BLUE, YELLOW, BLACK = (40, 30, 200), (250, 250, 250), (150, 70, 0), (0, 200, 250), (20, 20, 20)
ROAD_SHAPES = ("stop", "giveway", "speed", "noparking", "noentry", "mandatory", "warning", "info")


def design_road_sign(rng: np.random.Generator) -> tuple[FaceDesign, float, float]:
    """(design, width_cm, height_cm) of a random Thai road sign."""
    shape = pick(rng, ROAD_SHAPES)
    size = float(rng.choice([60.0, 75.0, 90.0]))
    fonts = installed_fonts()
    thai, latin = str(fonts.thai[0]), str(fonts.latin[0])
    rows: tuple[tuple[LineSpec, ...], ...] = ()
    w, h = size, size
    if shape == "stop":
        rows = ((LineSpec("หยุด", 1.0, thai),),)
    elif shape == "giveway":
        rows = ((LineSpec("ให้ทาง", 1.0, thai),),)
        h = size * 0.87
    elif shape == "speed":
        rows = ((LineSpec(pick(rng, ("30", "40", "50", "60", "80")), 1.0, latin),),)
    elif shape == "info":
        w, h = size, size * 1.25
        rows = ((LineSpec("P", 1.0, latin),),) if rng.random() < 0.6 else \
            ((LineSpec("ที่จอดรถ", 1.0, thai),), (LineSpec("Parking", 0.8, latin),))
    design = FaceDesign(FaceStyle.ROAD, TextLayout.GOVERNMENT, rows, WHITE, BLACK, RED,
                        f"road:{shape}", False, int(rng.integers(2**31)))
    return design, w, h


def design_street_name(rng: np.random.Generator) -> tuple[FaceDesign, float, float]:
    thai, eng = STREETS[int(rng.integers(len(STREETS)))]
    fonts = installed_fonts()
    latin = str(fonts.latin[0])
    rows = ((LineSpec(thai, 1.0, str(fonts.thai[int(rng.integers(min(3, len(fonts.thai))))])),),
            (LineSpec(eng, 0.75, latin),))
    bg = BLUE if rng.random() < 0.6 else (60, 110, 0)
    w = float(rng.uniform(100, 160))
    design = FaceDesign(FaceStyle.STREET, TextLayout.GOVERNMENT, rows, bg, WHITE, WHITE,
                        None, False, int(rng.integers(2**31)))
    return design, w, w * float(rng.uniform(0.24, 0.32))


def _poly(img: np.ndarray, pts: np.ndarray, colour) -> None:
    cv2.fillPoly(img, [np.round(pts).astype(np.int32)], (*colour, 255), AA)


def _regular(cx: float, cy: float, r: float, n: int, start: float) -> np.ndarray:
    a = start + np.arange(n) * 2 * np.pi / n
    return np.stack([cx + r * np.cos(a), cy + r * np.sin(a)], 1)


def paint_road_sign(design: FaceDesign, w: int, h: int) -> FacePaint:
    img = np.zeros((h, w, 4), np.uint8)
    shape = (design.graphic or "road:info").split(":", 1)[1]
    cx, cy, r = w / 2, h / 2, min(w, h) / 2
    text = TextStyle(BLACK)
    region = (int(w * 0.22), int(h * 0.3), int(w * 0.78), int(h * 0.7))
    if shape == "stop":
        _poly(img, _regular(cx, cy, r, 8, np.pi / 8), WHITE)
        _poly(img, _regular(cx, cy, r * 0.9, 8, np.pi / 8), RED)
        text = TextStyle(WHITE)
        region = (int(w * 0.15), int(h * 0.3), int(w * 0.85), int(h * 0.7))
    elif shape == "giveway":
        tri = np.array([[0, 0], [w - 1, 0], [w / 2, h - 1]], float)
        _poly(img, tri, RED)
        inner = (tri - [w / 2, h / 3]) * 0.7 + [w / 2, h / 3]
        _poly(img, inner, WHITE)
        region = (int(w * 0.3), int(h * 0.12), int(w * 0.7), int(h * 0.38))
    elif shape in ("speed", "noparking"):
        cv2.circle(img, (int(cx), int(cy)), int(r) - 1, (*RED, 255), -1, AA)
        inner = BLUE if shape == "noparking" else WHITE
        cv2.circle(img, (int(cx), int(cy)), int(r * 0.78), (*inner, 255), -1, AA)
        if shape == "noparking":
            d = r * 0.55
            cv2.line(img, (int(cx - d), int(cy - d)), (int(cx + d), int(cy + d)), (*RED, 255),
                     max(1, int(r * 0.18)), AA)
    elif shape == "noentry":
        cv2.circle(img, (int(cx), int(cy)), int(r) - 1, (*RED, 255), -1, AA)
        cv2.rectangle(img, (int(cx - r * 0.65), int(cy - r * 0.16)),
                      (int(cx + r * 0.65), int(cy + r * 0.16)), (*WHITE, 255), -1)
    elif shape == "mandatory":
        cv2.circle(img, (int(cx), int(cy)), int(r) - 1, (*BLUE, 255), -1, AA)
        cv2.arrowedLine(img, (int(cx), int(cy + r * 0.6)), (int(cx), int(cy - r * 0.6)),
                        (*WHITE, 255), max(1, int(r * 0.16)), AA, tipLength=0.4)
    elif shape == "warning":
        _poly(img, _regular(cx, cy, r, 4, 0.0), BLACK)
        _poly(img, _regular(cx, cy, r * 0.9, 4, 0.0), YELLOW)
        pts = np.array([[cx - r * 0.2, cy + r * 0.4], [cx - r * 0.2, cy - r * 0.05],
                        [cx + r * 0.2, cy - r * 0.25]], np.int32)
        cv2.polylines(img, [pts], False, (*BLACK, 255), max(1, int(r * 0.12)), AA)
    else:  # info rectangle
        img[..., :3] = BLUE
        img[..., 3] = 255
        cv2.rectangle(img, (0, 0), (w - 1, h - 1), (*WHITE, 255), max(1, int(min(w, h) * 0.04)))
        text = TextStyle(WHITE)
        region = (int(w * 0.12), int(h * 0.12), int(w * 0.88), int(h * 0.88))
    lines = paint_rows(img, design.rows, region, text)
    return FacePaint(img, tuple(lines))


def paint_street_name(design: FaceDesign, w: int, h: int) -> FacePaint:
    img = np.empty((h, w, 4), np.uint8)
    img[..., :3] = design.background
    img[..., 3] = 255
    t = max(1, int(min(w, h) * 0.05))
    cv2.rectangle(img, (t, t), (w - 1 - t, h - 1 - t), (*WHITE, 255), max(1, t // 2))
    m = 2 * t + 1
    lines = paint_rows(img, design.rows, (m, m, w - m, h - m), TextStyle(WHITE))
    return FacePaint(img, tuple(lines))
