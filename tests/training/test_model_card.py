"""The detector's model card says how its synthetic scenes were drawn."""

from __future__ import annotations

from training.evaluate import DetectMetrics
from training.package import model_card

METRICS = DetectMetrics("val", 640, 0.5, 0.5, 0.5, 0.3, ())
COUNTS = {"train": {"real": {"images": 3, "signboard": 4},
                    "synthetic": {"images": 5, "signboard": 9}},
          "val": {"real": {"images": 1, "signboard": 1}}}


def _card(**info) -> str:
    train_info = {"seed": 0, "val_fraction": 0.15, "synth_samples": 5} | info
    return model_card(name="sign-detector", version="t", metrics=METRICS, train_info=train_info,
                      dataset_counts=COUNTS, command="signtax train ...")


def test_the_card_names_the_scene_options_used():
    card = _card(photo_pictures=0.7, along_street=0.5, window_campaigns=0.3)
    assert "with chance 0.3 (`--window-campaigns`)" in card
    assert "chance 0.7 (`--photo-pictures`)" in card
    assert "views along the street with both sides' shophouses with chance 0.5" in card


def test_a_card_without_scene_options_claims_none():
    card = _card(photo_pictures=0.0, along_street=0.0, window_campaigns=0.0)
    assert "--photo-pictures" not in card and "--along-street" not in card
    assert "--window-campaigns" not in card
    assert "5 synthetic Thai street scenes" in card
