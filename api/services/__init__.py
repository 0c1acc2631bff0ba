"""Workflow: ingest photos, run scan jobs, answer registry queries. Raises ``api.errors``."""
