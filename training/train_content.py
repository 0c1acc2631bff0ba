"""Train the content classifier (:mod:`vision.content.classifier`) on rendered sign crops
(:mod:`training.content_data`) and write ``models/content-classifier/<version>/``.

The split is by scene (a hash of the scene seed), so both corner-jittered copies of a sign and
every sign of a scene land on the same side. Augmentation is photometric only (brightness,
contrast, colour, noise, inversion): a mirrored Thai letter is not a Thai letter, and the
position of lines is the point of the ``below`` fact. It runs in torch on the training device,
so on a GPU the whole set sits in GPU memory as uint8 and no CPU work slows the steps.

The learning rate follows a one-cycle curve (warm-up over the first 30 %, cosine down) over the
run's *progress*: the share of steps done, or, with a time budget, the share of the budget
spent if that is larger, so a run on a rented machine ends on time with its rate annealed.

An interrupted run resumes from ``<work_dir>/last.pt`` (model, optimiser, epoch, step). The
model card records the data, the run time and the validation figures.
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
from training.content_data import NOT_A_SIGN, ContentSet
from vision.content.classifier import (
    ARCHS,
    DEFAULT_ARCH,
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
    arch: str = DEFAULT_ARCH  # ignored when starting from a model (its own architecture)
    device: str = "cpu"  # "cpu", "cuda" or "cuda:N"
    # Wall-clock budget for the epochs (None: none); the run stops, annealed, when spent.
    time_budget_s: float | None = None

    def __post_init__(self) -> None:
        if self.epochs < 1 or self.batch < 1 or not self.lr > 0:
            raise ValueError(f"epochs, batch >= 1 and lr > 0, got {self.epochs}, {self.batch}, "
                             f"{self.lr}")
        if self.arch not in ARCHS:
            raise ValueError(f"arch must be one of {ARCHS}, got {self.arch!r}")
        if not (self.device == "cpu" or self.device == "cuda" or self.device.startswith("cuda:")):
            raise ValueError(f"device must be cpu, cuda or cuda:N, got {self.device!r}")
        if self.time_budget_s is not None and not self.time_budget_s > 0:
            raise ValueError(f"time budget must be > 0 s, got {self.time_budget_s}")


# One-cycle shape, as torch's OneCycleLR defaults: start at lr/25, peak at 30 %, end at lr/1e4.
WARMUP_SHARE = 0.3
START_DIV, FINAL_DIV = 25.0, 1e4


def one_cycle_lr(progress: float, max_lr: float) -> float:
    """Learning rate at ``progress`` (0..1) of a run."""
    import math

    p = min(1.0, max(0.0, progress))
    lo, end = max_lr / START_DIV, max_lr / FINAL_DIV
    if p < WARMUP_SHARE:
        return lo + (max_lr - lo) * (1 - math.cos(math.pi * p / WARMUP_SHARE)) / 2
    q = (p - WARMUP_SHARE) / (1 - WARMUP_SHARE)
    return end + (max_lr - end) * (1 + math.cos(math.pi * q)) / 2


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


def augment(batch, gen):
    """Photometric changes on a uint8 NHWC BGR tensor -> float32 NCHW RGB in 0..1, on the
    batch's device. ``gen`` is a ``torch.Generator`` on that device."""
    import torch

    dev = batch.device
    x = batch.flip(-1).permute(0, 3, 1, 2).float().div_(255.0)
    n = len(x)

    def uniform(lo: float, hi: float, *shape: int):
        return torch.rand((n, *shape), generator=gen, device=dev) * (hi - lo) + lo

    contrast, bright = uniform(0.6, 1.4, 1, 1, 1), uniform(-0.2, 0.2, 1, 1, 1)
    colour = uniform(0.85, 1.15, 3, 1, 1)
    mean = x.mean(dim=(1, 2, 3), keepdim=True)
    x = ((x - mean) * contrast + mean + bright) * colour
    noisy = (torch.rand(n, generator=gen, device=dev) < 0.3).view(n, 1, 1, 1)
    x = x + noisy * torch.randn(x.shape, generator=gen, device=dev) * 0.04
    inverted = (torch.rand(n, generator=gen, device=dev) < 0.1).view(n, 1, 1, 1)
    x = torch.where(inverted, 1.0 - x, x)  # light-on-dark and dark-on-light boards alike
    return x.clamp_(0.0, 1.0).contiguous(memory_format=torch.channels_last)


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
    loss over the known labels (on the network's device)."""
    import torch

    if known is None:
        known = np.ones_like(labels)
    net.eval()
    dev = next(net.parameters()).device
    probs, loss_sum = [], 0.0
    with torch.inference_mode():
        for i in range(0, len(images), batch):
            x = _tensor(images[i : i + batch].astype(np.float32) / 255.0).to(dev)
            y = torch.from_numpy(labels[i : i + batch]).to(dev)
            logits = net(x).float()
            per = torch.nn.functional.binary_cross_entropy_with_logits(logits, y, reduction="none")
            loss_sum += float((per * torch.from_numpy(known[i : i + batch]).to(dev)).sum())
            probs.append(torch.sigmoid(logits).cpu().numpy())
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
        net, arch = build_network(input_hw, config.arch), config.arch
    else:
        net, init_hw, arch = load_network(init_from)
        if tuple(init_hw) != input_hw:
            raise ValueError(f"{init_from} takes {init_hw[0]}x{init_hw[1]} input, the crops are "
                             f"{input_hw[0]}x{input_hw[1]}")
    dev = torch.device(config.device)
    net = net.to(dev, memory_format=torch.channels_last)
    # bfloat16 on a GPU: twice the speed, and no loss scaling needed (same range as float32)
    amp = dev.type == "cuda"
    if amp:
        torch.backends.cudnn.benchmark = True  # one input size: the fastest kernels pay off
    opt = torch.optim.AdamW(net.parameters(), lr=config.lr, weight_decay=config.weight_decay)
    steps_per_epoch = (len(train_idx) + config.batch - 1) // config.batch
    total_steps = config.epochs * steps_per_epoch
    work_dir.mkdir(parents=True, exist_ok=True)
    last = work_dir / "last.pt"
    start_epoch, wall_s, step = 0, 0.0, 0
    if last.is_file():
        state = torch.load(last, map_location=dev, weights_only=False)
        if state["config"] == config.__repr__() and state["n_train"] == len(train_idx):
            net.load_state_dict(state["model"])
            opt.load_state_dict(state["opt"])
            start_epoch, wall_s = state["epoch"], state["wall_s"]
            step = state.get("step", start_epoch * steps_per_epoch)
    # Positive weight per fact: rare facts (CJK, "below") would otherwise be learnt as "never".
    # Shares are over the crops where the fact is known (real crops know only some).
    known_train = data.known[train_idx]
    pos = (data.labels[train_idx] * known_train).sum(axis=0) / np.maximum(
        known_train.sum(axis=0), 1.0)
    pos_weight = torch.tensor(np.clip((1 - pos) / np.maximum(pos, 1e-3), 1.0, 5.0),
                              dtype=torch.float32, device=dev)
    # The training crops as uint8 on the device (a GPU holds tens of thousands easily).
    images = torch.from_numpy(data.images[train_idx]).to(dev)
    labels = torch.from_numpy(data.labels[train_idx]).to(dev)
    known = torch.from_numpy(data.known[train_idx]).to(dev)

    def progress_of(step_done: int, wall: float) -> float:
        by_steps = step_done / total_steps
        if config.time_budget_s is None:
            return by_steps
        return max(by_steps, wall / config.time_budget_s)

    real_val = val_idx[data.scene_seeds[val_idx] < 0]
    # Fact accuracies are over sign crops, as before non-sign crops were added; the non-sign
    # crops get their own figure (nothing seen on them).
    non_sign = data.tax_types == NOT_A_SIGN
    sign_val, non_sign_val = val_idx[~non_sign[val_idx]], val_idx[non_sign[val_idx]]
    history = []
    for epoch in range(start_epoch, config.epochs):
        if progress_of(step, wall_s) >= 1.0:
            break  # the time budget is spent
        t0 = time.perf_counter()
        net.train()
        gen = torch.Generator(device=dev)
        gen.manual_seed(config.seed * 1000 + epoch)
        order = torch.randperm(len(train_idx), generator=gen, device=dev)
        total, done = torch.zeros((), device=dev), 0
        bar = tqdm(range(steps_per_epoch), desc=f"epoch {epoch + 1}/{config.epochs}",
                   unit="batch", file=sys.stderr, disable=not progress)
        for b in bar:
            progress_now = progress_of(step, wall_s + time.perf_counter() - t0)
            if progress_now >= 1.0:
                break
            for group in opt.param_groups:
                group["lr"] = one_cycle_lr(progress_now, config.lr)
            idx = order[b * config.batch : (b + 1) * config.batch]
            x = augment(images[idx], gen)
            with torch.autocast(dev.type, dtype=torch.bfloat16, enabled=amp):
                logits = net(x)
            loss = masked_bce(logits.float(), labels[idx], known[idx], pos_weight)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            step += 1
            done += 1
            total += loss.detach()
            if b % 20 == 0:  # reading a GPU value waits for it: not every step
                bar.set_postfix(loss=f"{float(total) / done:.3f}")
        scores = evaluate_facts(net, data.images[sign_val], data.labels[sign_val],
                                data.known[sign_val])
        real = _real_no_thai(net, data, real_val)
        blank = _non_sign_blank(net, data, non_sign_val)
        wall_s += time.perf_counter() - t0  # validation counts against the time budget too
        history.append({"epoch": epoch + 1, "steps": done,
                        "train_loss": float(total) / max(1, done),
                        **scores.to_dict(), "real_no_thai": real, "non_sign_blank": blank,
                        "wall_s": round(wall_s, 1)})
        print(f"epoch {epoch + 1}: val {scores.to_dict()['accuracy']} real no-Thai {real} "
              f"non-sign blank {blank} "
              f"({wall_s:.0f} s)", file=sys.stderr)
        tmp = last.with_suffix(".tmp")
        torch.save({"model": net.state_dict(), "opt": opt.state_dict(), "step": step,
                    "epoch": epoch + 1, "wall_s": wall_s,
                    "config": config.__repr__(), "n_train": len(train_idx)}, tmp)
        tmp.replace(last)
    synth_val = sign_val[data.scene_seeds[sign_val] >= 0]
    final = evaluate_facts(net, data.images[synth_val], data.labels[synth_val])
    real_final = _real_no_thai(net, data, real_val)
    blank_final = _non_sign_blank(net, data, non_sign_val)
    staging = out_dir / f".{version}.partial"
    staging.mkdir(parents=True, exist_ok=True)
    # Half-precision floats halve the file (loading casts them back); BatchNorm's counters stay
    # integers.
    state_dict = {k: (v.detach().cpu().half() if v.is_floating_point() else v.detach().cpu())
                  for k, v in net.state_dict().items()}
    torch.save({"format_version": FORMAT_VERSION, "facts": list(FACTS), "arch": arch,
                "input_hw_px": list(input_hw), "state_dict": state_dict},
               staging / WEIGHTS_NAME)
    real_seeds = data.scene_seeds < 0
    metrics = {"version": version, "train_crops": int(len(train_idx)),
               "val_crops": int(len(val_idx)),
               "real_crops": int(real_seeds.sum()),
               "non_sign_crops": int(non_sign.sum()),
               "input_hw_px": list(input_hw), "arch": arch,
               "validation": final.to_dict(),
               "validation_real_no_thai": real_final,
               "validation_non_sign_blank": blank_final,
               "epochs": config.epochs, "epochs_run": len(history) + start_epoch,
               "steps": step, "wall_s": round(wall_s, 1),
               "time_budget_s": config.time_budget_s, "device": _device_name(dev),
               "init_from": None if init_from is None else Path(init_from).name,
               "torch_threads": torch.get_num_threads(), "history": history}
    (staging / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n")
    (staging / "model_card.md").write_text(
        _card(version, data, metrics, config, n_scenes=n_scenes, command=command))
    staging.replace(target)
    return target


def _device_name(dev) -> str:
    import torch

    if dev.type == "cuda":
        return torch.cuda.get_device_name(dev)
    return f"CPU, {torch.get_num_threads()} threads"


def _real_no_thai(net, data: ContentSet, idx: np.ndarray) -> float | None:
    """Share of real validation crops (photos of the training half) read as "no Thai"."""
    if len(idx) == 0:
        return None
    scores = evaluate_facts(net, data.images[idx], data.labels[idx], data.known[idx])
    return round(scores.accuracy["thai"], 4)


def _non_sign_blank(net, data: ContentSet, idx: np.ndarray) -> float | None:
    """Share of non-sign validation crops on which the network sees nothing: every fact's
    probability under 0.5."""
    if len(idx) == 0:
        return None
    import torch

    net.eval()
    dev = next(net.parameters()).device
    blank = 0
    with torch.inference_mode():
        for i in range(0, len(idx), 128):
            x = _tensor(data.images[idx[i : i + 128]].astype(np.float32) / 255.0).to(dev)
            blank += int((torch.sigmoid(net(x).float()) < 0.5).all(dim=1).sum())
    return round(blank / len(idx), 4)


def _card(version: str, data: ContentSet, metrics: dict, config: ContentTrainConfig, *,
          n_scenes: int | None, command: str) -> str:
    synth = (data.scene_seeds >= 0) & (data.tax_types != NOT_A_SIGN)
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
    n_non_sign = metrics.get("non_sign_crops", 0)
    blank_val = metrics.get("validation_non_sign_blank")
    non_sign = (f"""
Plus {n_non_sign} crops of the same scenes away from every sign (walls, shutters, sky, trees,
cables), labelled with no script and no picture (`training.content_data`), since the
detector's false positives reach the content analysis too. Validation non-sign crops on which
it sees nothing (every fact under 0.5): {blank_val if blank_val is None else f"{blank_val:.3f}"}.
""" if n_non_sign else "")
    budget = (f", time budget {config.time_budget_s / 60:.1f} min"
              if config.time_budget_s else "")
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
{real}{non_sign}
Split by scene (a real photo is a scene): {metrics['train_crops']} train,
{metrics['val_crops']} validation.

| fact | share of rendered crops | validation accuracy, rendered crops (p >= 0.5) |
|---|---|---|
{rows}

## Training
`{command}`: network `{metrics['arch']}`, {metrics['epochs_run']} of {config.epochs} epochs
({metrics['steps']} steps{budget}), batch {config.batch}, AdamW, one-cycle learning rate
{config.lr}, {metrics['wall_s'] / 60:.1f} min on {metrics['device']}.

## Limits
- Thai, Latin and Chinese come from rendered signs in Debian's fonts. {limits}; the OCR
  and the fusion rules of `vision.content.fusion` decide those (see `signtax eval content`).
- Reports probabilities of facts; an officer reviews low-confidence results.

Written {datetime.now(UTC).strftime('%Y-%m-%d %H:%M')} UTC.
"""
