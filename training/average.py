"""Weight averaging of detectors from one training line (``signtax average``).

Each detector here is trained on from the one before it (v3 from v2s, v4 from v3, ...), so
consecutive versions sit in one basin of the loss, and the weighted mean of their parameters is
a working network ("model soup", Wortsman et al. 2022). A later version gains on the newly
rendered scenes and can lose some of what the earlier one did well on the real photos; the
average keeps part of both at no training cost. Whether it does is measured, not assumed:
``signtax eval detect --model AVERAGE --against models/sign-detector`` (the detector in
production) before promoting.

The networks must share their architecture and classes; the checkpoint written is the last
member's with the averaged parameters. Batch-norm statistics are averaged like the weights (the
members saw similar images, so their statistics are close).
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from training.errors import ConfigError
from training.package import write_version
from vision.detector import WEIGHTS_FILE
from vision.onnx_cache import file_sha256


@dataclass(frozen=True, slots=True)
class Member:
    model_dir: Path
    weight: float  # share in the average; the members' shares sum to 1


def members_of(model_dirs: Sequence[Path], weights: Sequence[float] | None) -> tuple[Member, ...]:
    """The members with their shares (equal when ``weights`` is None), checked."""
    if len(model_dirs) < 2:
        raise ConfigError("averaging needs at least two detector folders")
    if weights is None:
        weights = [1.0] * len(model_dirs)
    if len(weights) != len(model_dirs):
        raise ConfigError(f"{len(weights)} weights for {len(model_dirs)} detector folders")
    if any(not math.isfinite(w) or w < 0 for w in weights) or sum(weights) <= 0:
        raise ConfigError(f"weights must be >= 0 and not all 0, got {list(weights)}")
    for d in model_dirs:
        if not (d / WEIGHTS_FILE).is_file():
            raise ConfigError(f"no {WEIGHTS_FILE} in {d}")
    total = sum(weights)
    return tuple(Member(d, w / total) for d, w in zip(model_dirs, weights, strict=True))


def _load(path: Path) -> dict:
    import torch

    # Our own ultralytics checkpoints: they pickle the model object, so weights_only is off.
    try:
        ckpt = torch.load(path, map_location="cpu", weights_only=False)
    except Exception as exc:  # torch raises pickle, zip and runtime errors alike
        raise ConfigError(f"cannot read {path}: {exc}") from exc
    if not isinstance(ckpt, dict) or getattr(ckpt.get("model"), "state_dict", None) is None:
        raise ConfigError(f"{path} is not an ultralytics checkpoint with a model")
    return ckpt


def average_checkpoint(members: Sequence[Member]) -> dict:
    """The last member's checkpoint with every floating parameter and buffer replaced by the
    members' weighted mean (computed in float32, stored in the checkpoint's own precision)."""
    import torch

    ckpts = [_load(m.model_dir / WEIGHTS_FILE) for m in members]
    states = [c["model"].state_dict() for c in ckpts]
    first, last = states[0], states[-1]
    for m, state in zip(members, states, strict=True):
        if state.keys() != first.keys() or any(
                state[k].shape != first[k].shape for k in first):
            raise ConfigError(f"{m.model_dir} has another architecture than "
                              f"{members[0].model_dir}: only versions of one line can be averaged")
    names = [c["model"].names for c in ckpts]
    if any(n != names[0] for n in names):
        raise ConfigError(f"the detectors' classes differ: {names}")
    averaged = {}
    for key, value in last.items():
        if not value.is_floating_point():
            averaged[key] = value  # counters such as num_batches_tracked
            continue
        mean = sum(m.weight * s[key].to(torch.float32) for m, s in zip(members, states,
                                                                        strict=True))
        averaged[key] = mean.to(value.dtype)
    out = dict(ckpts[-1])  # loaded for this call alone, so its model can take the average
    out["model"].load_state_dict(averaged)
    out["ema"] = None  # an EMA copy would hold the last member's weights, not the average
    out["optimizer"] = None
    out["date"] = datetime.now(UTC).isoformat()
    return out


def _card(version: str, members: Sequence[Member], sha256: Sequence[str], command: str) -> str:
    rows = "\n".join(f"| `{m.model_dir.name}` | {m.weight:.3f} | `{digest[:16]}` |"
                     for m, digest in zip(members, sha256, strict=True))
    return f"""# sign-detector {version}

Sign detector for SignTax (AGPL-3.0-or-later): the weighted mean of the parameters of detectors
this project trained, one line of versions each trained on from the one before (see their model
cards for data and training). No training of its own.

| member | share | weights sha256 (first 16) |
|---|---|---|
{rows}

Command: `{command}`

Classes, input size, data and limits are the members' (see the last member's card).

## Measured
The members' validation figures do not carry over to an average: measure it with
`signtax eval detect --model models/sign-detector/{version} --against models/sign-detector`
(held-out real photos and fresh synthetic scenes, paired intervals against the detector in
production); `signtax promote {version}` makes it the one scans use only if it does not
regress.

Written {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}.
"""


def write_average(*, models_root: Path, name: str, version: str, members: Sequence[Member],
                  command: str) -> Path:
    """Write ``models_root/<name>/<version>/`` atomically."""
    import torch

    checkpoint = average_checkpoint(members)
    sha256 = [file_sha256(m.model_dir / WEIGHTS_FILE) for m in members]

    def fill(tmp: Path) -> None:
        torch.save(checkpoint, tmp / WEIGHTS_FILE)
        (tmp / "metrics.json").write_text(json.dumps({"average": {
            "members": [{"version": m.model_dir.name, "share": m.weight,
                         "weights_sha256": digest}
                        for m, digest in zip(members, sha256, strict=True)],
            "command": command}}, indent=2) + "\n")
        (tmp / "model_card.md").write_text(_card(version, members, sha256, command))

    return write_version(models_root, name, version, fill)
