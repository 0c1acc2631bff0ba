"""Rendering is deterministic and its labels are exact (measurement.md §8.1)."""

from __future__ import annotations

import dataclasses
import json

import cv2
import numpy as np
import pytest

from datasets.synth import SignKind, SynthConfig, from_json, render_sample, render_scene, to_json
from datasets.synth.sample import sample_scene
from tests.datasets.synth.conftest import SMALL, rendered

OBJ = lambda w, h: np.array([[0, 0, 0], [w, 0, 0], [w, h, 0], [0, h, 0]], np.float64)  # noqa: E731


def test_same_seed_gives_identical_bytes_and_labels():
    a_img, a_lab = render_sample(11, SMALL)
    b_img, b_lab = render_sample(11, SMALL)
    assert a_img.dtype == np.uint8 and a_img.shape == (480, 640, 3)
    assert a_img.tobytes() == b_img.tobytes()
    assert a_lab == b_lab


def test_different_seeds_differ():
    a_img, a_lab = rendered(3)
    b_img, b_lab = rendered(4)
    assert a_img.tobytes() != b_img.tobytes()
    assert a_lab.camera != b_lab.camera


def test_every_sample_has_signs(labelled_samples):
    assert all(label.signs for _, label in labelled_samples)


def test_corners_reproject_from_plane_pose_and_k(labelled_samples):
    worst = 0.0
    n = 0
    for _, label in labelled_samples:
        k = np.array(label.camera.k_matrix)
        for s in label.signs:
            pts, _ = cv2.projectPoints(OBJ(s.width_cm, s.height_cm), np.array(s.plane_rvec),
                                       np.array(s.plane_tvec_cm), k, None)
            err = np.abs(pts.reshape(4, 2) - np.array(s.corners_px)).max()
            worst, n = max(worst, float(err)), n + 1
    assert n >= 8
    assert worst < 0.5, f"corner reprojection error {worst:.3g} px"


def test_plane_pose_is_a_rotation_and_in_front(labelled_samples):
    for _, label in labelled_samples:
        for s in label.signs:
            rot, _ = cv2.Rodrigues(np.array(s.plane_rvec))
            assert np.allclose(rot @ rot.T, np.eye(3), atol=1e-9)
            assert s.plane_tvec_cm[2] > 0  # the face's top-left corner is in front of the camera


def test_box_contains_the_corners_inside_the_image(labelled_samples):
    for _, label in labelled_samples:
        w, h = label.size_wh
        for s in label.signs:
            x1, y1, x2, y2 = s.box_xyxy
            assert -0.5 - 1e-9 <= x1 <= x2 <= w - 0.5 + 1e-9
            assert -0.5 - 1e-9 <= y1 <= y2 <= h - 0.5 + 1e-9
            for (x, y), inside in zip(s.corners_px, s.corners_in_image, strict=True):
                if inside:
                    assert x1 - 1e-6 <= x <= x2 + 1e-6 and y1 - 1e-6 <= y <= y2 + 1e-6
            assert all(v <= i for v, i in zip(s.corners_visible, s.corners_in_image, strict=True))
            if all(s.corners_in_image):
                assert s.in_image_fraction == pytest.approx(1.0)


def test_text_lines_lie_on_the_face(labelled_samples):
    for _, label in labelled_samples:
        for s in label.signs:
            for line in s.lines:
                x1, y1, x2, y2 = line.box_cm
                assert -0.5 <= x1 < x2 <= s.width_cm + 0.5, (s.kind, line)
                assert -0.5 <= y1 < y2 <= s.height_cm + 0.5, (s.kind, line)


CLEAN = SynthConfig(size_wh=(640, 480), degrade=False, occluder_density=0.0,
                    night_probability=0.0, force_kind=SignKind.FASCIA)


@pytest.fixture(scope="module")
def with_and_without_signs():
    out = []
    for seed in (21, 22, 23):
        scene = sample_scene(seed, CLEAN)
        shown, label = render_scene(scene, CLEAN)
        hidden, _ = render_scene(scene, CLEAN, hide_signs=True)
        out.append((shown, hidden, label))
    return out


def test_the_sign_is_really_there_at_its_labelled_centre(with_and_without_signs):
    checked = 0
    for shown, hidden, label in with_and_without_signs:
        diff = np.abs(shown.astype(int) - hidden.astype(int)).sum(axis=2)
        for s in label.signs:
            if s.occlusion_fraction > 0.05 or not all(s.corners_in_image):
                continue
            cx, cy = np.array(s.corners_px).mean(axis=0)
            x1, y1, x2, y2 = s.box_xyxy
            r = max(1, int(min(x2 - x1, y2 - y1) * 0.15))
            patch = diff[int(cy) - r:int(cy) + r + 1, int(cx) - r:int(cx) + r + 1]
            assert patch.max() > 30, f"{s.kind} not visible at its centre ({cx:.0f}, {cy:.0f})"
            checked += 1
    assert checked >= 3


def test_rendered_sign_pixels_stay_inside_the_labelled_quads(with_and_without_signs):
    for shown, hidden, label in with_and_without_signs:
        changed = np.abs(shown.astype(int) - hidden.astype(int)).sum(axis=2) > 12
        allowed = np.zeros(changed.shape, np.uint8)
        for s in label.signs:
            cv2.fillPoly(allowed, [np.round(np.array(s.corners_px) * 16).astype(np.int32)], 1,
                         cv2.LINE_8, 4)
        allowed = cv2.dilate(allowed, np.ones((3, 3), np.uint8))  # 1 px of edge anti-aliasing
        stray = changed & (allowed == 0)
        assert stray.sum() == 0, f"{int(stray.sum())} changed pixels outside every labelled quad"


KIND_TABLE = [  # kind, taxable, moving
    (SignKind.FASCIA, True, False), (SignKind.PROJECTING, True, False),
    (SignKind.VERTICAL_BANNER, True, False), (SignKind.VINYL_BANNER, True, False),
    (SignKind.BILLBOARD, True, False), (SignKind.LED_DISPLAY, True, True),
    (SignKind.CUT_LETTER, True, False), (SignKind.WINDOW_STICKER, True, False),
    (SignKind.ROAD_SIGN, False, False), (SignKind.STREET_NAME, False, False),
]


def test_kind_table_covers_every_kind():
    assert {k for k, _, _ in KIND_TABLE} == set(SignKind)


@pytest.mark.parametrize(("kind", "taxable", "moving"), KIND_TABLE, ids=[str(k) for k, *_ in KIND_TABLE])
def test_every_kind_can_be_rendered(kind, taxable, moving):
    cfg = dataclasses.replace(SMALL, force_kind=kind, size_wh=(480, 360))
    for seed in range(4):
        _, label = render_sample(seed, cfg)
        found = [s for s in label.signs if s.kind is kind]
        if found:
            break
    assert found, f"no {kind} in the image for seeds 0-3"
    for s in found:
        assert s.taxable is taxable and s.moving is moving
        assert (s.tax_type is None) is (not taxable)


def test_labels_round_trip_through_json(labelled_samples):
    for _, label in labelled_samples:
        text = json.dumps(to_json(label), ensure_ascii=False)
        assert from_json(json.loads(text)) == label


def test_json_refuses_another_schema_version(labelled_samples):
    d = to_json(labelled_samples[0][1])
    d["schema_version"] = 99
    with pytest.raises(ValueError, match="schema_version"):
        from_json(d)
