"""The exceptions jetvision raises for bad input.

Every error a user can cause derives from :class:`JetvisionError`; the command line turns
these into one line on standard error and a non-zero exit status.
"""

from __future__ import annotations


class JetvisionError(Exception):
    """Base class of the errors a user can cause and fix."""


class InputFileError(JetvisionError):
    """An input file is missing, unreadable, or not of the expected format."""


class MissingBranchError(InputFileError):
    """A ROOT tree lacks a branch that the requested work needs."""


class OutputExistsError(JetvisionError):
    """An output path exists and overwriting was not asked for."""


class SelectionError(JetvisionError):
    """No jets (or too few) are left after the selection."""


class ConfigError(JetvisionError):
    """An option or configuration value is impossible."""


class CheckpointError(JetvisionError):
    """A run folder or checkpoint is missing, incomplete or corrupted."""
