"""The stages of preparing an input, registered by name with what each requires and provides.

``STAGES`` is the table, in running order: read (parse an input into drafts), clean, the
features grouping needs, then the language stages (one spaCy parse of a batch, shared by
quotes and events), entities and events. ``compose`` picks the rows that an ``Extraction``
asks for and checks, when the pipeline is built, that every row's requirements are provided
by a row before it. Adding a stage is adding a row.

Each stage runs over a whole ``Batch`` (the inputs a worker's task prepares together), so
that the language stages see all its full articles at once.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np

from ..clean.cleaner import clean
from ..errors import ModelUnavailable, RejectedInput, UsageError
from ..extract.attribution import extract, parse_articles
from ..extract.entities import find_mentions, recognise
from ..extract.events import code_events, trigger_forms
from ..extract.nlp import pipeline
from ..group.stories import signature, terms_of, text_kind
from ..ingest.parse import parse_input
from ..ingest.sources import printable
from ..model import Article, Assignment, Attribution, Draft, EventMention, Mention, RawInput, Reject
from ..options import Options


@dataclass(frozen=True)
class Extraction:
    """What to extract from each article besides what grouping needs."""

    attributions: bool = False
    events: bool = False  # entities and events

    @classmethod
    def of(cls, options: Options) -> Extraction:
        """What the options ask to extract (``extract_attributions``, ``extract_events``)."""
        return cls(attributions=options.extract_attributions, events=options.extract_events)


@dataclass
class Prepared:
    """An article with what grouping needs from its text, computed where it was cleaned."""

    article: Article
    terms: Counter[str]
    signature: np.ndarray
    attributions: list[Attribution] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    events: list[EventMention] = field(default_factory=list)
    # where a grouping elsewhere put the article (storylens.spark), and its sentence
    # embedding when that grouping used them: the Ingestor then takes it there
    decided: Assignment | None = None
    embedding: np.ndarray | None = None


# What an input has become so far: itself, its drafts, its articles, then them prepared
# (a Reject at any point stays one).
Piece = RawInput | Draft | Article | Prepared | Reject


@dataclass
class Batch:
    """Inputs on their way through the stages together, and what the stages found."""

    extraction: Extraction
    # each input's pieces, in order
    pieces: list[list[Piece]] = field(default_factory=list)
    # the distinct full articles (the language stages' work) and the headlines and snippets
    full: list[Article] = field(default_factory=list)
    short: list[Article] = field(default_factory=list)
    nlp: Any = None  # the spaCy pipeline, once the parse stage has loaded it
    parsed: dict[str, Any] = field(default_factory=dict)  # attribution.parse_articles'
    attributions: dict[str, list[Attribution]] = field(default_factory=dict)
    mentions: dict[str, list[Mention]] = field(default_factory=dict)
    events: dict[str, list[EventMention]] = field(default_factory=dict)


def _always(extraction: Extraction) -> bool:
    """Every pipeline runs the stage."""
    return True


def _attributions(extraction: Extraction) -> bool:
    """The stage runs when quotes and reported speech are asked for."""
    return extraction.attributions


def _events(extraction: Extraction) -> bool:
    """The stage runs when entities and events are asked for."""
    return extraction.events


def _language(extraction: Extraction) -> bool:
    """The stage runs when anything needs the spaCy parse (attributions or events)."""
    return extraction.attributions or extraction.events


@dataclass(frozen=True)
class Stage:
    """One row of the table: a stage's name, the names of what it needs from earlier
    stages and of what it adds, the function that runs it over a batch, and which
    extractions turn it on (``wanted``)."""

    name: str
    requires: frozenset[str]
    provides: frozenset[str]
    run: Callable[[Batch], None]
    wanted: Callable[[Extraction], bool] = _always


def _each_piece(batch: Batch, change: Callable[[Piece], Sequence[Piece]]) -> None:
    """Replace every piece of every input by what ``change`` makes of it; a piece that
    ``change`` fails on in any way becomes a Reject (see _changed), and the rest go on."""
    batch.pieces = [
        [new for piece in pieces for new in _changed(piece, change)] for pieces in batch.pieces
    ]


def _changed(piece: Piece, change: Callable[[Piece], Sequence[Piece]]) -> Sequence[Piece]:
    """What ``change`` makes of one piece, or, when it raises, the piece's Reject: the
    exception's class and message as its detail (errors.RejectedInput.of gives the reason)."""
    try:
        return change(piece)
    except Exception as error:  # noqa: BLE001 - one input's failure is that input's reject
        rejected = RejectedInput.of(error)
        source = piece.article.source if isinstance(piece, Prepared) else piece.source
        return [Reject(printable(source), rejected.reason, rejected.detail)]


