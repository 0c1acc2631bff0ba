"""What the engine needs to know about one sign (one face), validated on construction.

Events during the year (tax-law §8) are modelled as an optional ``SignChange`` on the facts
that describe the sign *after* the change:

- ``REPLACE_SAME`` (§14(2), §14 bis): a new sign identical in area, text, pictures and marks
  to an already-taxed one. Nothing is due for the year of replacement.
- ``PARTIAL_UP`` (§14(3), Schedule (5)): part of the area/text/pictures/marks changed so that
  the tax rises. Only the increase over ``previous_annual_baht`` is due for that year.
- ``FULL_CHANGE`` (§14 bis): all text, pictures and marks changed. Taxed like a new sign,
  prorated from the quarter of the change; the old sign's tax is not refunded (§24).

Not modelled as changes, because they do not change the current year's tax: transfer of
ownership (§16), removal, and changes that lower the tax (§24 last para: effective only from
next year). Assess the facts as they stood. Moving a sign (not in the Act, tax-law §8
[INTERP]): within the same authority use ``REPLACE_SAME``; into another authority, that
authority assesses it as newly installed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from ._validate import require_date, require_enum, require_int, require_money
from .area import MAX_AREA_CM2
from .classify import Motion, SignType
from .errors import TaxInputError
from .exemptions import Exemption
from .frozen import FrozenMap

PROBABILITY_SUM_TOLERANCE = 1e-3  # softmax outputs rounded for storage still pass


class ChangeKind(StrEnum):
    """A §14(2)/(3) or §14 bis event. Values follow the register's ``change_kind``."""

    REPLACE_SAME = "replace_same"
    PARTIAL_UP = "partial_up"
    FULL_CHANGE = "full_change"


@dataclass(frozen=True, slots=True)
class SignChange:
    """A change to an already-taxed sign on ``changed_on``.

    ``previous_annual_baht`` (PARTIAL_UP only, required there): the old sign's annual tax
    (after the minimum) for the same tax year and rate table, i.e. what was already charged.
    """

    kind: ChangeKind
    changed_on: date
    previous_annual_baht: Decimal | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", require_enum("change.kind", self.kind, ChangeKind))
        object.__setattr__(self, "changed_on", require_date("change.changed_on", self.changed_on))
        if self.kind is ChangeKind.PARTIAL_UP:
            if self.previous_annual_baht is None:
                raise TaxInputError(
                    "change.previous_annual_baht is required for partial_up, got None"
                )
            object.__setattr__(
                self,
                "previous_annual_baht",
                require_money("change.previous_annual_baht", self.previous_annual_baht),
            )
        elif self.previous_annual_baht is not None:
            raise TaxInputError(
                f"change.previous_annual_baht applies only to partial_up, got "
                f"{self.previous_annual_baht} for {self.kind.value}"
            )

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "changed_on": self.changed_on.isoformat(),
            "previous_annual_baht": None
            if self.previous_annual_baht is None
            else str(self.previous_annual_baht),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SignChange:
        _refuse_unknown("change", data, {"kind", "changed_on", "previous_annual_baht"})
        return cls(
            kind=_required("change", data, "kind"),
            changed_on=_parse_date("change.changed_on", _required("change", data, "changed_on")),
            previous_annual_baht=data.get("previous_annual_baht"),
        )


