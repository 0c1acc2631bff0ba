"""scripts/device/pack_content.py: what a GPU machine without fonts needs to render Thai."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from datasets.synth.fonts import FONT_ROOT_ENV, covers, font, installed_fonts

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "device" / "pack_content.py"


@pytest.fixture(scope="module")
def pack():
    spec = importlib.util.spec_from_file_location("pack_content", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_packed_fonts_render_what_the_data_engine_writes(pack, tmp_path, monkeypatch):
    here = installed_fonts()
    pack.pack_fonts(tmp_path)
    monkeypatch.setenv(FONT_ROOT_ENV, str(tmp_path))
    there = installed_fonts()
    assert [p.name for p in there.thai] == [p.name for p in here.thai]
    assert [p.name for p in there.latin] == [p.name for p in here.latin]
    if not here.cjk:
        assert there.cjk == ()
        return
    (cjk,) = there.cjk  # the first face only, cut down
    assert cjk.stat().st_size < 1_000_000 < here.cjk[0].stat().st_size
    assert font(cjk, 32).getname()[0].endswith(" TC")  # the face the renderer picks
    chinese = "".join(ch for ch in pack.vocabulary_characters() if 0x4E00 <= ord(ch) <= 0x9FFF)
    assert len(chinese) >= 10
    assert covers(cjk, chinese) and covers(cjk, "88 Tel. 074")
    assert not covers(cjk, "鬱")  # a character the engine never writes is cut


def test_fribidi_is_packed_for_pillows_thai_shaping(pack, tmp_path):
    pack.pack_fribidi(tmp_path)
    lib = tmp_path / "libfribidi.so.0"
    assert lib.is_file() and lib.read_bytes()[:4] == b"\x7fELF"
