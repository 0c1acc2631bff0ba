"""Seeded train/validation splits that do not change when the code around them does."""

from __future__ import annotations

import hashlib


def is_validation(key: str, *, seed: int, val_fraction: float) -> bool:
    """Deterministic split by hashing ``seed:key``; stable across runs, machines and file order.

    Hashing (rather than shuffling a list) keeps an image in the same split when other images
    are added or removed, so a frozen validation set stays frozen.
    """
    if not 0.0 < val_fraction < 1.0:
        raise ValueError(f"val_fraction must be in (0, 1), got {val_fraction}")
    digest = hashlib.sha256(f"{seed}:{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < val_fraction
