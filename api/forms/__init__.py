"""Signboard-tax forms as PDF: ภ.ป.1 declaration and ภ.ป.3 assessment notice (tax-law §11.1).

- ``model``: frozen inputs (``Owner``, ``Address``, ``DeclaredSign``, ``Declaration``,
  ``AssessmentNotice``) built from ``api.tax`` facts and assessments (``build_notice``);
- ``inputs``: the JSON file format of ``signtax form`` (``load_form_file``);
- ``thai_text``: ``baht_text`` (amounts in Thai words), Buddhist-era dates;
- ``breakdown``: one sign priced for the counter (``price_sign``) and its bilingual
  step-by-step text (``render_breakdown``), used by ``signtax tax``;
- ``pp1`` / ``pp3``: the PDF writers (fpdf2 + HarfBuzz shaping, Thai TLWG font).

Imports ``api.tax`` and fpdf2 only: no web or database framework. The PDF writers are loaded
on first use (``render_pp1``/``render_pp3``), so ``signtax tax`` and every other command that
prices a sign start without fpdf2 and HarfBuzz.
"""

from importlib import import_module

from .breakdown import Pricing, price_sign, render_breakdown
from .errors import FontNotFound, FormError, FormInputError
from .inputs import FormInput, load_form_file, parse_form_input
from .model import (
    Address,
    AssessmentNotice,
    Declaration,
    DeclaredSign,
    NoticeLine,
    Owner,
    area_from_sides,
    assess_rows,
    build_notice,
    parse_cm,
)
from .thai_text import baht_text, be_year, gregorian_year, number_text, thai_date, thai_digits

__all__ = [
    "Address",
    "AssessmentNotice",
    "Declaration",
    "DeclaredSign",
    "FontNotFound",
    "FormError",
    "FormInput",
    "FormInputError",
    "NoticeLine",
    "Owner",
    "Pricing",
    "area_from_sides",
    "assess_rows",
    "baht_text",
    "be_year",
    "build_notice",
    "gregorian_year",
    "load_form_file",
    "number_text",
    "parse_cm",
    "parse_form_input",
    "price_sign",
    "render_breakdown",
    "render_pp1",
    "render_pp3",
    "thai_date",
    "thai_digits",
]

_LAZY_WRITERS = {"render_pp1": ".pp1", "render_pp3": ".pp3"}


def __getattr__(name: str):
    if name in _LAZY_WRITERS:
        return getattr(import_module(_LAZY_WRITERS[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
