"""Train the content classifier (:mod:`vision.content.classifier`) on rendered sign crops
(:mod:`training.content_data`) and write ``models/content-classifier/<version>/``.

The split is by scene (a hash of the scene seed), so both corner-jittered copies of a sign and
every sign of a scene land on the same side. Augmentation is photometric only (brightness,
contrast, colour, blur, noise): a mirrored Thai letter is not a Thai letter, and the position
of lines is the point of the ``below`` fact.

An interrupted run resumes from ``<work_dir>/last.pt`` (model, optimiser, epoch). The model
card records the data, the run time and the validation figures.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from datasets.split import is_validation
from training.content_data import ContentSet
from vision.content.classifier import (
    FACTS,
    FORMAT_VERSION,
    WEIGHTS_NAME,
    build_network,
    load_network,
)

VAL_FRACTION = 0.1
SPLIT_SEED = 0


@dataclass(frozen=True, slots=True)
class ContentTrainConfig:
    epochs: int = 10
    batch: int = 64
    lr: float = 2e-3
    weight_decay: float = 1e-4
    seed: int = 0
    threads: int = 0  # 0: torch's default

    def __post_init__(self) -> None:
        if self.epochs < 1 or self.batch < 1 or not self.lr > 0:
            raise ValueError(f"epochs, batch >= 1 and lr > 0, got {self.epochs}, {self.batch}, "
                             f"{self.lr}")


@dataclass(frozen=True, slots=True)
class FactScores:
    """Validation accuracy per fact at probability 0.5, and the loss."""

    n: int
    accuracy: dict[str, float]
    loss: float

    def to_dict(self) -> dict:
        return {"n": self.n, "loss": round(self.loss, 4),
                "accuracy": {k: round(v, 4) for k, v in self.accuracy.items()}}


def split_mask(scene_seeds: np.ndarray) -> np.ndarray:
    """True where a crop is in the validation split."""
    cache: dict[int, bool] = {}
    out = np.empty(len(scene_seeds), bool)
    for i, s in enumerate(scene_seeds.tolist()):
        if s not in cache:
            cache[s] = is_validation(f"scene-{s}", seed=SPLIT_SEED, val_fraction=VAL_FRACTION)
        out[i] = cache[s]
    return out


def augment(batch: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Photometric changes on uint8 NHWC BGR images -> float32 NHWC in 0..1."""
    x = batch.astype(np.float32) / 255.0
    n = len(x)
    contrast = rng.uniform(0.6, 1.4, (n, 1, 1, 1)).astype(np.float32)
    bright = rng.uniform(-0.2, 0.2, (n, 1, 1, 1)).astype(np.float32)
    colour = rng.uniform(0.85, 1.15, (n, 1, 1, 3)).astype(np.float32)
    mean = x.mean(axis=(1, 2, 3), keepdims=True)
    x = (x - mean) * contrast + mean + bright
    x = x * colour
    noisy = rng.random(n) < 0.3
    if noisy.any():
        x[noisy] += rng.normal(0, 0.04, x[noisy].shape).astype(np.float32)
    inverted = rng.random(n) < 0.1  # light-on-dark and dark-on-light boards alike
    x[inverted] = 1.0 - x[inverted]
    return np.clip(x, 0.0, 1.0)


def masked_bce(logits, y, known, pos_weight=None):
    """Binary cross-entropy averaged over the labels that are known (``known`` 1); a masked
    label neither adds to the loss nor to its denominator."""
    import torch

    per = torch.nn.functional.binary_cross_entropy_with_logits(
        logits, y, pos_weight=pos_weight, reduction="none")
    return (per * known).sum() / known.sum().clamp(min=1.0)


def _tensor(x: np.ndarray):
    import torch

    # BGR NHWC -> RGB NCHW
    return torch.from_numpy(np.ascontiguousarray(x[..., ::-1].transpose(0, 3, 1, 2)))


def evaluate_facts(net, images: np.ndarray, labels: np.ndarray, known: np.ndarray | None = None,
                   batch: int = 128) -> FactScores:
    """Accuracy per fact at p >= 0.5 over the crops where that fact is known, and the mean
    loss over the known labels."""
    import torch

    if known is None:
        known = np.ones_like(labels)
    net.eval()
    probs, loss_sum = [], 0.0
    with torch.inference_mode():
        for i in range(0, len(images), batch):
            x = _tensor(images[i : i + batch].astype(np.float32) / 255.0)
            y = torch.from_numpy(labels[i : i + batch])
            logits = net(x)
            per = torch.nn.functional.binary_cross_entropy_with_logits(logits, y, reduction="none")
            loss_sum += float((per * torch.from_numpy(known[i : i + batch])).sum())
            probs.append(torch.sigmoid(logits).numpy())
    p = np.concatenate(probs) if probs else np.zeros((0, len(FACTS)))
    acc = {}
    for j, f in enumerate(FACTS):
        m = known[:, j] > 0
        acc[f] = (float(((p[m, j] >= 0.5) == (labels[m, j] >= 0.5)).mean()) if m.any()
                  else float("nan"))
    return FactScores(len(images), acc, loss_sum / max(1.0, float(known.sum())))


