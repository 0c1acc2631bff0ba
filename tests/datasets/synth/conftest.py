"""Small renders shared by the synthetic-data tests (640x480 keeps the suite fast)."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pytest

from datasets.synth import SampleLabel, SynthConfig, render_sample

SMALL = SynthConfig(size_wh=(640, 480))
LABEL_SEEDS = (3, 4, 5, 6)


@lru_cache(maxsize=16)
def rendered(seed: int, config: SynthConfig = SMALL) -> tuple[np.ndarray, SampleLabel]:
    image, label = render_sample(seed, config)
    image.setflags(write=False)
    return image, label


@pytest.fixture(scope="session")
def small_config() -> SynthConfig:
    return SMALL


@pytest.fixture(scope="session")
def labelled_samples() -> list[tuple[np.ndarray, SampleLabel]]:
    return [rendered(s) for s in LABEL_SEEDS]
