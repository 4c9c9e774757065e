"""Plain data records passed between the stages. No behaviour beyond small derived values."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import numpy as np


# The languages the extraction stages are written for (spaCy's English model, English word
# lists and rules); None, a language not known, is read as English too.
ANALYSED_LANGUAGES = frozenset({"en", None})
ENGLISH_ONLY = "entities, quotes and events are English only"


@dataclass(frozen=True)
class RawInput:
    """One unit of input as read from disk, before parsing (a file, or a decompressed .gz)."""

    source: str  # path of the file (with "#record N" for a record of a web archive)
    kind: str  # "text", "html", "json", "csv", "tsv", "feed", or "warc" (read record by record)
    data: bytes
    url: str | None = None  # what a container said of it: a WARC record's target URL
    date: str | None = None  # and capture date (ISO 8601)
    # a table's (csv, tsv): the column chosen for a field by the options, as (field, column)
    # pairs ("text", "story"); a field not among them is read from its usual columns
    columns: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Reject:
    """An input that could not become an article, with the reason why."""

    source: str  # path, with "#line N" or "#item N" for a piece of a file
    reason: str  # short code, see errors.RejectedInput
    detail: str  # one sentence for people


@dataclass
class Draft:
    """An article's text and what its container said about it, before cleaning."""

    source: str
    kind: str
    raw: str  # the input as text (the HTML page, the JSON record, the feed item, the file)
    text: str  # the body to clean (already extracted from HTML where the input was HTML)
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: str | None = None  # ISO 8601 date or date-time, where the container gave one
    external_id: str | None = None
    language: str | None = None  # as the input declares it (HTML lang, a record's, a feed's)


@dataclass(frozen=True)
class Sentence:
    index: int  # position in the article, from 0
    paragraph: int  # index of the paragraph holding it
    start: int  # character offsets into Article.text
    end: int
    text: str


@dataclass
class Article:
    """A cleaned article. ``id`` is a hash of its raw input, so the same input gives the same id."""

    id: str
    source: str
    kind: str
    raw: str
    text: str  # cleaned body: paragraphs joined by blank lines
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: str | None = None  # "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SSZ" (UTC)
    place: str | None = None  # dateline place
    wire: str | None = None  # wire agency named in the dateline
    external_id: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    removed: list[tuple[str, str]] = field(default_factory=list)  # (reason, line) dropped
    language: str | None = None  # ISO 639-1 code ("en", "ru"), None when unknown ("und")

    @property
    def analysed(self) -> bool:
        """Whether the English-only stages (entities, quotes and reported speech, events)
        read the article: English, or of a language not known (most inputs are English)."""
        return self.language in ANALYSED_LANGUAGES

    @property
    def note(self) -> str | None:
        """Why the English-only stages did not read the article, or None when they did."""
        if self.analysed:
            return None
        return f"not analysed: language {self.language}; {ENGLISH_ONLY}"

    @property
    def published_date(self) -> str | None:
        return self.published[:10] if self.published else None

    @cached_property
    def timestamp(self) -> float | None:
        """Publication time in seconds since 1970 (UTC), or None when undated. A date without
        a time is taken as midday, the middle of the span it names. Raises ValueError when
        ``published`` is not an ISO 8601 date or time of the years 1000 to 9999 (the clean
        stage rejects such an article as ``bad-date``)."""
        if not self.published:
            return None
        text = self.published.replace("Z", "+00:00")
        if len(text) == 10:
            text += "T12:00:00+00:00"
        try:
            moment = datetime.fromisoformat(text)
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=UTC)
            if 1000 <= moment.year <= 9999:
                return moment.timestamp()
        except (ValueError, OverflowError):
            pass
        shown = self.published if len(self.published) <= 80 else self.published[:80] + "…"
        raise ValueError(
            f"the date {shown!r} is not an ISO 8601 date or time of the years 1000 to 9999"
        )


