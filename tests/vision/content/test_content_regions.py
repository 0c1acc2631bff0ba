"""Second look at unread regions (vision.content.regions): which regions, and box mapping."""

from __future__ import annotations

import numpy as np
import pytest

from vision.content.graphics import GraphicsCue
from vision.content.regions import MAX_REGIONS, regions_to_reread, reread_regions
from vision.types import Script, TextLine

TH, LA = Script.THAI, Script.LATIN
CROP_WH = (600, 200)


def cue(text_like=(), blobs=()) -> GraphicsCue:
    return GraphicsCue(bool(blobs), 0.8, 0.1, tuple(blobs), "test", tuple(text_like))


def line(script: Script, box, conf: float = 0.9) -> TextLine:
    return TextLine(text="x", script=script, bbox_xyxy=box, confidence=conf)


UPPER = (100.0, 10.0, 500.0, 60.0)
LOWER = (100.0, 120.0, 500.0, 170.0)
LOGO = (10.0, 20.0, 90.0, 100.0)


def test_thai_only_rereads_every_region_biggest_first() -> None:
    got = regions_to_reread(cue([LOWER], [LOGO]), [line(TH, UPPER)], CROP_WH)
    assert got == (LOWER, LOGO)


def test_foreign_only_skips_regions_below_the_foreign_text() -> None:
    """Thai below foreign text is Type 3 anyway: re-reading it cannot change the type."""
    got = regions_to_reread(cue([LOWER, UPPER]), [line(LA, (100.0, 70.0, 500.0, 110.0))], CROP_WH)
    assert got == (UPPER,)


def test_thai_and_foreign_need_no_second_look() -> None:
    assert regions_to_reread(cue([LOWER], [LOGO]), [line(TH, UPPER), line(LA, LOWER)], CROP_WH) == ()


def test_specks_the_whole_crop_and_extra_regions_are_skipped() -> None:
    speck = (300.0, 100.0, 305.0, 104.0)
    whole = (0.0, 0.0, 600.0, 200.0)
    many = [(float(x), 10.0, float(x) + 40.0, 40.0) for x in range(0, 400, 50)]
    got = regions_to_reread(cue([speck, whole, *many]), [], CROP_WH)
    assert speck not in got and whole not in got
    assert len(got) == MAX_REGIONS


class RegionReader:
    """Reads one line at the top-left of whatever it is given, and records the crops."""

    def __init__(self) -> None:
        self.shapes: list[tuple[int, ...]] = []

    def read(self, crop_bgr: np.ndarray) -> tuple[TextLine, ...]:
        self.shapes.append(crop_bgr.shape)
        return (line(LA, (2.0, 3.0, 30.0, 13.0)),)


def test_reread_regions_maps_boxes_back_to_the_crop() -> None:
    crop = np.zeros((200, 600, 3), np.uint8)
    reader = RegionReader()
    (got,) = reread_regions(crop, reader, [(100.0, 40.0, 300.0, 80.0)])
    pad = 0.35 * 40  # PAD_HEIGHTS of the region's height
    assert got.bbox_xyxy == pytest.approx((2 + 100 - pad, 3 + 40 - pad, 30 + 100 - pad, 13 + 40 - pad),
                                          abs=1)
    assert reader.shapes == [(int(np.ceil(80 + pad)) - int(40 - pad),
                              int(np.ceil(300 + pad)) - int(100 - pad), 3)]
