"""Versioned rate tables (baht per 500 cm² unit) and the one that applies to a tax year.

Sources: tax-law §1.3 and §5. The Act (§5) lets the Minister of Interior set rates by
ministerial regulation up to the Schedule's ceilings; local authorities cannot change them
(§9.3), so there is no local rate override here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ._validate import require_date, require_enum, require_int, require_money
from .classify import Motion, SignType
from .errors import TaxInputError
from .frozen import FrozenMap

ACT_FIRST_TAX_YEAR = 1968  # the Signboard Tax Act B.E. 2510 took effect on 1 Jan 1968 (§2)
LAST_TAX_YEAR = 9999  # the last year a datetime.date can hold

ALL_CLASSES: tuple[tuple[SignType, Motion], ...] = tuple((t, m) for t in SignType for m in Motion)


@dataclass(frozen=True, slots=True)
class RateTable:
    """One ministerial regulation's rates.

    ``baht_per_unit`` maps every (type, motion) pair to baht per 500 cm² unit;
    ``minimum_baht`` is the per-sign floor of Schedule (7)(b).
    """

    version: str
    effective_from: date
    baht_per_unit: Mapping[tuple[SignType, Motion], Decimal]
    minimum_baht: Decimal

    def __post_init__(self) -> None:
        if not isinstance(self.version, str) or not self.version.strip():
            raise TaxInputError(f"version must be a non-empty str, got {self.version!r}")
        object.__setattr__(
            self, "effective_from", require_date("effective_from", self.effective_from)
        )
        if not isinstance(self.baht_per_unit, Mapping):
            raise TaxInputError(
                f"baht_per_unit must be a mapping, got {type(self.baht_per_unit).__name__}"
            )
        rates: dict[tuple[SignType, Motion], Decimal] = {}
        for key, rate in self.baht_per_unit.items():
            if not (isinstance(key, tuple) and len(key) == 2):
                raise TaxInputError(
                    f"baht_per_unit keys must be (SignType, Motion) pairs, got {key!r}"
                )
            pair = (
                require_enum("baht_per_unit sign type", key[0], SignType),
                require_enum("baht_per_unit motion", key[1], Motion),
            )
            rates[pair] = require_money(f"baht_per_unit[{key!r}]", rate)
        missing = [f"{int(t)}{m.thai_label}" for t, m in ALL_CLASSES if (t, m) not in rates]
        if missing:
            raise TaxInputError(f"baht_per_unit must cover every class, missing {missing}")
        object.__setattr__(self, "baht_per_unit", FrozenMap(rates))
        object.__setattr__(self, "minimum_baht", require_money("minimum_baht", self.minimum_baht))

    def rate(self, sign_type: SignType, motion: Motion) -> Decimal:
        """Baht per 500 cm² unit for this class."""
        return self.baht_per_unit[(sign_type, motion)]


def _table(version: str, effective_from: date, rates: dict[SignType, tuple[int, int]]) -> RateTable:
    """Build a table from {type: (moving ก, static ข)} in whole baht."""
    return RateTable(
        version=version,
        effective_from=effective_from,
        baht_per_unit={
            (t, m): Decimal(rates[t][0 if m is Motion.MOVING else 1]) for t, m in ALL_CLASSES
        },
        minimum_baht=Decimal(200),
    )


# Ministerial Regulation No. 5 (B.E. 2535): 3/20/40, no moving/static split (tax-law §5.2).
# Its start date is only known as "1992(?)" from secondary sources; 1 Jan 1992 is assumed.
MR_2535 = _table(
    "MR-2535",
    date(1992, 1, 1),
    {
        SignType.THAI_ONLY: (3, 3),
        SignType.THAI_MIXED: (20, 20),
        SignType.NO_THAI_OR_THAI_BELOW: (40, 40),
    },
)

# Ministerial Regulation Prescribing Signboard Tax Rates B.E. 2563 (Royal Gazette vol. 137
# part 98 ก, 3 Dec 2020), applied from 1 Jan 2021 by most sources (tax-law §1.3, §15.2).
MR_2563 = _table(
    "MR-2563",
    date(2021, 1, 1),
    {
        SignType.THAI_ONLY: (10, 5),
        SignType.THAI_MIXED: (52, 26),
        SignType.NO_THAI_OR_THAI_BELOW: (52, 50),
    },
)

RATE_TABLES: tuple[RateTable, ...] = (MR_2535, MR_2563)  # oldest first


def rate_table_for_year(tax_year: int) -> RateTable:
    """The table in force for Gregorian ``tax_year`` (e.g. 2026 -> MR-2563).

    Years 1968-1991 also get MR-2535: the 1968-era rates were not found (tax-law §5.2), and
    the 5-year back-assessment window (§29) never reaches them from a current notice. Years
    before 1968 raise TaxInputError: there was no Signboard Tax Act yet.
    """
    require_int("tax_year", tax_year, min_value=ACT_FIRST_TAX_YEAR, max_value=LAST_TAX_YEAR)
    in_force = [t for t in RATE_TABLES if t.effective_from.year <= tax_year]
    return in_force[-1] if in_force else RATE_TABLES[0]


def rate_table_by_version(version: str) -> RateTable:
    """The table recorded in an assessment's ``table_version``, for recomputing old bills."""
    for table in RATE_TABLES:
        if table.version == version:
            return table
    known = [t.version for t in RATE_TABLES]
    raise TaxInputError(f"table_version must be one of {known}, got {version!r}")
