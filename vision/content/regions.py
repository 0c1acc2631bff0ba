"""Second look: read unread regions of a crop on their own.

Tesseract's page layout often drops a short line next to a bigger one (a two-character
Chinese word under a Thai shop name, a small English subtitle, a Thai word beside a logo);
cut out on its own with a margin, the same region is often read. The graphics cue
(:mod:`vision.content.graphics`) already finds such regions: ink off the board colour that no
read line covers, either text-like (rows of glyphs, word-shaped) or picture-like.

Only regions that could change the tax type are re-read, biggest first, at most
``MAX_REGIONS`` (each costs a full read):

- nothing read: every region (the sign may still be readable piecewise);
- Thai but no foreign text: every region (foreign text or a logo makes it Type 2, foreign
  text above it Type 3);
- foreign but no Thai text: regions below no foreign line (Thai there would make
  the sign Type 2; Thai below it is Type 3 anyway);
- Thai and foreign text: none (more text cannot lift the sign out of Type 2 or 3, except
  Thai below foreign, which a missed line rarely is).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from vision.content.graphics import BBox, GraphicsCue
from vision.content.layout import box_below
from vision.content.ocr import TextReader
from vision.types import Script, TextLine

MAX_REGIONS = 3
PAD_HEIGHTS = 0.35  # margin around a region, in its own heights: tesseract needs a margin
MIN_SIDE_PX = 12  # smaller regions are specks, not text
# A region this big a share of the crop is the crop again: re-reading it costs a full read
# and finds what the first one found.
MAX_AREA_FRACTION = 0.5


def regions_to_reread(
    graphics: GraphicsCue, evidence: Sequence[TextLine], crop_wh: tuple[int, int]
) -> tuple[BBox, ...]:
    """Which unread regions could change the type (see the module docstring), biggest first."""
    thai = [ln for ln in evidence if ln.script is Script.THAI]
    foreign = [ln for ln in evidence if ln.script is not Script.THAI]
    if thai and foreign:
        return ()
    regions = [*graphics.text_like_xyxy, *graphics.blobs_xyxy]
    if foreign:
        regions = [b for b in regions if not any(box_below(b, f.bbox_xyxy) for f in foreign)]
    max_area = MAX_AREA_FRACTION * crop_wh[0] * crop_wh[1]
    regions = [
        b
        for b in regions
        if min(b[2] - b[0], b[3] - b[1]) >= MIN_SIDE_PX and (b[2] - b[0]) * (b[3] - b[1]) <= max_area
    ]
    regions.sort(key=lambda b: (b[2] - b[0]) * (b[3] - b[1]), reverse=True)
    return tuple(regions[:MAX_REGIONS])


def reread_regions(
    crop_bgr: np.ndarray, reader: TextReader, regions: Sequence[BBox]
) -> tuple[TextLine, ...]:
    """Lines read in each region cut out with a margin, boxes in crop pixels."""
    h, w = crop_bgr.shape[:2]
    out: list[TextLine] = []
    for x1, y1, x2, y2 in regions:
        pad = PAD_HEIGHTS * (y2 - y1)
        xa, ya = max(0, int(x1 - pad)), max(0, int(y1 - pad))
        xb, yb = min(w, int(np.ceil(x2 + pad))), min(h, int(np.ceil(y2 + pad)))
        if min(xb - xa, yb - ya) < MIN_SIDE_PX:
            continue
        for line in reader.read(np.ascontiguousarray(crop_bgr[ya:yb, xa:xb])):
            bx1, by1, bx2, by2 = line.bbox_xyxy
            out.append(
                TextLine(
                    text=line.text,
                    script=line.script,
                    bbox_xyxy=(bx1 + xa, by1 + ya, bx2 + xa, by2 + ya),
                    confidence=line.confidence,
                )
            )
    return tuple(out)
