"""Views along the street: the camera turned down the street, both sides' shophouses."""

from __future__ import annotations

import dataclasses
from functools import lru_cache

import numpy as np
import pytest

from datasets.synth import SynthConfig, render_scene, sample_scene
from datasets.synth.camera import Rect3D
from datasets.synth.facade import build_facade, front
from datasets.synth.kinds import SignKind
from datasets.synth.placement import Placer
from datasets.synth.sample import HalfTurn, sample_camera
from tests.datasets.synth.conftest import SMALL

ALONG = dataclasses.replace(SMALL, along_street_probability=1.0)
SEEDS = (3, 4, 5, 6, 7, 8)


@lru_cache(maxsize=8)
def _scene(seed: int):
    return sample_scene(seed, ALONG)


def _street_width_m(scene) -> float:
    """The far side's building line: its walls are the surfaces whose normal points +z."""
    far = [s.rect.origin_m[2] for s in scene.surfaces
           if s.kind == "wall" and s.rect.normal[2] > 0.5]
    assert far, "no far-side walls"
    return max(far)


def test_with_the_option_off_every_scene_stays_as_the_evaluation_sets_drew_it():
    """The option draws from its own stream only when it is on: the frozen synthetic
    evaluation scenes (drawn without it) do not move, whatever its other settings."""
    off = dataclasses.replace(SMALL, along_street_probability=0.0, along_yaw_deg=(40.0, 50.0),
                              street_width_m=(30.0, 40.0))
    for seed in (3, 4):
        plain, _ = render_scene(sample_scene(seed, SMALL), SMALL)
        same, _ = render_scene(sample_scene(seed, off), off)
        assert np.array_equal(plain, same)


def test_the_camera_looks_down_the_street_from_within_it():
    for seed in SEEDS:
        scene = _scene(seed)
        cam = scene.camera
        lo, hi = ALONG.along_yaw_deg
        assert lo <= abs(cam.yaw_deg) <= hi
        width = _street_width_m(scene)
        assert ALONG.street_width_m[0] - 1e-6 <= width <= ALONG.street_width_m[1] + 1e-6
        assert 0.0 < cam.position_m[2] < width  # between the two building lines
        assert cam.pitch_deg <= 15.0


def test_both_sides_of_the_street_carry_labelled_signs_that_read_the_right_way_round():
    far_labelled = 0
    for seed in SEEDS:
        scene = _scene(seed)
        width = _street_width_m(scene)
        far_ids = {s.sign_id for s in scene.signs if s.rect.origin_m[2] > width / 2}
        _, label = render_scene(scene, ALONG)
        for sign in label.signs:
            if sign.sign_id not in far_ids or not all(sign.corners_in_image):
                continue
            far_labelled += 1
            tl, tr, br, bl = np.array(sign.corners_px)
            # A turned, not mirrored, face: its top-left corner is seen at the left and top.
            assert tl[0] < tr[0] and bl[0] < br[0], sign
            assert tl[1] < bl[1] and tr[1] < br[1], sign
        assert len(label.signs) <= ALONG.max_signs
    assert far_labelled >= 10


def test_along_the_street_projecting_signs_are_denser_than_facing_it():
    def share(config: SynthConfig) -> float:
        kinds = [s.kind for seed in range(20, 40) for s in sample_scene(seed, config).signs]
        return kinds.count(SignKind.PROJECTING) / len(kinds)

    assert share(ALONG) > 1.3 * share(SMALL)


def test_the_half_turn_is_its_own_inverse_and_keeps_faces_rectangles():
    turn = HalfTurn(centre_x_m=3.0, width_m=14.0)
    rect = front(1.0, 5.0, 0.07, 2.5, 0.8)
    turned = turn.rect(rect)
    assert isinstance(turned, Rect3D)
    np.testing.assert_allclose(turn.rect(turned).corners_m(), rect.corners_m(), atol=1e-12)
    np.testing.assert_allclose(turned.normal, [0.0, 0.0, 1.0])  # into the far side's wall
    assert turned.origin_m[2] == pytest.approx(14.0 - 0.07)
    sides = np.linalg.norm(np.diff(turned.corners_m(), axis=0, append=turned.corners_m()[:1]), axis=1)
    np.testing.assert_allclose(sides, [2.5, 0.8, 2.5, 0.8])


def test_ranked_placement_fills_only_seen_slots_nearest_first():
    rng = np.random.default_rng(0)
    camera = sample_camera(rng, SMALL)
    facade = build_facade(np.random.default_rng(1), -60.0, 60.0, night=False)
    cx = camera.position_m[0]

    def rank(slot):
        x = slot.rect.corners_m().mean(0)[0]
        return abs(x - cx) if x > cx else None  # "seen": only slots right of the camera

    placer = Placer(np.random.default_rng(2), camera, SMALL, False)
    placer.natural(facade, set(), max_signs=6, rank=rank)
    assert len(placer.signs) == 6
    # Every sign lies in a slot centred right of the camera, so it reaches past the camera.
    assert all(s.rect.corners_m()[:, 0].max() > cx for s in placer.signs)
    xs = [s.rect.corners_m().mean(0)[0] for s in placer.signs]
    unranked = Placer(np.random.default_rng(2), camera, SMALL, False)
    unranked.natural(facade, set(), max_signs=6)
    assert max(abs(x - cx) for x in xs) < max(
        abs(s.rect.corners_m().mean(0)[0] - cx) for s in unranked.signs)
