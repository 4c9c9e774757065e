"""The stages composed: an input prepared (read, parsed, cleaned, extracted: prepare, by the
rows of stages.STAGES) and a batch grouped and stored by the Ingestor (ingestor.ingest)."""

from __future__ import annotations

from .ingestor import (
    UNITS_PER_TASK,
    Ingestor,
    IngestSummary,
    StoryViews,
    batched,
    feed,
    ingest,
    preload,
)
from .prepare import Analysis, Unit, analyse, prepare, prepare_many, prepare_units, units_of
from .stages import STAGES, Batch, Extraction, Pipeline, Prepared, Stage, compose

__all__ = [
    "STAGES",
    "UNITS_PER_TASK",
    "Analysis",
    "Batch",
    "Extraction",
    "IngestSummary",
    "Ingestor",
    "Pipeline",
    "Prepared",
    "Stage",
    "StoryViews",
    "Unit",
    "analyse",
    "batched",
    "compose",
    "feed",
    "ingest",
    "preload",
    "prepare",
    "prepare_many",
    "prepare_units",
    "units_of",
]
