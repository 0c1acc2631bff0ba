"""Form contents as frozen value types, built from ``api.tax`` facts and assessments.

- ``Owner`` and ``Address``: the header of both forms (ภ.ป.1 header fields, tax-law §11.1).
- ``DeclaredSign``: one ภ.ป.1 row: the taxable facts plus what the owner writes about it
  (size in cm, count of identical signs, description, location, remarks).
- ``Declaration``: the ภ.ป.1 for one owner and tax year.
- ``NoticeLine`` / ``AssessmentNotice``: the ภ.ป.3 lines, each a sign's ``TaxAssessment`` and
  its §25 surcharges, totals in baht.

No rendering here and no framework imports: the PDF writers in ``pp1`` and ``pp3`` take these.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from api.tax import (
    DEFAULT_POLICY,
    INSTALLMENT_MIN_BAHT,
    MAX_AREA_CM2,
    LocalPolicy,
    RateTable,
    SignType,
    Surcharges,
    TaxAssessment,
    TaxFacts,
    TaxInputError,
    assess,
    payment_deadline,
    rate_table_for_year,
    surcharges,
)
from api.tax.money import ZERO

from .errors import FormInputError

MUNICIPALITY = "เทศบาลนครหาดใหญ่"
MUNICIPALITY_ADDRESS = "ถนนเพชรเกษม ตำบลหาดใหญ่ อำเภอหาดใหญ่ จังหวัดสงขลา 90110"
DEFAULT_OFFICE = "กองคลัง เทศบาลนครหาดใหญ่"
PAYMENT_DAYS = 15  # §19
APPEAL_DAYS = 30  # §30
MAX_SIDE_CM = Decimal(100_000)  # 1 km: a longer side is a unit error (mm typed as cm), not a sign

TYPE_HEADINGS: dict[SignType, str] = {
    SignType.THAI_ONLY: "ป้ายประเภทที่ 1 (อักษรไทยล้วน)",
    SignType.THAI_MIXED: "ป้ายประเภทที่ 2 (อักษรไทยปนกับอักษรต่างประเทศ และ/หรือภาพหรือเครื่องหมาย)",
    SignType.NO_THAI_OR_THAI_BELOW: (
        "ป้ายประเภทที่ 3 (ไม่มีอักษรไทย หรืออักษรไทยบางส่วนหรือทั้งหมดอยู่ใต้หรือต่ำกว่า"
        "อักษรต่างประเทศ)"
    ),
}


def parse_cm(name: str, value: object) -> Decimal:
    """A sign side in cm: > 0, at most 100,000 (1 km), at most 2 decimal places.

    Accepts int, Decimal or numeric text; floats are refused (not exact), except that the CLI
    passes text. Raises FormInputError naming ``name``.
    """
    if isinstance(value, bool) or isinstance(value, float):
        raise FormInputError(f"{name} must be a number of cm (int or text), got {value!r}")
    try:
        cm = Decimal(value) if isinstance(value, int | str | Decimal) else None
    except InvalidOperation:
        cm = None
    if cm is None or not cm.is_finite():
        raise FormInputError(f"{name} must be a number of cm, got {value!r}")
    if cm <= 0:
        raise FormInputError(f"{name} must be > 0 cm, got {value}")
    if cm > MAX_SIDE_CM:
        raise FormInputError(f"{name} must be <= {MAX_SIDE_CM} cm (1 km), got {value}")
    if cm != cm.quantize(Decimal("0.01")):
        raise FormInputError(f"{name} must have at most 2 decimal places, got {value}")
    return cm


def area_from_sides(width_cm: Decimal, length_cm: Decimal) -> tuple[Decimal, int]:
    """(exact area in cm², whole cm² for the engine) of a ``width_cm`` x ``length_cm`` sign.

    The engine takes integer cm². Rounding the exact product *up* never changes the units:
    the units are constant on each interval (250 + 500k, 750 + 500k], whose ends are whole
    numbers, so the ceiling stays inside the same interval (likewise for the 500 cm² and
    indoor limits, which are "at most" whole numbers).
    """
    exact = width_cm * length_cm
    whole = math.ceil(exact)
    if whole > MAX_AREA_CM2:
        raise FormInputError(
            f"area_cm2 must be <= {MAX_AREA_CM2} cm² (width x length), got {exact}"
        )
    return exact, whole


@dataclass(frozen=True, slots=True)
class Address:
    """A Thai postal address; empty parts are left out when written."""

    house_no: str = ""
    moo: str = ""
    soi: str = ""
    road: str = ""
    tambon: str = ""
    amphoe: str = ""
    province: str = ""
    postcode: str = ""

    def one_line(self) -> str:
        parts = [
            ("เลขที่ ", self.house_no),
            ("หมู่ที่ ", self.moo),
            ("ซอย", self.soi),
            ("ถนน", self.road),
            ("ตำบล", self.tambon),
            ("อำเภอ", self.amphoe),
            ("จังหวัด", self.province),
            ("", self.postcode),
        ]
        return " ".join(prefix + value.strip() for prefix, value in parts if value.strip())


@dataclass(frozen=True, slots=True)
class Owner:
    """The sign owner (เจ้าของป้าย, §7) as written on ภ.ป.1 and ภ.ป.3."""

    name: str
    business_name: str = ""
    address: Address = field(default_factory=Address)
    phone: str = ""
    id_number: str = ""  # national ID or juristic-person number, optional

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise FormInputError(f"owner.name must be a non-empty text, got {self.name!r}")


@dataclass(frozen=True, slots=True)
class DeclaredSign:
    """One ภ.ป.1 row: ``count`` identical signs with the same facts.

    ``width_cm`` and ``length_cm`` are what the owner measured (Decimal cm);
    ``facts.area_cm2`` is their product rounded up to whole cm², which gives exactly the
    units of the exact product under the ½-unit rule (see ``area_from_sides``).
    """

    facts: TaxFacts
    width_cm: Decimal
    length_cm: Decimal
    count: int = 1
    description: str = ""
    location: str = ""
    remarks: str = ""
    filed_late: str | None = None  # None, "before-notice" or "after-notice" (§25(1))
    under_declared_extra_baht: Decimal = ZERO  # extra tax over the ภ.ป.1 (§25(2))
    corrected_before_assessment: bool = False

    def __post_init__(self) -> None:
        if isinstance(self.count, bool) or not isinstance(self.count, int) or self.count < 1:
            raise FormInputError(f"count must be an int >= 1, got {self.count!r}")
        if self.filed_late not in (None, "before-notice", "after-notice"):
            raise FormInputError(
                "filed_late must be null, 'before-notice' or 'after-notice', "
                f"got {self.filed_late!r}"
            )

    @property
    def install_date(self) -> date | None:
        return self.facts.install_date


@dataclass(frozen=True, slots=True)
class Declaration:
    """ภ.ป.1 (แบบแสดงรายการภาษีป้าย) for one owner and one Gregorian ``tax_year``."""

    tax_year: int
    owner: Owner
    signs: tuple[DeclaredSign, ...]
    office: str = DEFAULT_OFFICE
    filed_on: date | None = None

    def __post_init__(self) -> None:
        if not self.signs:
            raise FormInputError("signs must list at least one sign, got none")

    def by_type(self) -> dict[SignType, tuple[DeclaredSign, ...]]:
        """Rows grouped by type 1/2/3 in that order, every type present (maybe empty)."""
        return {t: tuple(s for s in self.signs if s.facts.sign_type is t) for t in SignType}


@dataclass(frozen=True, slots=True)
class NoticeLine:
    """One ภ.ป.3 line: a declared row, its assessment and surcharges for the whole row."""

    sign: DeclaredSign
    assessment: TaxAssessment
    surcharges: Surcharges

    @property
    def tax_baht(self) -> Decimal:
        """Tax for all ``count`` signs of the row (each sign carries its own minimum)."""
        return self.assessment.due_baht * self.sign.count

    @property
    def surcharge_baht(self) -> Decimal:
        return self.surcharges.total_baht

    @property
    def total_baht(self) -> Decimal:
        return self.tax_baht + self.surcharge_baht


@dataclass(frozen=True, slots=True)
class AssessmentNotice:
    """ภ.ป.3 (หนังสือแจ้งการประเมิน) with its tear-off receipt (ใบรับ ภ.ป.3).

    ``received_on``: when the owner received it, if known; the payment deadline is 15 days
    after that (§19), else the notice states the rule in words.
    """

    number: str
    issued_on: date
    tax_year: int
    owner: Owner
    lines: tuple[NoticeLine, ...]
    table_version: str
    municipality: str = MUNICIPALITY
    municipality_address: str = MUNICIPALITY_ADDRESS
    office: str = DEFAULT_OFFICE
    declaration_filed_on: date | None = None
    received_on: date | None = None
    officer_name: str = ""

    def __post_init__(self) -> None:
        if not self.lines:
            raise FormInputError("lines must hold at least one sign, got none")
        if not isinstance(self.number, str) or not self.number.strip():
            raise FormInputError(f"notice.number must be a non-empty text, got {self.number!r}")

    @property
    def tax_baht(self) -> Decimal:
        return sum((line.tax_baht for line in self.lines), ZERO)

    @property
    def surcharge_baht(self) -> Decimal:
        return sum((line.surcharge_baht for line in self.lines), ZERO)

    @property
    def total_baht(self) -> Decimal:
        return self.tax_baht + self.surcharge_baht

    @property
    def payment_due(self) -> date | None:
        """Last day to pay (§19), when the date of receipt is known."""
        return None if self.received_on is None else payment_deadline(self.received_on)

    @property
    def appeal_until(self) -> date | None:
        """Last day to appeal to the mayor (§30): 30 days after receipt."""
        return None if self.received_on is None else self.received_on + timedelta(days=APPEAL_DAYS)

    @property
    def installments_allowed(self) -> bool:
        """§19 bis: the amount payable is at least 3,000 baht.

        [INTERP] "Payable" is the whole bill, tax plus the §25(1)/(2) surcharges, because
        surcharges count as tax (§26); the §25(3) late-payment surcharge arises only after
        the due date, so it is never part of it.
        """
        return self.total_baht >= INSTALLMENT_MIN_BAHT


def assess_rows(
    declaration: Declaration, policy: LocalPolicy = DEFAULT_POLICY, table: RateTable | None = None
) -> tuple[TaxAssessment, ...]:
    """``api.tax.assess`` for each row (one sign of the row; multiply by ``count``).

    Engine errors become FormInputError prefixed with the row: ``signs[2]: install_date must
    be in or before tax_year 2026, got 2027-01-05``.
    """
    try:
        table = table or rate_table_for_year(declaration.tax_year)
    except TaxInputError as exc:
        raise FormInputError(str(exc)) from exc
    results = []
    for i, sign in enumerate(declaration.signs):
        try:
            results.append(
                assess(sign.facts, table, tax_year=declaration.tax_year, policy=policy)
            )
        except TaxInputError as exc:
            raise FormInputError(f"signs[{i}]: {exc}") from exc
    return tuple(results)


def build_notice(
    declaration: Declaration,
    *,
    number: str,
    issued_on: date,
    policy: LocalPolicy = DEFAULT_POLICY,
    table: RateTable | None = None,
    received_on: date | None = None,
    officer_name: str = "",
) -> AssessmentNotice:
    """Assess every declared row with ``api.tax.assess`` and build the ภ.ป.3.

    ``table`` defaults to the rate table in force for the declaration's tax year. Engine
    errors are re-raised as FormInputError prefixed with the row, e.g.
    ``signs[2]: install_date must be in or before tax_year 2026, got 2027-01-05``.
    """
    results = assess_rows(declaration, policy, table)
    lines = []
    for i, (sign, result) in enumerate(zip(declaration.signs, results, strict=True)):
        try:
            tax = result.due_baht * sign.count
            charges = surcharges(
                tax,
                filed_late=sign.filed_late is not None,
                filed_before_notice=sign.filed_late == "before-notice",
                extra_tax_baht=sign.under_declared_extra_baht,
                corrected_before_assessment=sign.corrected_before_assessment,
            )
        except TaxInputError as exc:
            raise FormInputError(f"signs[{i}]: {exc}") from exc
        lines.append(NoticeLine(sign=sign, assessment=result, surcharges=charges))
    return AssessmentNotice(
        number=number,
        issued_on=issued_on,
        tax_year=declaration.tax_year,
        owner=declaration.owner,
        lines=tuple(lines),
        table_version=results[0].table_version,
        office=declaration.office,
        declaration_filed_on=declaration.filed_on,
        received_on=received_on,
        officer_name=officer_name,
    )
