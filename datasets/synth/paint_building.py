"""Textures of building parts: walls, shutters, shop interiors, windows, awnings, railings.

Each painter returns BGRA uint8 of ``w`` x ``h`` px for a surface at ``ppc`` px per cm, so
physical details (shutter slats every 7 cm, window frames 6 cm) keep their size.
"""

from __future__ import annotations

import cv2
import numpy as np

from datasets.synth.scene import Surface

AA = cv2.LINE_AA


def blank(w: int, h: int, colour, alpha: int = 255) -> np.ndarray:
    img = np.empty((h, w, 4), np.uint8)
    img[..., :3] = colour
    img[..., 3] = alpha
    return img


def shade(img: np.ndarray, factor: np.ndarray) -> None:
    """Multiply the colour channels by ``factor`` (HxW or broadcastable)."""
    f = np.asarray(factor, np.float32)
    if f.ndim == 2:
        f = f[..., None]
    img[..., :3] = np.clip(img[..., :3].astype(np.float32) * f, 0, 255).astype(np.uint8)


def noise(rng: np.random.Generator, w: int, h: int, cell_px: float, amount: float) -> np.ndarray:
    """Smooth multiplicative noise in [1 - amount, 1] with features of ~``cell_px``."""
    gw, gh = max(2, int(w / max(cell_px, 1)) + 2), max(2, int(h / max(cell_px, 1)) + 2)
    small = rng.uniform(1 - amount, 1.0, (gh, gw)).astype(np.float32)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC)


def _streaks(img: np.ndarray, rng: np.random.Generator, ppc: float, n: int) -> None:
    """Dark rain streaks running down from ledges, as on tropical shophouses."""
    h, w = img.shape[:2]
    mask = np.zeros((h, w), np.float32)
    for _ in range(n):
        x = int(rng.integers(0, w))
        y0 = int(rng.integers(0, max(1, h)))
        length = int(rng.uniform(50, 250) * ppc)
        cv2.line(mask, (x, y0), (x + int(rng.integers(-3, 4)), y0 + length),
                 float(rng.uniform(0.1, 0.35)), max(1, int(rng.uniform(3, 25) * ppc)))
    k = max(3, int(4 * ppc) | 1)
    shade(img, 1 - cv2.GaussianBlur(mask, (k, k), 0))


def wall(s: Surface, w: int, h: int, ppc: float, rng: np.random.Generator) -> np.ndarray:
    img = blank(w, h, s.colour)
    shade(img, noise(rng, w, h, 120 * ppc, 0.08))
    if s.variant == 1:  # ceramic tiles
        step = max(2, int(20 * ppc))
        img[::step, :, :3] = (img[::step, :, :3] * 0.8).astype(np.uint8)
        img[:, ::step, :3] = (img[:, ::step, :3] * 0.8).astype(np.uint8)
    elif s.variant == 2:  # weathered paint
        shade(img, noise(rng, w, h, 40 * ppc, 0.12))
    _streaks(img, rng, ppc, int(rng.integers(0, 12)))
    return img


def band(s: Surface, w: int, h: int, ppc: float, rng: np.random.Generator) -> np.ndarray:
    img = blank(w, h, s.colour)
    shade(img, np.linspace(1.05, 0.8, h, dtype=np.float32)[:, None])
    return img


def pillar(s: Surface, w: int, h: int, ppc: float, rng: np.random.Generator) -> np.ndarray:
    img = blank(w, h, s.colour)
    shade(img, (0.85 + 0.2 * np.sin(np.linspace(0, np.pi, w, dtype=np.float32)))[None, :])
    shade(img, noise(rng, w, h, 40 * ppc, 0.15))
    return img


