"""Textures of the street: pavement, road, kerb, poles, trees, vehicles, motorbikes, people.

Same contract as :mod:`datasets.synth.paint_building`; the dispatcher ``paint_surface``
picks the painter by surface kind.
"""

from __future__ import annotations

import cv2
import numpy as np

from datasets.synth import paint_building as pb
from datasets.synth.scene import Surface, SurfaceKind

AA = cv2.LINE_AA


def sidewalk(s: Surface, w: int, h: int, ppc: float, rng: np.random.Generator) -> np.ndarray:
    img = pb.blank(w, h, s.colour)
    step = max(2, int(rng.choice([30, 40, 50]) * ppc))
    img[::step, :, :3] = (img[::step, :, :3] * 0.75).astype(np.uint8)
    img[:, ::step, :3] = (img[:, ::step, :3] * 0.75).astype(np.uint8)
    pb.shade(img, pb.noise(rng, w, h, 80 * ppc, 0.3))
    return img


def road(s: Surface, w: int, h: int, ppc: float, rng: np.random.Generator) -> np.ndarray:
    img = pb.blank(w, h, s.colour)
    pb.shade(img, pb.noise(rng, w, h, 100 * ppc, 0.25))
    pb.shade(img, pb.noise(rng, w, h, 3 * ppc, 0.15))
    t = max(1, int(12 * ppc))
    y_edge = int(40 * ppc)  # edge line 40 cm from the kerb (v runs away from the kerb)
    cv2.line(img, (0, y_edge), (w, y_edge), (60, 200, 230, 255) if s.variant else
             (220, 220, 220, 255), t)
    y_lane = int(rng.uniform(330, 400) * ppc)
    dash, gap = int(300 * ppc), int(500 * ppc)
    for x in range(0, w, max(2, dash + gap)):
        cv2.line(img, (x, y_lane), (x + dash, y_lane), (225, 225, 225, 255), t)
    return img


def kerb(s: Surface, w: int, h: int, ppc: float, rng: np.random.Generator) -> np.ndarray:
    img = pb.blank(w, h, s.colour)
    if s.variant in (1, 2):  # red-white (no parking) or yellow-black stripes, 1 m blocks
        colour = (40, 40, 200) if s.variant == 1 else (30, 200, 240)
        block = max(1, int(100 * ppc))
        for x in range(0, w, 2 * block):
            img[:, x:x + block, :3] = colour
    pb.shade(img, pb.noise(rng, w, h, 50 * ppc, 0.3))
    return img


def pole(s: Surface, w: int, h: int, ppc: float, rng: np.random.Generator) -> np.ndarray:
    img = pb.blank(w, h, s.colour)
    pb.shade(img, (0.65 + 0.45 * np.sin(np.linspace(0.2, np.pi - 0.2, w, dtype=np.float32)))[None])
    pb.shade(img, pb.noise(rng, w, h, 30 * ppc, 0.25))
    return img


def canopy(s: Surface, w: int, h: int, ppc: float, rng: np.random.Generator) -> np.ndarray:
    """A tree crown: overlapping leaf clumps, lit from above, with a ragged outline."""
    img = pb.blank(w, h, s.colour, alpha=0)
    base = np.array(s.colour, float)
    for _ in range(int(rng.integers(25, 45))):
        cx, cy = rng.normal(w / 2, w / 6), rng.normal(h / 2, h / 6)
        r = int(rng.uniform(0.1, 0.22) * min(w, h)) + 1
        lift = 1.25 - 0.6 * float(np.clip(cy / h, 0, 1))  # brighter on top
        col = np.clip(base * rng.uniform(0.75, 1.15) * lift, 0, 255).astype(int).tolist()
        cv2.circle(img, (int(cx), int(cy)), r, (*col, 255), -1, AA)
    leaf = pb.noise(rng, w, h, 2.5 * ppc, 0.35)
    pb.shade(img, leaf)
    edge = cv2.GaussianBlur(pb.noise(rng, w, h, 6 * ppc, 1.0), (0, 0), max(0.5, ppc))
    img[..., 3] = np.where((img[..., 3] > 0) & (edge > 0.22), 255, 0).astype(np.uint8)
    return img


