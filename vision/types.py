"""Value types passed between vision stages.

Conventions: pixel coordinates are in the upright (EXIF-rotated) image, origin top-left,
x right, y down. ``bbox_xyxy`` is (x1, y1, x2, y2) in pixels. ``corners_px`` are four
(x, y) points clockwise from the top-left corner of the sign. Units are in the names.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

import numpy as np


class SignClass(StrEnum):
    """What the detector finds. Values are stored in the registry and in datasets."""

    SIGNBOARD = "signboard"
    PROJECTING_SIGN = "projecting_sign"
    WINDOW_AD = "window_ad"
    LED_DISPLAY = "led_display"  # moving/changeable message: the ก rate
    GOVERNMENT_SIGN = "government_sign"  # road, traffic and street-name signs: never taxed

    @property
    def taxable(self) -> bool:
        return self is not SignClass.GOVERNMENT_SIGN


class MeasureMethod(StrEnum):
    BOARD = "board"  # reference board of known size in the sign plane
    EXIF_DISTANCE = "exif_distance"  # measured distance + focal length from EXIF
    REFERENCE_LENGTH = "reference_length"
    LASER_PROFILE = "laser_profile"


class Script(StrEnum):
    THAI = "thai"
    LATIN = "latin"
    CJK = "cjk"
    OTHER = "other"


def _check_finite(name: str, value: float) -> None:
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value!r}")


@dataclass(frozen=True, slots=True)
class Camera:
    """What the photo's metadata says about the camera and where it was."""

    focal_px: float | None = None  # focal length in pixels of the upright image
    focal_source: str | None = None  # e.g. "exif FocalLengthIn35mmFilm 26 mm (36 mm width)"
    gps_lat_deg: float | None = None
    gps_lon_deg: float | None = None
    heading_deg: float | None = None
    taken_at: datetime | None = None
    make_model: str | None = None

    def __post_init__(self) -> None:
        if self.focal_px is not None and not (self.focal_px > 0 and math.isfinite(self.focal_px)):
            raise ValueError(f"focal_px must be positive, got {self.focal_px!r}")
        if self.gps_lat_deg is not None and not -90 <= self.gps_lat_deg <= 90:
            raise ValueError(f"gps_lat_deg must be in [-90, 90], got {self.gps_lat_deg}")
        if self.gps_lon_deg is not None and not -180 <= self.gps_lon_deg <= 180:
            raise ValueError(f"gps_lon_deg must be in [-180, 180], got {self.gps_lon_deg}")


def _check_bgr8(px: np.ndarray) -> None:
    if px.ndim != 3 or px.shape[2] != 3 or px.dtype != np.uint8:
        raise ValueError(f"pixels_bgr must be HxWx3 uint8, got shape {px.shape} dtype {px.dtype}")


@dataclass(frozen=True, slots=True, eq=False)
class Photo:
    """A decoded photo, upright (EXIF orientation applied), 8-bit BGR."""

    pixels_bgr: np.ndarray
    camera: Camera
    source_name: str = ""

    def __post_init__(self) -> None:
        _check_bgr8(self.pixels_bgr)

    @property
    def size_wh(self) -> tuple[int, int]:
        return int(self.pixels_bgr.shape[1]), int(self.pixels_bgr.shape[0])


@dataclass(frozen=True, slots=True, eq=False)
class Preview:
    """A reduced, upright copy of a photo for the detector, with the full image's facts.

    The detector shrinks every photo to its input size (640 px) anyway, so decoding the full
    12 MP only to throw most of it away is wasted: a preview is decoded at a reduced scale.
    A preview pixel (x, y) is at (x * sx, y * sy) in the full upright image.
    """

    pixels_bgr: np.ndarray
    full_size_wh: tuple[int, int]  # of the upright full-resolution image
    scale_xy: tuple[float, float]  # full-image pixels per preview pixel, (sx, sy)
    camera: Camera  # from EXIF, as ``Photo.camera`` would be (focal relative to the full size)
    source_name: str = ""

    def __post_init__(self) -> None:
        _check_bgr8(self.pixels_bgr)
        if not all(s >= 1.0 and math.isfinite(s) for s in self.scale_xy):
            raise ValueError(f"scale_xy must be >= 1 (a preview is never larger), got {self.scale_xy}")

    @property
    def size_wh(self) -> tuple[int, int]:
        """The preview's own size (``full_size_wh`` is the photo's)."""
        return int(self.pixels_bgr.shape[1]), int(self.pixels_bgr.shape[0])