def run_read(batch: Batch) -> None:
    """Parse each raw input into its drafts (a JSON input: one per record)."""
    _each_piece(batch, lambda p: parse_input(p) if isinstance(p, RawInput) else [p])


def run_clean(batch: Batch) -> None:
    """Clean each draft into an article, or a Reject when no article text is left."""
    _each_piece(batch, lambda p: [clean(p)] if isinstance(p, Draft) else [p])


def run_features(batch: Batch) -> None:
    """Each article with its terms and signature (what grouping needs); the distinct full
    articles set aside for the language stages, the headlines and snippets for entities.
    Articles in a language other than English are left out of both (Article.analysed): the
    language stages are spaCy's English model and English rules and word lists, which
    type the capitalised words of other languages wrongly; each such article says so
    (Article.note). Grouping's terms and signatures are made for every language."""
    _each_piece(
        batch,
        lambda p: [Prepared(p, terms_of(p), signature(p))] if isinstance(p, Article) else [p],
    )
    full: dict[str, Article] = {}
    short: dict[str, Article] = {}
    for pieces in batch.pieces:
        for piece in pieces:
            if isinstance(piece, Prepared) and piece.article.analysed:
                kind = text_kind(piece.article)
                (full if kind == "article" else short)[piece.article.id] = piece.article
    # one analysis per id: two copies of an input in one batch are one article
    batch.full, batch.short = list(full.values()), list(short.values())


def run_parse(batch: Batch) -> None:
    """One spaCy parse of the full articles' sentences that a later stage needs parsed."""
    if not batch.full:
        return
    batch.nlp = pipeline()
    also = trigger_forms() if batch.extraction.events else frozenset()
    batch.parsed = _guarded(
        batch, "parse", batch.full, lambda some: parse_articles(some, batch.nlp, also)
    )


def run_attribution(batch: Batch) -> None:
    """Quotes and reported speech, with their speakers, of the full articles."""
    if batch.full:
        batch.attributions = _guarded(
            batch, "attribution", batch.full, lambda some: extract(some, batch.nlp, batch.parsed)
        )


def run_entities(batch: Batch) -> None:
    """The people, organisations and places every article mentions: the rules' mentions,
    then spaCy's recogniser (one batch) where the gazetteer does not know a name."""
    batch.mentions = _guarded(
        batch, "entities", batch.full + batch.short, lambda some: recognise(
            some, {a.id: find_mentions(a) for a in some}
        ),
    )


def run_events(batch: Batch) -> None:
    """The events (PLOVER types, who did what to whom) of the full articles."""
    if batch.full:
        batch.events = _guarded(
            batch, "events", batch.full,
            lambda some: code_events(some, batch.parsed, batch.mentions),
        )


Found = TypeVar("Found")


def _guarded(
    batch: Batch,
    stage: str,
    articles: list[Article],
    run: Callable[[list[Article]], dict[str, Found]],
) -> dict[str, Found]:
    """What ``run`` finds in the articles, all at once (the fast way); when that raises,
    article by article, so that an article it fails on is the only one lost: its input's
    pieces become Rejects (``analysis-failed``) and it leaves the batch. A model that
    cannot be loaded stops the batch, as it would stop every article."""
    try:
        return run(articles)
    except ModelUnavailable:
        raise
    except Exception as error:  # noqa: BLE001 - retried article by article below
        if len(articles) == 1:
            _drop(batch, stage, {articles[0].id: error})
            return {}
    found: dict[str, Found] = {}
    failed: dict[str, Exception] = {}
    for article in articles:
        try:
            found.update(run([article]))
        except ModelUnavailable:
            raise
        except Exception as error:  # noqa: BLE001 - one article's failure is its reject
            failed[article.id] = error
    _drop(batch, stage, failed)
    return found


