"""Drafts into articles: boilerplate and repeats removed, outlet, title, date, dateline
place and wire agency read, a content-hash id given (cleaner.clean)."""

from __future__ import annotations

from .cleaner import clean, content_id, split_sentences, warm_up

__all__ = [
    "clean",
    "content_id",
    "split_sentences",
    "warm_up",
]
