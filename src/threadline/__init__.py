"""Threadline: an investigation workbench against human trafficking.

The public Python API. Faces (CLI, API, web) call these same functions.
"""

from threadline.errors import (
    ConfigError,
    InputError,
    PipelineError,
    RecordError,
    StoreError,
    ThreadlineError,
)
from threadline.model import Ad, Doc, Evidence, Flag, Identifier, Link, Operation, Quarantined, Span
from threadline.pipeline import RunReport, Stage, run, stage

__version__ = "0.1.0"

__all__ = [
    "Ad",
    "ConfigError",
    "Doc",
    "Evidence",
    "Flag",
    "Identifier",
    "InputError",
    "Link",
    "Operation",
    "PipelineError",
    "Quarantined",
    "RecordError",
    "RunReport",
    "Span",
    "Stage",
    "StoreError",
    "ThreadlineError",
    "__version__",
    "run",
    "stage",
]
