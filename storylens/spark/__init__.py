"""The same stages on Spark: tasks that prepare inputs, grouping in time blocks (blocks), the
worker daemon (daemon) and the Parquet tables (parquet)."""

from __future__ import annotations

from .job import SparkSummary, run, session
from .parquet import read_tables, write_tables

__all__ = [
    "SparkSummary",
    "read_tables",
    "run",
    "session",
    "write_tables",
]
