"""Photographs as poster pictures in training scenes (datasets.synth.photos)."""

from __future__ import annotations

import dataclasses

import cv2
import numpy as np
import pytest

from datasets.real import load_all, training_photos
from datasets.synth import SynthConfig
from datasets.synth.kinds import SignKind
from datasets.synth.photos import PhotoCrop, choose_photo_crop, paint_photo
from datasets.synth.render import render_scene
from datasets.synth.sample import sample_scene

SMALL = SynthConfig(size_wh=(480, 360), force_kind=SignKind.BILLBOARD, night_probability=0.0)


@pytest.fixture(scope="module")
def photo(tmp_path_factory) -> str:
    """A 400 x 300 photo whose left half is blue and right half red, with a white top row."""
    img = np.zeros((300, 400, 3), np.uint8)
    img[:, :200] = (255, 0, 0)
    img[:, 200:] = (0, 0, 255)
    img[:20] = 255
    path = tmp_path_factory.mktemp("photos") / "p.png"
    cv2.imwrite(str(path), img)
    return str(path)


def test_crops_are_seeded_inside_the_photo_and_near_the_asked_shape():
    photos = ("a.jpg", "b.jpg", "c.jpg")
    for aspect in (0.5, 1.0, 1.33, 3.0):
        crops = [choose_photo_crop(np.random.default_rng(s), photos, aspect) for s in range(50)]
        again = [choose_photo_crop(np.random.default_rng(s), photos, aspect) for s in range(50)]
        assert crops == again
        assert {c.path for c in crops} == set(photos)
        for c in crops:
            assert 0 <= c.x0 < c.x1 <= 1 and 0 <= c.y0 < c.y1 <= 1
            shown = (c.x1 - c.x0) * 4 / ((c.y1 - c.y0) * 3)  # on a 4:3 photo
            assert shown == pytest.approx(aspect, rel=0.01) or c.x1 - c.x0 == pytest.approx(1.0)


@pytest.mark.parametrize(("photos", "aspect", "message"), [
    ((), 1.0, "at least one photo"), (("a.jpg",), 0.0, "aspect_wh"),
    (("a.jpg",), float("nan"), "aspect_wh")])
def test_crop_choice_refuses_nonsense(photos, aspect, message):
    with pytest.raises(ValueError, match=message):
        choose_photo_crop(np.random.default_rng(0), photos, aspect)


def test_a_crop_outside_the_photo_is_refused():
    with pytest.raises(ValueError, match="within 0..1"):
        PhotoCrop("a.jpg", 0.5, 0.0, 0.4, 1.0)


def test_painting_puts_the_cropped_part_of_the_photo_in_the_box(photo):
    face = np.zeros((100, 120, 4), np.uint8)
    right_half = PhotoCrop(photo, 0.55, 0.2, 0.95, 0.9)
    paint_photo(face, (10, 20, 110, 90), right_half, np.random.default_rng(0))
    inside = face[25:85, 15:105]
    assert (inside[..., 3] == 255).all()
    assert inside[..., 2].mean() > 200 and inside[..., 0].mean() < 40  # red, as the right half
    assert (face[:20, :, 3] == 0).all() and (face[:, :10, 3] == 0).all()  # nothing outside
    mirrored = dataclasses.replace(PhotoCrop(photo, 0.0, 0.2, 1.0, 0.9), mirrored=True)
    paint_photo(face, (0, 0, 120, 100), mirrored, np.random.default_rng(0))
    assert face[50, 10, 2] > 200 and face[50, 110, 0] > 200  # red now left, blue right


def test_an_unreadable_photo_is_named(tmp_path):
    bad = tmp_path / "broken.jpg"
    bad.write_bytes(b"not a jpeg")
    with pytest.raises(ValueError, match="broken.jpg"):
        paint_photo(np.zeros((10, 10, 4), np.uint8), (0, 0, 10, 10),
                    PhotoCrop(str(bad), 0.0, 0.0, 1.0, 1.0), np.random.default_rng(0))


def test_without_photos_every_scene_stays_as_the_evaluation_sets_drew_it(photo):
    """The photo option draws no random number unless it is on, so the frozen synthetic
    evaluation scenes (drawn without it) do not move."""
    off = dataclasses.replace(SMALL, picture_photos=(photo,), photo_picture_probability=0.0)
    for seed in (3, 4):
        plain, _ = render_scene(sample_scene(seed, SMALL), SMALL)
        listed, _ = render_scene(sample_scene(seed, off), off)
        assert np.array_equal(plain, listed)


def test_with_photos_the_pictures_show_the_photo(photo):
    on = dataclasses.replace(SMALL, picture_photos=(photo,), photo_picture_probability=1.0)
    with_photo = 0
    for seed in range(4):
        scene = sample_scene(seed, on)
        for sign in scene.signs:
            design = sign.design
            if design.graphic == "picture":
                assert design.photo is not None and design.photo.path == photo
                with_photo += 1
            else:
                assert design.photo is None
        plain, _ = render_scene(sample_scene(seed, SMALL), SMALL)
        shown, _ = render_scene(scene, on)
        assert not np.array_equal(plain, shown) or with_photo == 0
    assert with_photo >= 2  # billboards lead with their picture


def test_the_photo_option_is_checked():
    with pytest.raises(ValueError, match="needs picture_photos"):
        SynthConfig(photo_picture_probability=0.5)
    with pytest.raises(ValueError, match="photo_picture_probability"):
        SynthConfig(picture_photos=("a.jpg",), photo_picture_probability=1.5)
    with pytest.raises(ValueError, match="tuple of photo paths"):
        SynthConfig(picture_photos=["a.jpg"])


def test_only_training_photos_lend_their_pixels(shared_data):
    photos = set(training_photos(shared_data, seed=0, val_fraction=0.15))
    items = load_all(shared_data)
    held_out = {str(it.image_path) for it in items if it.in_validation(seed=0, val_fraction=0.15)}
    assert held_out and photos
    assert not photos & held_out
    assert photos | held_out == {str(it.image_path) for it in items}
