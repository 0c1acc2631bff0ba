"""The upright crop of a sign face, and the way from its pixels back to the photo's.

The content analysis reads a sign from this crop, so the text lines it reports have boxes in
crop pixels. The officer checks the tax type against those lines, so the photo page draws them
on the photo: through the inverse of the very transform that cut the crop, which is why the
scan, the content evaluation and the page all take it from here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

SIGN_CROP_MAX_SIDE_PX = 1200  # larger faces are scaled down: the OCR gains nothing past this
MIN_CROP_SIDE_PX = 8

Point = tuple[float, float]


@dataclass(frozen=True, slots=True, eq=False)
class SignCropFrame:
    """Where a sign's crop sits in its photo."""

    size_wh: tuple[int, int]
    photo_to_crop: np.ndarray  # 3 x 3 homography: photo pixels -> crop pixels

    def crop_box_to_photo(self, bbox_xyxy: Sequence[float]) -> tuple[Point, ...] | None:
        """The corners (top-left, top-right, bottom-right, bottom-left) in photo pixels of a box
        in crop pixels, clipped to the crop (the OCR's boxes may reach a pixel or two past it);
        None when nothing of the box is inside the crop or the transform has no inverse."""
        w, h = self.size_wh
        x1, y1 = max(0.0, float(bbox_xyxy[0])), max(0.0, float(bbox_xyxy[1]))
        x2, y2 = min(float(w), float(bbox_xyxy[2])), min(float(h), float(bbox_xyxy[3]))
        if x2 <= x1 or y2 <= y1:
            return None
        try:
            crop_to_photo = np.linalg.inv(self.photo_to_crop)
        except np.linalg.LinAlgError:
            return None
        box = np.array([[[x1, y1], [x2, y1], [x2, y2], [x1, y2]]], np.float64)
        pts = cv2.perspectiveTransform(box, crop_to_photo)[0]
        if not np.isfinite(pts).all():
            return None
        return tuple((float(x), float(y)) for x, y in pts)


def sign_crop_frame(corners_px: Sequence[Sequence[float]],
                    max_side_px: int = SIGN_CROP_MAX_SIDE_PX) -> SignCropFrame:
    """The crop of the face with these corners (clockwise from top-left, photo pixels): as wide
    as the top edge and as tall as the left edge, scaled so neither passes ``max_side_px``."""
    quad = np.asarray(corners_px, np.float32)
    top = float(np.linalg.norm(quad[1] - quad[0]))
    left = float(np.linalg.norm(quad[3] - quad[0]))
    scale = min(1.0, max_side_px / max(top, left, 1.0))
    w = max(MIN_CROP_SIDE_PX, int(top * scale))
    h = max(MIN_CROP_SIDE_PX, int(left * scale))
    dst = np.array([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]], np.float32)
    return SignCropFrame((w, h), cv2.getPerspectiveTransform(quad, dst))


def cut_sign_crop(pixels_bgr: np.ndarray, corners_px: Sequence[Sequence[float]],
                  max_side_px: int = SIGN_CROP_MAX_SIDE_PX) -> np.ndarray:
    """The sign face as an upright crop (:func:`sign_crop_frame`)."""
    frame = sign_crop_frame(corners_px, max_side_px)
    return cv2.warpPerspective(pixels_bgr, frame.photo_to_crop, frame.size_wh,
                               flags=cv2.INTER_AREA)
