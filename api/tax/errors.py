"""Errors raised by the tax engine.

The engine has one error: the facts it was given cannot describe a real sign or a real tax
year. Callers (services, routes) map it to a 4xx response in one place; the message always
starts with the offending field's name so a reviewer can fix the input.
"""


class TaxInputError(ValueError):
    """Impossible or malformed facts, e.g. ``area_cm2 must be > 0, got -5``."""
