"""Shop window campaigns: one poster in every pane of a unit, window ads seen through glass."""

from __future__ import annotations

import dataclasses
from collections import defaultdict

import numpy as np
import pytest

from datasets.synth import SignKind, render_scene, sample_scene
from datasets.synth.glass import behind_glass
from datasets.synth.scene import SignSpec
from tests.datasets.synth.conftest import SMALL

CAMPAIGNS = dataclasses.replace(SMALL, window_campaign_probability=1.0)


def test_with_the_option_off_every_scene_stays_as_the_evaluation_sets_drew_it():
    off = dataclasses.replace(SMALL, window_campaign_probability=0.0)
    for seed in (3, 4):
        plain, _ = render_scene(sample_scene(seed, SMALL), SMALL)
        same, _ = render_scene(sample_scene(seed, off), off)
        assert np.array_equal(plain, same)
    assert all(s.glass == 0.0 for seed in range(3, 9) for s in sample_scene(seed, SMALL).signs)


def test_a_campaign_repeats_one_poster_across_a_units_panes():
    repeated = 0
    for seed in range(3, 9):
        ads = [s for s in sample_scene(seed, CAMPAIGNS).signs
               if s.kind is SignKind.WINDOW_STICKER]
        by_design: dict[int, list[SignSpec]] = defaultdict(list)
        for sign in ads:
            by_design[sign.design.seed].append(sign)
            assert 0.1 <= sign.glass <= 0.45  # every window ad is behind its glass
        for group in by_design.values():
            if len(group) < 2:
                continue
            repeated += 1
            sizes = {(round(s.width_cm, 6), round(s.height_cm, 6)) for s in group}
            assert len(sizes) == 1  # the same poster, not one redrawn per pane
            assert len({s.mount for s in group}) == 1
            # Each in its own pane: side by side, or floor above floor.
            xy = np.array([s.rect.origin_m[:2] for s in group])
            gaps = np.linalg.norm(xy[:, None] - xy[None], axis=-1)[np.triu_indices(len(xy), 1)]
            assert gaps.min() > 0.3
            # ... each reflecting the street its own way.
            assert len({s.reflection_seed for s in group}) == len(group)
    assert repeated >= 3


def test_campaigns_make_window_ads_common():
    def ads(config):
        return sum(s.kind is SignKind.WINDOW_STICKER
                   for seed in range(10, 20) for s in sample_scene(seed, config).signs)

    assert ads(CAMPAIGNS) > 2 * ads(SMALL)


def test_glass_darkens_and_reflects_but_keeps_the_shape():
    face = np.zeros((40, 60, 4), np.uint8)
    face[..., :3] = (20, 40, 200)
    face[..., 3] = 255
    face[:, :5, 3] = 0  # a transparent margin stays transparent
    seen = behind_glass(face, 0.4, seed=7)
    assert seen.shape == face.shape and np.array_equal(seen[..., 3], face[..., 3])
    red = seen[..., 2].astype(int)
    assert red.max() < 200  # the glass takes light away
    assert seen[..., 0].mean() > 20  # and lays the reflected street over the face
    assert seen[:5, :, 0].mean() > seen[-5:, :, 0].mean()  # the sky is reflected from above
    assert behind_glass(face, 0.0, seed=7) is face
    assert np.array_equal(behind_glass(face, 0.4, seed=7), seen)  # deterministic
    assert not np.array_equal(behind_glass(face, 0.4, seed=(7, 1)),
                              behind_glass(face, 0.4, seed=(7, 2)))


def test_the_glass_strength_is_checked():
    sign = sample_scene(3, SMALL).signs[0]
    with pytest.raises(ValueError, match="glass must be in"):
        dataclasses.replace(sign, glass=0.9)