def shutter(s: Surface, w: int, h: int, ppc: float, rng: np.random.Generator) -> np.ndarray:
    img = blank(w, h, s.colour)
    period = 7.0 * ppc
    if period >= 3:
        y = np.arange(h, dtype=np.float32)
        prof = 0.82 + 0.18 * np.cos(2 * np.pi * y / period)
        shade(img, prof[:, None])
    else:
        shade(img, np.full((1, 1), 0.9, np.float32))
    box = int(25 * ppc)  # bottom bar and lock
    img[h - max(1, box // 2):, :, :3] = (img[h - max(1, box // 2):, :, :3] * 0.7).astype(np.uint8)
    shade(img, noise(rng, w, h, 80 * ppc, 0.1))
    if s.variant == 1:  # graffiti-ish scribbles
        for _ in range(int(rng.integers(1, 4))):
            pts = np.cumsum(rng.normal(0, 15 * ppc, (8, 2)), axis=0) + [w / 2, h / 2]
            cv2.polylines(img, [pts.astype(np.int32)], False,
                          (*rng.integers(0, 255, 3).tolist(), 255), max(1, int(3 * ppc)), AA)
    return img


def shop_interior(s: Surface, w: int, h: int, ppc: float, rng: np.random.Generator) -> np.ndarray:
    """A dim shop seen through the open shutter: shelves of muted goods, ceiling tubes."""
    img = blank(w, h, s.colour)
    shade(img, np.linspace(1.1, 0.55, h, dtype=np.float32)[:, None])
    shelf = max(3, int(rng.uniform(35, 60) * ppc))
    grey = np.array(s.colour, float)
    for y in range(int(h * rng.uniform(0.2, 0.4)), h - shelf // 2, shelf):
        x = int(rng.uniform(0, 20) * ppc)
        while x < w:
            bw = int(rng.uniform(5, 18) * ppc) + 1
            bh = int(shelf * rng.uniform(0.3, 0.75))
            col = np.clip(grey * 0.4 + rng.integers(40, 200, 3) * 0.6, 0, 255).astype(int).tolist()
            cv2.rectangle(img, (x, y + shelf - bh), (x + bw - 1, y + shelf - 2), (*col, 255), -1)
            x += bw + int(rng.uniform(0, 4) * ppc)
        cv2.line(img, (0, y + shelf - 1), (w, y + shelf - 1), (60, 60, 60, 255),
                 max(1, int(2 * ppc)))
    for x in np.linspace(w * 0.15, w * 0.85, int(rng.integers(1, 4))):  # ceiling tubes
        cv2.rectangle(img, (int(x - 40 * ppc), int(0.04 * h)),
                      (int(x + 40 * ppc), int(0.04 * h + 3 * ppc)), (245, 250, 250, 255), -1)
    if not s.emissive:  # daylight outside: the interior reads darker than the street
        shade(img, np.full((1, 1), rng.uniform(0.45, 0.75), np.float32))
    if s.variant == 1:  # glass door frame in front
        t = max(1, int(5 * ppc))
        for x in (0, w // 2, w - t):
            img[:, x:x + t, :3] = (150, 150, 145)
        img[:t, :, :3] = (150, 150, 145)
    return img


def window(s: Surface, w: int, h: int, ppc: float, rng: np.random.Generator) -> np.ndarray:
    glass = np.array(s.colour, np.float32)
    img = blank(w, h, s.colour)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    refl = 0.75 + 0.5 * np.clip(((xx / max(w, 1)) + (yy / max(h, 1))) * 0.7 - 0.3, 0, 1)
    img[..., :3] = np.clip(glass * refl[..., None], 0, 255).astype(np.uint8)
    if s.variant == 3:  # curtains
        cw = int(w * rng.uniform(0.2, 0.45))
        col = (*rng.integers(120, 240, 3).tolist(), 255)
        cv2.rectangle(img, (0, 0), (cw, h), col, -1)
        cv2.rectangle(img, (w - cw, 0), (w, h), col, -1)
    frame = (*rng.choice([(235, 235, 235), (170, 170, 165), (40, 60, 90), (60, 60, 60)]).tolist(), 255)
    t = max(1, int(6 * ppc))
    cv2.rectangle(img, (0, 0), (w - 1, h - 1), frame, t)
    for k in range(1, int(rng.integers(2, 5))):
        x = int(k * w / 3) if w > h else int(k * w / 2)
        if x < w:
            cv2.line(img, (x, 0), (x, h), frame, max(1, t // 2))
    if s.variant == 1:  # burglar grille
        step = max(2, int(12 * ppc))
        gcol = (*rng.choice([(30, 30, 30), (230, 230, 230), (40, 90, 140)]).tolist(), 255)
        for x in range(step // 2, w, step):
            cv2.line(img, (x, 0), (x, h), gcol, max(1, int(1.5 * ppc)))
        for y in (h // 3, 2 * h // 3):
            cv2.line(img, (0, y), (w, y), gcol, max(1, int(2 * ppc)))
    elif s.variant == 2:  # louvred wooden shutters, two leaves
        img[..., :3] = rng.choice([(60, 100, 140), (60, 110, 60), (200, 200, 200)])
        step = max(2, int(6 * ppc))
        img[::step, :, :3] = (img[::step, :, :3] * 0.65).astype(np.uint8)
        cv2.line(img, (w // 2, 0), (w // 2, h), (30, 30, 30, 255), max(1, int(2 * ppc)))
        cv2.rectangle(img, (0, 0), (w - 1, h - 1), (40, 40, 40, 255), max(1, int(3 * ppc)))
    if s.emissive:
        img[t:h - t, t:w - t, :3] = np.clip(img[t:h - t, t:w - t, :3] * 0.4 + [120, 190, 240], 0, 255)
    return img


def awning(s: Surface, w: int, h: int, ppc: float, rng: np.random.Generator) -> np.ndarray:
    img = blank(w, h, s.colour)
    if s.variant == 0:  # striped canvas
        period = max(2, int(rng.uniform(30, 50) * ppc))
        x = np.arange(w)
        stripe = (x // max(1, period // 2)) % 2 == 0
        img[:, stripe, :3] = (235, 235, 235)
    else:  # corrugated metal sheet
        period = 8 * ppc
        if period >= 3:
            x = np.arange(w, dtype=np.float32)
            shade(img, (0.85 + 0.15 * np.cos(2 * np.pi * x / period))[None, :])
    val = max(1, int(18 * ppc))
    img[h - val:, :, :3] = (img[h - val:, :, :3] * 0.75).astype(np.uint8)
    shade(img, noise(rng, w, h, 40 * ppc, 0.2))
    return img


def railing(s: Surface, w: int, h: int, ppc: float, rng: np.random.Generator) -> np.ndarray:
    if s.variant == 1:  # solid parapet
        img = blank(w, h, s.colour)
        shade(img, noise(rng, w, h, 40 * ppc, 0.15))
        return img
    img = blank(w, h, s.colour, alpha=0)
    t = max(1, int(4 * ppc))
    step = max(2, int(12 * ppc))
    col = (*s.colour, 255)
    cv2.rectangle(img, (0, 0), (w - 1, t), col, -1)
    cv2.rectangle(img, (0, h - t), (w - 1, h - 1), col, -1)
    for x in range(0, w, step):
        cv2.line(img, (x, 0), (x, h), col, max(1, int(1.5 * ppc)))
    return img


def ac_unit(s: Surface, w: int, h: int, ppc: float, rng: np.random.Generator) -> np.ndarray:
    img = blank(w, h, s.colour)
    r = int(min(w, h) * 0.38)
    cv2.circle(img, (int(w * 0.62), h // 2), r, (90, 90, 90, 255), -1, AA)
    for k in range(1, 4):
        cv2.circle(img, (int(w * 0.62), h // 2), r * k // 4, (150, 150, 150, 255), 1, AA)
    shade(img, noise(rng, w, h, 10 * ppc, 0.2))
    return img


def backdrop(s: Surface, w: int, h: int, ppc: float, rng: np.random.Generator) -> np.ndarray:
    img = blank(w, h, s.colour, alpha=0)
    x = 0
    while x < w:
        bw = int(rng.uniform(600, 2000) * ppc) + 1
        top = int(h * rng.uniform(0.0, 0.6))
        col = np.clip(np.array(s.colour) * rng.uniform(0.85, 1.1), 0, 255).astype(int).tolist()
        cv2.rectangle(img, (x, top), (x + bw, h), (*col, 255), -1)
        step = max(3, int(300 * ppc))
        for wy in range(top + step // 2, h, step):
            for wx in range(x + step // 3, x + bw - step // 3, step):
                cv2.rectangle(img, (wx, wy), (wx + step // 3, wy + step // 3),
                              (*[int(c * 0.8) for c in col], 255), -1)
        x += bw
    return img


def plain(s: Surface, w: int, h: int, ppc: float, rng: np.random.Generator) -> np.ndarray:
    img = blank(w, h, s.colour)
    shade(img, noise(rng, w, h, 30 * ppc, 0.1))
    return img
