"""One exception tree for Threadline.

::

    ThreadlineError                 anything Threadline raises on purpose
    ├── ConfigError                 a setting or option is wrong (bad THREADLINE_DB, bad mapping)
    ├── InputError                  an input cannot be read at all (missing file, not a file)
    ├── RecordError                 one record is bad; the runner quarantines it with the reason
    ├── PipelineError               stages are wired wrongly (a stage needs what none assigns)
    └── StoreError                  the store failed (cannot connect, migration failed)

Faces (CLI, API) catch ``ThreadlineError`` and show its message; anything else is a bug.
"""

from __future__ import annotations


class ThreadlineError(Exception):
    """Base of every error Threadline raises on purpose."""


class ConfigError(ThreadlineError):
    """A setting, option or mapping is wrong."""


class InputError(ThreadlineError):
    """An input cannot be read at all."""


class RecordError(ThreadlineError):
    """One record is malformed; it is quarantined with this message as the reason."""


class PipelineError(ThreadlineError):
    """Stages are wired wrongly: one requires a field that no earlier stage assigns."""


class StoreError(ThreadlineError):
    """The store cannot be opened, migrated or written."""
