"""The content evaluation (training.eval_content, scores, synth_crops) with a fake reader."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import cv2
import numpy as np
import pytest

from training import eval_content
from training.content_crops import CropFilter, SynthCrop, face_size, keep_sign
from training.content_real import real_photo_held_out
from training.content_scores import Confusion, CropOutcome, Rate, Reliability, Scores
from training.eval_content import evaluate_real, evaluate_synthetic, report_markdown
from vision.sign_crop import cut_sign_crop
from vision.types import Script, SignContent, TextLine

TH, LA = Script.THAI, Script.LATIN


def outcome(true: int, decided: int, review: bool = False, below=None, decided_below=False,
            found=False):
    return CropOutcome("c", true, decided, review, 0.9, below, decided_below,
                       found_thai_and_foreign=found)


def test_confusion_and_scores() -> None:
    outs = [
        outcome(1, 1), outcome(1, 3, review=True), outcome(2, 2, below=False),
        outcome(2, 3, below=False, decided_below=True, found=True),
        outcome(3, 3, review=True, below=True, decided_below=True, found=True),
    ]
    s = Scores.of(outs)
    assert s.confusion.counts == ((1, 0, 1), (0, 1, 1), (0, 0, 1))
    assert s.confusion.review == ((0, 0, 1), (0, 0, 0), (0, 0, 1))
    assert s.type_accuracy == Rate(3, 5)
    assert s.unflagged_type_accuracy == Rate(2, 3)  # a flag does not make a wrong type right
    assert s.review_rate == Rate(2, 5)
    assert s.below_accuracy == Rate(2, 3)
    assert s.below_accuracy_found == Rate(1, 2)  # the layout test alone
    assert s.type3_rate == Rate(3, 5)
    d = s.to_dict()
    assert d["confusion"]["counts"]["1"] == {"1": 1, "2": 0, "3": 1}
    assert Rate(0, 0).value is None


def test_outcome_rejects_unknown_types() -> None:
    with pytest.raises(ValueError, match="true_type"):
        outcome(0, 1)
    assert Confusion.of([]).row_total(2) == 0


def sign(**kw) -> SimpleNamespace:
    """A SignLabel stand-in: a 300x100 cm face seen head-on at 1 px/cm."""
    base = dict(
        tax_type=2, taxable=True, occlusion_fraction=0.0, in_image_fraction=1.0,
        corners_in_image=(True,) * 4, corners_px=((0, 0), (300, 0), (300, 100), (0, 100)),
        width_cm=300.0, height_cm=100.0,
        lines=(SimpleNamespace(script=TH, box_cm=(20, 10, 280, 50)),
               SimpleNamespace(script=None, box_cm=(20, 60, 120, 66))),  # a phone number
    )
    base.update(kw)
    return SimpleNamespace(**base)


@pytest.mark.parametrize(
    ("changes", "kept"),
    [
        ({}, True),  # the 6 px phone number has no script: it does not count
        ({"tax_type": None, "taxable": False}, False),  # exempt government sign
        ({"occlusion_fraction": 0.2}, False),
        ({"in_image_fraction": 0.9}, False),
        ({"corners_px": ((0, 0), (150, 0), (150, 50), (0, 50))}, False),  # 50 px tall
        # seen edge-on: 60 px wide for a 300 cm face 100 px tall
        ({"corners_px": ((0, 0), (60, 0), (60, 100), (0, 100))}, False),
        ({"lines": (SimpleNamespace(script=LA, box_cm=(20, 10, 280, 18)),)}, False),  # 8 px text
    ],
)
def test_crop_filter(changes, kept) -> None:
    assert keep_sign(sign(**changes), CropFilter()) is kept
    assert "occlusion" in CropFilter().describe()


def test_face_size_and_rectify() -> None:
    size = face_size(((10, 20), (210, 20), (210, 120), (10, 120)), 400.0, 200.0)
    assert (size.width_px, size.height_px, size.px_per_cm_x) == (200.0, 100.0, 0.5)
    img = np.zeros((200, 300, 3), np.uint8)
    img[40:60, 30:50] = 255  # a square near the quad's top-left corner
    quad = ((20, 30), (220, 40), (210, 140), (25, 130))
    crop = cut_sign_crop(img, quad)
    assert crop.shape[:2] == (100, 200)
    ys, xs = np.nonzero(crop[..., 0] > 128)
    assert xs.min() < 40 and ys.min() < 40  # upright: the square stays top-left


class FakeReader:
    """Thai-only for every crop."""

    def read(self, crop_bgr: np.ndarray) -> tuple[TextLine, ...]:
        return (TextLine("ร้าน", TH, (5.0, 5.0, 60.0, 30.0), 0.95),)


def fake_crop(seed: int, i: int, tax_type: int) -> SynthCrop:
    return SynthCrop(
        name=f"synth-{seed}/{i}", crop_bgr=np.full((80, 240, 3), 200, np.uint8),
        tax_type=tax_type, thai_below_foreign=False, scripts=frozenset({TH, LA}),
        has_graphics=False, layout="thai_above_foreign", kind="fascia", text_height_px=20.0,
        width_cm=200.0, height_cm=50.0, moving=False,
    )


def decide(content: SignContent) -> int:
    return 1 if content.scripts == frozenset({TH}) else 3


def test_evaluate_synthetic_takes_the_first_n_crops_in_seed_order(monkeypatch) -> None:
    seen = []

    def scene_crops(seed, size_wh, keep):
        seen.append(seed)
        return [fake_crop(seed, i, 1 + (seed + i) % 2) for i in range(seed % 3)]

    monkeypatch.setattr(eval_content, "scene_crops", scene_crops)
    r = evaluate_synthetic(4, decide, first_seed=10, reader=FakeReader(), progress=False)
    # seeds 10, 11, 12 give 1, 2, 0 crops; 13 gives 1 more: four in all
    assert seen == [10, 11, 12, 13]
    assert r.scores.n == 4
    assert [m.name for m in r.misses] == ["synth-11/0", "synth-13/0"]  # type 2 decided 1
    assert r.scores.confusion.counts == ((2, 0, 0), (2, 0, 0), (0, 0, 0))
    assert r.scores.below_accuracy.n == 4  # every fake sign has Thai and Latin
    text = report_markdown(r)
    assert "| true type \\ decided | 1 | 2 | 3 |" in text and ">= 97%" in text
    assert "scenes 10..13" in r.description
    assert r.subsets["smallest text line 16-24 px"].n == 4
    assert r.subsets["true type 2"].type_accuracy == Rate(0, 2)


def write_dataset(root: Path, name: str, class_id: int, n: int) -> None:
    (root / name / "images" / "train").mkdir(parents=True)
    (root / name / "labels" / "train").mkdir(parents=True)
    for i in range(n):
        cv2.imwrite(str(root / name / "images" / "train" / f"img_{i}.jpg"),
                    np.full((200, 400, 3), 128, np.uint8))
        (root / name / "labels" / "train" / f"img_{i}.txt").write_text(
            f"{class_id} 0.5 0.5 0.6 0.4\n")


def test_evaluate_real_reports_type3_rate_on_held_out_photos(tmp_path) -> None:
    write_dataset(tmp_path, "signboards-vn", 0, 12)
    write_dataset(tmp_path, "facades-spb", 3, 10)
    r = evaluate_real(tmp_path, lambda c: 2, per_dataset=10, reader=FakeReader(), progress=False)
    # at most 10 held-out crops of each set, photos in name order
    vn_held = min(10, sum(real_photo_held_out("signboards-vn", f"img_{i}") for i in range(12)))
    spb_held = min(10, sum(real_photo_held_out("facades-spb", f"img_{i}") for i in range(10)))
    assert 0 < vn_held + spb_held < 20  # the split leaves photos on both sides
    assert r.scores.n == vn_held + spb_held and r.scores.type3_rate == Rate(0, r.scores.n)
    assert r.subsets["signboards-vn, held out"].n == vn_held
    assert r.subsets["facades-spb, held out"].n == spb_held
    assert len(r.misses) == r.scores.n
    assert '"no Thai": decided Type 3' in report_markdown(r)
    assert evaluate_real(tmp_path / "none", decide, reader=FakeReader(), progress=False) is None


def test_reliability_bins_and_calibration_error() -> None:
    outs = [CropOutcome("c", 1, 1, False, 0.95, None, False, raw_confidence=0.55),
            CropOutcome("c", 1, 1, False, 0.95, None, False, raw_confidence=0.55),
            CropOutcome("c", 1, 3, True, 0.25, None, False, raw_confidence=0.35),
            CropOutcome("c", 1, 1, True, 0.25, None, False)]  # no raw: the same as reported
    s = Scores.of(outs)
    rel = s.reliability
    (low, high) = [b for b in rel.bins if b.n]
    assert (low.lo, low.n, low.mean_confidence, low.share_right) == (0.2, 2, 0.25, 0.5)
    assert (high.lo, high.hi, high.n, high.share_right) == (0.9, 1.0, 2, 1.0)
    assert rel.ece == pytest.approx((2 * 0.25 + 2 * 0.05) / 4)
    raw = s.raw_reliability
    assert [b.n for b in raw.bins if b.n] == [1, 1, 2]  # 0.25, 0.35 and the two 0.55
    assert raw.ece == pytest.approx((0.75 + 0.35 + 2 * 0.45) / 4)
    assert s.to_dict()["reliability"]["bins"][0]["n"] == 2
    assert Scores.of([]).reliability.ece is None
    assert Reliability.of([1.0], [True]).bins[-1].n == 1  # 1.0 falls in the last bin
    text = report_markdown(eval_content.SourceReport("synthetic", "d", s, {}, (), 1.0, 1))
    assert "Expected calibration error 0.150 (raw, before calibration: 0.500)" in text
    assert "| 0.2-0.3 | 2 | 0.25 | 0.50 | 1 | 0.25 | 1.00 |" in text


def test_content_plot_is_written(tmp_path) -> None:
    from training.content_plots import write_content_plot

    s = Scores.of([CropOutcome("c", t, d, False, c, None, False)
                   for t, d, c in ((1, 1, 0.9), (2, 3, 0.4), (3, 3, 0.8), (2, 2, 0.7))])
    path = write_content_plot({"synthetic": s, "real": s}, tmp_path / "out" / "content.png")
    image = cv2.imread(str(path))
    assert image is not None and image.shape[1] > 1000  # two panels side by side
    only_real = cv2.imread(str(write_content_plot({"real": s}, tmp_path / "real.png")))
    assert only_real.shape[1] < image.shape[1]
    from training.content_money import TypeErrorCost, price_crop

    def price(area, tax_type, moving):
        return Decimal(10 * tax_type)

    money = TypeErrorCost.of([price_crop("a", 1.0, False, 1, 3, False, price),
                              price_crop("b", 1.0, False, 3, 2, True, price)], "flat")
    with_money = cv2.imread(str(write_content_plot({"synthetic": s}, tmp_path / "m.png",
                                                   money=money)))
    assert with_money.shape[1] > image.shape[1]  # a third panel
    with pytest.raises(ValueError, match="nothing to plot"):
        write_content_plot({}, tmp_path / "none.png")


class CountingReader(FakeReader):
    def __init__(self) -> None:
        self.crops_read: list[int] = []

    def read(self, crop_bgr: np.ndarray) -> tuple[TextLine, ...]:
        self.crops_read.append(int(crop_bgr[0, 0, 0]))
        return super().read(crop_bgr)


def test_a_reads_cache_spares_the_ocr_and_changes_no_result(monkeypatch, tmp_path) -> None:
    def scene_crops(seed, size_wh, keep):  # a distinct crop per seed
        crop = fake_crop(seed, 0, 1 + seed % 2)
        return [replace(crop, crop_bgr=np.full((80, 240, 3), seed, np.uint8))]

    monkeypatch.setattr(eval_content, "scene_crops", scene_crops)
    cache = tmp_path / "var" / "content-reads.pkl"

    def run(reader, reads_cache):
        return evaluate_synthetic(3, decide, first_seed=10, reader=reader, progress=False,
                                  reads_cache=reads_cache)

    plain = run(CountingReader(), None)
    first, again = CountingReader(), CountingReader()
    filled = run(first, cache)
    from_cache = run(again, cache)
    assert first.crops_read and not again.crops_read  # the second run read nothing
    assert cache.is_file()
    for r in (filled, from_cache):
        assert (r.scores, r.misses) == (plain.scores, plain.misses)
    monkeypatch.setattr(eval_content, "reader_fingerprint", lambda: "other reading code")
    other = CountingReader()
    run(other, cache)
    assert other.crops_read  # readings made by other code are not reused


def test_real_crops_keep_their_readings_in_the_same_cache(tmp_path) -> None:
    write_dataset(tmp_path, "signboards-vn", 0, 12)
    cache = tmp_path / "reads.pkl"
    first, again = CountingReader(), CountingReader()
    a = evaluate_real(tmp_path, decide, reader=first, progress=False, reads_cache=cache)
    b = evaluate_real(tmp_path, decide, reader=again, progress=False, reads_cache=cache)
    assert first.crops_read and not again.crops_read
    assert (a.scores, a.misses) == (b.scores, b.misses)