@dataclass(frozen=True, slots=True)
class TaxFacts:
    """One sign face's taxable facts.

    - ``area_cm2``: the law's bounding rectangle, widest x longest extent, integer cm²
      (Schedule (6)); 1 .. 10^9.
    - ``sign_type``, ``motion``: the class (see ``classify``); ints/strings are accepted and
      normalised to the enums.
    - ``install_date``: first installed/shown; the first year (``install_date.year`` equal to
      the tax year) is prorated by quarter (§7). None = installed before the tax year.
    - ``area_ci95_cm2``: optional 95% interval of the area in cm², (low, high) ints.
    - ``type_probabilities``: optional P(type) from content analysis, summing to 1.
    - ``change``: optional §14(2)/(3)/§14 bis event, see the module docstring.
    - ``exemption``: optional exemption claimed by the officer (§8).
    """

    area_cm2: int
    sign_type: SignType
    motion: Motion = Motion.STATIC
    install_date: date | None = None
    area_ci95_cm2: tuple[int, int] | None = None
    type_probabilities: Mapping[SignType, float] | None = None
    change: SignChange | None = None
    exemption: Exemption | None = None

    def __post_init__(self) -> None:
        _set = object.__setattr__
        require_int("area_cm2", self.area_cm2, min_value=1, max_value=MAX_AREA_CM2)
        _set(self, "sign_type", require_enum("sign_type", self.sign_type, SignType))
        _set(self, "motion", require_enum("motion", self.motion, Motion))
        if self.install_date is not None:
            _set(self, "install_date", require_date("install_date", self.install_date))
        if self.area_ci95_cm2 is not None:
            _set(self, "area_ci95_cm2", _check_interval(self.area_ci95_cm2))
        if self.type_probabilities is not None:
            _set(self, "type_probabilities", _check_probabilities(self.type_probabilities))
        if self.change is not None:
            if not isinstance(self.change, SignChange):
                raise TaxInputError(
                    f"change must be a SignChange, got {type(self.change).__name__}"
                )
            if self.install_date is not None and self.change.changed_on < self.install_date:
                raise TaxInputError(
                    f"change.changed_on must be on or after install_date {self.install_date}, "
                    f"got {self.change.changed_on}"
                )
        if self.exemption is not None:
            _set(self, "exemption", require_enum("exemption", self.exemption, Exemption))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: enums as values, dates ISO, probabilities keyed by type number."""
        probs = self.type_probabilities
        return {
            "area_cm2": self.area_cm2,
            "sign_type": int(self.sign_type),
            "motion": self.motion.value,
            "install_date": None if self.install_date is None else self.install_date.isoformat(),
            "area_ci95_cm2": None if self.area_ci95_cm2 is None else list(self.area_ci95_cm2),
            "type_probabilities": None
            if probs is None
            else {str(int(t)): p for t, p in sorted(probs.items())},
            "change": None if self.change is None else self.change.to_dict(),
            "exemption": None if self.exemption is None else self.exemption.value,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TaxFacts:
        """Inverse of ``to_dict`` (for recomputing a stored assessment)."""
        _refuse_unknown("facts", data, set(cls.__dataclass_fields__))
        probs = data.get("type_probabilities")
        ci = data.get("area_ci95_cm2")
        install = data.get("install_date")
        change = data.get("change")
        return cls(
            area_cm2=_required("facts", data, "area_cm2"),
            sign_type=_required("facts", data, "sign_type"),
            motion=data.get("motion", Motion.STATIC),
            install_date=None if install is None else _parse_date("install_date", install),
            area_ci95_cm2=ci,  # a JSON list; __post_init__ makes it a tuple
            type_probabilities={_parse_type_key(k): p for k, p in probs.items()}
            if isinstance(probs, Mapping)
            else probs,
            change=None if change is None else SignChange.from_dict(change),
            exemption=data.get("exemption"),
        )


def _check_interval(value: Any) -> tuple[int, int]:
    if not isinstance(value, tuple | list) or len(value) != 2:
        raise TaxInputError(f"area_ci95_cm2 must be a (low, high) pair, got {value!r}")
    low = require_int("area_ci95_cm2 low", value[0], min_value=0, max_value=MAX_AREA_CM2)
    high = require_int("area_ci95_cm2 high", value[1], min_value=0, max_value=MAX_AREA_CM2)
    if low > high:
        raise TaxInputError(f"area_ci95_cm2 must have low <= high, got ({low}, {high})")
    return (low, high)


def _check_probabilities(value: Any) -> FrozenMap[SignType, float]:
    if not isinstance(value, Mapping) or not value:
        raise TaxInputError(f"type_probabilities must be a non-empty mapping, got {value!r}")
    probs: dict[SignType, float] = {}
    for key, p in value.items():
        sign_type = require_enum("type_probabilities key", key, SignType)
        if isinstance(p, bool) or not isinstance(p, int | float) or not math.isfinite(p):
            raise TaxInputError(
                f"type_probabilities[{int(sign_type)}] must be a finite number, got {p!r}"
            )
        if not 0.0 <= p <= 1.0:
            raise TaxInputError(f"type_probabilities[{int(sign_type)}] must be in [0, 1], got {p}")
        probs[sign_type] = float(p)
    total = math.fsum(probs.values())
    if abs(total - 1.0) > PROBABILITY_SUM_TOLERANCE:
        raise TaxInputError(f"type_probabilities must sum to 1, got {total:.6f}")
    return FrozenMap(probs)


def _parse_date(name: str, value: Any) -> date:
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise TaxInputError(f"{name} must be an ISO date, got {value!r}") from None
    return require_date(name, value)


def _parse_type_key(key: Any) -> Any:
    # JSON object keys are strings; "2" means SignType 2
    if isinstance(key, str) and key.isdigit():
        return int(key)
    return key


def _required(name: str, data: Mapping[str, Any], key: str) -> Any:
    if key not in data:
        raise TaxInputError(f"{name}.{key} is required, got no such key")
    return data[key]


def _refuse_unknown(name: str, data: Mapping[str, Any], known: set[str]) -> None:
    if not isinstance(data, Mapping):
        raise TaxInputError(f"{name} must be a mapping, got {type(data).__name__}")
    unknown = sorted(set(data) - known)
    if unknown:
        raise TaxInputError(f"{name} has unknown keys {unknown}; known: {sorted(known)}")
