"""Weight averaging of detectors of one training line (training.average, signtax average)."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from api.cli.main import main
from training.average import average_checkpoint, members_of
from training.errors import ConfigError

MODELS = Path(__file__).resolve().parents[2] / "models" / "sign-detector"
# v6 was trained on from v5: one line, one architecture (yolo11s-pose).
V5, V6 = MODELS / "v5", MODELS / "v6"


def _state(model_dir: Path) -> dict:
    return torch.load(model_dir / "weights.pt", map_location="cpu",
                      weights_only=False)["model"].state_dict()


def test_shares_are_normalised_and_checked(tmp_path):
    members = members_of([V5, V6], [3, 1])
    assert [m.weight for m in members] == [0.75, 0.25]
    assert [m.weight for m in members_of([V5, V6], None)] == [0.5, 0.5]
    with pytest.raises(ConfigError, match="at least two"):
        members_of([V5], None)
    with pytest.raises(ConfigError, match="1 weights for 2"):
        members_of([V5, V6], [1])
    with pytest.raises(ConfigError, match="not all 0"):
        members_of([V5, V6], [0, 0])
    with pytest.raises(ConfigError, match="no weights.pt"):
        members_of([V5, tmp_path], None)


def test_the_average_is_the_weighted_mean_of_the_members():
    a, b = _state(V5), _state(V6)
    averaged = average_checkpoint(members_of([V5, V6], [3, 1]))["model"].state_dict()
    key = next(k for k, v in a.items() if v.is_floating_point() and v.numel() > 100)
    expected = (0.75 * a[key].float() + 0.25 * b[key].float()).to(a[key].dtype)
    assert torch.equal(averaged[key], expected)
    assert not torch.equal(averaged[key], b[key])
    only_first = average_checkpoint(members_of([V5, V6], [1, 0]))["model"].state_dict()
    assert all(torch.equal(only_first[k], a[k]) for k in a if a[k].is_floating_point())


def test_other_architectures_are_refused():
    with pytest.raises(ConfigError, match="another architecture"):
        average_checkpoint(members_of([V5, MODELS / "v1"], None))


def test_signtax_average_writes_a_new_version_and_promotes_it(tmp_path, capsys):
    models = tmp_path / "models"
    args = ["average", str(V5), str(V6), "--version", "avg", "--models-dir", str(models)]
    assert main([*args, "--promote"]) == 0
    target = models / "sign-detector" / "avg"
    out = capsys.readouterr().out
    assert f"wrote {target} (v5 0.50, v6 0.50)" in out
    # The first detector of a models folder has nothing to be compared with.
    assert "promoted avg: no detector was in production to compare with" in out
    assert (models / "sign-detector" / "PRODUCTION").read_text() == "avg\n"
    assert "signtax average" in (target / "model_card.md").read_text()
    assert torch.load(target / "weights.pt", map_location="cpu", weights_only=False)["ema"] is None
    assert main(args) == 2  # versions are immutable
    assert "already exists" in capsys.readouterr().err
    assert main(["average", str(V5), "--version", "x", "--models-dir", str(models)]) == 2
    assert "at least two" in capsys.readouterr().err


def test_a_corrupt_or_foreign_weights_file_is_refused(tmp_path):
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "weights.pt").write_bytes(b"not a checkpoint")
    with pytest.raises(ConfigError, match="cannot read"):
        average_checkpoint(members_of([V5, broken], None))
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    torch.save({"weights": torch.zeros(3)}, foreign / "weights.pt")
    with pytest.raises(ConfigError, match="not an ultralytics checkpoint"):
        average_checkpoint(members_of([V5, foreign], None))


def test_average_promote_goes_through_the_comparison_with_production(tmp_path, capsys):
    """--promote is signtax promote's gate, not a bare pointer write: with a detector in
    production the average is compared with it first and the decision is logged."""
    import json

    models = tmp_path / "models"
    (models / "sign-detector" / "prod").mkdir(parents=True)
    (models / "sign-detector" / "prod" / "weights.pt").symlink_to(V5 / "weights.pt")
    (models / "sign-detector" / "PRODUCTION").write_text("prod\n")
    # All of v5's share: the same parameters as production, so it cannot regress.
    assert main(["average", str(V5), str(V6), "--weights", "1", "0", "--version", "v5again",
                 "--models-dir", str(models), "--promote", "--no-real", "--synth", "2"]) == 0
    out = capsys.readouterr().out
    assert "## v5again against prod" in out and "promoted v5again: scans now use it" in out
    assert (models / "sign-detector" / "PRODUCTION").read_text() == "v5again\n"
    [entry] = [json.loads(line) for line in
               (models / "sign-detector" / "promotions.jsonl").read_text().splitlines()]
    assert entry["baseline"] == "prod" and entry["comparison"]["regresses"] is False