@dataclass(frozen=True)
class Assignment:
    """Where the grouping stage put one article."""

    article_id: str
    story_id: str
    similarity: float  # merge decision's probability that it reports the story (1.0: new story)
    new_story: bool
    wire_copy_of: str | None = None  # id of an earlier member it nearly duplicates
    signature: bytes = b""  # MinHash of the article's word shingles (uint64 array as bytes)
    position: int = 0  # the article's place in its story, from 0, in the order it joined


@dataclass
class Story:
    """A story's summary: ``outlets``, the names (or sites) of the outlets its articles
    name; ``unnamed_articles``, how many of its articles name no outlet and have no URL
    whose site would (the comparison counts each such article as an outlet of its own)."""

    id: str
    title: str | None
    first_published: str | None
    last_published: str | None
    article_count: int
    outlets: list[str] = field(default_factory=list)
    wire_copies: int = 0
    languages: list[str] = field(default_factory=list)  # its articles' known languages
    unnamed_articles: int = 0


@dataclass(frozen=True)
class StoryFilter:
    """Which stories a story list keeps, as asked (every field optional; they combine):
    ``query`` an FTS5 query one of the story's articles matches (title or text); ``outlet``
    one of its articles' outlet (exact, any case); ``entity`` an entity (id, name or written
    form) one of its articles mentions; ``date_from``/``date_to`` ("YYYY-MM-DD", inclusive)
    a day range the story's dates overlap; ``advanced``, whether ``query`` is FTS5 syntax
    rather than a reader's plain words (see store.fts.fts_query); ``language`` one of its
    articles' language (an ISO 639-1 code, any case); ``event_type`` a PLOVER event type
    (any case) one of its articles reports an event of."""

    query: str | None = None
    outlet: str | None = None
    entity: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    advanced: bool = False
    language: str | None = None
    event_type: str | None = None

    def is_empty(self) -> bool:
        """Whether it keeps every story (no field given)."""
        return not any(
            (self.query, self.outlet, self.entity, self.date_from, self.date_to, self.language,
             self.event_type)
        )


@dataclass(frozen=True)
class ResolvedStoryFilter:
    """A StoryFilter as the store applies it: the query and outlet stripped, the entity
    resolved to its id, and the days to seconds since 1970 (UTC), ``ts_from`` inclusive and
    ``ts_to`` exclusive; ``advanced`` as in StoryFilter; ``language`` in lower case;
    ``event_type`` in upper case. Hashable: it is a key of the store's caches."""

    query: str | None = None
    outlet: str | None = None
    entity_id: str | None = None
    ts_from: float | None = None
    ts_to: float | None = None
    advanced: bool = False
    language: str | None = None
    event_type: str | None = None

    def member_filters(self) -> dict[str, str]:
        """The filters on a story's articles (``query``, ``outlet``, ``entity``,
        ``language``, ``event_type``) that are given, by kind."""
        given = (
            ("query", self.query), ("outlet", self.outlet), ("entity", self.entity_id),
            ("language", self.language), ("event_type", self.event_type),
        )
        return {kind: value for kind, value in given if value is not None}


@dataclass(frozen=True)
class ArticleFilter:
    """Which articles an article list keeps, as the store applies it (every field optional;
    they combine): ``query`` words their title or text holds (FTS5 syntax when
    ``advanced``, see store.fts.fts_query); ``outlet`` their outlet (exact, any ASCII
    case); ``language`` their language (a code in lower case); ``ts_from``/``ts_to`` their
    publication time in [ts_from, ts_to) (seconds since 1970, UTC); ``story_id`` their
    story. Hashable: it is a key of the store's caches."""

    query: str | None = None
    advanced: bool = False
    outlet: str | None = None
    language: str | None = None
    ts_from: float | None = None
    ts_to: float | None = None
    story_id: str | None = None


Span = tuple[int, int]  # character offsets [start, end) into Article.text


