"""Per-municipality switches for the questions the law leaves open (tax-law §15).

Local authorities cannot change rates or add exemptions (tax-law §9.3); these switches only
choose between readings of the Act where the sources disagree or are unverified. Every
assessment records the policy it used, so the choice is auditable.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from ._validate import require_bool, require_int
from .errors import TaxInputError

INDOOR_EXEMPT_MAX_CM2 = 30_000  # 3 m², per secondary sources for §8(5) (tax-law §9.1 item 5)


@dataclass(frozen=True, slots=True)
class LocalPolicy:
    """Switches, each with its spec section and default.

    - ``min_then_prorate`` (§7, §15.1): True = reading A, floor the annual tax at the minimum
      and then prorate (a minimum sign installed in Q4 pays 50.00); False = reading B,
      prorate then floor (every new sign pays at least 200.00). Default A.
    - ``exempt_small_signs_500cm2`` (§9.2, §15.3): exempt signs of at most 500 cm² under
      Ministerial Regulation No. 2 (B.E. 2535), known from one non-government source. Off.
    - ``prorate_partial_change_increase`` (§8, §15.5): prorate the §14(3) increase by the
      quarter of the change. The Act says "pay only the increase" and prorates only a sign's
      first year, so off (full-year difference).
    - ``exempt_private_car_signs`` (§9.2, §15.3): honour the unverified Regulation No. 2
      exemption for signs on private cars of at most 1,600 kg not used for hire. Off.
    - ``indoor_exempt_max_cm2`` (§8(5), §9.1): largest indoor sign the §8(5) exemption
      covers, in cm². Default 30,000 (3 m²), well attested but the regulation is unseen.
    - ``round_due_to_whole_baht`` (§7 "Currency", §15.10): round the amount due half-up to
      whole baht. Off: keep satang.
    """

    min_then_prorate: bool = True
    exempt_small_signs_500cm2: bool = False
    prorate_partial_change_increase: bool = False
    exempt_private_car_signs: bool = False
    indoor_exempt_max_cm2: int = INDOOR_EXEMPT_MAX_CM2
    round_due_to_whole_baht: bool = False

    def __post_init__(self) -> None:
        for f in fields(self):
            if f.name == "indoor_exempt_max_cm2":
                require_int(f.name, self.indoor_exempt_max_cm2, min_value=0)
            else:
                require_bool(f.name, getattr(self, f.name))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready switches, keyed by field name."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LocalPolicy:
        """Inverse of ``to_dict``; unknown keys are refused (a typo would silently default)."""
        if not isinstance(data, Mapping):
            raise TaxInputError(f"policy must be a mapping, got {type(data).__name__}")
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise TaxInputError(f"policy has unknown keys {unknown}; known: {sorted(known)}")
        return cls(**data)
