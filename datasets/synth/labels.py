"""Exact labels of a synthetic sample, and their JSON form (``to_json`` / ``from_json``).

Pixel conventions: image coordinates with pixel centres at integers (OpenCV), origin top-left;
the image covers [-0.5, w - 0.5] x [-0.5, h - 0.5]. ``corners_px`` are the projections of the
sign face's corners, clockwise from the face's top-left, and may lie outside the image.
Sign-face coordinates are cm from the face's top-left, x right, y down. ``plane_rvec`` and
``plane_tvec_cm`` put the face frame (x right, y down, z into the face; cm) in the camera
frame, so ``cv2.projectPoints([[0,0,0],[W,0,0],[W,H,0],[0,H,0]], rvec, tvec, K, None)``
gives ``corners_px``.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from datasets.synth.kinds import SignKind, TextLayout
from vision.types import Script

SCHEMA_VERSION = 1
XYXY = tuple[float, float, float, float]
Pt = tuple[float, float]


@dataclass(frozen=True, slots=True)
class CameraLabel:
    size_wh: tuple[int, int]
    k_matrix: tuple[tuple[float, float, float], ...]  # 3x3
    rvec: tuple[float, float, float]  # world -> camera (Rodrigues)
    tvec_m: tuple[float, float, float]
    position_m: tuple[float, float, float]  # world: x along facade, y up, z to the street
    distance_m: float
    yaw_deg: float
    pitch_deg: float
    roll_deg: float

    def __post_init__(self) -> None:
        if len(self.k_matrix) != 3 or any(len(r) != 3 for r in self.k_matrix):
            raise ValueError(f"k_matrix must be 3x3, got {self.k_matrix}")


@dataclass(frozen=True, slots=True)
class TextLineLabel:
    text: str
    script: Script | None  # None: digits and punctuation only (no script)
    box_cm: XYXY  # on the sign face, tight to the ink


@dataclass(frozen=True, slots=True)
class SignLabel:
    sign_id: int
    kind: SignKind
    mount: str
    taxable: bool
    moving: bool
    lit: bool
    box_xyxy: XYXY  # the face quadrilateral clipped to the image (occluders do not shrink it)
    visible_box_xyxy: XYXY | None  # bounds of the unoccluded face pixels, None if none
    corners_px: tuple[Pt, Pt, Pt, Pt]
    corners_in_image: tuple[bool, bool, bool, bool]
    corners_visible: tuple[bool, bool, bool, bool]  # in the image and not occluded
    width_cm: float
    height_cm: float
    plane_rvec: tuple[float, float, float]
    plane_tvec_cm: tuple[float, float, float]
    layout: TextLayout
    scripts: frozenset[Script]
    lines: tuple[TextLineLabel, ...]
    has_graphics: bool
    thai_below_foreign: bool
    tax_type: int | None  # 1, 2, 3 per tax-law.md §4; None when exempt
    in_image_fraction: float  # face area inside the image / whole face area (image plane)
    occlusion_fraction: float  # share of the in-image face hidden by nearer things

    def __post_init__(self) -> None:
        x1, y1, x2, y2 = self.box_xyxy
        if not (x2 >= x1 and y2 >= y1):
            raise ValueError(f"box_xyxy must have x2>=x1, y2>=y1, got {self.box_xyxy}")
        if len(self.corners_px) != 4:
            raise ValueError(f"corners_px must have 4 points, got {len(self.corners_px)}")
        for name in ("in_image_fraction", "occlusion_fraction"):
            v = getattr(self, name)
            if not (math.isfinite(v) and 0.0 <= v <= 1.0):
                raise ValueError(f"{name} must be in [0, 1], got {v}")
        if self.tax_type not in (None, 1, 2, 3):
            raise ValueError(f"tax_type must be 1, 2, 3 or None, got {self.tax_type}")
        if (self.tax_type is None) == self.taxable:
            raise ValueError(f"taxable={self.taxable} needs tax_type "
                             f"{'1-3' if self.taxable else 'None'}, got {self.tax_type}")


@dataclass(frozen=True, slots=True)
class SampleLabel:
    seed: int
    size_wh: tuple[int, int]
    camera: CameraLabel
    signs: tuple[SignLabel, ...]
    night: bool
    jpeg_quality: int
    degradations: dict  # blur, noise, exposure, shadow as rendered
    schema_version: int = SCHEMA_VERSION


def _tup(x):
    return tuple(_tup(v) for v in x) if isinstance(x, list) else x


def to_json(label: SampleLabel) -> dict:
    d = asdict(label)
    for s in d["signs"]:
        s["scripts"] = sorted(str(x) for x in s["scripts"])
    return d


def from_json(d: dict) -> SampleLabel:
    if d.get("schema_version") != SCHEMA_VERSION:
        raise ValueError(f"schema_version must be {SCHEMA_VERSION}, got {d.get('schema_version')}")
    cam = CameraLabel(**{k: _tup(v) for k, v in d["camera"].items()})
    signs = []
    for s in d["signs"]:
        s = dict(s)
        lines = tuple(TextLineLabel(ln["text"], Script(ln["script"]) if ln["script"] else None,
                                    _tup(ln["box_cm"])) for ln in s.pop("lines"))
        scripts = frozenset(Script(x) for x in s.pop("scripts"))
        fields = {k: _tup(v) for k, v in s.items()}
        fields["kind"] = SignKind(fields["kind"])
        fields["layout"] = TextLayout(fields["layout"])
        signs.append(SignLabel(lines=lines, scripts=scripts, **fields))
    return SampleLabel(d["seed"], _tup(d["size_wh"]), cam, tuple(signs), d["night"],
                       d["jpeg_quality"], d["degradations"], d["schema_version"])
