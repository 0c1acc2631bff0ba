"""The street in front of the facade: pavement, road, kerb, concrete poles carrying dense
overhead cables (as in Hat Yai), trees, parked cars, motorbikes and people.

All are occluders of the signs behind them. Cables are 3D catenaries; the rest are
``Surface``s (box faces or camera-facing sprites).
"""

from __future__ import annotations

import numpy as np

from datasets.synth.camera import Rect3D
from datasets.synth.facade import DOWN, FRONT_U, front
from datasets.synth.scene import Cable, Surface, SurfaceKind

KERB_Z = 2.4  # pavement depth, m
CAR_COLOURS = ((240, 240, 240), (30, 30, 30), (160, 160, 160), (40, 40, 170), (130, 80, 30),
               (60, 60, 60), (200, 200, 190))


def _s(rng: np.random.Generator, kind: SurfaceKind, rect: Rect3D, colour, variant: int = 0,
       max_ppc: float = 1.5) -> Surface:
    return Surface(kind, rect, tuple(int(c) for c in colour), int(rng.integers(2**31)), variant,
                   False, max_ppc)


def clear_of(camera_xz: tuple[float, float], x0: float, x1: float, z0: float, z1: float,
             margin: float = 1.5) -> bool:
    """True if the camera stands outside the object's ground footprint grown by ``margin``."""
    cx, cz = camera_xz
    return not (x0 - margin < cx < x1 + margin and z0 - margin < cz < z1 + margin)


def ground(rng: np.random.Generator, x0: float, x1: float) -> list[Surface]:
    w = x1 - x0
    side_col = rng.choice([(170, 170, 170), (150, 160, 185), (120, 130, 160)])
    return [
        _s(rng, SurfaceKind.SIDEWALK, Rect3D((x0, 0.15, 0.0), FRONT_U, (0.0, 0.0, 1.0), w, KERB_Z),
           side_col, max_ppc=0.5),
        _s(rng, SurfaceKind.KERB, front(x0, 0.15, KERB_Z, w, 0.15), (150, 150, 150),
           int(rng.choice(3, p=[0.4, 0.4, 0.2])), max_ppc=0.5),
        _s(rng, SurfaceKind.ROAD, Rect3D((x0, 0.0, KERB_Z), FRONT_U, (0.0, 0.0, 1.0), w, 40.0),
           (75, 75, 78), int(rng.random() < 0.5), max_ppc=0.3),
    ]


def backdrop(rng: np.random.Generator, x0: float, x1: float, top_m: float) -> Surface:
    """Distant, hazy buildings behind the roofline (a plane 25 m behind the facade)."""
    tone = int(rng.integers(150, 200))
    return _s(rng, SurfaceKind.BACKDROP, front(x0 - 40, top_m + 14, -25.0, x1 - x0 + 80, top_m + 14),
              (tone + 10, tone, tone - 10), max_ppc=0.05)


def _catenary(a: np.ndarray, b: np.ndarray, sag: float, n: int = 24) -> tuple:
    t = np.linspace(0, 1, n)[:, None]
    pts = a * (1 - t) + b * t
    pts[:, 1] -= sag * 4 * t[:, 0] * (1 - t[:, 0])
    return tuple(tuple(float(v) for v in p) for p in pts)


def poles_and_cables(rng: np.random.Generator, x0: float, x1: float, density: float,
                     camera_xz: tuple[float, float]) -> tuple[list[Surface], list[Cable]]:
    surfaces: list[Surface] = []
    cables: list[Cable] = []
    if density <= 0:
        return surfaces, cables
    spacing = rng.uniform(22, 38) / max(density, 0.3)
    xs = np.arange(x0 - rng.uniform(0, spacing), x1 + spacing, spacing)
    z = KERB_Z - rng.uniform(0.2, 0.5)
    top = rng.uniform(8.5, 10.0)
    for x in xs:
        if not clear_of(camera_xz, x - 0.15, x + 0.15, z, z + 0.3, 0.8):
            continue
        surfaces.append(_s(rng, SurfaceKind.POLE, front(x - 0.15, top, z, 0.3, top), (165, 165, 160)))
        surfaces.append(_s(rng, SurfaceKind.BAND, front(x - 0.9, top - 0.6, z + 0.16, 1.8, 0.12),
                           (120, 120, 120)))
        if rng.random() < 0.25:  # transformer
            surfaces.append(_s(rng, SurfaceKind.AC_UNIT, front(x - 0.45, top - 1.5, z + 0.2, 0.9, 1.1),
                               (140, 150, 140)))
    n_cables = int(rng.integers(6, 26) * density)
    for _ in range(n_cables):
        h = rng.uniform(5.5, top - 0.3)
        dz = rng.uniform(-0.4, 0.4)
        diameter = float(rng.uniform(1.0, 4.0))
        for xa, xb in zip(xs[:-1], xs[1:], strict=True):
            a = np.array([xa, h + rng.uniform(-0.1, 0.1), z + dz])
            b = np.array([xb, h + rng.uniform(-0.1, 0.1), z + dz])
            cables.append(Cable(_catenary(a, b, rng.uniform(0.2, 1.4)), diameter, (25, 25, 25)))
    for x in xs:  # service drops from the poles to the shophouses
        for _ in range(int(rng.integers(0, 4) * density)):
            a = np.array([x, rng.uniform(6.0, top - 0.5), z])
            b = np.array([x + rng.uniform(-12, 12), rng.uniform(3.2, 6.5), 0.05])
            cables.append(Cable(_catenary(a, b, rng.uniform(0.1, 0.6), 16),
                                float(rng.uniform(0.8, 2.0)), (30, 30, 30)))
    return surfaces, cables