def vehicle_side(s: Surface, w: int, h: int, ppc: float, rng: np.random.Generator) -> np.ndarray:
    """Variant 0: lower body with wheels; 1: cabin with windows (trapezoid)."""
    img = pb.blank(w, h, s.colour, alpha=0)
    col = (*s.colour, 255)
    if s.variant == 0:
        wheel_r = int(32 * ppc)
        cv2.rectangle(img, (0, 0), (w - 1, h - int(22 * ppc)), col, -1)
        for fx in (0.18, 0.82):
            c = (int(w * fx), h - wheel_r)
            cv2.circle(img, c, wheel_r, (25, 25, 25, 255), -1, AA)
            cv2.circle(img, c, wheel_r // 2, (150, 150, 150, 255), -1, AA)
        cv2.line(img, (0, int(h * 0.35)), (w, int(h * 0.35)), (30, 30, 30, 255), max(1, int(ppc)))
    else:
        slope = int(h * 0.6)
        pts = np.array([[slope, 0], [w - slope // 2, 0], [w - 1, h - 1], [0, h - 1]], np.int32)
        cv2.fillConvexPoly(img, pts, col, AA)
        inset = max(1, int(8 * ppc))
        glass = np.array([[slope + inset, inset], [w - slope // 2 - inset, inset],
                          [w - inset * 3, h - inset], [inset * 3, h - inset]], np.int32)
        cv2.fillConvexPoly(img, glass, (60, 50, 40, 255), AA)
        cv2.line(img, (w // 2, 0), (w // 2, h), col, max(1, int(8 * ppc)))
    pb.shade(img, np.linspace(1.1, 0.8, h, dtype=np.float32)[:, None])
    return img


def vehicle_end(s: Surface, w: int, h: int, ppc: float, rng: np.random.Generator) -> np.ndarray:
    img = pb.blank(w, h, s.colour)
    lamp = (40, 40, 220, 255) if s.variant == 0 else (230, 240, 240, 255)
    r = max(1, int(9 * ppc))
    for fx in (0.15, 0.85):
        cv2.circle(img, (int(w * fx), int(h * 0.35)), r, lamp, -1, AA)
    cv2.rectangle(img, (int(w * 0.38), int(h * 0.55)), (int(w * 0.62), int(h * 0.72)),
                  (240, 240, 240, 255), -1)
    return img


def motorbike(s: Surface, w: int, h: int, ppc: float, rng: np.random.Generator) -> np.ndarray:
    """Side view, 190 x 110 cm; variant 1 adds a rider."""
    img = pb.blank(w, h, s.colour, alpha=0)
    off = 50.0 if s.variant == 1 else 0.0  # a rider adds 50 cm above the bike
    sx, sy = w / 190.0, h / (110.0 + off)  # px per cm across and down the sprite
    col = (*s.colour, 255)

    def P(x: float, y: float) -> tuple[int, int]:  # cm from the bike's top-left to px
        return int(x * sx), int((y + off) * sy)

    for fx in (30, 160):
        cv2.circle(img, P(fx, 81), int(28 * sy), (20, 20, 20, 255), max(1, int(7 * sy)), AA)
        cv2.circle(img, P(fx, 81), max(1, int(9 * sy)), (140, 140, 140, 255), -1, AA)
    body = np.array([P(x, y) for x, y in ((45, 80), (140, 80), (158, 55), (125, 45), (55, 52))])
    cv2.fillPoly(img, [body.astype(np.int32)], col, AA)
    cv2.rectangle(img, P(55, 40), P(118, 50), (25, 25, 25, 255), -1)  # seat
    cv2.line(img, P(150, 35), P(160, 81), (60, 60, 60, 255), max(1, int(4 * sx)), AA)
    cv2.line(img, P(140, 33), P(165, 30), (30, 30, 30, 255), max(1, int(4 * sx)), AA)
    if s.variant == 1:  # rider, seen from the side, drawn into the upper part
        shirt = (*rng.integers(30, 230, 3).tolist(), 255)
        cv2.rectangle(img, P(72, -22), P(105, 42), shirt, -1)
        cv2.rectangle(img, P(90, 30), P(140, 45), (60, 50, 40, 255), -1)  # legs
        cv2.circle(img, P(88, -34), max(1, int(13 * sy)), (*rng.integers(0, 255, 3).tolist(), 255),
                   -1, AA)
    return img


def person(s: Surface, w: int, h: int, ppc: float, rng: np.random.Generator) -> np.ndarray:
    img = pb.blank(w, h, s.colour, alpha=0)
    skin = (*rng.choice([(120, 160, 200), (90, 130, 170), (150, 180, 215)]).tolist(), 255)
    head = max(1, int(h * 0.065))
    cv2.circle(img, (w // 2, head + 1), head, skin, -1, AA)
    cv2.ellipse(img, (w // 2, int(h * 0.33)), (int(w * 0.4), int(h * 0.2)), 0, 0, 360,
                (*s.colour, 255), -1, AA)
    legs = (*rng.integers(20, 90, 3).tolist(), 255)
    cv2.rectangle(img, (int(w * 0.22), int(h * 0.48)), (int(w * 0.47), h - 1), legs, -1)
    cv2.rectangle(img, (int(w * 0.53), int(h * 0.48)), (int(w * 0.78), h - 1), legs, -1)
    return img


PAINTERS = {
    SurfaceKind.WALL: pb.wall, SurfaceKind.BAND: pb.band, SurfaceKind.PILLAR: pb.pillar,
    SurfaceKind.SHUTTER: pb.shutter, SurfaceKind.SHOP_INTERIOR: pb.shop_interior,
    SurfaceKind.WINDOW: pb.window, SurfaceKind.AWNING: pb.awning, SurfaceKind.BALCONY: pb.plain,
    SurfaceKind.RAILING: pb.railing, SurfaceKind.AC_UNIT: pb.ac_unit,
    SurfaceKind.BACKDROP: pb.backdrop, SurfaceKind.SIGN_EDGE: pb.plain,
    SurfaceKind.SIDEWALK: sidewalk, SurfaceKind.ROAD: road, SurfaceKind.KERB: kerb,
    SurfaceKind.POLE: pole, SurfaceKind.TRUNK: pole, SurfaceKind.CANOPY: canopy,
    SurfaceKind.VEHICLE_SIDE: vehicle_side, SurfaceKind.VEHICLE_END: vehicle_end,
    SurfaceKind.VEHICLE_TOP: pb.plain, SurfaceKind.MOTORBIKE: motorbike,
    SurfaceKind.PERSON: person,
}


def paint_surface(s: Surface, w: int, h: int, ppc: float) -> np.ndarray:
    """BGRA texture of ``s`` at ``w`` x ``h`` px (``ppc`` px per cm); detail from ``s.seed``."""
    return PAINTERS[s.kind](s, max(1, w), max(1, h), ppc, np.random.default_rng(s.seed))
