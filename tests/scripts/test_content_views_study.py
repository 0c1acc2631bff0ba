"""scripts/content_views_study.py: the study behind the content ensembles' views."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


def _load():
    spec = importlib.util.spec_from_file_location("content_views_study",
                                                  SCRIPTS / "content_views_study.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_scores_every_view_and_each_mean_with_the_crop_as_cut(capsys) -> None:
    study = _load()
    assert study.main(["--crops", "4", "--first-seed", "975000000"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("4 crops of scenes from 975000000, network c9")
    # 5 single views, then every mean of "as cut" with 1..4 of the other 4: 15
    assert len(lines) == 1 + 5 + 15
    assert lines[1].startswith("as cut ") and lines[-1].startswith(
        "mean: as cut + trim 3% + trim 6% + trim x 4% + trim y 6%")
    assert all("thai " in line and "| log loss " in line for line in lines[1:])


def test_scores_count_each_fact_right_at_one_half() -> None:
    study = _load()
    truth = np.array([[True, False, False, False, False, True],
                      [False, True, False, False, False, False]])
    p = np.array([[0.9, 0.2, 0.1, 0.0, 0.4, 0.3],   # graphics wrong
                  [0.6, 0.7, 0.1, 0.0, 0.1, 0.2]])  # thai wrong
    line = study.score_line("x", truth, p)
    assert "thai 0.500 latin 1.000 cjk 1.000 below 1.000 graphics 0.500" in line
