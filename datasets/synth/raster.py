"""A supersampled canvas with a depth buffer, a sign-id buffer and an emission mask.

Planar textured rectangles are drawn by their exact plane-to-image homography
(``cv2.warpPerspective`` of the texture), depth-tested per pixel with the plane's inverse
depth (affine in image coordinates), and clipped to the near plane first so geometry
behind the camera never folds into the image.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from datasets.synth.camera import (
    CameraSpec,
    Rect3D,
    clip_near,
    inverse_depth_coeffs,
    project,
    rect_homography,
)

NEAR_M = 0.2
SUBPIX = 4  # fillPoly fixed-point bits


@dataclass(frozen=True, slots=True)
class Footprint:
    """Where a rect lands on the canvas: its clipped polygon and the ROI (x0, y0, x1, y1)."""

    poly_px: np.ndarray  # (N, 2) canvas pixels, after near-plane clipping
    roi: tuple[int, int, int, int]
    clipped: bool  # part of the rect was behind the near plane
    min_depth_m: float


class Canvas:
    def __init__(self, size_wh: tuple[int, int], k: np.ndarray, camera: CameraSpec) -> None:
        w, h = size_wh
        self.size_wh = size_wh
        self.k = k
        self.camera = camera
        self.bgr = np.zeros((h, w, 3), np.uint8)
        self.invz = np.zeros((h, w), np.float32)  # 0 = infinitely far (sky)
        self.ids = np.zeros((h, w), np.int16)  # sign id owning the pixel, 0 = none
        self.emit = np.zeros((h, w), np.uint8)  # 255 where the pixel emits light

    def footprint(self, rect: Rect3D) -> Footprint | None:
        cam = self.camera.to_camera(rect.corners_m())
        poly = clip_near(cam, NEAR_M)
        if len(poly) < 3:
            return None
        px = project(self.k, poly)
        w, h = self.size_wh
        x0, y0 = np.floor(px.min(0)).astype(int) - 1
        x1, y1 = np.ceil(px.max(0)).astype(int) + 2
        x0, y0, x1, y1 = max(0, x0), max(0, y0), min(w, x1), min(h, y1)
        if x1 <= x0 or y1 <= y0:
            return None
        return Footprint(px, (int(x0), int(y0), int(x1), int(y1)), len(poly) != 4 or
                         bool((cam[:, 2] < NEAR_M).any()), float(poly[:, 2].min()))

    def ppc_for(self, fp: Footprint) -> float:
        """Texture px per cm that matches the canvas scale at the rect's nearest point."""
        return float(self.k[0, 0]) / (100.0 * max(fp.min_depth_m, NEAR_M))

    def _poly_mask(self, fp: Footprint) -> np.ndarray:
        x0, y0, x1, y1 = fp.roi
        mask = np.zeros((y1 - y0, x1 - x0), np.uint8)
        pts = np.round((fp.poly_px - [x0, y0]) * (1 << SUBPIX)).astype(np.int32)
        cv2.fillPoly(mask, [pts], 255, cv2.LINE_8, SUBPIX)
        return mask

    def draw_rect(self, rect: Rect3D, fp: Footprint, texture_bgra: np.ndarray, *,
                  sign_id: int = 0, emissive: bool = False, depth_test: bool = True
                  ) -> int:
        """Composite the texture; returns the canvas pixel count of the (amodal) footprint.

        A sign writes its id over its whole face rectangle where it passes the depth test
        (also between cut letters), so later nearer drawing measures occlusion exactly.
        """
        x0, y0, x1, y1 = fp.roi
        th, tw = texture_bgra.shape[:2]
        shift = np.array([[1, 0, -x0], [0, 1, -y0], [0, 0, 1.0]])
        hom = shift @ rect_homography(self.k, self.camera, rect, (tw, th))
        size = (x1 - x0, y1 - y0)
        bgr_tex, alpha_tex = np.ascontiguousarray(texture_bgra[..., :3]), texture_bgra[..., 3].copy()
        warped = cv2.warpPerspective(bgr_tex, hom, size, flags=cv2.INTER_LINEAR,
                                     borderMode=cv2.BORDER_REPLICATE)
        alpha = cv2.warpPerspective(alpha_tex, hom, size, flags=cv2.INTER_LINEAR,
                                    borderMode=cv2.BORDER_CONSTANT, borderValue=0)
        alpha = alpha.astype(np.float32) * np.float32(1.0 / 255.0)
        quad = self._poly_mask(fp) > 0
        if fp.clipped:
            alpha *= quad
        a, b, c = inverse_depth_coeffs(self.k, self.camera, rect)
        xs = np.arange(x0, x1, dtype=np.float32) * np.float32(a)
        ys = np.arange(y0, y1, dtype=np.float32) * np.float32(b) + np.float32(c)
        invz = ys[:, None] + xs[None, :]
        zroi = self.invz[y0:y1, x0:x1]
        passed = invz > zroi if depth_test else np.ones_like(quad)
        alpha *= passed
        roi = self.bgr[y0:y1, x0:x1]
        roi[:] = cv2.blendLinear(warped, roi, alpha, 1.0 - alpha)
        solid = alpha > 0.5
        np.copyto(zroi, invz, where=solid)
        ids = self.ids[y0:y1, x0:x1]
        if sign_id:
            own = quad & passed
            np.copyto(ids, np.int16(sign_id), where=own)
            area = int(np.count_nonzero(quad))
        else:
            np.copyto(ids, np.int16(0), where=solid)
            area = 0
        np.copyto(self.emit[y0:y1, x0:x1], np.uint8(255 if emissive else 0), where=solid)
        return area

    def draw_lines(self, polylines: list[tuple[np.ndarray, float]], colour: tuple[int, int, int]
                   ) -> None:
        """Thin occluders (cables): ``(points_px, width_px)`` pairs; sub-pixel widths are drawn
        1 px wide with reduced opacity. They clear the sign ids and emission they cover."""
        w, h = self.size_wh
        mask = np.zeros((h, w), np.uint8)
        for pts, width in polylines:
            level = int(255 * min(1.0, width))
            cv2.polylines(mask, [np.round(pts * 16).astype(np.int32)], False, level,
                          max(1, int(round(width))), cv2.LINE_AA, 4)
        ys, xs = np.nonzero(mask.any(axis=1))[0], np.nonzero(mask.any(axis=0))[0]
        if ys.size == 0:
            return
        y0, y1, x0, x1 = ys[0], ys[-1] + 1, xs[0], xs[-1] + 1
        m = mask[y0:y1, x0:x1]
        a = m.astype(np.float32) * (1.0 / 255.0)
        roi = self.bgr[y0:y1, x0:x1]
        solid = np.empty_like(roi)
        solid[:] = colour
        roi[:] = cv2.blendLinear(solid, roi, a, 1.0 - a)
        covered = m > 127
        self.ids[y0:y1, x0:x1][covered] = 0
        self.emit[y0:y1, x0:x1][covered] = 0
