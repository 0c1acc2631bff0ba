"""The reads cache is valid only for the Tesseract install that read it."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from training import reads_cache
from vision.content import fingerprint


@pytest.fixture
def fake_tesseract(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A stand-in ``tesseract`` whose version text and language data the test can change."""
    tessdata = tmp_path / "tessdata"
    tessdata.mkdir()
    for lang in ("tha", "eng", "rus", "chi_tra", "chi_sim"):
        (tessdata / f"{lang}.traineddata").write_bytes(f"{lang} v1".encode())
    version = tmp_path / "version.txt"
    version.write_text("tesseract 5.3.0\n leptonica-1.82.0\n")
    exe = tmp_path / "tesseract"
    exe.write_text(
        "#!/bin/sh\n"
        f'if [ "$1" = "--version" ]; then cat "{version}"; exit 0; fi\n'
        f'echo "List of available languages in \\"{tessdata}/\\" (5):"\n'
        "echo tha; echo eng\n")
    exe.chmod(exe.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setattr(fingerprint.shutil, "which", lambda name: str(exe))
    reads_cache.tesseract_fingerprint.cache_clear()
    yield tessdata, version
    reads_cache.tesseract_fingerprint.cache_clear()  # the next test sees the real install


def _fresh() -> str:
    reads_cache.tesseract_fingerprint.cache_clear()
    return reads_cache.reader_fingerprint()


def test_a_new_tesseract_release_reads_again(fake_tesseract) -> None:
    _, version = fake_tesseract
    before = _fresh()
    assert _fresh() == before  # the same install gives the same fingerprint
    version.write_text("tesseract 5.5.0\n leptonica-1.84.1\n")
    assert _fresh() != before


def test_new_language_data_the_reader_uses_reads_again(fake_tesseract) -> None:
    tessdata, _ = fake_tesseract
    before = _fresh()
    (tessdata / "chi_sim.traineddata").write_bytes(b"chi_sim v2")  # not in the reader's languages
    assert _fresh() == before
    (tessdata / "tha.traineddata").write_bytes(b"tha v2")  # Debian's tesseract-ocr-tha upgraded
    assert _fresh() != before


def test_no_tesseract_gives_its_own_fingerprint(fake_tesseract, monkeypatch) -> None:
    installed = _fresh()
    monkeypatch.setattr(fingerprint.shutil, "which", lambda name: None)
    assert reads_cache.tesseract_fingerprint.__wrapped__() == "missing"
    assert _fresh() != installed


def test_saved_reads_of_another_install_are_not_loaded(fake_tesseract, tmp_path) -> None:
    from vision.types import SignContent

    tessdata, _ = fake_tesseract
    cache = tmp_path / "reads.pkl"
    read = SignContent(scripts=frozenset(), thai_below_foreign=False, has_graphics=False,
                       moving_display=False, confidence=0.3, needs_review=True, note="nothing")
    reads_cache.save_reads(cache, _fresh(), {"crop": read})
    assert reads_cache.load_reads(cache, _fresh()) == {"crop": read}
    (tessdata / "eng.traineddata").write_bytes(b"eng v2")
    assert reads_cache.load_reads(cache, _fresh()) == {}
