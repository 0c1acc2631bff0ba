"""Synthetic Thai street scenes with exactly labelled shop signs (corners, size, content, tax type).

    from datasets.synth import SynthConfig, render_sample
    image_bgr, label = render_sample(seed=7, config=SynthConfig(size_wh=(1280, 960)))

See ``datasets/synth/labels.py`` for the label schema and ``export.py`` for writing datasets.
"""

from datasets.synth.config import SynthConfig
from datasets.synth.kinds import KIND_SPECS, SignKind, TextLayout, tax_type
from datasets.synth.labels import SampleLabel, SignLabel, TextLineLabel, from_json, to_json
from datasets.synth.render import render_sample, render_scene
from datasets.synth.sample import sample_scene

__all__ = [
    "KIND_SPECS", "SampleLabel", "SignKind", "SignLabel", "SynthConfig", "TextLayout",
    "TextLineLabel", "from_json", "render_sample", "render_scene", "sample_scene", "tax_type",
    "to_json",
]
