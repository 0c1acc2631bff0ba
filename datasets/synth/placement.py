"""Put signs on the street: into facade slots at natural rates, plus one "focus" sign of a
chosen kind where the camera looks, so every kind is well represented.

Sizes are cm within ``KIND_SPECS`` and the slot; each sign's face rectangle is exact (the
labels' corners are its projection).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np

from datasets.synth.camera import CameraSpec, Rect3D
from datasets.synth.config import SynthConfig
from datasets.synth.content import FaceDesign, FaceStyle, design_face
from datasets.synth.facade import DOWN, Facade, Slot, front
from datasets.synth.faces import cut_letter_aspect
from datasets.synth.govsigns import design_road_sign, design_street_name
from datasets.synth.kinds import KIND_SPECS, SignKind
from datasets.synth.scene import SignSpec, Surface, SurfaceKind
from datasets.synth.street import KERB_Z

SLOT_KINDS: dict[str, tuple[tuple[SignKind, float], ...]] = {  # natural rates per slot
    "fascia": ((SignKind.FASCIA, 0.62), (SignKind.LED_DISPLAY, 0.05), (SignKind.CUT_LETTER, 0.07),
               (SignKind.VINYL_BANNER, 0.06)),
    "pillar": ((SignKind.VERTICAL_BANNER, 0.12),),
    "projecting": ((SignKind.PROJECTING, 0.35),),
    "upper_wall": ((SignKind.CUT_LETTER, 0.08), (SignKind.VINYL_BANNER, 0.06),
                   (SignKind.LED_DISPLAY, 0.02)),
    "balcony": ((SignKind.VINYL_BANNER, 0.3),),
    "window": ((SignKind.WINDOW_STICKER, 0.08),),
    "shop_glass": ((SignKind.WINDOW_STICKER, 0.3),),
    "roof": ((SignKind.BILLBOARD, 0.07),),
}
WINDOW_AD_MAX_CM = (160.0, 200.0)  # a pane-filling poster on wide shop glass stays poster-sized
FOCUS_SLOTS: dict[SignKind, tuple[str, ...]] = {
    SignKind.FASCIA: ("fascia",), SignKind.LED_DISPLAY: ("fascia", "upper_wall"),
    SignKind.CUT_LETTER: ("fascia", "upper_wall"), SignKind.VERTICAL_BANNER: ("pillar",),
    SignKind.VINYL_BANNER: ("balcony", "upper_wall", "fascia"),
    SignKind.PROJECTING: ("projecting",), SignKind.WINDOW_STICKER: ("shop_glass", "window"),
    SignKind.BILLBOARD: ("roof", "upper_wall"), SignKind.ROAD_SIGN: (), SignKind.STREET_NAME: (),
}


GLASS_STRENGTH = (0.1, 0.45)  # reflection strength of the glass in front of a window ad
CAMPAIGN_UPPER_WINDOWS = 0.5  # chance that a unit's campaign also fills its upper windows
CAMPAIGN_FILL = (0.6, 0.95)  # poster side / pane side
DENSE_STREET_RATE_SCALE: dict[SignKind, float] = {SignKind.PROJECTING: 2.0}  # crowded shopping streets
RATE_MAX = 0.9


class Placer:
    """Places signs; ``first_id`` numbers them on from another placer's (the opposite side of
    the street), ``rate_scale`` multiplies the natural rates of some kinds (capped at 0.9)."""

    def __init__(self, rng: np.random.Generator, camera: CameraSpec, cfg: SynthConfig,
                 night: bool, *, first_id: int = 1,
                 rate_scale: Mapping[SignKind, float] | None = None) -> None:
        self.rng, self.camera, self.cfg, self.night = rng, camera, cfg, night
        self.first_id = first_id
        self.rate_scale = dict(rate_scale or {})
        self.signs: list[SignSpec] = []
        self.extra: list[Surface] = []  # sign edges, supports and posts

    def _u(self, lo: float, hi: float) -> float:
        return float(self.rng.uniform(lo, max(lo, hi)))

    def _size(self, kind: SignKind, max_w: float, max_h: float) -> tuple[float, float]:
        spec = KIND_SPECS[kind]
        w = self._u(spec.width_cm[0], min(spec.width_cm[1], max_w))
        h = self._u(spec.height_cm[0], min(spec.height_cm[1], max_h))
        return min(w, max_w), min(h, max_h)

    def _design(self, kind: SignKind, width_cm: float, height_cm: float) -> FaceDesign:
        return design_face(self.rng, kind, width_cm, height_cm, None, self.cfg.layout_weights,
                           self.cfg.number_line_probability, self.cfg.picture_photos,
                           self.cfg.photo_picture_probability)

    def _add(self, kind: SignKind, rect: Rect3D, design, mount: str) -> SignSpec:
        lit = kind is SignKind.LED_DISPLAY or design.style is FaceStyle.NEON or (
            self.night and kind in (SignKind.FASCIA, SignKind.PROJECTING, SignKind.BILLBOARD,
                                    SignKind.CUT_LETTER)
            and self.rng.random() < 0.6)
        sag = self._u(0.0, 8.0) if kind is SignKind.VINYL_BANNER else 0.0
        # Window ads are seen through their glass only where campaigns are drawn: the option
        # draws no number otherwise, so the evaluation's scenes stay as they were.
        glass = self._u(*GLASS_STRENGTH) if (
            kind is SignKind.WINDOW_STICKER and self.cfg.window_campaign_probability > 0) else 0.0
        sign = SignSpec(self.first_id + len(self.signs), kind, rect, design, mount, lit, sag,
                        glass)
        self.signs.append(sign)
        return sign

    def in_slot(self, kind: SignKind, slot: Slot) -> SignSpec | None:
        """Place ``kind`` inside ``slot`` (a face-plane rect, cm sizes clamped to the slot)."""
        r = slot.rect
        sw, sh = r.width_m * 100, r.height_m * 100
        if kind is SignKind.PROJECTING:
            return self.projecting(slot)
        if kind is SignKind.CUT_LETTER:
            letter_h = self._u(25.0, min(90.0, sh * 0.9))
            design = self._design(kind, 300.0, letter_h)
            w = letter_h * cut_letter_aspect(design)
            if w > sw * 0.95:
                letter_h *= sw * 0.95 / w
                w = sw * 0.95
            h = letter_h
        else:
            if kind in (SignKind.FASCIA, SignKind.VINYL_BANNER) and slot.name != "window":
                w = min(sw, KIND_SPECS[kind].width_cm[1]) * self._u(0.8, 1.0)
                h = min(sh * self._u(0.75, 1.0), KIND_SPECS[kind].height_cm[1])
            elif kind is SignKind.WINDOW_STICKER and self.rng.random() < 0.5:
                # a poster or board filling most of the pane, as in the real photos
                w = min(sw * self._u(0.8, 0.97), WINDOW_AD_MAX_CM[0])
                h = min(sh * self._u(0.75, 0.97), WINDOW_AD_MAX_CM[1])
            else:
                w, h = self._size(kind, sw * 0.95, sh * 0.95)
            if w < 20 or h < 15:
                return None
            design = self._design(kind, w, h)
        x = r.origin_m[0] + self._u(0, (sw - w) / 100)
        y = r.origin_m[1] - self._u(0, (sh - h) / 100) * (0.3 if kind is SignKind.FASCIA else 1)
        if kind is SignKind.BILLBOARD:
            y = r.origin_m[1]
            self._supports(x, w / 100, y - h / 100, r.origin_m[2])
        z = r.origin_m[2] + (0.015 if kind is SignKind.WINDOW_STICKER else 0.0)  # on the glass
        rect = front(x, y, z, w / 100, h / 100)
        return self._add(kind, rect, design, slot.name)

    def _supports(self, x: float, w: float, bottom: float, z: float) -> None:
        for fx in (0.15, 0.85):
            self.extra.append(Surface(SurfaceKind.POLE, front(x + fx * w - 0.08, bottom, z + 0.1,
                                                               0.16, 6.5),
                                      (110, 110, 110), int(self.rng.integers(2**31))))

    def projecting(self, slot: Slot) -> SignSpec:
        """A box sign perpendicular to the facade at the slot's x; the face toward the camera."""
        r = slot.rect
        w, h = self._size(SignKind.PROJECTING, 120.0, r.height_m * 100)
        design = self._design(SignKind.PROJECTING, w, h)
        x = r.origin_m[0] + 0.15
        top = r.origin_m[1] - self._u(0, r.height_m - h / 100)
        z0, z1 = 0.25, 0.25 + w / 100
        thick = self._u(0.15, 0.3)
        if self.camera.position_m[0] < x:  # camera on the -x side sees the face looking -x
            rect = Rect3D((x - thick / 2, top, z0), (0.0, 0.0, 1.0), DOWN, w / 100, h / 100)
        else:
            rect = Rect3D((x + thick / 2, top, z1), (0.0, 0.0, -1.0), DOWN, w / 100, h / 100)
        edge_col = tuple(int(c * 0.7) for c in design.background)
        self.extra.append(Surface(SurfaceKind.SIGN_EDGE, front(x - thick / 2, top, z1, thick, h / 100),
                                  edge_col, int(self.rng.integers(2**31))))
        self.extra.append(Surface(SurfaceKind.SIGN_EDGE, front(x - 0.03, top + 0.05, 0.0, 0.06, 0.1),
                                  (90, 90, 90), 0, max_ppc=1.0))
        return self._add(SignKind.PROJECTING, rect, design, "projecting")

    def on_post(self, kind: SignKind, x: float, z: float) -> SignSpec:
        """A road sign or street-name plate on a thin post, facing the street (maybe turned)."""
        design, w, h = design_road_sign(self.rng) if kind is SignKind.ROAD_SIGN \
            else design_street_name(self.rng)
        bottom = self._u(2.0, 2.6) if kind is SignKind.ROAD_SIGN else self._u(2.4, 3.2)
        turn = 0.0 if self.rng.random() < 0.55 else np.radians(self._u(20, 65)) * \
            (1 if self.rng.random() < 0.5 else -1)
        u = (float(np.cos(turn)), 0.0, float(np.sin(turn)))
        top = bottom + h / 100
        origin = (x - u[0] * w / 200, top, z - u[2] * w / 200)
        rect = Rect3D(origin, u, DOWN, w / 100, h / 100)
        centre = np.array(origin) + np.array(u) * w / 200
        if (np.array(self.camera.position_m) - centre) @ rect.normal > 0:  # seen from behind
            rect = Rect3D(tuple(centre + np.array(u) * w / 200), tuple(-np.array(u)), DOWN,
                          w / 100, h / 100)
        back = -0.06 if self.camera.position_m[2] > z else 0.06  # the post stands behind the plate
        self.extra.append(Surface(SurfaceKind.POLE, front(x - 0.04, top, z + back, 0.08, top),
                                  (150, 150, 150), int(self.rng.integers(2**31))))
        return self._add(kind, rect, design, "pole")

    def natural(self, facade: Facade, used: set[int], *, max_signs: int | None = None,
                rank: Callable[[Slot], float | None] | None = None) -> None:
        """Fill the slots at natural rates, up to ``max_signs`` (default the config's) signs
        in all. With ``rank`` (a slot's distance from the camera, None where the camera does
        not see it) only seen slots are filled, nearest first, so that in a long view down
        the street the cap drops the far, tiny signs rather than the near ones."""
        cap = self.cfg.max_signs if max_signs is None else max_signs
        order = list(range(len(facade.slots)))
        if rank is not None:
            ranked = [(rank(facade.slots[i]), i) for i in order]
            order = [i for d, i in sorted((d, i) for d, i in ranked if d is not None)]
        campaigns = self._campaign_panes(facade)
        posters: dict[tuple[int, str], tuple[float, float, float, FaceDesign]] = {}
        for i in order:
            slot = facade.slots[i]
            if i in used or len(self.signs) >= cap:
                continue
            if (slot.unit, slot.name) in campaigns:
                self._campaign_poster(slot, posters)
                continue
            for kind, p in SLOT_KINDS.get(slot.name, ()):
                rate = min(RATE_MAX, p * self.rate_scale[kind]) if kind in self.rate_scale else p
                if self.rng.random() < rate:
                    self.in_slot(kind, slot)
                    break

    def _campaign_panes(self, facade: Facade) -> set[tuple[int, str]]:
        """(unit, slot name) pairs whose panes all carry their unit's campaign poster."""
        p = self.cfg.window_campaign_probability
        if p <= 0:
            return set()
        out = set()
        for unit in sorted({s.unit for s in facade.slots}):
            if self.rng.random() < p:
                out.add((unit, "shop_glass"))
                if self.rng.random() < CAMPAIGN_UPPER_WINDOWS:
                    out.add((unit, "window"))
        return out

    def _campaign_poster(self, slot: Slot, posters: dict) -> SignSpec | None:
        """The campaign's poster in this pane: the first pane of a (unit, slot name) sets its
        size, height in the pane and design; the others repeat them, centred, where they fit."""
        r = slot.rect
        sw, sh = r.width_m * 100, r.height_m * 100
        key = (slot.unit, slot.name)
        if key not in posters:
            w = min(sw * self._u(*CAMPAIGN_FILL), WINDOW_AD_MAX_CM[0])
            h = min(sh * self._u(*CAMPAIGN_FILL), WINDOW_AD_MAX_CM[1])
            if w < 20 or h < 15:
                return None
            posters[key] = (w, h, self._u(0.0, 1.0), self._design(SignKind.WINDOW_STICKER, w, h))
        w, h, drop, design = posters[key]
        if w > sw or h > sh:
            return None
        x = r.origin_m[0] + (sw - w) / 200
        y = r.origin_m[1] - drop * (sh - h) / 100
        return self._add(SignKind.WINDOW_STICKER, front(x, y, r.origin_m[2] + 0.015, w / 100,
                                                         h / 100), design, slot.name)

    def street_signs(self, x0: float, x1: float, *, max_signs: int | None = None) -> None:
        cap = self.cfg.max_signs if max_signs is None else max_signs
        for kind, rate in ((SignKind.ROAD_SIGN, 0.5), (SignKind.STREET_NAME, 0.3)):
            for _ in range(int(self.rng.poisson(rate))):
                if len(self.signs) < cap:
                    self.on_post(kind, self._u(x0, x1), KERB_Z - self._u(0.2, 0.5))
