"""`signtax scan` with the shipped model on real photos and on a synthetic board scene."""

from __future__ import annotations

import json
from decimal import Decimal

import cv2
import numpy as np
import pytest

from api.cli.main import main
from api.paths import default_content_model_dir
from api.settings import resolve_model_dir
from api.tax import Motion, SignType, TaxFacts, assess, rate_table_for_year
from datasets.real import load_all
from datasets.split import is_validation
from tests.factories import board_street_photo
from vision.content.classifier import ContentClassifier, resolve_content_model_dir
from vision.content.fingerprint import analysis_fingerprint

SIGN_KEYS = {"class", "confidence", "bbox_xyxy", "corners_px", "corners_source", "measurement",
             "measurement_missing_reason", "content", "tax", "tax_missing_reason"}


def _scan_json(capsys, *args) -> tuple[int, dict]:
    code = main(["scan", "--json", *map(str, args)])
    return code, json.loads(capsys.readouterr().out)


def _iou(a, b) -> float:
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


@pytest.mark.slow
def test_scan_finds_labelled_signs_on_held_out_real_photos(shared_data, model_dir, capsys):
    """Recall over held-out photos (the model card's split), and the JSON contract per sign."""
    val = [it for it in load_all(shared_data)
           if it.boxes and is_validation(f"{it.source}/{it.image_path.name}", seed=0,
                                         val_fraction=0.15)][:12]
    code, doc = _scan_json(capsys, *[it.image_path for it in val], "--tax-year", 2026)
    assert code == 0 and doc["tax_year"] == 2026 and doc["schema_version"] == 1
    # The document names both networks that produced it: the shipped pointers' versions.
    assert doc["model"] == resolve_model_dir(model_dir).name
    assert doc["content_model"] == resolve_content_model_dir(default_content_model_dir()).name
    # ... and the whole content analysis that read the signs (vision.content.fingerprint).
    network = ContentClassifier(resolve_content_model_dir(default_content_model_dir()))
    assert doc["content_analysis"] == analysis_fingerprint(network.version, network.calibration)
    found = total = 0
    for item, photo in zip(val, doc["photos"], strict=True):
        assert photo["ok"] and photo["file"] == str(item.image_path)
        for sign in photo["signs"]:
            assert set(sign) == SIGN_KEYS
            assert len(sign["corners_px"]) == 4
            # No scale in these photos: no measurement, no tax, and each says why.
            assert sign["measurement"] is None and "no metric scale" in sign["measurement_missing_reason"]
            assert sign["tax"] is None and sign["tax_missing_reason"]
            assert sign["content"]["tax_type"] in (1, 2, 3)
        w, h = photo["size_wh"]
        for box in item.boxes:
            truth = box.xyxy_px((w, h))
            total += 1
            found += any(_iou(truth, s["bbox_xyxy"]) >= 0.3 for s in photo["signs"])
    recall = found / total
    print(f"held-out recall at IoU 0.3: {found}/{total} = {recall:.2f}")
    assert total >= 20
    assert recall >= 0.35


@pytest.mark.slow
def test_scan_board_scene_is_measured_honestly_and_taxed(shared_data, model_dir, tmp_path, capsys):
    """Real sign face of known size on a real facade, board on the sign, end to end.

    The face is a night photo of a neon sign (busy interior, dark frame) and the detector's box
    stops short of its top and bottom: the outline comes from the board's plane, where the face
    is an upright rectangle (vision.plane_outline).
    """
    image, true_corners, (w_cm, h_cm) = board_street_photo(shared_data)
    path = tmp_path / "board_scene.jpg"
    cv2.imwrite(str(path), image, [cv2.IMWRITE_JPEG_QUALITY, 92])
    code, doc = _scan_json(capsys, path, "--tax-year", 2026)
    assert code == 0
    photo = doc["photos"][0]
    assert photo["board_found"] is True
    truth_box = (*true_corners.min(axis=0), *true_corners.max(axis=0))
    matches = [s for s in photo["signs"] if _iou(truth_box, s["bbox_xyxy"]) > 0.5]
    assert matches, f"the sign was not detected: {[s['bbox_xyxy'] for s in photo['signs']]}"
    sign = matches[0]
    m = sign["measurement"]
    assert sign["corners_source"] == "refined"
    assert np.max(np.linalg.norm(np.array(sign["corners_px"]) - true_corners, axis=1)) < 4.0
    assert m["method"] == "board"
    true_area = w_cm * h_cm
    assert m["area_ci95_cm2"][0] <= true_area <= m["area_ci95_cm2"][1]
    assert abs(m["area_cm2"] - true_area) / true_area < 0.03
    for other in photo["signs"]:
        if other is not sign:
            assert other["measurement"] is None
    # The tax is what the engine says for the measured area and the decided type.
    facts = TaxFacts(area_cm2=int(round(m["area_cm2"])),
                     sign_type=SignType(sign["content"]["tax_type"]), motion=Motion.STATIC)
    expected = assess(facts, rate_table_for_year(2026), tax_year=2026)
    assert Decimal(sign["tax"]["due_baht"]) == expected.due_baht
    assert sign["tax"]["units_500"] == expected.units_500


@pytest.mark.slow
def test_unreadable_file_gets_its_own_error_and_others_are_scanned(shared_data, model_dir,
                                                                  tmp_path, capsys):
    bad = tmp_path / "broken.jpg"
    bad.write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    missing = tmp_path / "nope.jpg"
    good = sorted((shared_data / "signboards-vn/images/train").iterdir())[0]
    code, doc = _scan_json(capsys, bad, good, missing)
    assert code == 1
    by_file = {p["file"]: p for p in doc["photos"]}
    assert by_file[str(bad)]["ok"] is False and "corrupt or truncated" in by_file[str(bad)]["error"]
    assert by_file[str(missing)]["ok"] is False and "cannot read" in by_file[str(missing)]["error"]
    assert by_file[str(good)]["ok"] is True


@pytest.mark.slow
def test_table_output_and_distance_without_focal_explains(shared_data, model_dir, tmp_path, capsys):
    good = sorted((shared_data / "signboards-vn/images/train").iterdir())[0]
    assert main(["scan", str(good), "--distance-m", "5"]) == 0
    out = capsys.readouterr().out
    assert "sign(s)" in out and str(good) in out
    if "signboard" in out:
        assert "focal length is unknown" in out or "image centre" in out


@pytest.mark.parametrize(("args", "message"), [
    (["--distance-m", "-3"], "--distance-m must be between"),
    (["--focal-px", "1"], "--focal-px must be between"),
    (["--tax-year", "1900"], "--tax-year must be between"),
])
def test_bad_scan_options_exit_2(tmp_path, capsys, args, message):
    assert main(["scan", str(tmp_path / "x.jpg"), *args]) == 2
    assert message in capsys.readouterr().err


def test_missing_model_is_a_clear_error(tmp_path, capsys):
    img = tmp_path / "a.png"
    cv2.imwrite(str(img), np.zeros((64, 64, 3), np.uint8))
    assert main(["scan", str(img), "--model", str(tmp_path / "no-model")]) == 2
    assert "no weights.pt or PRODUCTION file" in capsys.readouterr().err
