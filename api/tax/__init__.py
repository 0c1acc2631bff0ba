"""SignTax's signboard-tax engine (ภาษีป้าย): pure functions over frozen value types.

The law and its open questions: ``shared/docs/tax-law.md``. Money is ``Decimal`` baht with
2 places; areas are integer cm²; tax years are Gregorian (2026 = B.E. 2569). This package
imports no other project package and no web or database framework.
"""

from .area import MAX_AREA_CM2, units_500
from .assessment import TaxAssessment
from .classify import Motion, SignType, classify, classify_reason, sign_class_label
from .engine import DEFAULT_POLICY, assess
from .errors import TaxInputError
from .exemptions import Exemption
from .facts import ChangeKind, SignChange, TaxFacts
from .installments import (
    INSTALLMENT_MIN_BAHT,
    Installment,
    installment_plan,
    installments_allowed,
    split_equal,
)
from .money import to_money
from .periods import filing_deadline, months_after, payment_deadline
from .policy import LocalPolicy
from .proration import proration_factor, quarter_of
from .rates import (
    MR_2535,
    MR_2563,
    RATE_TABLES,
    RateTable,
    rate_table_by_version,
    rate_table_for_year,
)
from .surcharges import (
    Surcharges,
    late_filing_surcharge,
    late_payment_surcharge,
    surcharges,
    under_declaration_surcharge,
)

__all__ = [
    "DEFAULT_POLICY",
    "INSTALLMENT_MIN_BAHT",
    "MAX_AREA_CM2",
    "MR_2535",
    "MR_2563",
    "RATE_TABLES",
    "ChangeKind",
    "Exemption",
    "Installment",
    "LocalPolicy",
    "Motion",
    "RateTable",
    "SignChange",
    "SignType",
    "Surcharges",
    "TaxAssessment",
    "TaxFacts",
    "TaxInputError",
    "assess",
    "classify",
    "classify_reason",
    "filing_deadline",
    "installment_plan",
    "installments_allowed",
    "late_filing_surcharge",
    "late_payment_surcharge",
    "months_after",
    "payment_deadline",
    "proration_factor",
    "quarter_of",
    "rate_table_by_version",
    "rate_table_for_year",
    "sign_class_label",
    "split_equal",
    "surcharges",
    "to_money",
    "under_declaration_surcharge",
    "units_500",
]
