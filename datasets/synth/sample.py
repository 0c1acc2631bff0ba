"""Sample a whole scene from a seed: camera, shophouses, street, signs, light and look.

Each part draws from its own child of ``numpy.random.SeedSequence(seed)``, so changing
how one part is sampled does not reshuffle the others.
"""

from __future__ import annotations

import math

import numpy as np

from datasets.synth.camera import CameraSpec, camera_looking_at
from datasets.synth.config import SynthConfig
from datasets.synth.facade import Slot, build_facade, front
from datasets.synth.kinds import SignKind
from datasets.synth.placement import FOCUS_SLOTS, Placer
from datasets.synth.scene import Look, Scene, Sky
from datasets.synth.street import KERB_Z, backdrop, ground, poles_and_cables, trees, vehicles

REACH_M = 80.0  # how far along the facade the street is modelled either side of the camera


def visible_x_range(camera: CameraSpec) -> tuple[float, float]:
    """x extent of the facade plane seen by the camera, padded; rays missing it reach far."""
    w, h = camera.size_wh
    border = [(x, y) for x in np.linspace(0, w, 9) for y in (0, h)] + \
             [(x, y) for x in (0, w) for y in np.linspace(0, h, 7)]
    rays = np.c_[np.array(border), np.ones(len(border))] @ np.linalg.inv(camera.k_matrix()).T
    rays = rays @ camera.rotation()  # camera -> world directions
    cx, _, cz = camera.position_m
    xs = []
    for r in rays:
        if r[2] < -1e-6:
            xs.append(cx + (-cz / r[2]) * r[0])
        else:
            xs.append(cx + math.copysign(REACH_M, r[0]))
    lo, hi = min(xs), max(xs)
    return max(lo, cx - REACH_M) - 4.0, min(hi, cx + REACH_M) + 4.0


def _u(rng: np.random.Generator, r: tuple[float, float]) -> float:
    return float(rng.uniform(r[0], r[1])) if r[1] > r[0] else float(r[0])


def sample_camera(rng: np.random.Generator, cfg: SynthConfig) -> CameraSpec:
    w, _ = cfg.size_wh
    focal = (w / 2) / math.tan(math.radians(_u(rng, cfg.hfov_deg)) / 2)
    return camera_looking_at(cfg.size_wh, focal, distance_m=_u(rng, cfg.distance_m),
                             yaw_deg=_u(rng, cfg.yaw_deg), pitch_deg=_u(rng, cfg.pitch_deg),
                             roll_deg=_u(rng, cfg.roll_deg), height_m=_u(rng, cfg.camera_height_m))


def _in_view(camera: CameraSpec, point: np.ndarray, margin: float = 0.1) -> float | None:
    """Distance of the point's image from the image centre (in image widths), None if out."""
    p = camera.to_camera(point[None])[0]
    if p[2] < 0.5:
        return None
    x, y, _ = camera.k_matrix() @ (p / p[2])
    w, h = camera.size_wh
    if not (-margin * w < x < (1 + margin) * w and -margin * h < y < (1 + margin) * h):
        return None
    return math.hypot(x / w - 0.5, y / h - 0.5)


def _focus(placer: Placer, slots: tuple[Slot, ...], kind: SignKind, rng: np.random.Generator
           ) -> set[int]:
    cam = placer.camera
    aim = np.array(cam.position_m) + cam.distance_m * cam.forward()
    if kind in (SignKind.ROAD_SIGN, SignKind.STREET_NAME):
        z = max(0.4, min(KERB_Z - 0.3, cam.position_m[2] - 2.0))
        t = (z - cam.position_m[2]) / cam.forward()[2] if abs(cam.forward()[2]) > 1e-6 else 0.0
        x = cam.position_m[0] + t * cam.forward()[0] + rng.uniform(-1.0, 1.0)
        placer.on_post(kind, float(x), float(z))
        return set()
    scored = []
    for i, slot in enumerate(slots):
        if slot.name in FOCUS_SLOTS[kind]:
            centre = slot.rect.corners_m().mean(0)
            d = _in_view(cam, centre)
            if d is not None:
                scored.append((d, i))
    scored.sort()
    for _, i in scored[: 3]:
        if placer.in_slot(kind, slots[i]) is not None:
            return {i}
    # No suitable slot in view: put it on the wall where the camera looks.
    fallback = "projecting" if kind is SignKind.PROJECTING else "facade"
    slot = Slot(fallback, front(float(aim[0]) - 3.0, float(aim[1]) + 1.5, 0.06, 6.0, 3.0), -1)
    placer.in_slot(kind, slot)
    return set()


