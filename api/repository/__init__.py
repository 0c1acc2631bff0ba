"""Data access: small functions over a ``Session``. No HTTP, no business rules, no commits.

The caller (a service) owns the transaction.
"""
