"""A row of Thai shophouses along the facade plane z = 0 (metres, y up, z to the street).

Shophouses (ตึกแถว) are 1-3 bays of about 4 m, 2-4 storeys: a ground floor with roller
shutters between pillars and a fascia zone above them, upper floors with windows, grilles,
balconies and air-conditioner units, and a parapet. Building parts are ``Surface``s; the
places where signs go are ``Slot``s for :mod:`datasets.synth.placement`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from datasets.synth.camera import Rect3D
from datasets.synth.scene import Surface, SurfaceKind

FRONT_U, DOWN = (1.0, 0.0, 0.0), (0.0, -1.0, 0.0)
WALL_COLOURS = ((200, 225, 235), (170, 220, 240), (225, 215, 200), (200, 200, 200),
                (215, 235, 245), (190, 205, 230), (210, 225, 200), (160, 190, 215),
                (235, 235, 235), (150, 160, 170), (180, 200, 240), (220, 200, 230))
SHUTTER_COLOURS = ((190, 190, 185), (160, 150, 140), (150, 120, 60), (90, 130, 80), (200, 200, 200))
GLASS = ((90, 80, 60), (110, 100, 80), (80, 70, 60), (120, 120, 110), (70, 60, 40))


@dataclass(frozen=True, slots=True)
class Slot:
    """A region where a sign of some kinds may go (face-plane rect, or an anchor line)."""

    name: str  # fascia, pillar, upper_wall, window, shop_glass, balcony, roof, projecting
    rect: Rect3D
    unit: int


@dataclass(frozen=True, slots=True)
class Facade:
    surfaces: tuple[Surface, ...]
    slots: tuple[Slot, ...]
    roof_heights: tuple[tuple[float, float, float], ...]  # (x0, x1, height_m) per unit


def front(x: float, y_top: float, z: float, w: float, h: float) -> Rect3D:
    """A rect parallel to the facade, facing the street, top-left at (x, y_top, z)."""
    return Rect3D((x, y_top, z), FRONT_U, DOWN, w, h)


class _Builder:
    def __init__(self, rng: np.random.Generator, night: bool) -> None:
        self.rng, self.night = rng, night
        self.surfaces: list[Surface] = []
        self.slots: list[Slot] = []

    def add(self, kind: SurfaceKind, rect: Rect3D, colour, variant: int = 0,
            emissive: bool = False, max_ppc: float = 2.0) -> None:
        self.surfaces.append(Surface(kind, rect, tuple(int(c) for c in colour),
                                     int(self.rng.integers(2**31)), variant, emissive, max_ppc))

    def pick(self, options):
        return options[int(self.rng.integers(len(options)))]


def _ground_floor(b: _Builder, x0: float, bay_w: float, ground_h: float, unit: int,
                  wall_col) -> None:
    rng = b.rng
    pil = rng.uniform(0.25, 0.4)
    shutter_top = ground_h - rng.uniform(0.8, 1.2)
    b.add(SurfaceKind.PILLAR, front(x0, ground_h, 0.03, pil, ground_h), wall_col,
          max_ppc=1.0)
    ox, ow = x0 + pil, bay_w - pil
    state = rng.random()
    lit = b.night and rng.random() < 0.7
    if state < 0.35:  # closed shutter
        b.add(SurfaceKind.SHUTTER, front(ox, shutter_top, 0.01, ow, shutter_top),
              b.pick(SHUTTER_COLOURS), int(rng.random() < 0.2), max_ppc=1.5)
    else:  # open shop, maybe with the shutter half down
        b.add(SurfaceKind.SHOP_INTERIOR, front(ox, shutter_top, 0.005, ow, shutter_top),
              rng.integers(40, 90, 3), int(rng.random() < 0.4), lit, max_ppc=1.5)
        down = rng.uniform(0.25, 1.0) if state < 0.55 else 0.2
        b.add(SurfaceKind.SHUTTER, front(ox, shutter_top, 0.01, ow, down),
              b.pick(SHUTTER_COLOURS), 0, max_ppc=1.5)
        b.slots.append(Slot("shop_glass", front(ox + 0.2, shutter_top - down - 0.1, 0.02,
                                                ow - 0.4, shutter_top - down - 0.6), unit))
    b.slots.append(Slot("fascia", front(ox, ground_h - 0.12, 0.07, ow,
                                        ground_h - shutter_top - 0.17), unit))
    b.slots.append(Slot("pillar", front(x0, shutter_top - 0.05, 0.05, pil, shutter_top - 0.4), unit))
    if rng.random() < 0.35:  # awning below the fascia, sloping out and down
        ang = np.radians(rng.uniform(15, 35))
        depth = rng.uniform(1.0, 1.8)
        v = (0.0, -float(np.sin(ang)), float(np.cos(ang)))
        b.add(SurfaceKind.AWNING, Rect3D((ox, shutter_top, 0.03), FRONT_U, v, ow, depth),
              b.pick(((40, 40, 190), (40, 130, 40), (160, 90, 20), (30, 150, 220), (170, 170, 170))),
              int(rng.random() < 0.4), max_ppc=1.0)


def _upper_floor(b: _Builder, x0: float, width: float, n_bays: int, y_floor: float,
                 storey_h: float, unit: int, wall_col) -> None:
    rng = b.rng
    bay_w = width / n_bays
    win_h = rng.uniform(1.2, 1.6)
    sill = y_floor + rng.uniform(0.8, 1.0)
    style = int(rng.choice(4, p=[0.4, 0.35, 0.07, 0.18]))
    glass = b.pick(GLASS)
    for i in range(n_bays):
        n_win = int(rng.integers(1, 3))
        ww = min(bay_w * 0.8 / n_win, rng.uniform(1.0, 1.6))
        for j in range(n_win):
            cx = x0 + (i + (j + 0.5) / n_win) * bay_w
            rect = front(cx - ww / 2, sill + win_h, 0.01, ww, win_h)
            b.add(SurfaceKind.WINDOW, rect, glass, style, b.night and rng.random() < 0.4, 1.5)
            b.slots.append(Slot("window", rect, unit))
            if rng.random() < 0.2:
                b.add(SurfaceKind.AC_UNIT, front(cx + ww / 2 + 0.1, sill + 0.3, 0.35, 0.8, 0.55),
                      (225, 225, 220), max_ppc=1.0)
    top_free = y_floor + storey_h - 0.15
    if top_free - (sill + win_h) > 0.4:
        b.slots.append(Slot("upper_wall", front(x0 + 0.3, top_free, 0.06, width - 0.6,
                                                top_free - sill - win_h - 0.1), unit))
    b.add(SurfaceKind.BAND, front(x0, y_floor + 0.1, 0.04, width, 0.2), wall_col, max_ppc=0.8)
    if rng.random() < 0.3:  # balcony slab and railing
        depth = rng.uniform(0.6, 1.0)
        b.add(SurfaceKind.BALCONY, Rect3D((x0, y_floor, 0.0), FRONT_U, (0.0, 0.0, 1.0), width,
                                          depth), (170, 170, 170), max_ppc=0.8)
        rail = front(x0, y_floor + 1.0, depth, width, 1.0)
        b.add(SurfaceKind.RAILING, rail, b.pick(((230, 230, 230), (40, 40, 40), wall_col)),
              int(rng.random() < 0.4), max_ppc=1.5)
        b.slots.append(Slot("balcony", front(x0 + 0.1, y_floor + 1.0, depth + 0.03, width - 0.2,
                                             0.95), unit))


def build_facade(rng: np.random.Generator, x_min: float, x_max: float, *, night: bool
                 ) -> Facade:
    """Shophouse units covering [x_min, x_max] along the facade plane."""
    b = _Builder(rng, night)
    roofs = []
    x = x_min - rng.uniform(0, 6)
    unit = 0
    while x < x_max:
        n_bays = int(rng.choice([1, 1, 2, 2, 3]))
        bay_w = rng.uniform(3.6, 4.4)
        width = n_bays * bay_w
        storeys = int(rng.choice([2, 3, 3, 4], p=[0.25, 0.3, 0.2, 0.25]))
        ground_h = rng.uniform(3.6, 4.3)
        storey_h = rng.uniform(3.0, 3.4)
        height = ground_h + (storeys - 1) * storey_h + rng.uniform(0.5, 1.4)
        wall_col = b.pick(WALL_COLOURS)
        b.add(SurfaceKind.WALL, front(x, height, 0.0, width, height), wall_col,
              int(rng.choice(3, p=[0.6, 0.15, 0.25])), max_ppc=0.6)
        for i in range(n_bays):
            _ground_floor(b, x + i * bay_w, bay_w, ground_h, unit, wall_col)
            if i == 0 or rng.random() < 0.5:
                b.slots.append(Slot("projecting", front(x + i * bay_w, height - 0.4, 0.1, 0.3,
                                                        height - ground_h - 0.1), unit))
        for s in range(1, storeys):
            _upper_floor(b, x, width, n_bays, ground_h + (s - 1) * storey_h, storey_h, unit,
                         wall_col)
        b.add(SurfaceKind.BAND, front(x, height, 0.05, width, 0.25),
              [int(c * 0.85) for c in wall_col], max_ppc=0.8)
        b.slots.append(Slot("roof", front(x + 0.3, height + 6.0, -0.3, width - 0.6, 5.5), unit))
        roofs.append((x, x + width, height))
        x += width
        unit += 1
    return Facade(tuple(b.surfaces), tuple(b.slots), tuple(roofs))
