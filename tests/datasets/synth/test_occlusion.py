"""Occlusion and visibility on a hand-built scene whose answer is known."""

from __future__ import annotations

import numpy as np
import pytest

from datasets.synth import SignKind, SynthConfig, TextLayout, render_scene
from datasets.synth.camera import camera_looking_at
from datasets.synth.content import design_face
from datasets.synth.facade import front
from datasets.synth.scene import Cable, Look, Scene, SignSpec, Sky, Surface, SurfaceKind

CFG = SynthConfig(size_wh=(320, 240), degrade=False)
CLEAN_LOOK = Look(False, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 100, 0)
SKY = Sky((200, 150, 100), (230, 220, 210), 0.0, 0)


def _scene(occluders: tuple[Surface, ...] = (), cables: tuple[Cable, ...] = ()) -> Scene:
    # Camera 6 m from a 2 m x 1 m fascia centred on the optical axis (x = 0, y = 1.5 m).
    camera = camera_looking_at((320, 240), 300.0, distance_m=6.0, yaw_deg=0.0, pitch_deg=0.0,
                               roll_deg=0.0, height_m=1.5)
    design = design_face(np.random.default_rng(0), SignKind.FASCIA, 200.0, 100.0,
                         TextLayout.THAI_ONLY)
    sign = SignSpec(1, SignKind.FASCIA, front(-1.0, 2.0, 0.0, 2.0, 1.0), design, "facade")
    return Scene(0, camera, SKY, occluders, (sign,), cables, CLEAN_LOOK)


def test_unoccluded_sign_is_fully_visible():
    _, label = render_scene(_scene(), CFG)
    (s,) = label.signs
    assert s.occlusion_fraction == 0.0
    assert all(s.corners_visible)
    # 2 m at 6 m with f = 300 px: 100 px wide, 50 px high, centred on the principal point.
    assert s.box_xyxy == pytest.approx((110.0, 95.0, 210.0, 145.0), abs=1e-6)
    assert s.visible_box_xyxy == pytest.approx(s.box_xyxy, abs=0.51)


def test_a_wall_covering_the_right_half_hides_half_the_sign():
    # A plane 2 m in front of the sign from x = 0 to the right: on the camera's axis, so its
    # left edge projects onto the sign's vertical centre line.
    blocker = Surface(SurfaceKind.WALL, front(0.0, 6.0, 2.0, 8.0, 6.0), (90, 90, 90), 1)
    _, label = render_scene(_scene((blocker,)), CFG)
    (s,) = label.signs
    assert s.occlusion_fraction == pytest.approx(0.5, abs=0.02)
    assert s.corners_visible == (True, False, False, True)
    assert s.visible_box_xyxy[2] == pytest.approx(160.0, abs=0.6)
    assert s.box_xyxy == pytest.approx((110.0, 95.0, 210.0, 145.0), abs=1e-6)


def test_a_cable_in_front_hides_a_thin_strip():
    cable = Cable(((-5.0, 1.5, 3.0), (5.0, 1.5, 3.0)), 3.0, (20, 20, 20))
    _, label = render_scene(_scene(cables=(cable,)), CFG)
    (s,) = label.signs
    # 3 cm at 3 m from the camera: 3 px of 50 px height.
    assert 0.02 < s.occlusion_fraction < 0.12


def test_a_sign_outside_the_view_is_not_labelled():
    scene = _scene()
    far = SignSpec(2, SignKind.FASCIA, front(30.0, 2.0, 0.0, 2.0, 1.0), scene.signs[0].design,
                   "facade")
    scene = Scene(0, scene.camera, SKY, (), scene.signs + (far,), (), CLEAN_LOOK)
    _, label = render_scene(scene, CFG)
    assert [s.sign_id for s in label.signs] == [1]


def test_sign_ids_must_be_unique():
    scene = _scene()
    with pytest.raises(ValueError, match="unique"):
        Scene(0, scene.camera, SKY, (), scene.signs * 2, (), CLEAN_LOOK)
