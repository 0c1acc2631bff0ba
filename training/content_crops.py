"""Held-out synthetic sign crops for the content evaluation, cut from rendered street scenes.

Each scene comes from :func:`datasets.synth.render.render_sample` with a seed from
``SYNTH_CONTENT_FIRST_SEED`` on: the detector trains on ``seed * 1_000_000 + i`` (small
seeds) and its evaluation uses 900_000_000 on, so these scenes are in neither. A sign is
cut out by rectifying the face from its *true* corners the way the scan pipeline does from
detected ones (the edge lengths in pixels give the crop size; the physical aspect ratio is
not known at scan time), so the evaluation measures content analysis alone, not the
detector's corners.

Only signs a person could classify from the photo are kept (:class:`CropFilter`): taxable
(government signs are exempt and have no type), whole in the image, hardly occluded, big
enough and not seen too edge-on for their text to be legible.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from vision.sign_crop import cut_sign_crop
from vision.types import Script

SYNTH_CONTENT_FIRST_SEED = 950_000_000


@dataclass(frozen=True, slots=True)
class CropFilter:
    """Which rendered signs are legible enough to judge content analysis on."""

    max_occlusion: float = 0.05  # share of the face hidden by poles, cables, vehicles
    min_in_image: float = 0.99  # share of the face inside the photo
    min_height_px: float = 60.0  # rectified face height (mean of the left and right edges)
    min_width_px: float = 60.0
    # Smallest text line with letters, in photo pixels: below ~10 px nobody reads Thai marks.
    min_text_height_px: float = 10.0
    # Horizontal over vertical scale (px per cm): a face seen at more than ~60 degrees is a
    # sliver whose letters are squeezed to a few pixels wide.
    min_foreshortening: float = 0.5

    def describe(self) -> str:
        return (
            f"taxable signs, occlusion <= {self.max_occlusion:.0%}, in image >= "
            f"{self.min_in_image:.0%}, face >= {self.min_width_px:.0f}x{self.min_height_px:.0f} px, "
            f"every text line >= {self.min_text_height_px:.0f} px tall, "
            f"foreshortening >= {self.min_foreshortening}"
        )


@dataclass(frozen=True, slots=True)
class FaceSize:
    width_px: float
    height_px: float
    px_per_cm_x: float
    px_per_cm_y: float


def face_size(corners_px, width_cm: float, height_cm: float) -> FaceSize:
    """Rectified size of a face from its corners (clockwise from top-left) and its size in cm."""
    c = np.asarray(corners_px, float)
    w = (np.linalg.norm(c[1] - c[0]) + np.linalg.norm(c[2] - c[3])) / 2
    h = (np.linalg.norm(c[3] - c[0]) + np.linalg.norm(c[2] - c[1])) / 2
    return FaceSize(float(w), float(h), float(w / width_cm), float(h / height_cm))


def text_height_px(sign) -> float | None:
    """Height in photo pixels of the sign's smallest text line with letters (None: no such line).

    Rotated text (vertical banners) is as legible as its stroke length across the line, so the
    smaller side of the line's box counts.
    """
    size = face_size(sign.corners_px, sign.width_cm, sign.height_cm)
    heights = [
        min((y2 - y1) * size.px_per_cm_y, (x2 - x1) * size.px_per_cm_x)
        for line in sign.lines
        if line.script is not None  # digits only: they carry no script, so no type
        for x1, y1, x2, y2 in (line.box_cm,)
    ]
    return min(heights) if heights else None


def keep_sign(sign, keep: CropFilter) -> bool:
    """``sign`` is a :class:`datasets.synth.labels.SignLabel`."""
    if sign.tax_type is None or not sign.taxable:
        return False
    if sign.occlusion_fraction > keep.max_occlusion or sign.in_image_fraction < keep.min_in_image:
        return False
    if not all(sign.corners_in_image):
        return False
    size = face_size(sign.corners_px, sign.width_cm, sign.height_cm)
    if size.width_px < keep.min_width_px or size.height_px < keep.min_height_px:
        return False
    sx, sy = size.px_per_cm_x, size.px_per_cm_y
    if min(sx, sy) < keep.min_foreshortening * max(sx, sy):
        return False
    text_px = text_height_px(sign)
    return text_px is None or text_px >= keep.min_text_height_px


@dataclass(frozen=True, slots=True, eq=False)
class SynthCrop:
    """One rectified sign and the truth about it (from the renderer's label)."""

    name: str  # "synth-<seed>/<sign_id>"
    crop_bgr: np.ndarray
    tax_type: int  # 1, 2 or 3 (tax-law.md §4)
    thai_below_foreign: bool
    scripts: frozenset[Script]
    has_graphics: bool
    layout: str
    kind: str
    text_height_px: float | None  # smallest text line with letters; None: no text
    width_cm: float  # the face's true size and motion (prices a type error in baht)
    height_cm: float
    moving: bool

    @property
    def has_thai_and_foreign(self) -> bool:
        return Script.THAI in self.scripts and bool(self.scripts - {Script.THAI})


def scene_crops(seed: int, size_wh: tuple[int, int], keep: CropFilter) -> list[SynthCrop]:
    """The kept signs of the scene rendered from ``seed``, in label order."""
    from datasets.synth.config import SynthConfig
    from datasets.synth.render import render_sample

    image, label = render_sample(seed, SynthConfig(size_wh=size_wh))
    return [
        SynthCrop(
            name=f"synth-{seed}/{s.sign_id}",
            crop_bgr=cut_sign_crop(image, s.corners_px),  # as the scan cuts it
            tax_type=int(s.tax_type),
            thai_below_foreign=s.thai_below_foreign,
            scripts=s.scripts,
            has_graphics=s.has_graphics,
            layout=s.layout.value,
            kind=s.kind.value,
            text_height_px=text_height_px(s),
            width_cm=s.width_cm,
            height_cm=s.height_cm,
            moving=s.moving,
        )
        for s in label.signs
        if keep_sign(s, keep)
    ]
