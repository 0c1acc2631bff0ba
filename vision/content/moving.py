"""Moving / changeable display cue (sub-type ก, tax-law.md §4).

Not detectable from one still photo in this version: an LED or LCD screen showing a
still frame looks like a printed sign, a scrolling text looks like text, and a rotating
prism looks like a board. A brightness or dot-texture heuristic would mostly flag lit
signs and neon, which are *not* moving. So the cue always answers "not moving" and says
so in its note; the officer confirms on site. A video or two photos taken seconds apart
would make it detectable (a frame difference inside the sign).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

NOT_DETECTABLE_NOTE = (
    "moving/changeable display is not detectable from a still photo; reported as not "
    "moving, confirm on site"
)


@dataclass(frozen=True, slots=True)
class MovingCue:
    moving_display: bool
    note: str


def detect_moving_display(crop_bgr: np.ndarray) -> MovingCue:
    """Always ``moving_display=False`` with a note; see the module docstring for why."""
    del crop_bgr  # kept in the signature so a real detector can drop in
    return MovingCue(False, NOT_DETECTABLE_NOTE)
