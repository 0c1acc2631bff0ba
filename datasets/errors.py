"""Errors raised by the datasets package."""


class DatasetError(Exception):
    """Base class for dataset failures."""


class DatasetFormatError(DatasetError):
    """A dataset folder or label file does not follow the expected format."""
