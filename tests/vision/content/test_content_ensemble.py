"""A content network version that averages shipped versions (vision.content.ensemble)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from vision.content.classifier import (
    FACTS,
    FORMAT_VERSION,
    INPUT_HW_PX,
    ContentClassifier,
    build_network,
    resolve_content_model_dir,
)
from vision.content.ensemble import MEMBERS_NAME, CropView, read_ensemble
from vision.errors import ModelLoadError


def _network_dir(root: Path, name: str, seed: int, input_hw: tuple[int, int] = INPUT_HW_PX
                 ) -> Path:
    """A version folder with a randomly initialised facts-s network (distinct per seed)."""
    import torch

    torch.manual_seed(seed)
    net = build_network(input_hw)
    net.eval()
    d = root / name
    d.mkdir()
    torch.save({"format_version": FORMAT_VERSION, "facts": list(FACTS), "arch": "facts-s",
                "input_hw_px": list(input_hw), "state_dict": net.state_dict()},
               d / "weights.pt")
    return d


def _ensemble_dir(root: Path, name: str, members: object, fmt: object = 1,
                  views: object = None) -> Path:
    d = root / name
    d.mkdir()
    blob = {"format": fmt, "members": members}
    if views is not None:
        blob["views"] = views
    (d / MEMBERS_NAME).write_text(json.dumps(blob))
    return d


@pytest.fixture
def crop() -> np.ndarray:
    rng = np.random.default_rng(7)
    return rng.integers(0, 256, (90, 300, 3), dtype=np.uint8)


def test_a_single_network_folder_is_not_an_ensemble(tmp_path) -> None:
    assert read_ensemble(_network_dir(tmp_path, "a", 1)) is None


def test_ensemble_facts_are_the_mean_of_its_members(tmp_path, crop) -> None:
    a = _network_dir(tmp_path, "a", 1)
    b = _network_dir(tmp_path, "b", 2, input_hw=(96, 288))  # members may read other sizes
    ens = ContentClassifier(_ensemble_dir(tmp_path, "e1", ["a", "b"]))
    fa, fb = ContentClassifier(a).facts(crop), ContentClassifier(b).facts(crop)
    fe = ens.facts(crop)
    for name in FACTS:
        assert getattr(fa, name) != getattr(fb, name)  # else the mean proves nothing
        assert getattr(fe, name) == pytest.approx((getattr(fa, name) + getattr(fb, name)) / 2,
                                                  abs=1e-6)
    assert ens.version == "e1"
    assert ens.arch == "mean(a:facts-s, b:facts-s)"
    assert read_ensemble(tmp_path / "e1").member_dirs == (a.resolve(), b.resolve())


def test_an_ensemble_has_its_own_calibration_not_a_members(tmp_path) -> None:
    a = _network_dir(tmp_path, "a", 1)
    _network_dir(tmp_path, "b", 2)
    (a / "calibration.json").write_text(json.dumps(
        {"format": 1, "raw": [0.2, 0.8], "probability": [0.3, 0.9], "n_crops": 20,
         "fitted_on": "test"}))
    assert ContentClassifier(a).calibration is not None
    assert ContentClassifier(_ensemble_dir(tmp_path, "e1", ["a", "b"])).calibration is None


@pytest.mark.parametrize(
    ("members", "fmt", "match"),
    [
        (["a"], 1, "2 to 8"),
        (["a", "a"], 1, "listed twice"),
        (["a", "../b"], 1, "version folder"),
        (["a", "/abs"], 1, "version folder"),
        (["a", 3], 1, "version folder"),
        ("a,b", 1, "version folder"),
        (["a", "missing"], 1, "'missing' is not a folder"),
        (["a", "e1"], 1, "cannot list itself"),
        (["a", "b"], 3, "format 1 \\(members\\) or 2"),
        (["a", "b"], 2, "format 2 needs 'views'"),
    ],
)
def test_a_bad_member_list_is_a_clear_error(tmp_path, members, fmt, match) -> None:
    _network_dir(tmp_path, "a", 1)
    _network_dir(tmp_path, "b", 2)
    d = _ensemble_dir(tmp_path, "e1", members, fmt)
    with pytest.raises(ModelLoadError, match=match):
        ContentClassifier(d)


def test_an_ensemble_of_ensembles_is_refused(tmp_path) -> None:
    _network_dir(tmp_path, "a", 1)
    _network_dir(tmp_path, "b", 2)
    _ensemble_dir(tmp_path, "e1", ["a", "b"])
    with pytest.raises(ModelLoadError, match="'e1' is an ensemble itself"):
        ContentClassifier(_ensemble_dir(tmp_path, "e2", ["a", "e1"]))


def test_unreadable_member_list_is_a_clear_error(tmp_path) -> None:
    d = tmp_path / "e1"
    d.mkdir()
    (d / MEMBERS_NAME).write_text("{not json")
    with pytest.raises(ModelLoadError, match="cannot read"):
        ContentClassifier(d)


def test_a_member_without_weights_is_a_clear_error(tmp_path) -> None:
    _network_dir(tmp_path, "a", 1)
    (tmp_path / "b").mkdir()
    with pytest.raises(ModelLoadError, match="no content classifier weights"):
        ContentClassifier(_ensemble_dir(tmp_path, "e1", ["a", "b"]))


def test_an_ensemble_folder_resolves_directly_and_through_production(tmp_path) -> None:
    _network_dir(tmp_path, "a", 1)
    _network_dir(tmp_path, "b", 2)
    e1 = _ensemble_dir(tmp_path, "e1", ["a", "b"])
    assert resolve_content_model_dir(e1) == e1
    (tmp_path / "PRODUCTION").write_text("e1\n")
    assert resolve_content_model_dir(tmp_path) == e1
    (tmp_path / "PRODUCTION").write_text("empty\n")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ModelLoadError, match="holds no weights.pt or members.json"):
        resolve_content_model_dir(tmp_path)


# --- format 2: the mean over views of the crop -------------------------------------------------


def test_views_average_one_network_over_trimmed_crops(tmp_path, crop) -> None:
    a = ContentClassifier(_network_dir(tmp_path, "a", 1))
    views = [{"trim_x": 0, "trim_y": 0}, {"trim_x": 0, "trim_y": 0.1},
             {"trim_x": 0.05, "trim_y": 0.02}]
    tta = ContentClassifier(_ensemble_dir(tmp_path, "a-views", ["a"], 2, views))
    # the same crops cut by hand: 90 x 300 px, so 9 px off the top and the bottom, then
    # 15 px off the sides and 2 px off the top and the bottom
    by_hand = [a.facts(crop), a.facts(crop[9:81]), a.facts(crop[2:88, 15:285])]
    got = tta.facts(crop)
    assert len(set(by_hand)) == 3  # the views read differently, else the mean proves nothing
    for name in FACTS:
        values = [getattr(f, name) for f in by_hand]
        assert getattr(got, name) == pytest.approx(np.mean(values), abs=1e-6)
    assert tta.arch == ("mean(a:facts-s) over views (as cut; trimmed 0 x 0.1; "
                        "trimmed 0.05 x 0.02)")
    assert tta.version == "a-views" and a.views == (CropView(),)


def test_views_keep_a_crop_too_small_to_trim_whole() -> None:
    tiny = np.zeros((3, 40, 3), np.uint8)
    assert CropView(trim_y=0.2).apply(tiny) is tiny
    assert CropView(trim_x=0.1).apply(tiny).shape == (3, 32, 3)


@pytest.mark.parametrize(
    ("members", "views", "match"),
    [
        (["a"], [{"trim_x": 0, "trim_y": 0}], "'members' must list 2 to 8"),
        (["a"], [], "a list of 1 to 8"),
        (["a"], "trim", "a list of 1 to 8"),
        (["a"], [{"trim_x": 0.3, "trim_y": 0}], "view 0: trim_x must be a share from 0 to 0.2"),
        (["a"], [{"trim_x": 0, "trim_y": -0.1}, {}], "view 0: trim_y must be a share"),
        (["a"], [{"trim_x": True}, {}], "trim_x must be a share"),
        (["a"], [{"trim_x": "0.1"}, {}], "trim_x must be a share"),
        (["a"], [{"trim_z": 0.1}, {}], "view 0 must be an object with trim_x and trim_y only"),
        (["a"], [{}, {"trim_x": 0, "trim_y": 0}], "a view is listed twice"),
    ],
)
def test_bad_views_are_a_clear_error(tmp_path, members, views, match) -> None:
    _network_dir(tmp_path, "a", 1)
    d = _ensemble_dir(tmp_path, "t1", members, 2, views)
    with pytest.raises(ModelLoadError, match=match):
        ContentClassifier(d)
