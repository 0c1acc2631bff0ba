"""`signtax eval detect --tiles`: the tiling study is rerunnable from the CLI."""

from __future__ import annotations

import json

import pytest

from api.cli.main import main


def _synth(capsys, *extra: str) -> dict:
    assert main(["eval", "detect", "--json", "--no-real", "--synth", "1", "--synth-size",
                 "1600x1200", "--workers", "1", *extra]) == 0
    return json.loads(capsys.readouterr().out)["synthetic"]


@pytest.mark.slow
def test_tiled_eval_reports_its_grid_buckets_and_the_cost_of_each_step(model_dir, capsys):
    single = _synth(capsys)
    tiled = _synth(capsys, "--tiles", "2x2", "--buckets-at", "640")
    assert single["tiles"] is None and single["timing"]["tiles_ms"] == 0
    assert single["timing"]["full_decode_ms"] == 0
    assert tiled["tiles"] == "2x2" and tiled["bucket_long_side_px"] == 640
    timing = tiled["timing"]
    assert timing["photos"] == 1 and timing["full_frame_ms"] > 0
    # Four more inferences than the single pass, and the full decode they need.
    assert timing["tiles_ms"] > timing["full_frame_ms"] and timing["full_decode_ms"] > 0
    assert "tiled 2x2" in tiled["description"]
    # Scaling boxes to a 640-px long side moves signs into smaller buckets, never out of the
    # evaluation: the same ground truth, counted again.
    plain = single["by_source"]["synthetic"]["any_sign"]
    scaled = tiled["by_source"]["synthetic"]["any_sign"]
    assert scaled["all"]["gt"] == plain["all"]["gt"] > 0
    assert scaled["small"]["gt"] >= plain["small"]["gt"]
    assert scaled["large"]["gt"] <= plain["large"]["gt"]


@pytest.mark.parametrize(("args", "message"), [
    (["--tiles", "1x1"], "1x1 grid"),
    (["--tiles", "two"], "looks like 2x2"),
    (["--tiles", "2x2", "--tile-overlap", "0.7"], "overlap_frac"),
    (["--buckets-at", "8"], "--buckets-at"),
])
def test_bad_tiling_options_are_clear_errors(args, message, capsys):
    assert main(["eval", "detect", "--no-real", "--synth", "1", *args]) == 2
    assert message in capsys.readouterr().err
