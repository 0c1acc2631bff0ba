"""Parsing of ``WxH`` image-size arguments shared by the CLI commands."""

from __future__ import annotations

MIN_SIDE_PX = 64


def parse_size_wh(text: str) -> tuple[int, int] | None:
    """``"1280x960"`` -> ``(1280, 960)``; None unless two integers of at least MIN_SIDE_PX."""
    try:
        size = tuple(int(v) for v in text.lower().split("x"))
    except ValueError:
        return None
    if len(size) != 2 or min(size) < MIN_SIDE_PX:
        return None
    return size[0], size[1]
