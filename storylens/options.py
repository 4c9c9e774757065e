"""One options object shared by the library, the CLI and (later) the HTTP API.

Every setting has a default, carries its unit in its name and a help text; the CLI builds its
``--option`` flags from this table and a test checks every one is documented in the README.
The columns a CSV or TSV table's fields are read from are chosen the same way (``-s
csv_text_column=story``), but hold a column's name, which has no unit: they are listed apart
(``Options.columns``), beside the settings in the README and in ``storylens settings``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any


def _setting(default: Any, help: str) -> Any:
    return field(default=default, metadata={"help": help})


def _column(name: str, what: str) -> Any:
    """A table column setting: the column the field ``name`` (``what``, in words) is read
    from ("" by default: the first of its usual columns, see ingest/tables.py)."""
    return field(default="", metadata={"help": (
        f"The column of a CSV or TSV file that holds each article's {what} (its name in the "
        "header, any case); empty: the first of the usual names (README, Tables)."
    ), "column": name})


@dataclass(frozen=True)
class Options:
    """Settings of the pipeline. Construct with keyword arguments to override defaults."""

    max_file_size_mb: float = _setting(
        20.0, "Inputs larger than this many megabytes (after decompression) are rejected."
    )
    batch_size_articles: int = _setting(
        200, "Articles parsed, grouped and committed together in one transaction."
    )
    worker_processes: int = _setting(
        2,
        "Processes that parse and clean inputs in parallel (capped at the number of CPU "
        "cores); 1 cleans in-process.",
    )
    story_window_hours: float = _setting(
        72.0,
        "A new article may join a story only if the story's latest article is at most this "
        "many hours older or newer.",
    )
    story_min_probability: float = _setting(
        0.5,
        "Probability (0-1), by the learned merge decision, that an article reports a story's "
        "event needed for it to join the story; higher makes smaller, purer stories.",
    )
    grouping_block_hours: float = _setting(
        336.0,
        "storylens spark groups stories in time blocks of this many hours, in parallel, each "
        "block also reading the last story window of the one before it to join the stories "
        "that cross; at least story_window_hours.",
    )
    use_sentence_embeddings: bool = _setting(
        False,
        "Also compare articles by sentence embeddings (all-MiniLM-L6-v2) when grouping; needs "
        "the embeddings extra. Helps headlines, costs most of the time.",
    )
    extract_attributions: bool = _setting(
        True,
        "Find quotes and reported speech, with their speakers, in every full article (a "
        "spaCy parse: the slowest stage); headlines and snippets are not parsed.",
    )
    extract_events: bool = _setting(
        True,
        "Find the entities of every article and code the events (PLOVER types, who did what "
        "to whom) of every full article; shares the attributions' spaCy parse.",
    )
    store_story_views: bool = _setting(
        True,
        "Compute each changed story's view (outlet comparison, entities, events: what 'story "
        "--json' prints and the story page shows) at ingest and store it, so that serving "
        "reads it instead of computing it for each request.",
    )
    story_views_refresh_seconds: float = _setting(
        60.0,
        "During a long ingest, the stored views of changed stories are recomputed at most this "
        "often (a story that grows in every batch is not recomputed every batch), and always "
        "at the end; 0 recomputes them with every batch.",
    )
    wire_copy_min_jaccard: float = _setting(
        0.5,
        "Estimated Jaccard similarity (0-1) of word 5-shingles above which a story member is "
        "marked as a copy of an earlier one (a wire reprint).",
    )
    webhook_timeout_seconds: float = _setting(
        5.0,
        "How long one POST of an alert's entry to its webhook may take (connecting, sending "
        "and reading the answer) before the attempt counts as failed.",
    )
    webhook_backoff_seconds: float = _setting(
        2.0,
        "The wait before a failed webhook delivery is tried again; it doubles after each "
        "failure.",
    )
    webhook_give_up_seconds: float = _setting(
        600.0,
        "A webhook delivery still failing this many seconds after its first attempt is given "
        "up (marked failed, with the reason of its last attempt).",
    )
    ingest_webhook_wait_seconds: float = _setting(
        5.0,
        "At its end, storylens ingest waits at most this long for the webhook deliveries of "
        "new alert entries; those not sent by then stay queued for the next run.",
    )
    blindspot_min_outlets: int = _setting(
        3,
        "A story of a coverage matrix is a blindspot of an outlet that published nothing in "
        "it when at least this many other outlets did.",
    )

    csv_text_column: str = _column("text", "text")
    csv_title_column: str = _column("title", "title")
    csv_url_column: str = _column("url", "URL")
    csv_outlet_column: str = _column("outlet", "outlet")
    csv_published_column: str = _column("published", "publication date")
    csv_id_column: str = _column("id", "own id (kept as its external id)")

    fetch_delay_seconds: float = _setting(
        1.0,
        "storylens watch waits at least this long between two requests to the same host "
        "(longer when its robots.txt asks for a longer Crawl-delay); with politeness on.",
    )
    fetch_timeout_seconds: float = _setting(
        20.0,
        "storylens watch gives up on a request (connecting, or waiting for the next bytes) "
        "after this long; the page or source is recorded with the reason 'timeout'.",
    )
    fetch_max_mb: float = _setting(
        5.0,
        "storylens watch stops reading a page, feed or sitemap past this many megabytes and "
        "records it as 'too-large'.",
    )
    fetch_max_redirects: int = _setting(
        5,
        "Redirects storylens watch follows for one request; more, or a loop, is an error "
        "with its reason.",
    )
    fetch_retries: int = _setting(
        2,
        "Times storylens watch tries a page again, in later rounds, after a failure that may "
        "pass (a timeout, 429, a 5xx status); other failures are final.",
    )
    watch_interval_minutes: float = _setting(
        30.0,
        "How often storylens watch polls a source that was added without --every.",
    )
    fetch_user_agent: str = _setting(
        "storylens/0.1.0 (+https://pypi.org/project/storylens/)",
        "The User-Agent storylens watch sends, and the name it looks for in robots.txt.",
    )
    politeness: bool = _setting(
        True,
        "storylens watch waits fetch_delay_seconds (or robots.txt's Crawl-delay) between "
        "requests to one host; off, it does not wait (robots.txt is obeyed either way).",
    )

    @classmethod
    def settings(cls) -> list[dataclasses.Field[Any]]:
        """The settings (numbers, with their units, and switches) with their defaults and help
        texts, in declaration order; the table columns are apart (``columns``)."""
        return [f for f in dataclasses.fields(cls) if "column" not in f.metadata]

    @classmethod
    def columns(cls) -> list[dataclasses.Field[Any]]:
        """The table column settings (``csv_text_column`` ...), in declaration order."""
        return [f for f in dataclasses.fields(cls) if "column" in f.metadata]

    def table_columns(self) -> tuple[tuple[str, str], ...]:
        """The columns chosen for a table's fields, as (field, column) pairs (those left
        empty are not among them)."""
        return tuple(
            (f.metadata["column"], getattr(self, f.name))
            for f in self.columns()
            if getattr(self, f.name).strip()
        )

    def replace(self, **changes: Any) -> Options:
        return dataclasses.replace(self, **changes)
