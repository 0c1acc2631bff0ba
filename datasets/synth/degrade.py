"""Light and camera effects on the rendered image: exposure and white balance, a cast
shadow, night with glowing signs, defocus or motion blur, sensor noise, JPEG.

Works on the final-resolution image; ``emit`` (0..1) marks light-emitting pixels (lit signs,
LED displays, lit shops), which stay bright at night and bloom.
"""

from __future__ import annotations

import cv2
import numpy as np

from datasets.synth.scene import Look


def _shadow(img: np.ndarray, rng: np.random.Generator, darkness: float) -> np.ndarray:
    """A soft-edged cast shadow over one side of a random line (a building across the street)."""
    h, w = img.shape[:2]
    ang = rng.uniform(0, 2 * np.pi)
    nx, ny = np.cos(ang), np.sin(ang)
    off = rng.uniform(-0.3, 0.3) * (w + h)
    sh, sw = max(2, h // 4), max(2, w // 4)  # smooth: compute small, scale up
    yy, xx = np.mgrid[0:sh, 0:sw].astype(np.float32) * 4
    d = (xx - w / 2) * nx + (yy - h / 2) * ny - off
    soft = max(2.0, 0.01 * w)
    m = 1.0 / (1.0 + np.exp(-d / soft))
    return cv2.resize(1.0 - darkness * m, (w, h), interpolation=cv2.INTER_LINEAR)


def _motion_kernel(length: float, angle_deg: float) -> np.ndarray:
    n = max(3, int(round(length)) | 1)
    k = np.zeros((n, n), np.float32)
    c = n // 2
    dx, dy = np.cos(np.radians(angle_deg)), np.sin(np.radians(angle_deg))
    cv2.line(k, (int(round(c - dx * c)), int(round(c - dy * c))),
             (int(round(c + dx * c)), int(round(c + dy * c))), 1.0, 1, cv2.LINE_AA)
    return k / k.sum()


def apply_look(img_bgr: np.ndarray, emit: np.ndarray, look: Look) -> np.ndarray:
    """Return the degraded uint8 BGR image (after a JPEG round trip at ``look.jpeg_quality``)."""
    rng = np.random.default_rng(look.seed)
    img = img_bgr.astype(np.float32)
    e = (emit.astype(np.float32) / 255.0)[..., None]
    gain = np.array([1 - 0.08 * look.warmth, 1.0, 1 + 0.08 * look.warmth], np.float32)
    img *= gain * look.exposure
    if look.shadow > 0:
        img *= (1 - (1 - _shadow(img, rng, look.shadow)[..., None]) * (1 - e))
    if look.night:
        dark = rng.uniform(0.15, 0.3)
        lit = img * e * rng.uniform(1.0, 1.25)
        img = img * dark * (1 - e) + lit
        sigma = max(1.5, img.shape[1] / 250)
        img += cv2.GaussianBlur(lit, (0, 0), sigma) * 0.6 + cv2.GaussianBlur(lit, (0, 0), 4 * sigma) * 0.3
        img[..., 2] += 12 * (1 - e[..., 0]) * dark  # sodium street-light cast
    if look.defocus_sigma_px > 0:
        img = cv2.GaussianBlur(img, (0, 0), look.defocus_sigma_px)
    if look.motion_px > 0:
        img = cv2.filter2D(img, -1, _motion_kernel(look.motion_px, look.motion_angle_deg))
    if look.noise_sigma > 0:
        sigma = np.float32(look.noise_sigma)
        img += (rng.standard_normal(img.shape[:2], dtype=np.float32) * sigma)[..., None]
        img += rng.standard_normal(img.shape, dtype=np.float32) * (sigma * np.float32(0.5))
    out = np.clip(img + 0.5, 0, 255).astype(np.uint8)
    if look.jpeg_quality < 100:
        ok, buf = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, look.jpeg_quality])
        if ok:
            out = cv2.imdecode(buf, cv2.IMREAD_COLOR)
    return out
