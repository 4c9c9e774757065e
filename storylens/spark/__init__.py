"""The same stages on Spark: tasks that prepare inputs, grouping in time blocks (blocks), the
worker daemon (daemon) and the Parquet tables (parquet)."""
