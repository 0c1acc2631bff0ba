"""The ONNX cache: exported once per weights file, atomically, rebuilt on request."""

from __future__ import annotations

import os

import pytest

from vision.onnx_cache import KEEP_NEWEST, cache_path, cached_onnx, file_sha256


class FakeExporter:
    """Writes a file where ultralytics would (inside the work folder) and counts calls."""

    def __init__(self, fail: bool = False) -> None:
        self.calls: list[str] = []
        self.fail = fail

    def __call__(self, weights, work_dir):
        self.calls.append(weights.read_text())
        if self.fail:
            (work_dir / "half.onnx").write_bytes(b"partial")
            raise RuntimeError("torch.onnx is not installed")
        out = work_dir / "weights.onnx"
        out.write_bytes(b"onnx from " + weights.read_bytes())
        return out


@pytest.fixture
def weights(tmp_path):
    path = tmp_path / "model" / "weights.pt"
    path.parent.mkdir()
    path.write_bytes(b"checkpoint v1")
    return path


def test_exported_once_then_reused(tmp_path, weights):
    cache, export = tmp_path / "cache", FakeExporter()
    first = cached_onnx(weights, cache_dir=cache, exporter=export)
    assert first == cache / f"{file_sha256(weights)}.onnx"
    assert first.read_bytes() == b"onnx from checkpoint v1"
    assert cached_onnx(weights, cache_dir=cache, exporter=export) == first
    assert export.calls == ["checkpoint v1"]
    assert sorted(p.name for p in cache.iterdir()) == [first.name]  # no temp folder left
    assert not (weights.parent / "weights.onnx").exists()  # the model folder is never written


def test_new_weights_or_export_settings_get_their_own_file(tmp_path, weights):
    cache, export = tmp_path / "cache", FakeExporter()
    old = cached_onnx(weights, cache_dir=cache, exporter=export)
    other = cached_onnx(weights, cache_dir=cache, exporter=export, variant="dynamic")
    assert other.name.endswith("-dynamic.onnx") and other != old
    weights.write_bytes(b"checkpoint v2")
    new = cached_onnx(weights, cache_dir=cache, exporter=export)
    assert new != old and new.read_bytes() == b"onnx from checkpoint v2"
    assert export.calls == ["checkpoint v1", "checkpoint v1", "checkpoint v2"]


def test_rebuild_replaces_a_corrupt_file(tmp_path, weights):
    cache, export = tmp_path / "cache", FakeExporter()
    path = cached_onnx(weights, cache_dir=cache, exporter=export)
    path.write_bytes(b"garbage")
    assert cached_onnx(weights, cache_dir=cache, exporter=export, rebuild=True) == path
    assert path.read_bytes() == b"onnx from checkpoint v1"


def test_failed_export_leaves_nothing(tmp_path, weights):
    cache = tmp_path / "cache"
    with pytest.raises(RuntimeError, match="not installed"):
        cached_onnx(weights, cache_dir=cache, exporter=FakeExporter(fail=True))
    assert list(cache.iterdir()) == []
    assert not cache_path(weights, cache).exists()


def test_old_exports_are_pruned(tmp_path, weights):
    cache, export = tmp_path / "cache", FakeExporter()
    made = []
    for i in range(KEEP_NEWEST + 3):
        weights.write_bytes(f"checkpoint {i}".encode())
        made.append(cached_onnx(weights, cache_dir=cache, exporter=export))
        os.utime(made[-1], (1_000_000 + i, 1_000_000 + i))  # distinct, increasing mtimes
    left = sorted(cache.glob("*.onnx"))
    assert len(left) == KEEP_NEWEST
    assert set(left) == set(made[-KEEP_NEWEST:])
