"""Errors raised by the vision package. Callers map them to user messages / HTTP in one place."""


class VisionError(Exception):
    """Base class for vision failures."""


class InvalidImage(VisionError):
    """The bytes are not a usable photo (corrupt, truncated, too large, unsupported)."""


class ModelLoadError(VisionError):
    """The detector weights or model directory could not be loaded."""


class MeasurementError(VisionError):
    """The geometry could not produce a measurement from the given inputs."""