def train_content(data: ContentSet, work_dir: Path, out_dir: Path, version: str,
                  config: ContentTrainConfig = ContentTrainConfig(), *,
                  n_scenes: int | None = None, command: str = "",
                  init_from: Path | None = None, progress: bool = True) -> Path:
    """Train (resuming from ``work_dir/last.pt``), evaluate, and write ``out_dir/version``.

    ``init_from``: a content model folder whose weights the run starts from (same input size)
    instead of random ones; an interrupted run still resumes from its own checkpoint.
    """
    import torch
    from tqdm import tqdm

    target = out_dir / version
    if target.exists():
        raise FileExistsError(f"{target} exists: versions are immutable, pick a new name")
    if config.threads:
        torch.set_num_threads(config.threads)
    torch.manual_seed(config.seed)
    val = split_mask(data.scene_seeds)
    train_idx, val_idx = np.flatnonzero(~val), np.flatnonzero(val)
    if len(train_idx) == 0 or len(val_idx) == 0:
        raise ValueError(f"need crops on both sides of the split, got {len(train_idx)} train, "
                         f"{len(val_idx)} validation")
    input_hw = tuple(int(v) for v in data.images.shape[1:3])
    if init_from is None:
        net = build_network(input_hw)
    else:
        net, init_hw = load_network(init_from)
        if tuple(init_hw) != input_hw:
            raise ValueError(f"{init_from} takes {init_hw[0]}x{init_hw[1]} input, the crops are "
                             f"{input_hw[0]}x{input_hw[1]}")
    net = net.to(memory_format=torch.channels_last)
    opt = torch.optim.AdamW(net.parameters(), lr=config.lr, weight_decay=config.weight_decay)
    steps_per_epoch = (len(train_idx) + config.batch - 1) // config.batch
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=config.lr,
                                                total_steps=config.epochs * steps_per_epoch)
    work_dir.mkdir(parents=True, exist_ok=True)
    last = work_dir / "last.pt"
    start_epoch, wall_s = 0, 0.0
    if last.is_file():
        state = torch.load(last, map_location="cpu", weights_only=False)
        if state["config"] == config.__repr__() and state["n_train"] == len(train_idx):
            net.load_state_dict(state["model"])
            opt.load_state_dict(state["opt"])
            sched.load_state_dict(state["sched"])
            start_epoch, wall_s = state["epoch"], state["wall_s"]
    # Positive weight per fact: rare facts (CJK, "below") would otherwise be learnt as "never".
    # Shares are over the crops where the fact is known (real crops know only some).
    known_train = data.known[train_idx]
    pos = (data.labels[train_idx] * known_train).sum(axis=0) / np.maximum(
        known_train.sum(axis=0), 1.0)
    pos_weight = torch.tensor(np.clip((1 - pos) / np.maximum(pos, 1e-3), 1.0, 5.0),
                              dtype=torch.float32)

    def loss_fn(logits, y, known):
        return masked_bce(logits, y, known, pos_weight)

    real_val = val_idx[data.scene_seeds[val_idx] < 0]
    history = []
    for epoch in range(start_epoch, config.epochs):
        t0 = time.perf_counter()
        net.train()
        rng = np.random.default_rng(config.seed * 1000 + epoch)
        order = rng.permutation(train_idx)
        total = 0.0
        bar = tqdm(range(steps_per_epoch), desc=f"epoch {epoch + 1}/{config.epochs}",
                   unit="batch", file=sys.stderr, disable=not progress)
        for b in bar:
            idx = np.sort(order[b * config.batch : (b + 1) * config.batch])
            x = _tensor(augment(data.images[idx], rng)).contiguous(
                memory_format=torch.channels_last)
            y = torch.from_numpy(data.labels[idx])
            loss = loss_fn(net(x), y, torch.from_numpy(data.known[idx]))
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += float(loss.detach())
            bar.set_postfix(loss=f"{total / (b + 1):.3f}")
        wall_s += time.perf_counter() - t0
        scores = evaluate_facts(net, data.images[val_idx], data.labels[val_idx],
                                data.known[val_idx])
        real = _real_no_thai(net, data, real_val)
        history.append({"epoch": epoch + 1, "train_loss": total / steps_per_epoch,
                        **scores.to_dict(), "real_no_thai": real})
        print(f"epoch {epoch + 1}: val {scores.to_dict()['accuracy']} real no-Thai {real}",
              file=sys.stderr)
        tmp = last.with_suffix(".tmp")
        torch.save({"model": net.state_dict(), "opt": opt.state_dict(),
                    "sched": sched.state_dict(), "epoch": epoch + 1, "wall_s": wall_s,
                    "config": config.__repr__(), "n_train": len(train_idx)}, tmp)
        tmp.replace(last)
    synth_val = val_idx[data.scene_seeds[val_idx] >= 0]
    final = evaluate_facts(net, data.images[synth_val], data.labels[synth_val])
    real_final = _real_no_thai(net, data, real_val)
    staging = out_dir / f".{version}.partial"
    staging.mkdir(parents=True, exist_ok=True)
    torch.save({"format_version": FORMAT_VERSION, "facts": list(FACTS),
                "input_hw_px": list(input_hw), "state_dict": net.state_dict()},
               staging / WEIGHTS_NAME)
    real_seeds = data.scene_seeds < 0
    metrics = {"version": version, "train_crops": int(len(train_idx)),
               "val_crops": int(len(val_idx)),
               "real_crops": int(real_seeds.sum()),
               "input_hw_px": list(input_hw),
               "validation": final.to_dict(),
               "validation_real_no_thai": real_final,
               "epochs": config.epochs, "wall_s": round(wall_s, 1),
               "init_from": None if init_from is None else Path(init_from).name,
               "torch_threads": torch.get_num_threads(), "history": history}
    (staging / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n")
    (staging / "model_card.md").write_text(
        _card(version, data, metrics, config, n_scenes=n_scenes, command=command))
    staging.replace(target)
    return target


def _real_no_thai(net, data: ContentSet, idx: np.ndarray) -> float | None:
    """Share of real validation crops (photos of the training half) read as "no Thai"."""
    if len(idx) == 0:
        return None
    scores = evaluate_facts(net, data.images[idx], data.labels[idx], data.known[idx])
    return round(scores.accuracy["thai"], 4)


def _card(version: str, data: ContentSet, metrics: dict, config: ContentTrainConfig, *,
          n_scenes: int | None, command: str) -> str:
    synth = data.scene_seeds >= 0
    seeds = data.scene_seeds[synth]
    with_signs = len(np.unique(seeds))
    scenes = (f"{n_scenes} rendered street scenes ({with_signs} with a sign kept)"
              if n_scenes else f"{with_signs} rendered street scenes")
    command = command or f"signtax train-content --version {version} --epochs {config.epochs}"
    acc = metrics["validation"]["accuracy"]
    rows = "\n".join(f"| {f} | {data.labels[synth, j].mean():.1%} | {acc[f]:.3f} |"
                     for j, f in enumerate(FACTS))
    in_h, in_w = metrics["input_hw_px"]
    n_real = metrics["real_crops"]
    real_val = metrics.get("validation_real_no_thai")
    real = (f"""
Plus {n_real} real sign crops without Thai (`training.content_real`: every labelled sign of
the St Petersburg and Vietnam photos *not* held out for `signtax eval content`, the box as
labelled and once moved by up to 5 %), labelled "no Thai" and "no Thai below foreign" only:
their scripts and pictures are not labelled, so those facts are masked out of the loss.
Read as "no Thai" on the real validation crops (photos of the training half):
{real_val if real_val is None else f"{real_val:.3f}"}.
""" if n_real else "")
    start = metrics.get("init_from")
    origin = (f"Trained by this project, starting from its content network {start} (whose card "
              "lists the crops that one saw)." if start else "Trained from scratch by this project.")
    limits = ("Real signs it has seen carry Cyrillic, Latin and Vietnamese only (as negatives)"
              if n_real else "It has seen no Cyrillic or Vietnamese")
    return f"""# content-classifier {version}

Reads a sign crop's facts for SignTax's content analysis (AGPL-3.0-or-later): the
probability that it carries Thai, Latin, Chinese (CJK) or other script, that some Thai line
sits below a foreign one, and that it has pictures or logos. It does not decide the tax type;
`vision.content.analyze` fuses it with the OCR's reading. {origin}

## Data
{int(synth.sum())} crops of {scenes} (seeds
{int(seeds.min())}..{int(seeds.max())}; the content evaluation's held-out scenes start at
950,000,000), cut from the true corners and again from corners moved by up to 4 % of the
sides, letterboxed to {in_h} x {in_w}.
{real}
Split by scene (a real photo is a scene): {metrics['train_crops']} train,
{metrics['val_crops']} validation.

| fact | share of rendered crops | validation accuracy, rendered crops (p >= 0.5) |
|---|---|---|
{rows}

## Training
`{command}`: {config.epochs} epochs, batch {config.batch}, AdamW, one-cycle
learning rate {config.lr}, {metrics['wall_s'] / 60:.0f} min on {metrics['torch_threads']}
CPU threads.

## Limits
- Thai, Latin and Chinese come from rendered signs in Debian's fonts. {limits}; the OCR
  and the fusion rules of `vision.content.fusion` decide those (see `signtax eval content`).
- Reports probabilities of facts; an officer reviews low-confidence results.

Written {datetime.now(UTC).strftime('%Y-%m-%d %H:%M')} UTC.
"""
