"""Thai shaping, config validation and the ``signtax synth`` command."""

from __future__ import annotations

import argparse
import json

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont, features

from api.cli import synth as synth_cli
from datasets.errors import DatasetError
from datasets.synth import SynthConfig
from datasets.synth.fonts import (
    DEFAULT_FONT_ROOT,
    FONT_ROOT_ENV,
    covers,
    installed_fonts,
    require_raqm,
)
from datasets.synth.text import render_line

NOTO_THAI = installed_fonts().root / "truetype/noto/NotoSansThai-Bold.ttf"


def test_raqm_shaping_is_available_and_used():
    assert features.check("raqm")
    require_raqm()
    assert len(installed_fonts().thai) >= 5


def test_font_root_comes_from_the_environment(tmp_path, monkeypatch):
    """A machine without Debian's fonts gets a copy of the same files under SIGNTAX_FONT_ROOT;
    an empty root is refused with the variable named, not rendered without Thai."""
    import shutil

    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv(FONT_ROOT_ENV, str(empty))
    with pytest.raises(DatasetError, match=FONT_ROOT_ENV):
        require_raqm()
    copy = tmp_path / "copy"
    for rel in ("truetype/tlwg/Loma-Bold.ttf", "truetype/dejavu/DejaVuSans-Bold.ttf"):
        (copy / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(DEFAULT_FONT_ROOT / rel, copy / rel)
    monkeypatch.setenv(FONT_ROOT_ENV, str(copy))
    fonts = installed_fonts()
    assert fonts.root == copy
    assert fonts.thai == (copy / "truetype/tlwg/Loma-Bold.ttf",)
    assert fonts.latin == (copy / "truetype/dejavu/DejaVuSans-Bold.ttf",)
    assert fonts.cjk == ()
    require_raqm()
    monkeypatch.delenv(FONT_ROOT_ENV)
    assert installed_fonts().root == DEFAULT_FONT_ROOT


def _mask(text: str, layout) -> np.ndarray:
    f = ImageFont.truetype(str(NOTO_THAI), 64, layout_engine=layout)
    img = Image.new("L", (600, 120), 0)
    ImageDraw.Draw(img).text((10, 90), text, font=f, fill=255, anchor="ls")
    return np.asarray(img)


def test_stacked_tone_marks_need_complex_layout():
    """With the basic engine Noto Sans Thai loses the tone mark stacked on an upper vowel
    (เตี๋ยว): the raqm rendering has ink the basic one lacks."""
    raqm = _mask("ก๋วยเตี๋ยว", ImageFont.Layout.RAQM)
    basic = _mask("ก๋วยเตี๋ยว", ImageFont.Layout.BASIC)
    assert (raqm > 128).sum() > (basic > 128).sum()
    line = render_line("ก๋วยเตี๋ยว", NOTO_THAI, 64)
    assert line.fill.shape[0] > 64  # marks above and the tail below stretch the ink box


def test_font_coverage_detects_missing_glyphs():
    assert not covers(NOTO_THAI, "ลด 50%")
    assert any(covers(p, "ลด 50%") for p in installed_fonts().thai)


@pytest.mark.parametrize(("field", "value", "message"), [
    ("size_wh", (10, 10), "size_wh"),
    ("supersample", 5, "supersample"),
    ("distance_m", (5.0, 2.0), "distance_m"),
    ("night_probability", 1.5, "night_probability"),
    ("max_signs", 0, "max_signs"),
    ("number_line_probability", -0.1, "number_line_probability"),
    ("along_street_probability", 1.5, "along_street_probability"),
    ("along_yaw_deg", (10.0, 20.0), "along_yaw_deg"),
    ("street_width_m", (3.0, 5.0), "street_width_m"),
    ("window_campaign_probability", -1.0, "window_campaign_probability"),
    ("kind_weights", {}, "kind_weights"),
])
def test_config_rejects_bad_values(field, value, message):
    with pytest.raises(ValueError, match=message):
        SynthConfig(**{field: value})


def _cli(argv):
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    synth_cli.add_parser(sub)
    args = parser.parse_args(["synth", *argv])
    return args.run(args)


@pytest.mark.parametrize(("argv", "message"), [
    (["--size", "640by480"], "--size"),
    (["-n", "0"], "-n must be"),
    (["--seed", "-1"], "--seed"),
    (["--val-fraction", "1.5"], "--val-fraction"),
    (["--size", "20x20"], "size_wh"),
    (["--along-street", "2"], "along_street_probability"),
    (["--window-campaigns", "2"], "window_campaign_probability"),
])
def test_cli_rejects_bad_options_with_exit_2(tmp_path, capsys, argv, message):
    base = ["--out", str(tmp_path / "out"), "-n", "1", "--no-progress"]
    assert _cli(base + argv) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "out" / "manifest.json").exists()


def test_cli_writes_samples_and_pose_dataset(tmp_path, capsys):
    out, pose = tmp_path / "out", tmp_path / "pose"
    assert _cli(["--out", str(out), "-n", "2", "--seed", "9", "--size", "256x192",
                 "--pose-dataset", str(pose), "--no-progress"]) == 0
    assert json.loads((out / "manifest.json").read_text())["images"] == 2
    assert (pose / "data.yaml").is_file()
    assert "wrote 2 samples" in capsys.readouterr().out
