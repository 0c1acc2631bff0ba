"""CPU training uses every core: ultralytics leaves one idle for its data loaders."""

from __future__ import annotations

import torch

from training.train import _use_every_core_on_cpu, cpu_threads


class _Model:
    def __init__(self) -> None:
        self.callbacks: dict[str, list] = {}

    def add_callback(self, event: str, func) -> None:
        self.callbacks.setdefault(event, []).append(func)


def test_training_on_the_cpu_sets_the_threads_back_to_every_core():
    model = _Model()
    _use_every_core_on_cpu(model, "cpu")
    (hook,) = model.callbacks["on_pretrain_routine_end"]
    before = torch.get_num_threads()
    try:
        torch.set_num_threads(1)  # what ultralytics does on a 2-core machine
        hook(object())
        assert torch.get_num_threads() == cpu_threads() >= 1
    finally:
        torch.set_num_threads(before)


def test_a_gpu_run_is_left_alone():
    model = _Model()
    _use_every_core_on_cpu(model, "0")
    assert model.callbacks == {}
