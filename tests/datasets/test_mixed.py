"""Synthetic samples are rendered once and reused while seeds and config match."""

from __future__ import annotations

from datasets.mixed import ensure_synth_samples
from datasets.synth import SynthConfig


def test_rendered_samples_are_reused(tmp_path):
    config = SynthConfig(size_wh=(160, 120), supersample=1)
    rendered = []
    ensure_synth_samples(tmp_path, n=2, first_seed=5, config=config, progress=rendered.append)
    assert len(rendered) == 2
    ensure_synth_samples(tmp_path, n=2, first_seed=5, config=config, progress=rendered.append)
    assert len(rendered) == 2  # nothing rendered the second time
    ensure_synth_samples(tmp_path, n=3, first_seed=5, config=config, progress=rendered.append)
    assert len(rendered) == 5  # a different set is rendered again
