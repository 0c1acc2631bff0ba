"""The service's scanner follows the model folder's PRODUCTION pointer: a promotion reaches the
next scan job without a restart, a failed load keeps the scanner in hand, and a model that cannot
load leaves the jobs queued with the reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.services.scanning import ModelUnavailable, ScannerProvider


class VersionScanner:
    """A scanner that only says which version folders it was loaded from."""

    def __init__(self, model_dir: Path, content_version: str | None = None) -> None:
        self.model_version = model_dir.name
        self.content_version = content_version

    def scan(self, photo, *, distance_m=None):  # pragma: no cover - not scanned here
        raise AssertionError("not used")


class Loader:
    """Loads VersionScanner, refusing the folders named in ``broken``; counts the loads."""

    def __init__(self, content_root: Path | None = None) -> None:
        self.loads: list[str] = []
        self.broken: set[str] = set()
        self.content_root = content_root  # loads the network its PRODUCTION names, as the service

    def __call__(self, model_dir: Path) -> VersionScanner:
        self.loads.append(model_dir.name)
        if model_dir.name in self.broken:
            raise RuntimeError(f"corrupt weights in {model_dir.name}")
        content = (None if self.content_root is None
                   else (self.content_root / "PRODUCTION").read_text().strip())
        return VersionScanner(model_dir, content)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "sign-detector"
    for version in ("v1", "v2", "v3"):
        (folder / version).mkdir(parents=True)
    (folder / "PRODUCTION").write_text("v1\n")
    return folder


def test_a_promotion_reaches_the_next_job_without_a_restart(root: Path) -> None:
    loader = Loader()
    provider = ScannerProvider(model_dir=root, loader=loader)
    assert provider.version is None
    assert provider.get().model_version == "v1" and provider.version == "v1"
    provider.get()
    assert loader.loads == ["v1"]  # loaded once while PRODUCTION stays

    (root / "PRODUCTION").write_text("v2\n")
    assert provider.get().model_version == "v2" and provider.version == "v2"
    provider.get()
    assert loader.loads == ["v1", "v2"]


def test_a_failed_switch_keeps_the_scanner_in_hand_and_is_retried_later(root: Path) -> None:
    loader = Loader()
    loader.broken.add("v3")
    provider = ScannerProvider(model_dir=root, loader=loader, retry_after_s=3600)
    assert provider.get().model_version == "v1"

    (root / "PRODUCTION").write_text("v3\n")
    assert provider.get().model_version == "v1"  # v3 does not load: scanning goes on with v1
    assert provider.get().model_version == "v1"
    assert loader.loads == ["v1", "v3"]  # not retried before retry_after_s
    assert provider.error is None  # a scanner is loaded; the failure is in the log

    retrying = ScannerProvider(model_dir=root, loader=loader, retry_after_s=0)
    (root / "PRODUCTION").write_text("v1\n")
    assert retrying.get().model_version == "v1"
    (root / "PRODUCTION").write_text("v3\n")
    retrying.get()
    loader.broken.clear()  # the weights are fixed
    assert retrying.get().model_version == "v3"


def test_a_broken_pointer_keeps_the_scanner_in_hand(root: Path) -> None:
    loader = Loader()
    provider = ScannerProvider(model_dir=root, loader=loader)
    assert provider.get().model_version == "v1"
    (root / "PRODUCTION").write_text("../elsewhere\n")
    assert provider.get().model_version == "v1"
    (root / "PRODUCTION").write_text("v9\n")  # names a folder that is not there
    assert provider.get().model_version == "v1"
    assert loader.loads == ["v1"]


def test_nothing_loadable_leaves_jobs_queued_with_the_reason(root: Path) -> None:
    loader = Loader()
    loader.broken.add("v1")
    provider = ScannerProvider(model_dir=root, loader=loader, retry_after_s=3600)
    with pytest.raises(ModelUnavailable, match="corrupt weights in v1"):
        provider.get()
    assert "corrupt weights in v1" in (provider.error or "")
    with pytest.raises(ModelUnavailable):
        provider.get()
    assert loader.loads == ["v1"]


def test_an_injected_scanner_is_kept(root: Path) -> None:
    loader = Loader()
    injected = VersionScanner(Path("fake-1"))
    provider = ScannerProvider(model_dir=root, scanner=injected, loader=loader)
    (root / "PRODUCTION").write_text("v2\n")
    assert provider.get() is injected and loader.loads == []


def _content_root(tmp_path: Path) -> Path:
    folder = tmp_path / "content-classifier"
    for version in ("c1", "c2"):
        (folder / version).mkdir(parents=True)
        (folder / version / "weights.pt").write_bytes(b"not read here")
    (folder / "PRODUCTION").write_text("c1\n")
    return folder


def test_a_content_network_promotion_reloads_the_scanner(root: Path, tmp_path: Path) -> None:
    from vision.content.classifier import resolve_content_model_dir

    content = _content_root(tmp_path)
    loader = Loader(content)
    provider = ScannerProvider(model_dir=root, loader=loader,
                               resolve_content=lambda: resolve_content_model_dir(content))
    assert provider.content_version is None  # nothing loaded yet
    provider.get()
    provider.get()
    assert loader.loads == ["v1"] and provider.content_version == "c1"
    (content / "PRODUCTION").write_text("c2\n")  # signtax promote c2 --content
    assert provider.get().model_version == "v1"
    assert loader.loads == ["v1", "v1"]  # loaded again: the scanner carries the new network
    assert provider.content_version == "c2"  # what /healthz reports
    provider.get()
    assert loader.loads == ["v1", "v1"]
    (content / "PRODUCTION").write_text("c9\n")  # broken: names a folder that is not there
    assert provider.get().model_version == "v1"
    assert loader.loads == ["v1", "v1"]  # the scanner in hand keeps working