def _drop(batch: Batch, stage: str, failed: dict[str, Exception]) -> None:
    """The articles (by id) that ``stage`` failed on, out of the batch: each of their
    pieces a Reject saying which stage failed and the exception's class and message."""
    if not failed:
        return
    batch.full = [a for a in batch.full if a.id not in failed]
    batch.short = [a for a in batch.short if a.id not in failed]
    for found in (batch.parsed, batch.attributions, batch.mentions, batch.events):
        for key in failed:
            found.pop(key, None)

    def rejected(piece: Piece) -> Piece:
        if not isinstance(piece, Prepared) or piece.article.id not in failed:
            return piece
        error = failed[piece.article.id]
        message = (str(error).strip().splitlines() or [""])[0][:200]
        detail = f"{type(error).__name__}: {message}" if message else type(error).__name__
        return Reject(
            printable(piece.article.source), "analysis-failed",
            f"the {stage} stage failed on this article ({detail})",
        )

    batch.pieces = [[rejected(piece) for piece in pieces] for pieces in batch.pieces]


STAGES: tuple[Stage, ...] = (
    Stage("read", frozenset({"input"}), frozenset({"draft"}), run_read),
    Stage("clean", frozenset({"draft"}), frozenset({"article"}), run_clean),
    Stage("features", frozenset({"article"}), frozenset({"features"}), run_features),
    Stage("parse", frozenset({"features"}), frozenset({"syntax"}), run_parse, _language),
    Stage(
        "attribution", frozenset({"syntax"}), frozenset({"attributions"}), run_attribution,
        _attributions,
    ),
    Stage("entities", frozenset({"features"}), frozenset({"mentions"}), run_entities, _events),
    Stage(
        "events", frozenset({"syntax", "mentions"}), frozenset({"events"}), run_events, _events
    ),
)


@dataclass(frozen=True)
class Pipeline:
    """The stages an extraction runs, in order, checked when it was composed."""

    stages: tuple[Stage, ...]

    @property
    def names(self) -> tuple[str, ...]:
        """The stages' names, in running order."""
        return tuple(stage.name for stage in self.stages)

    def run(self, batch: Batch) -> Batch:
        """Every stage over the batch in turn; the batch, as the last one left it."""
        for stage in self.stages:
            stage.run(batch)
        return batch


def compose(
    extraction: Extraction,
    stages: Sequence[Stage] = STAGES,
    *,
    since: str | None = None,
    given: frozenset[str] = frozenset({"input"}),
    needs: frozenset[str] = frozenset(),
) -> Pipeline:
    """The pipeline of the rows of ``stages`` that ``extraction`` turns on (from the row
    named ``since`` on, the ones before it taken as done), each row checked to find what it
    requires in ``given`` or in what an earlier row provides, and ``needs`` provided at the
    end. Raises UsageError naming the stage and what it lacks."""
    rows = tuple(stages)
    if since is not None:
        start = _position(rows, since)
        given = given.union(*(row.provides for row in rows[:start]))
        rows = rows[start:]
    return _composed(tuple(row for row in rows if row.wanted(extraction)), given, needs)


def _position(rows: tuple[Stage, ...], name: str) -> int:
    """Where the row named ``name`` is in the table."""
    for number, row in enumerate(rows):
        if row.name == name:
            return number
    raise UsageError(f"no stage is named {name!r}")


@functools.cache
def _composed(rows: tuple[Stage, ...], given: frozenset[str], needs: frozenset[str]) -> Pipeline:
    """compose's check of the chosen rows (the same rows are checked once a process)."""
    provided = set(given)
    for row in rows:
        missing = sorted(row.requires - provided)
        if missing:
            raise UsageError(
                f"stage {row.name!r} requires {', '.join(map(repr, missing))}, which no "
                "earlier stage provides"
            )
        provided |= row.provides
    lacking = sorted(needs - provided)
    if lacking:
        raise UsageError(f"no stage provides {', '.join(map(repr, lacking))}")
    return Pipeline(rows)
