"""The misses gallery judges boxes as the any-sign figures do, and draws what it judged."""

from __future__ import annotations

import csv

import cv2
import numpy as np
import pytest

from training.detect_gallery import judge_image, write_gallery
from training.metrics import ImageBoxes

NAMES = ["signboard", "projecting_sign", "window_ad"]


def _boxes(rows, scores=None) -> ImageBoxes:
    xyxy = np.array([r[:4] for r in rows], float).reshape(-1, 4)
    cls = np.array([r[4] for r in rows], int)
    return ImageBoxes(xyxy, cls, np.ones(len(rows)) if scores is None else np.array(scores))


@pytest.fixture
def photo(tmp_path):
    path = tmp_path / "real" / "facades-x" / "images" / "train" / "img_1.jpg"
    path.parent.mkdir(parents=True)
    cv2.imwrite(str(path), np.full((300, 400, 3), 128, np.uint8))
    return path


def test_a_sign_found_under_another_class_is_found_and_one_box_finds_one_sign(photo):
    truth = _boxes([(10, 10, 110, 60, 0), (200, 10, 300, 60, 2), (10, 200, 60, 280, 1)])
    pred = _boxes([(12, 12, 108, 58, 1),     # the signboard, called projecting: found
                   (205, 12, 300, 62, 2),    # the window ad: found
                   (200, 10, 300, 60, 2),    # the same window ad again: a false candidate
                   (10, 200, 60, 280, 1),    # the projecting sign, below the line: missed
                   (300, 200, 390, 290, 0)],  # nothing there: false
                  [0.9, 0.8, 0.7, 0.2, 0.5])
    judged = judge_image(photo, pred, truth, conf_threshold=0.25, class_names=NAMES)

    assert judged.found.tolist() == [True, True, False]
    assert judged.n_missed == 1 and int(judged.false.sum()) == 2
    missed = [o for o in judged.outcomes if o.kind == "missed"]
    assert [(o.image, o.class_name, o.best_iou, o.nearest_class) for o in missed] == [
        ("facades-x/img_1.jpg", "projecting_sign", 0.0, "")]  # the 0.2 box is not kept
    false = sorted((o.score, o.nearest_class, o.best_iou > 0.9) for o in judged.outcomes
                   if o.kind == "false")
    assert false == [(0.5, "", False), (0.7, "window_ad", True)]


def test_the_gallery_ranks_photos_by_misses_and_lists_every_outcome(photo, tmp_path):
    clean = photo.with_name("img_2.jpg")
    cv2.imwrite(str(clean), np.full((300, 400, 3), 90, np.uint8))
    truth = _boxes([(10, 10, 110, 60, 0)])
    images = [(_boxes([(10, 10, 110, 60, 0)], [0.9]), truth),  # all found: no picture
              (ImageBoxes.empty(), truth)]                       # missed
    summary = write_gallery(images, [clean, photo], tmp_path / "g", conf_threshold=0.25,
                            class_names=NAMES, progress=False)

    assert (summary.pictures, summary.missed, summary.false, summary.truths) == (1, 1, 0, 2)
    pictures = sorted((tmp_path / "g").glob("*.jpg"))
    assert [p.name for p in pictures] == ["001-facades-x__img_1.jpg"]
    drawn = cv2.imread(str(pictures[0]))
    assert drawn.shape == (300, 400, 3)
    assert tuple(int(v) for v in drawn[10, 60]) != (128, 128, 128)  # the missed box is drawn
    with (tmp_path / "g" / "misses.csv").open() as f:
        rows = list(csv.DictReader(f))
    assert [(r["image"], r["kind"], r["class"], r["side_px"]) for r in rows] == [
        ("facades-x/img_1.jpg", "missed", "signboard", "70.7")]
    with pytest.raises(ValueError, match="one photo path"):
        write_gallery(images, [photo], tmp_path / "h", conf_threshold=0.25, class_names=NAMES)
