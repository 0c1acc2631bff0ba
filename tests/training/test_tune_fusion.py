"""Fusion policy comparison (training.tune_fusion) on hand-made readings: no OCR, no network."""

from __future__ import annotations

from training.tune_fusion import TuningCrop, policy_grid, score
from vision.content.classifier import ContentFacts
from vision.content.fusion import FusionPolicy, ThaiAdding
from vision.types import Script, SignContent


def _read(scripts=(), confidence=0.3) -> SignContent:
    return SignContent(scripts=frozenset(scripts), thai_below_foreign=False, has_graphics=False,
                       moving_display=False, confidence=confidence,
                       needs_review=confidence < 0.5, note="ocr")


def _decide(c: SignContent) -> int:  # Thai only -> 1, anything else -> 3 (enough here)
    return 1 if c.scripts == frozenset({Script.THAI}) else 3


SURE_THAI = ContentFacts(0.99, 0.01, 0.01, 0.01, 0.01, 0.01)
CRYPTIC = ContentFacts(0.8, 0.05, 0.01, 0.01, 0.01, 0.01)  # real Cyrillic it half takes for Thai


def test_score_counts_rendered_and_real_crops_per_policy() -> None:
    crops = [
        TuningCrop("synthetic", 1, _read(), SURE_THAI),  # OCR read nothing on a Thai sign
        TuningCrop("synthetic", 3, _read({Script.LATIN}, 0.9), ContentFacts(
            0.01, 0.99, 0.01, 0.01, 0.01, 0.01)),  # sure and right either way
        TuningCrop("real", 3, _read(), CRYPTIC),
    ]
    ocr = score(crops, None, _decide)
    assert (ocr.synth_right, ocr.synth_n, ocr.real_type3, ocr.real_n) == (1, 2, 1, 1)
    strict = score(crops, FusionPolicy(0.5, ThaiAdding.ANYWHERE, 0.9), _decide)
    assert (strict.synth_right, strict.real_type3) == (2, 1)  # adds Thai only where sure
    loose = score(crops, FusionPolicy(0.5, ThaiAdding.ANYWHERE, 0.5), _decide)
    assert (loose.synth_right, loose.real_type3) == (2, 0)  # and the Cyrillic turns Thai
    candidate = score(crops, FusionPolicy(0.5, ThaiAdding.CANDIDATE, 0.5), _decide)
    assert candidate.synth_right == 1  # no Thai candidate line: nothing added
    assert "rendered 2/2" in strict.describe() and "real no Thai 1/1" in strict.describe()


def test_the_grid_holds_the_default_policy() -> None:
    assert FusionPolicy() in policy_grid()


def test_fit_calibration_measures_the_default_policy() -> None:
    from training.tune_fusion import fit_calibration

    # Twelve sure OCR readings of Thai-only signs, right; twelve unsure empty readings of
    # Thai signs the network does not see either, wrong.
    crops = ([TuningCrop("synthetic", 1, _read({Script.THAI}, 0.9), SURE_THAI)] * 12
             + [TuningCrop("synthetic", 1, _read(), ContentFacts(0.3, 0.5, 0.1, 0.1, 0.1, 0.1))]
             * 12)
    fitted = fit_calibration(crops, _decide, 20)
    cal = fitted.calibration
    assert cal(0.9) == 0.99 and cal(0.3) == 0.01
    assert fitted.ece_after < fitted.ece_before
    assert "24 rendered crops (at least 20 asked" in cal.fitted_on and cal.n_crops == 24


def test_ocr_readings_are_cached_by_the_crops_pixels(monkeypatch, tmp_path, capsys) -> None:
    from types import SimpleNamespace

    import numpy as np

    from training import tune_fusion

    pixels = {"value": 10}
    calls = []

    def scenes(seed, size_wh, keep):
        return [SimpleNamespace(tax_type=1, crop_bgr=np.full((20, 60, 3), pixels["value"] + i,
                                                             np.uint8)) for i in range(2)]

    def read_crop(crop_bgr):
        calls.append(int(crop_bgr[0, 0, 0]))
        return _read({Script.THAI}, 0.9)

    monkeypatch.setattr(tune_fusion, "scene_crops", scenes)
    monkeypatch.setattr(tune_fusion, "held_out_real_crops", lambda *a, **k: [])
    monkeypatch.setattr(tune_fusion, "analyze", read_crop)
    network = SimpleNamespace(facts=lambda crop: SURE_THAI, version="n1")
    cache = tmp_path / "var" / "reads.pkl"
    first = tune_fusion.tuning_crops(2, tmp_path, network, workers=1, reads_cache=cache)
    assert sorted(calls) == [10, 11] and cache.is_file()
    # the long passes show their progress (the OCR of 300 crops takes some 20 minutes)
    shown = capsys.readouterr().err
    assert "OCR reading: 100%" in shown and "2/2" in shown and "content network n1" in shown
    again = tune_fusion.tuning_crops(2, tmp_path, network, workers=1, reads_cache=cache)
    assert sorted(calls) == [10, 11] and again == first  # nothing read twice
    pixels["value"] = 11  # the renderer changed one crop: only that one is read again
    tune_fusion.tuning_crops(2, tmp_path, network, workers=1, reads_cache=cache)
    assert sorted(calls) == [10, 11, 12]
    cache.write_bytes(b"not a pickle")  # a damaged cache is read around, not trusted
    tune_fusion.tuning_crops(2, tmp_path, network, workers=1, reads_cache=cache)
    assert len(calls) == 5
    # Readings made by other analysis code (a changed layout rule, say) are read again.
    monkeypatch.setattr(tune_fusion, "reader_fingerprint", lambda: "other code")
    tune_fusion.tuning_crops(2, tmp_path, network, workers=1, reads_cache=cache)
    assert len(calls) == 7
    tune_fusion.tuning_crops(2, tmp_path, network, workers=1, reads_cache=cache)
    assert len(calls) == 7


def test_the_reader_fingerprint_follows_the_reading_code_only(tmp_path, monkeypatch) -> None:
    import vision.content
    from training import tune_fusion

    pkg = tmp_path / "content"
    pkg.mkdir()
    for name in ("layout.py", "fusion.py", "__init__.py"):
        (pkg / name).write_text(f"# {name}\n")
    monkeypatch.setattr(vision.content, "__file__", str(pkg / "__init__.py"))
    before = tune_fusion.reader_fingerprint()
    (pkg / "fusion.py").write_text("# a new policy\n")  # not used by the reading
    assert tune_fusion.reader_fingerprint() == before
    (pkg / "layout.py").write_text("# another rule\n")
    assert tune_fusion.reader_fingerprint() != before