@dataclass(frozen=True)
class Attribution:
    """Something an article attributes to a source: a direct quote ("…," she said), reported
    speech with a partial quote (called it a "vital role") or without (the ministry said that
    …; according to …). Offsets are into Article.text."""

    article_id: str
    kind: str  # "direct" (all in quotation marks), "partial" (some words quoted) or "indirect"
    content: str  # the content as written (pieces joined by " … " when it is split)
    content_spans: tuple[Span, ...]  # one span per piece; a quote split by "he said" has two
    cue: str  # said, told, urged, according to, ...
    cue_span: Span | None
    source: str | None  # the speaker, resolved inside the article ("Junichiro Koizumi")
    source_text: str | None  # the speaker as written where the cue is ("he", "the premier")
    source_span: Span | None
    quoted: tuple[Span, ...] = ()  # the parts inside quotation marks, marks excluded

    @property
    def start(self) -> int:
        return self.content_spans[0][0]

    @property
    def end(self) -> int:
        return self.content_spans[-1][1]


@dataclass(frozen=True)
class Mention:
    """One mention of an entity in an article. ``entity_id`` is a hash of the entity's kind
    and canonical key, so the same entity gets the same id in every article and database."""

    article_id: str
    entity_id: str
    name: str  # canonical name ("North Korea", "Junichiro Koizumi", "Russian Foreign Ministry")
    kind: str  # "person", "organisation" or "place"
    text: str  # as written ("DPRK", "Pyongyang's", "the Japanese premier")
    span: Span
    code: str | None = None  # ISO 3166 alpha-3 country code, or IGO / NGO / IMG ...
    sector: str | None = None  # GOV, MIL, REB, OPP, BUS, MED, IGO, NGO, CVL ...
    title: str | None = None  # role title, kept as an attribute ("Prime Minister")


@dataclass
class Entity:
    """An entity over all the articles that mention it."""

    id: str
    name: str
    kind: str
    code: str | None = None
    sector: str | None = None
    titles: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)  # every way it was written
    mentions: int = 0
    articles: int = 0


@dataclass(frozen=True)
class Actor:
    """A party to an event: who did it, or to whom."""

    name: str  # canonical name where known ("Japan", "Junichiro Koizumi"), else as written
    code: str | None  # country code, or IGO / NGO ...
    sector: str | None  # GOV, MIL, ...
    entity_id: str | None = None
    text: str = ""  # the words it was coded from


@dataclass(frozen=True)
class EventMention:
    """One report of an event in one article: who did what to whom (PLOVER type and mode)."""

    article_id: str
    type: str  # PLOVER: AGREE, CONSULT, SUPPORT, ..., ASSAULT
    mode: str | None  # PLOVER mode where the words say ("visit", "phone", ...)
    source: tuple[Actor, ...]
    target: tuple[Actor, ...]
    date: str | None  # "YYYY-MM-DD": stated or relative date resolved, else the article's date
    place: str | None  # where stated
    sentence: str  # the evidence sentence
    sentence_span: Span
    trigger: str  # the words that name the event ("urged", "expressed concern")
    trigger_span: Span
    confidence: float  # 0..1


@dataclass
class Event:
    """An event counted once in a story, with every report of it (the GDELT Events/Mentions
    split, made at story level)."""

    id: str
    story_id: str | None
    type: str
    mode: str | None
    source: tuple[Actor, ...]
    target: tuple[Actor, ...]
    date: str | None
    place: str | None
    confidence: float
    mentions: list[EventMention] = field(default_factory=list)
    num_articles: int = 0
    num_outlets: int = 0
    first_url: str | None = None


class StoryValues(Protocol):
    """A story's grouping state as it passes between grouping and the store: its id and
    title, time span, size, term centroid and embedding sum (grouping's StoryState has this
    shape; the store writes it and reads it back as rows of it)."""

    @property
    def id(self) -> str: ...
    @property
    def title(self) -> str | None: ...
    @property
    def first_ts(self) -> float | None: ...
    @property
    def last_ts(self) -> float | None: ...
    @property
    def size(self) -> int: ...
    @property
    def centroid(self) -> Mapping[str, float]: ...
    @property
    def embedding(self) -> np.ndarray | None: ...
