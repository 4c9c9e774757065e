"""The SQLite store: the only package that speaks SQL."""
