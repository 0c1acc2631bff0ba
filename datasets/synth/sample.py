"""Sample a whole scene from a seed: camera, shophouses, street, signs, light and look.

Each part draws from its own child of ``numpy.random.SeedSequence(seed)``, so changing
how one part is sampled does not reshuffle the others. A view along the street (with the
opposite row of shophouses) draws from a seventh child, only when that option is on.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from datasets.synth.camera import CameraSpec, Rect3D, Vec3, camera_looking_at
from datasets.synth.config import SynthConfig
from datasets.synth.facade import Slot, build_facade, front
from datasets.synth.kinds import SignKind
from datasets.synth.placement import DENSE_STREET_RATE_SCALE, FOCUS_SLOTS, Placer
from datasets.synth.scene import Cable, Look, Scene, SignSpec, Sky, Surface
from datasets.synth.street import KERB_Z, backdrop, ground, poles_and_cables, trees, vehicles

REACH_M = 80.0  # how far along the facade the street is modelled either side of the camera
ALONG_PITCH_MAX_DEG = 15.0  # looking down a street, the camera is held nearly level
CAMERA_STRETCH_M = 12.0  # street modelled either side of the camera in a view along it


@dataclasses.dataclass(frozen=True, slots=True)
class HalfTurn:
    """The half turn about the vertical line x = ``centre_x_m``, z = ``width_m`` / 2: it maps
    the near side of the street (facade z = 0, facing +z) onto the far side (facade z =
    ``width_m``, facing -z), and is its own inverse, so the far side is built in the near
    side's frame and turned into place. A turn, not a mirror, keeps its text readable."""

    centre_x_m: float
    width_m: float

    def point(self, p: Vec3) -> Vec3:
        return (2 * self.centre_x_m - p[0], p[1], self.width_m - p[2])

    @staticmethod
    def vector(v: Vec3) -> Vec3:
        return (-v[0], v[1], -v[2])

    def rect(self, r: Rect3D) -> Rect3D:
        return dataclasses.replace(r, origin_m=self.point(r.origin_m), u=self.vector(r.u),
                                   v=self.vector(r.v))


def visible_x_range(camera: CameraSpec, turn: HalfTurn | None = None) -> tuple[float, float]:
    """x extent of the facade plane seen by the camera, padded; rays missing it reach far.
    With ``turn``: of the far side's facade, in its own (turned) frame."""
    w, h = camera.size_wh
    border = [(x, y) for x in np.linspace(0, w, 9) for y in (0, h)] + \
             [(x, y) for x in (0, w) for y in np.linspace(0, h, 7)]
    rays = np.c_[np.array(border), np.ones(len(border))] @ np.linalg.inv(camera.k_matrix()).T
    rays = rays @ camera.rotation()  # camera -> world directions
    cx, _, cz = camera.position_m
    if turn is not None:
        rays = rays * np.array([-1.0, 1.0, -1.0])
        cx, _, cz = turn.point(camera.position_m)
    xs = []
    for r in rays:
        if r[2] < -1e-6:
            xs.append(cx + (-cz / r[2]) * r[0])
        else:
            xs.append(cx + math.copysign(REACH_M, r[0]))
    lo, hi = min(xs), max(xs)
    return max(lo, cx - REACH_M) - 4.0, min(hi, cx + REACH_M) + 4.0


def street_x_range(camera: CameraSpec, *, along: bool, far_side: HalfTurn | None = None
                   ) -> tuple[float, float]:
    """``visible_x_range`` (of the far side's facade with ``far_side``), and in a view
    ``along`` the street also the stretch the camera stands in, whose pavement and road fill
    the bottom of the picture (the half turn is about the camera's x, so that stays put)."""
    lo, hi = visible_x_range(camera, far_side)
    if not along:
        return lo, hi
    cx = camera.position_m[0]
    return min(lo, cx - CAMERA_STRETCH_M), max(hi, cx + CAMERA_STRETCH_M)


def _u(rng: np.random.Generator, r: tuple[float, float]) -> float:
    return float(rng.uniform(r[0], r[1])) if r[1] > r[0] else float(r[0])


def sample_camera(rng: np.random.Generator, cfg: SynthConfig) -> CameraSpec:
    w, _ = cfg.size_wh
    focal = (w / 2) / math.tan(math.radians(_u(rng, cfg.hfov_deg)) / 2)
    return camera_looking_at(cfg.size_wh, focal, distance_m=_u(rng, cfg.distance_m),
                             yaw_deg=_u(rng, cfg.yaw_deg), pitch_deg=_u(rng, cfg.pitch_deg),
                             roll_deg=_u(rng, cfg.roll_deg), height_m=_u(rng, cfg.camera_height_m))


def along_street_camera(rng: np.random.Generator, cfg: SynthConfig, base: CameraSpec,
                        width_m: float) -> CameraSpec:
    """``base`` (its lens, roll and height) turned to look down the street: yaw 55-82 degrees
    either way, standing 0.8 m from the near building line up to 1.5 m short of the far one."""
    yaw = _u(rng, cfg.along_yaw_deg) * (1.0 if rng.random() < 0.5 else -1.0)
    pitch = _u(rng, (cfg.pitch_deg[0], min(cfg.pitch_deg[1], ALONG_PITCH_MAX_DEG)))
    offset_m = _u(rng, (0.8, width_m - 1.5))
    distance_m = offset_m / (math.cos(math.radians(yaw)) * math.cos(math.radians(pitch)))
    return camera_looking_at(base.size_wh, base.focal_px, distance_m=distance_m, yaw_deg=yaw,
                             pitch_deg=pitch, roll_deg=base.roll_deg, height_m=base.position_m[1])


