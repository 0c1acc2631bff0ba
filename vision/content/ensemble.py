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

Format 2 also averages over *views* of the crop, each the crop trimmed by a share of its
width on the left and right (``trim_x``) and of its height at the top and bottom
(``trim_y``); one member is then enough::

    {"format": 2, "members": ["c9"], "views": [{"trim_x": 0, "trim_y": 0},
                                                {"trim_x": 0.03, "trim_y": 0.03},
                                                {"trim_x": 0, "trim_y": 0.06}]}

Why: the scan cuts a sign from corners the detector placed, which are a few percent off, and
the networks were trained on crops cut from corners moved by up to 4 % of the sides. A
network's reading of one cut is partly luck of that cut; the mean over nearby cuts is less so.
On 602 rendered crops of scenes no network or evaluation uses (seeds from 975,000,000;
2026-11-29), c9 on the crop as cut against the mean over the three views above (chosen there
among the means of the as-cut view with others of five; ``scripts/content_views_study.py``):
Thai right 0.955 against 0.962, Latin 0.897 against 0.915, CJK 0.962 against 0.957, Thai
below foreign 0.957 against 0.958, mean log loss 0.109 against 0.105. It did not move the tax type: on the fusion's tuning crops with the default policy
(``signtax eval fusion --synth 300``, its own calibration fitted there) that mean, ``c9t``,
got 278/300 rendered crops right against c9's 280/300 (real 57/58 both; the best of the
policy grid 283 against 282), so it was not put through the gate nor shipped. The format
stays for networks whose views disagree more (a larger network, harder cuts). A view
*larger* than the cut would need the photo, which the content analysis does not get; a
mirrored one shows letters no sign has.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from vision.errors import ModelLoadError

MEMBERS_NAME = "members.json"
ENSEMBLE_FORMATS = (1, 2)  # 2: views
MAX_MEMBERS = 8
MAX_VIEWS = 8
MAX_TRIM_SHARE = 0.2  # per side: a view must still show most of the sign
_VERSION_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


@dataclass(frozen=True, slots=True)
class CropView:
    """The crop trimmed by ``trim_x`` of its width on the left and on the right, and by
    ``trim_y`` of its height at the top and at the bottom (shares, 0 = as cut)."""

    trim_x: float = 0.0
    trim_y: float = 0.0

    def __post_init__(self) -> None:
        for name in ("trim_x", "trim_y"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int | float) or not (
                    0.0 <= v <= MAX_TRIM_SHARE):
                raise ValueError(f"{name} must be a share from 0 to {MAX_TRIM_SHARE}, got {v!r}")

    def apply(self, crop_bgr: np.ndarray) -> np.ndarray:
        h, w = crop_bgr.shape[:2]
        dx, dy = round(w * self.trim_x), round(h * self.trim_y)
        if w - 2 * dx < 2 or h - 2 * dy < 2:  # a crop a few pixels wide: keep it whole
            return crop_bgr
        return crop_bgr[dy:h - dy, dx:w - dx]

    def describe(self) -> str:
        if self.trim_x == self.trim_y == 0:
            return "as cut"
        return f"trimmed {self.trim_x:g} x {self.trim_y:g}"


AS_CUT = (CropView(),)


@dataclass(frozen=True, slots=True)
class EnsembleSpec:
    """The member version folders of an ensemble, in the order written, and the views of the
    crop each reads (the facts are the mean over every member and view)."""

    member_dirs: tuple[Path, ...]
    views: tuple[CropView, ...] = AS_CUT


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
    if not isinstance(blob, dict) or blob.get("format") not in ENSEMBLE_FORMATS:
        raise ModelLoadError(f"{path}: expected an object with format 1 (members) or 2 "
                             "(members and views)")
    views = _views(path, blob) if blob["format"] == 2 else AS_CUT
    # One network read one way is a plain version folder, not an ensemble.
    least = 2 if len(views) == 1 else 1
    members = blob.get("members")
    if (not isinstance(members, list) or not least <= len(members) <= MAX_MEMBERS
            or not all(isinstance(m, str) and _VERSION_NAME.match(m) for m in members)):
        raise ModelLoadError(f"{path}: 'members' must list {least} to {MAX_MEMBERS} version "
                             f"folder names (letters, digits, '.', '_', '-'), got {members!r}")
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
    return EnsembleSpec(dirs, views)


def _views(path: Path, blob: dict) -> tuple[CropView, ...]:
    listed = blob.get("views")
    if not isinstance(listed, list) or not 1 <= len(listed) <= MAX_VIEWS:
        raise ModelLoadError(f"{path}: format 2 needs 'views', a list of 1 to {MAX_VIEWS} "
                             f"objects with trim_x and trim_y, got {listed!r}")
    views = []
    for i, v in enumerate(listed):
        if not isinstance(v, dict) or set(v) - {"trim_x", "trim_y"}:
            raise ModelLoadError(f"{path}: view {i} must be an object with trim_x and trim_y "
                                 f"only, got {v!r}")
        try:
            views.append(CropView(**v))
        except ValueError as exc:
            raise ModelLoadError(f"{path}: view {i}: {exc}") from exc
    if len(set(views)) != len(views):
        raise ModelLoadError(f"{path}: a view is listed twice: {listed}")
    return tuple(views)
