"""Shared input checks. Every message starts with the field name, then expected vs actual."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any, TypeVar

from .errors import TaxInputError

E = TypeVar("E", bound=Enum)

SATANG = Decimal("0.01")


def require_int(
    name: str, value: Any, *, min_value: int | None = None, max_value: int | None = None
) -> int:
    """An exact int (bool and float rejected: a float area hides rounding the law fixes)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TaxInputError(f"{name} must be an int, got {type(value).__name__} {value!r}")
    if min_value is not None and value < min_value:
        # "> 0" reads better than ">= 1" for areas and counts
        op = "> 0" if min_value == 1 else f">= {min_value}"
        raise TaxInputError(f"{name} must be {op}, got {value}")
    if max_value is not None and value > max_value:
        raise TaxInputError(f"{name} must be <= {max_value}, got {value}")
    return value


def require_bool(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise TaxInputError(f"{name} must be a bool, got {type(value).__name__} {value!r}")
    return value


def require_enum(name: str, value: Any, enum_cls: type[E]) -> E:
    """The enum member, also accepting its stored value (e.g. 2 or "static" from a DB row)."""
    if isinstance(value, enum_cls):
        return value
    # bool is an int: True must not silently become SignType(1)
    if not isinstance(value, bool):
        try:
            return enum_cls(value)
        except (ValueError, TypeError):
            pass
    allowed = ", ".join(repr(m.value) for m in enum_cls)
    raise TaxInputError(f"{name} must be one of {enum_cls.__name__} ({allowed}), got {value!r}")


def require_date(name: str, value: Any) -> date:
    """A calendar date; a datetime is reduced to its date (the law counts whole days)."""
    if isinstance(value, datetime):
        return value.date()
    if not isinstance(value, date):
        raise TaxInputError(f"{name} must be a date, got {type(value).__name__} {value!r}")
    return value


def require_money(name: str, value: Any, *, min_value: Decimal = Decimal(0)) -> Decimal:
    """Baht as Decimal with at most 2 places (satang). Floats are refused: they are not exact.

    Accepts Decimal, int or a numeric string (as written by ``to_dict``).
    """
    if isinstance(value, bool) or isinstance(value, float):
        raise TaxInputError(f"{name} must be Decimal baht, got {type(value).__name__} {value!r}")
    if isinstance(value, int | str):
        try:
            value = Decimal(value)
        except InvalidOperation:
            raise TaxInputError(f"{name} must be a number of baht, got {value!r}") from None
    if not isinstance(value, Decimal):
        raise TaxInputError(f"{name} must be Decimal baht, got {type(value).__name__} {value!r}")
    if not value.is_finite():
        raise TaxInputError(f"{name} must be finite, got {value}")
    quantised = value.quantize(SATANG)
    if quantised != value:
        raise TaxInputError(f"{name} must have at most 2 decimal places (satang), got {value}")
    if quantised < min_value:
        raise TaxInputError(f"{name} must be >= {min_value}, got {value}")
    return quantised