def _look(rng: np.random.Generator, cfg: SynthConfig, night: bool) -> Look:
    if not cfg.degrade:
        return Look(night, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 100, int(rng.integers(2**31)))
    return Look(
        night=night,
        exposure=float(rng.uniform(0.75, 1.2)),
        warmth=float(rng.uniform(-0.5, 0.5)),
        shadow=float(rng.uniform(0.25, 0.55)) if not night and rng.random() < 0.35 else 0.0,
        defocus_sigma_px=float(rng.uniform(0.4, 1.6)) if rng.random() < 0.3 else 0.0,
        motion_px=float(rng.uniform(2.0, 8.0)) if rng.random() < 0.15 else 0.0,
        motion_angle_deg=float(rng.uniform(0, 180)),
        noise_sigma=float(rng.uniform(1.0, 6.0) * (1.8 if night else 1.0)),
        jpeg_quality=int(rng.integers(60, 96)),
        seed=int(rng.integers(2**31)),
    )


def _sky(rng: np.random.Generator, night: bool) -> Sky:
    if night:
        return Sky((40, 20, 10), (90, 60, 50), float(rng.uniform(0, 0.5)), int(rng.integers(2**31)))
    overcast = rng.random() < 0.35
    top = (200, 195, 190) if overcast else (230, 170, 110)
    horizon = (225, 225, 225) if overcast else (245, 225, 200)
    return Sky(top, horizon, float(rng.uniform(0, 1)), int(rng.integers(2**31)))


def sample_scene(seed: int, cfg: SynthConfig) -> Scene:
    """The scene of sample ``seed``: a pure function of (seed, cfg) and the installed fonts."""
    if not 0 <= seed < 2**63:
        raise ValueError(f"seed must be in [0, 2**63), got {seed}")
    r_cam, r_fac, r_street, r_sign, r_look, r_sky = (
        np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(6))
    camera = sample_camera(r_cam, cfg)
    night = bool(r_look.random() < cfg.night_probability)
    x0, x1 = visible_x_range(camera)
    facade = build_facade(r_fac, x0, x1, night=night)
    top = max(h for _, _, h in facade.roof_heights)
    surfaces = list(ground(r_street, x0, x1)) + [backdrop(r_street, x0, x1, top)]
    surfaces += facade.surfaces
    density = cfg.occluder_density
    cam_xz = (camera.position_m[0], camera.position_m[2])
    poles, cables = poles_and_cables(r_street, x0, x1, density, cam_xz)
    surfaces += poles + trees(r_street, x0, x1, density, cam_xz)
    surfaces += vehicles(r_street, x0, x1, density, cam_xz)
    placer = Placer(r_sign, camera, cfg, night)
    kinds = list(cfg.kind_weights)
    p = np.array([cfg.kind_weights[k] for k in kinds], float)
    focus = cfg.force_kind or kinds[int(r_sign.choice(len(kinds), p=p / p.sum()))]
    used = _focus(placer, facade.slots, focus, r_sign)
    placer.natural(facade, used)
    placer.street_signs(x0, x1)
    surfaces += placer.extra
    return Scene(seed, camera, _sky(r_sky, night), tuple(surfaces), tuple(placer.signs),
                 tuple(cables), _look(r_look, cfg, night))
