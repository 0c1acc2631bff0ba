"""Errors raised by the training package."""


class TrainingError(Exception):
    """Base class for training failures."""


class ConfigError(TrainingError):
    """A training or evaluation setting is invalid."""


class PromotionRejected(TrainingError):
    """A candidate model regressed against the production model on a frozen set."""
