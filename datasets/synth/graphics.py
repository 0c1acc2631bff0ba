"""Procedural pictures and marks for sign faces: trade icons, logos, photo-like pictures.

All draw into a BGRA uint8 array inside a box xyxy (face pixels) with OpenCV anti-aliased
primitives. Their presence makes a sign "with pictures or marks" (tax-law.md §4).
"""

from __future__ import annotations

import cv2
import numpy as np

Colour = tuple[int, int, int]
AA = cv2.LINE_AA


def _c(colour: Colour) -> tuple[int, int, int, int]:
    return (int(colour[0]), int(colour[1]), int(colour[2]), 255)


def _geom(box: tuple[int, int, int, int]) -> tuple[int, int, int]:
    x0, y0, x1, y1 = box
    r = max(2, min(x1 - x0, y1 - y0) // 2)
    return (x0 + x1) // 2, (y0 + y1) // 2, r


def draw_icon(dst: np.ndarray, name: str, box: tuple[int, int, int, int], colour: Colour) -> None:
    """A simple pictogram for a trade (ring, bowl, cross, tyre, phone, bed, cup, bag, ...)."""
    cx, cy, r = _geom(box)
    c = _c(colour)
    t = max(1, r // 6)
    if name == "ring":
        cv2.circle(dst, (cx, cy + r // 5), int(r * 0.6), c, t * 2, AA)
        pts = np.array([[cx - r // 3, cy - r // 2], [cx, cy - r], [cx + r // 3, cy - r // 2]])
        cv2.fillConvexPoly(dst, pts.astype(np.int32), c, AA)
    elif name == "bowl":
        cv2.ellipse(dst, (cx, cy), (int(r * 0.9), int(r * 0.7)), 0, 0, 180, c, -1, AA)
        for k in (-1, 0, 1):
            x = cx + k * r // 3
            cv2.line(dst, (x, cy - r // 8), (x + r // 5, cy - r), c, t, AA)
    elif name == "cross":
        a, b = int(r * 0.3), int(r * 0.9)
        cv2.rectangle(dst, (cx - a, cy - b), (cx + a, cy + b), c, -1, AA)
        cv2.rectangle(dst, (cx - b, cy - a), (cx + b, cy + a), c, -1, AA)
    elif name == "tyre":
        cv2.circle(dst, (cx, cy), int(r * 0.85), c, max(2, r // 3), AA)
        cv2.circle(dst, (cx, cy), max(1, r // 6), c, -1, AA)
    elif name == "phone":
        cv2.rectangle(dst, (cx - r // 2, cy - r), (cx + r // 2, cy + r), c, t, AA)
        cv2.circle(dst, (cx, cy + int(r * 0.75)), max(1, r // 10), c, -1, AA)
    elif name == "bed":
        cv2.rectangle(dst, (cx - r, cy), (cx + r, cy + r // 3), c, -1, AA)
        cv2.rectangle(dst, (cx - r, cy - r // 2), (cx - r + r // 4, cy + r // 2), c, -1, AA)
        cv2.circle(dst, (cx - r // 2, cy - r // 6), max(1, r // 5), c, -1, AA)
    elif name == "cup":
        pts = np.array([[cx - r // 2, cy - r // 2], [cx + r // 2, cy - r // 2],
                        [cx + r // 3, cy + r // 2], [cx - r // 3, cy + r // 2]], np.int32)
        cv2.fillConvexPoly(dst, pts, c, AA)
        cv2.ellipse(dst, (cx + r // 2, cy), (r // 4, r // 4), 0, -90, 90, c, t, AA)
    elif name == "bag":
        cv2.rectangle(dst, (cx - r // 2, cy - r // 4), (cx + r // 2, cy + r), c, -1, AA)
        cv2.ellipse(dst, (cx, cy - r // 4), (r // 4, r // 3), 0, 180, 360, c, t, AA)
    elif name == "scissors":
        cv2.circle(dst, (cx - r // 3, cy + r // 2), r // 4, c, t, AA)
        cv2.circle(dst, (cx + r // 3, cy + r // 2), r // 4, c, t, AA)
        cv2.line(dst, (cx - r // 4, cy + r // 4), (cx + r // 3, cy - r), c, t, AA)
        cv2.line(dst, (cx + r // 4, cy + r // 4), (cx - r // 3, cy - r), c, t, AA)
    else:  # lotus / fallback: petals
        for ang in (-50, -25, 0, 25, 50):
            cv2.ellipse(dst, (cx, cy + r // 3), (r // 5, int(r * 0.8)), ang, 180, 360, c, -1, AA)


def draw_logo(dst: np.ndarray, box: tuple[int, int, int, int], colours: tuple[Colour, Colour],
              rng: np.random.Generator) -> None:
    """An emblem: ring, diamond, or star badge with an inner mark."""
    cx, cy, r = _geom(box)
    outer, inner = _c(colours[0]), _c(colours[1])
    style = int(rng.integers(3))
    if style == 0:
        cv2.circle(dst, (cx, cy), r, outer, -1, AA)
        cv2.circle(dst, (cx, cy), int(r * 0.7), inner, max(1, r // 8), AA)
    elif style == 1:
        pts = np.array([[cx, cy - r], [cx + r, cy], [cx, cy + r], [cx - r, cy]], np.int32)
        cv2.fillConvexPoly(dst, pts, outer, AA)
        cv2.circle(dst, (cx, cy), int(r * 0.35), inner, -1, AA)
    else:
        ang = np.linspace(-np.pi / 2, 1.5 * np.pi, 11)[:-1]
        rad = np.where(np.arange(10) % 2 == 0, r, r * 0.45)
        pts = np.stack([cx + rad * np.cos(ang), cy + rad * np.sin(ang)], 1).astype(np.int32)
        cv2.fillPoly(dst, [pts], outer, AA)
        cv2.circle(dst, (cx, cy), int(r * 0.25), inner, -1, AA)


def draw_picture(dst: np.ndarray, box: tuple[int, int, int, int], rng: np.random.Generator) -> None:
    """A photo-like panel: a smooth colour gradient with soft blobs (food, product, a face)."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    if w < 2 or h < 2:
        return
    c0 = rng.integers(40, 230, 3).astype(np.float32)
    c1 = rng.integers(40, 230, 3).astype(np.float32)
    t = np.linspace(0, 1, h, dtype=np.float32)[:, None, None]
    img = (c0 * (1 - t) + c1 * t) * np.ones((1, w, 1), np.float32)
    for _ in range(int(rng.integers(2, 6))):
        cx, cy = int(rng.integers(0, w)), int(rng.integers(0, h))
        rr = int(max(2, min(w, h) * rng.uniform(0.15, 0.45)))
        col = rng.integers(20, 255, 3).tolist()
        cv2.circle(img, (cx, cy), rr, col, -1, AA)
        cv2.circle(img, (cx - rr // 4, cy - rr // 4), max(1, rr // 3),
                   [min(255, v + 60) for v in col], -1, AA)
    k = max(1, (min(w, h) // 40) * 2 + 1)
    img = cv2.GaussianBlur(img, (k, k), 0)
    dst[y0:y1, x0:x1, :3] = np.clip(img, 0, 255).astype(np.uint8)
    dst[y0:y1, x0:x1, 3] = 255
