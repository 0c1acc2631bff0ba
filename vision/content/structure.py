"""Is there an image on the crop at all? Neighbouring pixels of any photo of a physical object
are strongly correlated (edges are a small share of the pixels, even on dense small print);
in sensor noise or corrupt data they are not. A content network answers such crops as
confidently as real signs (c8 reads Latin at 0.92 on uniform random noise), so
:func:`vision.content.analysis.analyze` sends them to review unread.

Measured (2026-11-27): the smaller of the horizontal and vertical lag-1 correlations of the
grey crop is at least 0.49 on the 332 held-out real sign crops (1st percentile 0.59, median
0.90), at least 0.60 on 80 rendered sign crops of the held-out scenes, and within 0.01 of 0 on
uniform noise; the line sits far from both.
"""

from __future__ import annotations

import cv2
import numpy as np

STRUCTURELESS_BELOW = 0.2


def neighbour_correlation(crop_bgr: np.ndarray) -> float:
    """The smaller of the horizontal and vertical lag-1 correlations of the grey crop; 1.0
    for a flat crop (a blank board has structure enough: it is plainly blank)."""
    grey = cv2.cvtColor(crop_bgr, cv2.COLOR_BGR2GRAY).astype(np.float32)

    def corr(a: np.ndarray, b: np.ndarray) -> float:
        sa, sb = float(a.std()), float(b.std())
        if sa == 0.0 or sb == 0.0:
            return 1.0
        return float(((a - a.mean()) * (b - b.mean())).mean() / (sa * sb))

    return min(corr(grey[:, :-1], grey[:, 1:]), corr(grey[:-1, :], grey[1:, :]))
