"""Render a scene to an image and its exact labels (measurement.md §8.1).

Everything is drawn on a canvas ``supersample`` times larger through exact plane-to-image
homographies, then shrunk with INTER_AREA; label corners are the pinhole projections of
the sign faces' corners with the image's K, so they are exact, not fitted.
"""

from __future__ import annotations

import cv2
import numpy as np

from datasets.synth.camera import project, supersampled_k
from datasets.synth.config import SynthConfig
from datasets.synth.content import FaceStyle
from datasets.synth.degrade import apply_look
from datasets.synth.faces import FacePaint, paint_face
from datasets.synth.glass import behind_glass
from datasets.synth.govsigns import paint_road_sign, paint_street_name
from datasets.synth.labelling import camera_label, sign_label
from datasets.synth.labels import SampleLabel
from datasets.synth.led import paint_led
from datasets.synth.paint_street import paint_surface
from datasets.synth.raster import Canvas
from datasets.synth.sample import sample_scene
from datasets.synth.scene import Cable, Scene, SignSpec, Sky

MAX_TEXTURE_PX = 2048
MAX_SIGN_PPC = 8.0


def _sky(canvas: Canvas, sky: Sky) -> None:
    """Vertical gradient with soft clouds, computed at 1/8 size and scaled up (smooth anyway)."""
    h, w = canvas.bgr.shape[:2]
    sh, sw = max(2, h // 8), max(2, w // 8)
    t = np.linspace(0, 1, sh, dtype=np.float32)[:, None, None]
    img = np.array(sky.top, np.float32) * (1 - t) + np.array(sky.horizon, np.float32) * t
    img = np.repeat(img, sw, axis=1)
    if sky.clouds > 0:
        rng = np.random.default_rng(sky.seed)
        cloud = cv2.resize(rng.random((8, 12)).astype(np.float32), (sw, sh),
                           interpolation=cv2.INTER_CUBIC)
        cloud = cv2.GaussianBlur(np.clip((cloud - (1 - sky.clouds)) * 1.6, 0, 0.9), (0, 0), 2)[..., None]
        img = img * (1 - cloud) + np.array(sky.horizon, np.float32) * 1.02 * cloud
    small = np.clip(img, 0, 255).astype(np.uint8)
    canvas.bgr[:] = cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)


def _tex_size(width_cm: float, height_cm: float, ppc: float) -> tuple[int, int, float]:
    ppc = min(ppc, MAX_TEXTURE_PX / max(width_cm, height_cm))
    return max(2, int(round(width_cm * ppc))), max(2, int(round(height_cm * ppc))), ppc


def paint_sign(sign: SignSpec, w_px: int, h_px: int) -> FacePaint:
    d = sign.design
    if d.style is FaceStyle.LED:
        return paint_led(d, w_px, h_px, sign.width_cm, sign.height_cm)
    if d.style is FaceStyle.ROAD:
        return paint_road_sign(d, w_px, h_px)
    if d.style is FaceStyle.STREET:
        return paint_street_name(d, w_px, h_px)
    return paint_face(d, w_px, h_px)


def _sag(tex: np.ndarray, sag_cm: float, height_cm: float) -> np.ndarray:
    """Bow a banner down between its tied corners; the corners themselves do not move."""
    h, w = tex.shape[:2]
    sag_px = sag_cm / height_cm * h
    xs = np.arange(w, dtype=np.float32)
    drop = sag_px * np.sin(np.pi * (xs + 0.5) / w)
    ys = np.arange(h, dtype=np.float32)[:, None]
    weight = 1.0 - 0.5 * ys / h  # the top edge sags most
    map_y = (ys - drop[None, :] * weight).astype(np.float32)
    map_x = np.broadcast_to(xs[None, :], (h, w)).astype(np.float32)
    return cv2.remap(tex, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                     borderValue=(0, 0, 0, 0))


