"""The content analysis fingerprint changes with whatever decides a sign's content."""

from __future__ import annotations

import pytest

import vision.content
from vision.content import fingerprint
from vision.content.calibration import ConfidenceCalibration


def _calibration(p: float) -> ConfidenceCalibration:
    return ConfidenceCalibration(raw=(0.3, 0.9), probability=(0.4, p), n_crops=10, fitted_on="x")


def test_the_network_and_its_calibration_are_part_of_it() -> None:
    ocr_alone = fingerprint.analysis_fingerprint(None, None)
    assert fingerprint.analysis_fingerprint(None, None) == ocr_alone  # stable
    c9 = fingerprint.analysis_fingerprint("c9", _calibration(0.99))
    assert len({ocr_alone, c9, fingerprint.analysis_fingerprint("c10", _calibration(0.99)),
                fingerprint.analysis_fingerprint("c9", _calibration(0.98))}) == 4
    assert all(ch in "0123456789abcdef" for ch in c9) and len(c9) == 16


@pytest.mark.parametrize("module", ["fusion.py", "lines.py", "calibration.py"])
def test_every_content_module_is_part_of_it(tmp_path, monkeypatch, module) -> None:
    # Unlike the evaluation's reads cache, a new fusion policy or calibration rule is a new
    # analysis: the same network gives other types.
    pkg = tmp_path / "content"
    pkg.mkdir()
    for name in ("__init__.py", "fusion.py", "lines.py", "calibration.py"):
        (pkg / name).write_text(f"# {name}\n")
    monkeypatch.setattr(vision.content, "__file__", str(pkg / "__init__.py"))
    before = fingerprint.analysis_fingerprint("c9", None)
    (pkg / module).write_text("# changed\n")
    assert fingerprint.analysis_fingerprint("c9", None) != before


def test_the_cutting_of_the_crop_is_part_of_it(tmp_path, monkeypatch) -> None:
    import vision.sign_crop

    cutting = tmp_path / "sign_crop.py"
    cutting.write_text("# as cut\n")
    monkeypatch.setattr(vision.sign_crop, "__file__", str(cutting))
    before = fingerprint.analysis_fingerprint("c9", None)
    cutting.write_text("# cut another way\n")
    assert fingerprint.analysis_fingerprint("c9", None) != before


def test_the_tesseract_install_is_part_of_it(monkeypatch) -> None:
    before = fingerprint.analysis_fingerprint("c9", None)
    monkeypatch.setattr(fingerprint, "tesseract_fingerprint", lambda: "tesseract 9.9")
    assert fingerprint.analysis_fingerprint("c9", None) != before
