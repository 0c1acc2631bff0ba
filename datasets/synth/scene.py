"""The scene model: everything a sample shows, as validated frozen data (no pixels).

A scene is sampled from a seed (:mod:`datasets.synth.sample`) and rendered by
:mod:`datasets.synth.render`; painters take their texture detail from the ``seed`` fields,
so rendering is a pure function of the scene.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from datasets.synth.camera import CameraSpec, Rect3D, Vec3
from datasets.synth.content import FaceDesign
from datasets.synth.kinds import KIND_SPECS, SignKind

Colour = tuple[int, int, int]
GLASS_MAX = 0.6  # beyond this a reflection hides the poster, which no annotator would label


class SurfaceKind(StrEnum):
    WALL = "wall"
    BAND = "band"  # cornice, floor band, plain strip
    PILLAR = "pillar"
    SHUTTER = "shutter"
    SHOP_INTERIOR = "shop_interior"
    WINDOW = "window"
    AWNING = "awning"
    BALCONY = "balcony"
    RAILING = "railing"
    AC_UNIT = "ac_unit"
    SIDEWALK = "sidewalk"
    ROAD = "road"
    KERB = "kerb"
    POLE = "pole"
    TRUNK = "trunk"
    CANOPY = "canopy"
    VEHICLE_SIDE = "vehicle_side"
    VEHICLE_END = "vehicle_end"
    VEHICLE_TOP = "vehicle_top"
    MOTORBIKE = "motorbike"
    PERSON = "person"
    SIGN_EDGE = "sign_edge"  # the visible thickness of a box sign
    BACKDROP = "backdrop"  # distant buildings behind the roofline


@dataclass(frozen=True, slots=True)
class Surface:
    """A textured planar rectangle that is not a sign (building part, ground, occluder)."""

    kind: SurfaceKind
    rect: Rect3D
    colour: Colour
    seed: int
    variant: int = 0  # painter-specific style
    emissive: bool = False  # glows at night (lit window, open shop)
    max_ppc: float = 2.0  # cap on texture resolution, px per cm

    def __post_init__(self) -> None:
        if not 0.01 <= self.max_ppc <= 20:
            raise ValueError(f"max_ppc must be in [0.01, 20], got {self.max_ppc}")


@dataclass(frozen=True, slots=True)
class SignSpec:
    """One sign: its face rectangle in the world, its design, and how it is mounted."""

    sign_id: int  # 1.. within the scene
    kind: SignKind
    rect: Rect3D  # the face: width_m x height_m = the law's bounding rectangle
    design: FaceDesign
    mount: str  # "facade", "projecting", "pillar", "balcony", "window", "roof", "pole"
    lit: bool = False  # emits light at night (light box, LED)
    sag_cm: float = 0.0  # vinyl banner sag at mid-span; corners stay on the rectangle
    glass: float = 0.0  # reflection strength of a shop window in front of the face (0 = none)

    def __post_init__(self) -> None:
        if self.sign_id < 1:
            raise ValueError(f"sign_id must be >= 1, got {self.sign_id}")
        if not 0 <= self.sag_cm <= 30:
            raise ValueError(f"sag_cm must be in [0, 30], got {self.sag_cm}")
        if not 0 <= self.glass <= GLASS_MAX:
            raise ValueError(f"glass must be in [0, {GLASS_MAX}], got {self.glass}")
        if self.kind is SignKind.LED_DISPLAY and not self.lit:
            raise ValueError("an LED display is always lit")

    @property
    def reflection_seed(self) -> tuple[int, int]:
        """Draws the glass's reflection: per sign, so that the panes of one window campaign
        share a poster design but each reflects the street its own way."""
        return (self.design.seed, self.sign_id)

    @property
    def width_cm(self) -> float:
        return self.rect.width_m * 100

    @property
    def height_cm(self) -> float:
        return self.rect.height_m * 100

    @property
    def taxable(self) -> bool:
        return KIND_SPECS[self.kind].taxable

    @property
    def moving(self) -> bool:
        return KIND_SPECS[self.kind].moving


@dataclass(frozen=True, slots=True)
class Cable:
    points_m: tuple[Vec3, ...]  # a polyline in the world
    diameter_cm: float
    colour: Colour

    def __post_init__(self) -> None:
        if len(self.points_m) < 2:
            raise ValueError(f"a cable needs at least 2 points, got {len(self.points_m)}")
        if not 0.2 <= self.diameter_cm <= 20:
            raise ValueError(f"diameter_cm must be in [0.2, 20], got {self.diameter_cm}")


@dataclass(frozen=True, slots=True)
class Sky:
    top: Colour
    horizon: Colour
    clouds: float  # 0..1 cloud cover
    seed: int


@dataclass(frozen=True, slots=True)
class Look:
    """Light and camera degradations applied to the rendered image."""

    night: bool
    exposure: float  # multiplier on linear-ish intensity
    warmth: float  # -1 (blue) .. 1 (orange) white balance shift
    shadow: float  # 0 = no cast shadow, else its darkness 0..1
    defocus_sigma_px: float
    motion_px: float
    motion_angle_deg: float
    noise_sigma: float  # grey levels
    jpeg_quality: int
    seed: int

    def __post_init__(self) -> None:
        if not 1 <= self.jpeg_quality <= 100:
            raise ValueError(f"jpeg_quality must be in [1, 100], got {self.jpeg_quality}")
        for name in ("exposure", "defocus_sigma_px", "motion_px", "noise_sigma", "shadow"):
            v = getattr(self, name)
            if not (math.isfinite(v) and v >= 0):
                raise ValueError(f"{name} must be finite and >= 0, got {v}")


@dataclass(frozen=True, slots=True)
class Scene:
    seed: int
    camera: CameraSpec
    sky: Sky
    surfaces: tuple[Surface, ...]
    signs: tuple[SignSpec, ...]
    cables: tuple[Cable, ...]
    look: Look

    def __post_init__(self) -> None:
        ids = [s.sign_id for s in self.signs]
        if len(set(ids)) != len(ids):
            raise ValueError(f"sign ids must be unique, got {ids}")
        if len(self.signs) > 32000:
            raise ValueError(f"too many signs for the id buffer: {len(self.signs)}")