def trees(rng: np.random.Generator, x0: float, x1: float, density: float,
          camera_xz: tuple[float, float]) -> list[Surface]:
    out = []
    for _ in range(int(rng.poisson(0.6 * density))):
        x, z = rng.uniform(x0, x1), rng.uniform(1.2, KERB_Z - 0.3)
        trunk_h, crown = rng.uniform(2.2, 4.0), rng.uniform(2.5, 5.0)
        if not clear_of(camera_xz, x - crown / 2, x + crown / 2, z, z, 1.0):
            continue
        out.append(_s(rng, SurfaceKind.TRUNK, front(x - 0.15, trunk_h + 0.3, z, 0.3, trunk_h + 0.3),
                      (50, 70, 90)))
        out.append(_s(rng, SurfaceKind.CANOPY, front(x - crown / 2, trunk_h + crown * 0.8, z - 0.05,
                                                      crown, crown), (50, 120, 60), max_ppc=0.6))
    return out


def _box(rng: np.random.Generator, x: float, y0: float, z: float, length: float, depth: float,
         height: float, colour, side_variant: int) -> list[Surface]:
    """Five visible faces of an axis-aligned box: x..x+length, y0..y0+height, z..z+depth."""
    top = y0 + height
    near = front(x, top, z + depth, length, height)
    far = Rect3D((x + length, top, z), (-1.0, 0.0, 0.0), DOWN, length, height)
    left = Rect3D((x, top, z), (0.0, 0.0, 1.0), DOWN, depth, height)
    right = Rect3D((x + length, top, z + depth), (0.0, 0.0, -1.0), DOWN, depth, height)
    lid = Rect3D((x, top, z), FRONT_U, (0.0, 0.0, 1.0), length, depth)
    return [_s(rng, SurfaceKind.VEHICLE_SIDE, near, colour, side_variant),
            _s(rng, SurfaceKind.VEHICLE_SIDE, far, colour, side_variant),
            _s(rng, SurfaceKind.VEHICLE_END, left, colour, 0),
            _s(rng, SurfaceKind.VEHICLE_END, right, colour, 1),
            _s(rng, SurfaceKind.VEHICLE_TOP, lid, colour)]


def vehicles(rng: np.random.Generator, x0: float, x1: float, density: float,
             camera_xz: tuple[float, float]) -> list[Surface]:
    out: list[Surface] = []
    for _ in range(int(rng.poisson(1.2 * density))):
        length, depth = rng.uniform(4.0, 5.2), rng.uniform(1.7, 1.9)
        x, z = rng.uniform(x0, x1), KERB_Z + rng.uniform(0.2, 1.5)
        if not clear_of(camera_xz, x, x + length, z, z + depth):
            continue
        colour = CAR_COLOURS[int(rng.integers(len(CAR_COLOURS)))]
        out += _box(rng, x, 0.0, z, length, depth, rng.uniform(0.9, 1.1), colour, 0)
        cab = rng.uniform(0.45, 0.7)
        out += _box(rng, x + length * 0.22, 1.0, z + 0.08, length * cab, depth - 0.16,
                    rng.uniform(0.45, 0.6), colour, 1)
    n_bikes = int(rng.poisson(2.5 * density))
    x = rng.uniform(x0, x1)
    for _ in range(n_bikes):  # parked in rows on the pavement, or riding by
        riding = rng.random() < 0.25
        z = KERB_Z + rng.uniform(0.5, 3.0) if riding else rng.uniform(0.6, KERB_Z - 0.2)
        h = 1.6 if riding else 1.1
        x = x + rng.uniform(0.5, 0.9) if not riding and rng.random() < 0.7 else rng.uniform(x0, x1)
        colour = CAR_COLOURS[int(rng.integers(len(CAR_COLOURS)))]
        if not clear_of(camera_xz, x, x + 1.9, z, z, 1.2):
            continue
        out.append(_s(rng, SurfaceKind.MOTORBIKE, front(x, h, z, 1.9, h), colour, int(riding)))
    for _ in range(int(rng.poisson(1.0 * density))):
        x, z = rng.uniform(x0, x1), rng.uniform(0.5, KERB_Z + 2)
        if not clear_of(camera_xz, x, x + 0.5, z, z, 1.2):
            continue
        out.append(_s(rng, SurfaceKind.PERSON, front(x, 1.7, z, 0.5, 1.7),
                      rng.integers(30, 230, 3)))
    return out
