"""The seam between scan results and money: a ``Pricer`` turns one observation into a price.

The service stores what a pricer returns and never computes tax itself. The default pricer
adapts ``api.pricing`` (the tax engine's facade); tests inject their own.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any, Protocol

from api import pricing
from vision.types import SignObservation

_CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class SignPrice:
    """What the registry keeps from pricing one sign.

    ``due_baht`` and ``baht_at_risk`` are None when the sign cannot be priced (no measurement);
    ``tax_missing_reason`` then says why. ``detail`` is the JSON-ready per-sign dict the CLI
    prints (``api.pricing.priced_sign_to_dict``).
    """

    sign_type: int
    due_baht: Decimal | None
    baht_at_risk: Decimal | None
    tax_missing_reason: str | None
    detail: dict[str, Any]

    def __post_init__(self) -> None:
        if self.sign_type not in (1, 2, 3):
            raise ValueError(f"sign_type must be 1, 2 or 3, got {self.sign_type!r}")
        for name in ("due_baht", "baht_at_risk"):
            value = getattr(self, name)
            if value is None:
                continue
            if not isinstance(value, Decimal) or not value.is_finite() or value < 0:
                raise ValueError(f"{name} must be a finite non-negative Decimal, got {value!r}")
            object.__setattr__(self, name, value.quantize(_CENT))
        if self.due_baht is None and not self.tax_missing_reason:
            raise ValueError("an unpriced sign needs tax_missing_reason")
        object.__setattr__(self, "detail", to_jsonable(self.detail))


class Pricer(Protocol):
    def __call__(self, obs: SignObservation, *, tax_year: int) -> SignPrice: ...


def tax_engine_pricer(obs: SignObservation, *, tax_year: int) -> SignPrice:
    """Price with the tax engine (``api.pricing``, shared with the CLI)."""
    priced = pricing.price_observation(obs, tax_year=tax_year)
    assessment = priced.assessment
    return SignPrice(
        sign_type=int(priced.sign_type),
        due_baht=assessment.due_baht if assessment is not None else None,
        baht_at_risk=assessment.baht_at_risk if assessment is not None else None,
        tax_missing_reason=priced.tax_missing_reason,
        detail=pricing.priced_sign_to_dict(priced),
    )


def to_jsonable(value: Any) -> Any:
    """A copy of ``value`` that ``json.dumps`` accepts: Decimal → str, enum → value, date → ISO."""

    def default(obj: Any) -> Any:
        if isinstance(obj, Decimal):
            return str(obj)
        if isinstance(obj, Enum):
            return obj.value
        if isinstance(obj, datetime | date):
            return obj.isoformat()
        if isinstance(obj, set | frozenset | tuple):
            return sorted(obj, key=str) if isinstance(obj, set | frozenset) else list(obj)
        raise TypeError(f"{type(obj).__name__} is not JSON-serialisable")

    return json.loads(json.dumps(value, default=default, allow_nan=False))
