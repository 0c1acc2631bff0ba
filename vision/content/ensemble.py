"""A content network version that is the average of other shipped versions.

Why: two networks trained on different scenes may make different mistakes. c10 (trained
further on rows of bare digits) fixed a phone-number Thai sign that c9 read as Latin, and lost
Type 2 signs c9 had right; neither was better enough to replace the other. Averaging their
probabilities keeps what both see surely and softens what only one believes, for the price of
running each member (8 ms per crop for a ``facts-s`` on 2 CPU cores) and no training.
Measured with ``e1`` (c9 and c10, 2026-11-27; its model card): the shipped ``facts-s``
networks share most of their mistakes, and e1 scored three held-out crops fewer than c9, so
it is not promoted; the format stays for networks that differ more (a GPU-trained
``facts-m`` beside a ``facts-s``).

A version folder holding ``members.json`` instead of ``weights.pt`` is an ensemble::

    {"format": 1, "members": ["c9", "c10"]}

Members are sibling version folders, named as plain folder names (never a path), each a
single network (an ensemble of ensembles is refused, so a loop cannot form). The ensemble
has its own ``calibration.json`` (``signtax eval fusion --classifier <ensemble>
--write-calibration``): the average's confidence is not either member's.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from vision.errors import ModelLoadError

MEMBERS_NAME = "members.json"
ENSEMBLE_FORMAT = 1
MAX_MEMBERS = 8
_VERSION_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


@dataclass(frozen=True, slots=True)
class EnsembleSpec:
    """The member version folders of an ensemble, in the order written."""

    member_dirs: tuple[Path, ...]


def read_ensemble(model_dir: Path) -> EnsembleSpec | None:
    """The ensemble in ``model_dir``, or None when it is a single network's folder.

    Raises :class:`ModelLoadError` naming what is wrong with a ``members.json``.
    """
    path = Path(model_dir) / MEMBERS_NAME
    if not path.is_file():
        return None
    try:
        blob = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelLoadError(f"cannot read {path}: {exc}") from exc
    if not isinstance(blob, dict) or blob.get("format") != ENSEMBLE_FORMAT:
        raise ModelLoadError(f"{path}: expected an object with format {ENSEMBLE_FORMAT}")
    members = blob.get("members")
    if (not isinstance(members, list) or not 2 <= len(members) <= MAX_MEMBERS
            or not all(isinstance(m, str) and _VERSION_NAME.match(m) for m in members)):
        raise ModelLoadError(f"{path}: 'members' must list 2 to {MAX_MEMBERS} version folder "
                             f"names (letters, digits, '.', '_', '-'), got {members!r}")
    if len(set(members)) != len(members):
        raise ModelLoadError(f"{path}: a member is listed twice: {members}")
    own = Path(model_dir).resolve()
    dirs = tuple(own.parent / m for m in members)
    for d in dirs:
        if d == own:
            raise ModelLoadError(f"{path}: an ensemble cannot list itself")
        if not d.is_dir():
            raise ModelLoadError(f"{path}: member {d.name!r} is not a folder beside it")
        if (d / MEMBERS_NAME).is_file():
            raise ModelLoadError(f"{path}: member {d.name!r} is an ensemble itself")
    return EnsembleSpec(dirs)