def _far_side(rng: np.random.Generator, cfg: SynthConfig, camera: CameraSpec, night: bool,
              turn: HalfTurn, first_id: int) -> tuple[list[Surface], list[SignSpec], list[Cable]]:
    """The opposite row of shophouses with its pavement, poles, trees, parked vehicles and
    signs (ids from ``first_id``), built in the near side's frame and turned into place."""
    local_cam = dataclasses.replace(camera, position_m=turn.point(camera.position_m))
    cam_xz = (local_cam.position_m[0], local_cam.position_m[2])
    x0, x1 = street_x_range(camera, along=True, far_side=turn)
    facade = build_facade(rng, x0, x1, night=night)
    top = max(h for _, _, h in facade.roof_heights)
    surfaces = ground(rng, x0, x1)[:2]  # pavement and kerb; the road is the near side's
    surfaces += [backdrop(rng, x0, x1, top), *facade.surfaces]
    poles, cables = poles_and_cables(rng, x0, x1, cfg.occluder_density, cam_xz)
    surfaces += poles + trees(rng, x0, x1, cfg.occluder_density, cam_xz)
    surfaces += vehicles(rng, x0, x1, cfg.occluder_density, cam_xz)
    placer = Placer(rng, local_cam, cfg, night, first_id=first_id,
                    rate_scale=DENSE_STREET_RATE_SCALE)
    budget = max(0, cfg.max_signs - (first_id - 1))
    placer.natural(facade, set(), max_signs=budget,
                   rank=lambda slot: _seen_at_m(camera, slot, turn))
    placer.street_signs(x0, x1, max_signs=budget)
    surfaces += placer.extra
    return ([dataclasses.replace(s, rect=turn.rect(s.rect)) for s in surfaces],
            [dataclasses.replace(s, rect=turn.rect(s.rect)) for s in placer.signs],
            [dataclasses.replace(c, points_m=tuple(turn.point(p) for p in c.points_m))
             for c in cables])


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


def _seen_at_m(camera: CameraSpec, slot: Slot, turn: HalfTurn | None = None) -> float | None:
    """Distance from the camera to the slot's centre (turned into place by ``turn``), None
    if the camera does not see it."""
    centre = slot.rect.corners_m().mean(0)
    if turn is not None:
        centre = np.array(turn.point(tuple(centre)))
    if _in_view(camera, centre) is None:
        return None
    return float(np.linalg.norm(centre - np.array(camera.position_m)))


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
    turn = None
    if cfg.along_street_probability > 0:  # its own stream: 0 leaves every other draw as it was
        r_along = np.random.default_rng(np.random.SeedSequence(seed).spawn(7)[6])
        if r_along.random() < cfg.along_street_probability:
            width_m = _u(r_along, cfg.street_width_m)
            camera = along_street_camera(r_along, cfg, camera, width_m)
            turn = HalfTurn(camera.position_m[0], width_m)
    night = bool(r_look.random() < cfg.night_probability)
    x0, x1 = street_x_range(camera, along=turn is not None)
    facade = build_facade(r_fac, x0, x1, night=night)
    top = max(h for _, _, h in facade.roof_heights)
    surfaces = list(ground(r_street, x0, x1)) + [backdrop(r_street, x0, x1, top)]
    surfaces += facade.surfaces
    density = cfg.occluder_density
    cam_xz = (camera.position_m[0], camera.position_m[2])
    poles, cables = poles_and_cables(r_street, x0, x1, density, cam_xz)
    surfaces += poles + trees(r_street, x0, x1, density, cam_xz)
    surfaces += vehicles(r_street, x0, x1, density, cam_xz)
    placer = Placer(r_sign, camera, cfg, night,
                    rate_scale=DENSE_STREET_RATE_SCALE if turn else None)
    kinds = list(cfg.kind_weights)
    p = np.array([cfg.kind_weights[k] for k in kinds], float)
    focus = cfg.force_kind or kinds[int(r_sign.choice(len(kinds), p=p / p.sum()))]
    used = _focus(placer, facade.slots, focus, r_sign)
    # Along the street, the near side keeps half the sign budget for the far side.
    near_cap = cfg.max_signs - cfg.max_signs // 2 if turn is not None else cfg.max_signs
    placer.natural(facade, used, max_signs=near_cap,
                   rank=(lambda slot: _seen_at_m(camera, slot)) if turn is not None else None)
    placer.street_signs(x0, x1, max_signs=near_cap)
    surfaces += placer.extra
    signs = list(placer.signs)
    if turn is not None:
        far_surfaces, far_signs, far_cables = _far_side(r_along, cfg, camera, night, turn,
                                                        len(signs) + 1)
        surfaces += far_surfaces
        signs += far_signs
        cables += far_cables
    return Scene(seed, camera, _sky(r_sky, night), tuple(surfaces), tuple(signs),
                 tuple(cables), _look(r_look, cfg, night))
