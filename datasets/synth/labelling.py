"""Turn a rendered sign into its ``SignLabel``: exact corners, boxes, visibility, content facts."""

from __future__ import annotations

import numpy as np

from datasets.synth.camera import CameraSpec, plane_pose_cm, project
from datasets.synth.faces import FacePaint
from datasets.synth.kinds import LineFact, has_letters, tax_type, thai_below_foreign
from datasets.synth.labels import CameraLabel, SignLabel, TextLineLabel
from datasets.synth.raster import NEAR_M, Canvas, Footprint
from datasets.synth.scene import SignSpec


def camera_label(camera: CameraSpec) -> CameraLabel:
    rvec, tvec = camera.rvec_tvec_m()
    k = camera.k_matrix()
    return CameraLabel(camera.size_wh, tuple(tuple(float(v) for v in row) for row in k),
                       tuple(float(v) for v in rvec), tuple(float(v) for v in tvec),
                       tuple(float(v) for v in camera.position_m), camera.distance_m,
                       camera.yaw_deg, camera.pitch_deg, camera.roll_deg)


def clip_to_box(poly: np.ndarray, x0: float, y0: float, x1: float, y1: float) -> np.ndarray:
    """Sutherland-Hodgman clip of a convex 2D polygon to an axis-aligned box."""
    def clip(pts: np.ndarray, axis: int, bound: float, keep_greater: bool) -> np.ndarray:
        out = []
        for i in range(len(pts)):
            a, b = pts[i], pts[(i + 1) % len(pts)]
            ina = a[axis] >= bound if keep_greater else a[axis] <= bound
            inb = b[axis] >= bound if keep_greater else b[axis] <= bound
            if ina:
                out.append(a)
            if ina != inb:
                t = (bound - a[axis]) / (b[axis] - a[axis])
                out.append(a + t * (b - a))
        return np.array(out).reshape(-1, 2)

    for axis, bound, greater in ((0, x0, True), (0, x1, False), (1, y0, True), (1, y1, False)):
        if len(poly) == 0:
            break
        poly = clip(poly, axis, bound, greater)
    return poly


def _area(poly: np.ndarray) -> float:
    if len(poly) < 3:
        return 0.0
    x, y = poly[:, 0], poly[:, 1]
    return 0.5 * abs(float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))))


def sign_label(sign: SignSpec, fp: Footprint, face: FacePaint, tex_wh: tuple[int, int],
               canvas: Canvas, ss: int, area_px: int, visible_px: int, hidden: bool
               ) -> SignLabel | None:
    """The label of a drawn sign, or None if no part of it lands in the image."""
    camera = canvas.camera
    cam = camera.to_camera(sign.rect.corners_m())
    if (cam[:, 2] <= NEAR_M).any():
        return None
    w, h = camera.size_wh
    corners = project(camera.k_matrix(), cam)
    inside = clip_to_box(corners.copy(), -0.5, -0.5, w - 0.5, h - 0.5)
    if _area(inside) <= 0 or (area_px == 0 and not hidden):
        return None
    in_img = tuple(bool(-0.5 <= x <= w - 0.5 and -0.5 <= y <= h - 0.5) for x, y in corners)
    x0, y0, x1, y1 = fp.roi
    own = canvas.ids[y0:y1, x0:x1] == sign.sign_id
    visible_box = None
    if own.any() and not hidden:
        ys, xs = np.nonzero(own)
        off = (ss - 1) / 2

        def f(v: float) -> float:  # canvas pixel edge -> image coordinate
            return float((v - off) / ss)
        visible_box = (f(x0 + xs.min() - 0.5), f(y0 + ys.min() - 0.5),
                       f(x0 + xs.max() + 0.5), f(y0 + ys.max() + 0.5))
    centroid = corners.mean(0)
    vis = []
    for (x, y), ok in zip(corners, in_img, strict=True):
        if not ok or hidden:
            vis.append(ok)
            continue
        d = centroid - (x, y)
        px, py = np.array((x, y)) + d / max(np.linalg.norm(d), 1e-9) * 1.5  # 1.5 px inward
        cx, cy = int(round(px * ss + (ss - 1) / 2)), int(round(py * ss + (ss - 1) / 2))
        cy, cx = min(max(cy, 0), canvas.ids.shape[0] - 1), min(max(cx, 0), canvas.ids.shape[1] - 1)
        vis.append(bool(canvas.ids[cy, cx] == sign.sign_id))
    sx, sy = sign.width_cm / tex_wh[0], sign.height_cm / tex_wh[1]
    W, H = sign.width_cm, sign.height_cm
    lines = tuple(TextLineLabel(ln.text, ln.script, (
        min(W, max(0.0, ln.box_px[0] * sx)), min(H, max(0.0, ln.box_px[1] * sy)),
        min(W, max(0.0, ln.box_px[2] * sx)), min(H, max(0.0, ln.box_px[3] * sy))))
        for ln in face.lines)
    facts = [LineFact(ln.script, ln.text, ln.box_cm) for ln in lines]
    has_graphics = sign.design.graphic is not None
    rvec, tvec = plane_pose_cm(camera, sign.rect)
    occl = 0.0 if hidden or area_px == 0 else min(1.0, max(0.0, 1 - visible_px / area_px))
    return SignLabel(
        sign_id=sign.sign_id, kind=sign.kind, mount=sign.mount, taxable=sign.taxable,
        moving=sign.moving, lit=sign.lit,
        box_xyxy=tuple(float(v) for v in (*inside.min(0), *inside.max(0))),
        visible_box_xyxy=visible_box,
        corners_px=tuple((float(x), float(y)) for x, y in corners),
        corners_in_image=in_img, corners_visible=tuple(vis),
        width_cm=sign.width_cm, height_cm=sign.height_cm,
        plane_rvec=tuple(float(v) for v in rvec), plane_tvec_cm=tuple(float(v) for v in tvec),
        layout=sign.design.layout,
        scripts=frozenset(ln.script for ln in lines if has_letters(ln.text, ln.script)),
        lines=lines, has_graphics=has_graphics,
        thai_below_foreign=thai_below_foreign(facts),
        tax_type=tax_type(facts, has_graphics=has_graphics, taxable=sign.taxable),
        in_image_fraction=min(1.0, _area(inside) / max(_area(corners), 1e-12)),
        occlusion_fraction=occl,
    )