def _cables(canvas: Canvas, cables: tuple[Cable, ...]) -> None:
    lines = []
    f = float(canvas.k[0, 0])
    for cable in cables:
        cam = canvas.camera.to_camera(np.array(cable.points_m))
        keep = cam[:, 2] > 0.3
        start = 0
        for i in range(len(cam) + 1):  # split where the cable passes behind the camera
            if i == len(cam) or not keep[i]:
                seg = cam[start:i]
                for j in range(0, len(seg) - 1, 4):
                    part = seg[j:j + 5]
                    if len(part) >= 2:
                        width = f * cable.diameter_cm / 100 / float(part[:, 2].mean())
                        lines.append((project(canvas.k, part), width))
                start = i + 1
    if lines:
        canvas.draw_lines(lines, (28, 28, 28))


def render_scene(scene: Scene, cfg: SynthConfig, *, hide_signs: bool = False
                 ) -> tuple[np.ndarray, SampleLabel]:
    """(image BGR uint8, labels). ``hide_signs`` renders the same street without the signs
    (a test aid; labels then report no occlusion)."""
    ss = cfg.supersample
    w, h = scene.camera.size_wh
    k = scene.camera.k_matrix()
    canvas = Canvas((w * ss, h * ss), supersampled_k(k, ss), scene.camera)
    _sky(canvas, scene.sky)
    drawn = []
    for s in scene.surfaces:
        fp = canvas.footprint(s.rect)
        if fp is not None:
            drawn.append((fp.min_depth_m, s, fp))
    for _, s, fp in sorted(drawn, key=lambda t: -t[0]):
        tw, th, ppc = _tex_size(s.rect.width_m * 100, s.rect.height_m * 100,
                                min(canvas.ppc_for(fp), s.max_ppc))
        canvas.draw_rect(s.rect, fp, paint_surface(s, tw, th, ppc), emissive=s.emissive)
    placed = []
    for sign in scene.signs:
        fp = canvas.footprint(sign.rect)
        if fp is not None and not fp.clipped:
            placed.append((fp, sign))
    areas: dict[int, int] = {}
    faces: dict[int, tuple[FacePaint, tuple[int, int]]] = {}
    for fp, sign in sorted(placed, key=lambda t: -t[0].min_depth_m):
        tw, th, _ = _tex_size(sign.width_cm, sign.height_cm,
                              min(canvas.ppc_for(fp), MAX_SIGN_PPC))
        face = paint_sign(sign, tw, th)
        faces[sign.sign_id] = (face, (tw, th))
        if hide_signs:
            areas[sign.sign_id] = 0
            continue
        tex = _sag(face.bgra, sign.sag_cm, sign.height_cm) if sign.sag_cm > 0 else face.bgra
        if sign.glass > 0:
            tex = behind_glass(tex, sign.glass, sign.reflection_seed)
        areas[sign.sign_id] = canvas.draw_rect(sign.rect, fp, tex, sign_id=sign.sign_id,
                                               emissive=sign.lit)
    _cables(canvas, scene.cables)
    image = cv2.resize(canvas.bgr, (w, h), interpolation=cv2.INTER_AREA)
    emit = cv2.resize(canvas.emit, (w, h), interpolation=cv2.INTER_AREA)
    image = apply_look(image, emit, scene.look)
    counts = np.bincount(canvas.ids.ravel().astype(np.int64), minlength=len(scene.signs) + 2)
    labels = []
    for fp, sign in placed:
        face, tex_wh = faces[sign.sign_id]
        lab = sign_label(sign, fp, face, tex_wh, canvas, ss, areas[sign.sign_id],
                         int(counts[sign.sign_id]), hide_signs)
        if lab is not None:
            labels.append(lab)
    labels.sort(key=lambda s: s.sign_id)
    look = scene.look
    label = SampleLabel(scene.seed, (w, h), camera_label(scene.camera), tuple(labels), look.night,
                        look.jpeg_quality,
                        {"exposure": look.exposure, "warmth": look.warmth, "shadow": look.shadow,
                         "defocus_sigma_px": look.defocus_sigma_px, "motion_px": look.motion_px,
                         "noise_sigma": look.noise_sigma, "supersample": ss})
    return image, label


def render_sample(seed: int, config: SynthConfig) -> tuple[np.ndarray, SampleLabel]:
    """Sample ``seed``: the same (seed, config) gives the same image bytes and labels."""
    return render_scene(sample_scene(seed, config), config)
