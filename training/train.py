"""Train the sign detector with ultralytics, resumably, on CPU or GPU.

ultralytics is imported inside functions so importing this module stays cheap.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

from training.errors import ConfigError


@dataclass(frozen=True, slots=True)
class TrainConfig:
    data_yaml: Path
    run_dir: Path  # ultralytics writes weights/last.pt and weights/best.pt here
    model_yaml: str = "yolo11n.yaml"  # bundled with ultralytics: builds an untrained net, no download
    imgsz: int = 640
    epochs: int = 300  # upper bound; ``time_hours`` usually ends the run first
    time_hours: float | None = 1.0
    batch: int = 16
    workers: int = 2
    device: str = "cpu"
    seed: int = 0
    patience: int = 50
    init_weights: Path | None = None  # transfer matching layers (e.g. a box model's backbone)

    def __post_init__(self) -> None:
        if self.imgsz < 64 or self.imgsz % 32:
            raise ConfigError(f"imgsz must be a multiple of 32 and >= 64, got {self.imgsz}")
        if self.epochs < 1:
            raise ConfigError(f"epochs must be >= 1, got {self.epochs}")
        if self.time_hours is not None and self.time_hours <= 0:
            raise ConfigError(f"time_hours must be positive, got {self.time_hours}")
        if self.batch < 1:
            raise ConfigError(f"batch must be >= 1, got {self.batch}")


def last_checkpoint(run_dir: Path) -> Path | None:
    last = run_dir / "weights" / "last.pt"
    return last if last.is_file() else None


def run_finished(checkpoint: Path) -> bool:
    """ultralytics strips the optimizer from ``last.pt`` when a run completes."""
    import torch

    ckpt = torch.load(checkpoint, map_location="cpu", weights_only=False)
    return ckpt.get("optimizer") is None


def train(config: TrainConfig, *, resume: bool = True) -> Path:
    """Train, resume an interrupted run in ``config.run_dir``, or reuse a finished one.

    Returns the best weights path.
    """
    from vision.detector import import_yolo

    YOLO = import_yolo()

    if not config.data_yaml.is_file():
        raise ConfigError(f"dataset description not found: {config.data_yaml}")
    checkpoint = last_checkpoint(config.run_dir) if resume else None
    if checkpoint is not None and run_finished(checkpoint):
        pass  # nothing left to train; evaluation and packaging can be rerun
    elif checkpoint is not None:
        # ultralytics restores optimizer, epoch and the original arguments from the checkpoint.
        model = YOLO(str(checkpoint))
        _use_every_core_on_cpu(model, config.device)
        model.train(resume=True)
    else:
        model = YOLO(config.model_yaml)
        _use_every_core_on_cpu(model, config.device)
        if config.init_weights is not None:
            if not config.init_weights.is_file():
                raise ConfigError(f"init weights not found: {config.init_weights}")
            # Copies every tensor whose name and shape match; heads that differ start fresh.
            model = model.load(str(config.init_weights))
        on_cpu = config.device == "cpu"
        model.train(
            data=str(config.data_yaml),
            imgsz=config.imgsz,
            epochs=config.epochs,
            time=config.time_hours,
            batch=config.batch,
            workers=config.workers,
            device=config.device,
            seed=config.seed,
            # Bit-exact reruns on CPU; on a GPU deterministic kernels cost more time than a
            # short rented run can spare.
            deterministic=on_cpu,
            patience=config.patience,
            project=str(config.run_dir.parent.resolve()),
            name=config.run_dir.name,
            exist_ok=True,
            pretrained=str(config.init_weights) if config.init_weights else False,
            # Mixed precision only on a GPU. Its self-check wants yolo26n.pt from the internet;
            # offline, ultralytics skips the check and keeps AMP on.
            amp=not on_cpu,
            plots=False,  # plotting fetches a font from the internet on first use
            cache="ram",
            verbose=True,
        )
    best = config.run_dir / "weights" / "best.pt"
    if not best.is_file():
        raise ConfigError(f"training finished without {best}")
    return best


def cpu_threads() -> int:
    """Threads for training on the CPU: every core this process may use."""
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _use_every_core_on_cpu(model, device: str) -> None:
    """ultralytics sets torch to one thread fewer than the cores when it picks the CPU (it
    keeps one for its data loaders): on this project's 2-core machine that is one thread, and
    the other core idles while the images are cached in RAM. Measured on 2026-11-28 (v7c,
    yolo11s-pose at 640 px, batch 8): 8.6 s per batch with one thread. So the thread count is
    set back once training starts (after ultralytics chose the device)."""
    if device != "cpu":
        return

    def every_core(_trainer) -> None:
        import torch

        torch.set_num_threads(cpu_threads())

    model.add_callback("on_pretrain_routine_end", every_core)


def config_dict(config: TrainConfig) -> dict:
    d = asdict(config)
    d["data_yaml"] = str(config.data_yaml)
    d["run_dir"] = str(config.run_dir)
    d["init_weights"] = None if config.init_weights is None else str(config.init_weights)
    return d