Point = tuple[float, float]


@dataclass(frozen=True, slots=True)
class Detection:
    sign_class: SignClass
    confidence: float
    bbox_xyxy: tuple[float, float, float, float]
    corners_px: tuple[Point, Point, Point, Point]  # clockwise from top-left
    corners_source: str = "box"  # "box" (axis-aligned), "keypoints", "refined"

    def __post_init__(self) -> None:
        if not 0.0 <= self.confidence <= 1.0:
            raise ValueError(f"confidence must be in [0, 1], got {self.confidence}")
        x1, y1, x2, y2 = self.bbox_xyxy
        for name, v in zip(("x1", "y1", "x2", "y2"), self.bbox_xyxy, strict=True):
            _check_finite(name, v)
        if not (x2 > x1 and y2 > y1):
            raise ValueError(f"bbox_xyxy must have x2>x1 and y2>y1, got {self.bbox_xyxy}")
        if len(self.corners_px) != 4:
            raise ValueError(f"corners_px must have 4 points, got {len(self.corners_px)}")


@dataclass(frozen=True, slots=True)
class Measurement:
    """Physical size of a sign face in its own plane (the law's bounding rectangle)."""

    width_cm: float
    height_cm: float
    area_cm2: float
    area_ci95_cm2: tuple[float, float]  # Monte-Carlo over corner and scale noise
    method: MeasureMethod
    scale_source: str  # human-readable, e.g. "board 42.0x29.7 cm", "distance 6.20 m, focal 2900 px"

    def __post_init__(self) -> None:
        for name in ("width_cm", "height_cm", "area_cm2"):
            v = getattr(self, name)
            _check_finite(name, v)
            if v <= 0:
                raise ValueError(f"{name} must be positive, got {v}")
        lo, hi = self.area_ci95_cm2
        if not lo <= self.area_cm2 <= hi:
            raise ValueError(
                f"area_ci95_cm2 {self.area_ci95_cm2} must contain area_cm2 {self.area_cm2}"
            )


# A line read at or above this confidence is evidence for its script; below it the line is
# kept for the officer to see but decides nothing (vision.content.analysis).
TEXT_LINE_EVIDENCE_MIN = 0.5


@dataclass(frozen=True, slots=True)
class TextLine:
    """One line of text found on a sign crop; box in crop pixels (xyxy)."""

    text: str
    script: Script
    bbox_xyxy: tuple[float, float, float, float]
    confidence: float

    @property
    def is_evidence(self) -> bool:
        return self.confidence >= TEXT_LINE_EVIDENCE_MIN


@dataclass(frozen=True, slots=True)
class SignContent:
    """What is on the sign; facts only, the tax engine decides the type."""

    scripts: frozenset[Script]
    thai_below_foreign: bool
    has_graphics: bool
    moving_display: bool
    confidence: float  # of the resulting tax type decision inputs, 0..1
    lines: tuple[TextLine, ...] = ()
    needs_review: bool = False
    note: str = ""

    def __post_init__(self) -> None:
        if not 0.0 <= self.confidence <= 1.0:
            raise ValueError(f"confidence must be in [0, 1], got {self.confidence}")


@dataclass(frozen=True, slots=True)
class SignObservation:
    """Everything vision knows about one sign in one photo: no money, no policy."""

    detection: Detection
    measurement: Measurement | None
    measurement_missing_reason: str | None
    content: SignContent

    def __post_init__(self) -> None:
        if (self.measurement is None) == (self.measurement_missing_reason is None):
            raise ValueError("exactly one of measurement and measurement_missing_reason must be set")


@dataclass(frozen=True, slots=True)
class PhotoScan:
    """The result of scanning one photo."""

    source_name: str
    size_wh: tuple[int, int]
    camera: Camera
    observations: tuple[SignObservation, ...] = field(default_factory=tuple)
    board_found: bool = False
    # The model versions (folder names) that produced it, so a stored result can be traced and
    # recomputed: the detector's, and the content network's (None when the OCR read alone);
    # and the whole content analysis's fingerprint (vision.content.fingerprint: the reading
    # and fusion code, Tesseract, the network and its calibration), since the same network
    # gives other types when any of those change.
    detector_version: str | None = None
    content_version: str | None = None
    content_analysis: str | None = None
