"""`signtax bench detect`: the three paths side by side, in one run."""

from __future__ import annotations

import json

import pytest

from api.cli.main import main


@pytest.mark.slow
def test_bench_detect_reports_every_path_and_the_speedup(shared_data, model_dir, capsys):
    photo = sorted((shared_data / "signboards-vn/images/train").iterdir())[0]
    code = main(["bench", "detect", str(photo), "--model", str(model_dir), "--runs", "1", "--json"])
    assert code == 0
    doc = json.loads(capsys.readouterr().out)  # stdout holds the document and nothing else
    names = [p["name"] for p in doc["paths"]]
    assert names == ["ultralytics PyTorch predict", "shipped detector", "full scan"]
    for path in doc["paths"]:
        assert path["median_s"] > 0 and path["images_per_s"] > 0 and path["detail"]
        assert path["cpu_median_s"] > 0
    plain, shipped, _ = doc["paths"]
    assert doc["detector_speedup"] == pytest.approx(plain["median_s"] / shipped["median_s"],
                                                    rel=0.02)
    assert doc["runs"] == 1 and doc["size_wh"][0] > 0
