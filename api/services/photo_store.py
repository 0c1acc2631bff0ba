"""Photos on local disk, addressed by their SHA-256, written atomically."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from api.errors import NotFound

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class PhotoStore:
    """``<root>/<sha[:2]>/<sha>``: content-addressed, so a rewrite of the same bytes is harmless."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def relative_path(self, sha256: str) -> str:
        if not _SHA256.match(sha256):
            raise ValueError(f"sha256 must be 64 lowercase hex digits, got {sha256!r}")
        return f"{sha256[:2]}/{sha256}"

    def write(self, sha256: str, data: bytes) -> str:
        """Write ``data`` durably and atomically; returns the path relative to the root.

        The bytes go to a temporary file in the target folder, are fsynced, then renamed over
        the final name, so a reader never sees a partial photo and a crash leaves at most a
        stray ``.tmp`` file.
        """
        rel = self.relative_path(sha256)
        final = self.root / rel
        final.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{sha256[:12]}.", suffix=".tmp", dir=final.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp_name, final)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise
        _fsync_dir(final.parent)
        return rel

    def path(self, rel: str) -> Path:
        """Absolute path of a stored photo; refuses anything that would leave the store."""
        root = self.root.resolve()
        candidate = (root / rel).resolve()
        if not candidate.is_relative_to(root):
            raise NotFound(
                f"stored path {rel!r} is outside the photo store", code="photo_file_missing"
            )
        return candidate

    def read(self, rel: str) -> bytes:
        return self.path(rel).read_bytes()


def _fsync_dir(path: Path) -> None:
    """Make the rename itself durable (POSIX); a no-op where directories cannot be opened."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def sniff_content_type(data: bytes) -> str:
    """The MIME type from the first bytes; ``application/octet-stream`` when unknown."""
    head = data[:16]
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "image/tiff"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if head[:2] == b"BM":
        return "image/bmp"
    if head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"msf1", b"hevc"):
        return "image/heic"
    return "application/octet-stream"
