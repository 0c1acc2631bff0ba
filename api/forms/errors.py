"""Errors raised while building or rendering a form."""


class FormError(Exception):
    """Base class for form errors."""


class FormInputError(FormError, ValueError):
    """Input that cannot make a form. The message starts with the field's path, e.g.
    ``signs[1].width_cm must be > 0, got -5``."""


class FontNotFound(FormError, RuntimeError):
    """No Thai font file on this machine (Debian fonts-thai-tlwg provides one)."""
