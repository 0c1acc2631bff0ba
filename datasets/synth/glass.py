"""A shop window in front of a sign face: the glass darkens what is behind it and reflects
the street (a bright sky band at the top fading down, and a diagonal sheen).

Real window advertisements are mostly posters inside the glass; the reflection lowers their
contrast and lays the street's light over them, which a face painted on the wall lacks.
"""

from __future__ import annotations

import numpy as np

TRANSMISSION_LOSS = 0.5  # share of the face's light lost at full glass strength


def behind_glass(face_bgra: np.ndarray, strength: float, seed: int | tuple[int, ...]
                 ) -> np.ndarray:
    """The face as seen through glass of reflection ``strength`` (0..1); alpha unchanged.
    ``seed`` (an int or a tuple of ints) draws the sky's colour and the sheen's place."""
    if strength <= 0:
        return face_bgra
    rng = np.random.default_rng(seed)
    h, w = face_bgra.shape[:2]
    y = np.linspace(0.0, 1.0, h, dtype=np.float32)[:, None]
    x = np.linspace(0.0, 1.0, w, dtype=np.float32)[None, :]
    sky = np.array([rng.uniform(170, 240), rng.uniform(170, 235), rng.uniform(160, 225)],
                   np.float32)  # BGR: bluish-grey to warm daylight
    band = np.clip(1.0 - y / rng.uniform(0.35, 0.9), 0.0, 1.0)  # sky reflected from above
    slope, offset, width = rng.uniform(-1.5, 1.5), rng.uniform(-0.5, 1.5), rng.uniform(0.05, 0.25)
    sheen = np.exp(-(((x + slope * y) - offset) / width) ** 2)  # a diagonal highlight
    mix = np.clip(strength * (0.45 + 0.55 * np.maximum(band, sheen)), 0.0, 0.95)[..., None]
    rgb = face_bgra[..., :3].astype(np.float32) * (1.0 - TRANSMISSION_LOSS * strength)
    out = face_bgra.copy()
    out[..., :3] = np.clip(rgb * (1.0 - mix) + sky * mix, 0, 255).astype(np.uint8)
    return out
