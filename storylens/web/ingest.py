"""Ingesting through the server: the real pipeline (clean, group, extract, store) run in this
process with the server's options, one writer at a time, over the records POSTed to the API
(``POST /api/articles``) or the files uploaded and the article pasted on the ingest page.

Everything here blocks: call it from a worker thread.
"""

from __future__ import annotations

import json
import logging
import re
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..errors import NotFoundError, StorylensError, UsageError
from ..ingest.parse import parse_json
from ..ingest.sources import list_files, read_inputs
from ..model import Assignment, Draft, RawInput, Reject
from ..pipeline import Ingestor, IngestSummary, Unit, feed, units_of
from ..read.stored import refresh_story_views
from ..read.views import story_summary
from ..store import Store
from .deps import WRITE_LOCK, ServerConfig

log = logging.getLogger(__name__)


def run_ingest(
    store: Store, config: ServerConfig, units: Callable[[Ingestor], Iterable[Unit]]
) -> Ingestor:
    """Feed the units (made for the ingestor, which they may count in, and whose ``known``
    may skip the inputs stored already) through the pipeline with the server's options, in
    this process, one after another, holding the server's one write lock; the ingestor, its
    summary timed, records what it did."""
    started = time.perf_counter()
    ingestor = Ingestor(store, config.options, record=True, views=refresh_story_views)
    known = ingestor.known
    with WRITE_LOCK:  # one writer: the API and the ingest page take the same lock
        feed(known.units(units(ingestor)), ingestor, parallel=False, known=known)
        _after_ingest(store, config)
    ingestor.summary.seconds = time.perf_counter() - started
    return ingestor


def _after_ingest(store: Store, config: ServerConfig) -> None:
    """The server's after-ingest step (the alerts' check), when it has one. What is ingested
    is stored whatever it meets: a failure is logged, and the next ingest checks again."""
    if config.after_ingest is None:
        return
    try:
        config.after_ingest(store, config.options)
    except StorylensError as error:
        store.rollback_open()
        log.warning("storylens: checking the alerts after an ingest failed: %s", error)


# --- the API: records of a POSTed body ----------------------------------------------------------


@dataclass
class IngestResult:
    """What one ingest through the server did: the pipeline's summary, and where each new
    article went."""

    summary: IngestSummary
    assignments: list[Assignment]
    duplicate_ids: list[str]

    def as_dict(self) -> dict[str, Any]:
        view = self.summary.as_dict()
        view["articles"] = [
            {"id": m.article_id, "story_id": m.story_id, "new_story": m.new_story,
             "wire_copy_of": m.wire_copy_of}
            for m in self.assignments
        ]
        view["duplicate_ids"] = self.duplicate_ids
        view["new_story_ids"] = list(
            dict.fromkeys(m.story_id for m in self.assignments if m.new_story)
        )
        view["story_ids"] = list(dict.fromkeys(m.story_id for m in self.assignments))
        return view


def ingest_drafts(config: ServerConfig, items: list[Draft | Reject]) -> IngestResult:
    """Run the real pipeline on drafts (see run_ingest): what it did, with the ids of the
    drafts that were already stored."""
    with Store(config.db, create=False) as store:
        ingestor = run_ingest(store, config, lambda _: [(item, True) for item in items])
    ingestor.summary.inputs = len(items)
    return _result(ingestor)


def ingest_body(config: ServerConfig, body: bytes) -> IngestResult:
    """Run the real pipeline on the records of a POSTed body (records_to_drafts; a UsageError
    for a body that is not records): what it did, with the ids of the records already
    stored. A body stored whole before (the same bytes) is not parsed again: it counts the
    duplicates it gave then, and their ids are not listed; a new body is recorded as known
    once every record of it is stored (none rejected)."""
    drafts: list[Draft | Reject] = []

    def parts() -> list[Unit]:
        drafts.extend(records_to_drafts(body))
        return [(item, number == len(drafts)) for number, item in enumerate(drafts, start=1)]

    with Store(config.db, create=False) as store:
        ingestor = run_ingest(
            store, config, lambda it: it.known.whole(body, BODY_SOURCE, parts)
        )
    # a known body was stored whole, each record an article
    ingestor.summary.inputs = len(drafts) or ingestor.summary.duplicates
    return _result(ingestor)


def _result(ingestor: Ingestor) -> IngestResult:
    """What an ingest through the API did, with the ids of the articles met that were
    stored already."""
    stored = {m.article_id for m in ingestor.assignments}
    duplicates = list(dict.fromkeys(i for i in ingestor.met if i not in stored))
    return IngestResult(ingestor.summary, ingestor.assignments, duplicates)


# The source a POSTed body is recorded by among the known inputs.
BODY_SOURCE = "POST /api/articles"


def records_to_drafts(body: bytes) -> list[Draft | Reject]:
    """The drafts of a POSTed body: a JSON object or a list of objects shaped as the JSON
    Lines ingest input (``text`` or ``body``; ``title``, ``url``, ``outlet`` or ``source``,
    ``published`` or ``date``, ``id``). A record that cannot be an article is a Reject; a
    body that is not JSON at all, or JSON that Python cannot read (nested too deep, an integer
    of more digits than ``int()`` takes), is a UsageError (400)."""
    try:
        text = body.decode("utf-8")
        records = json.loads(text)
    except RecursionError:
        raise UsageError("the body is not JSON that can be read: nested too deep") from None
    except ValueError as error:  # not JSON, not UTF-8, or an integer too long to convert
        raise UsageError(f"the body is not JSON: {error}") from None
    if not isinstance(records, dict | list):
        raise UsageError("the body must be a JSON object or a list of objects")
    if isinstance(records, list) and not records:
        raise UsageError("the body holds no records")
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    try:  # one compact document: parse_json then reads it as one object or one list
        compact = json.dumps(records, ensure_ascii=False)
    except RecursionError:  # read at the edge of the limit, written one level deeper
        raise UsageError("the body is not JSON that can be read: nested too deep") from None
    return parse_json(f"POST /api/articles {stamp}", compact)


# --- the ingest page: uploaded files and a pasted article ---------------------------------------


@dataclass
class Upload:
    """A file uploaded on the ingest page: its name as the browser gave it, and its bytes."""

    name: str
    data: bytes


_UNSAFE = re.compile(r"[^\w.\- ]+")


def _safe_name(name: str, number: int) -> str:
    """An uploaded file's name reduced to its last part, without path or odd characters (its
    suffix is kept: it tells the input's kind)."""
    base = re.split(r"[/\\]", name)[-1]
    base = _UNSAFE.sub("_", base).strip(" .")
    return f"{number:03d}-{base or 'upload'}"


def _upload_units(
    ingestor: Ingestor, config: ServerConfig, folder: Path, names: dict[str, str],
    draft: Draft | None,
) -> Iterator[Unit]:
    """The units of the files written to ``folder`` (their sources named "upload:NAME" after
    the names the browser gave, ``names``), then the pasted draft; each input counted, and
    those stored whole already skipped before they are parsed (the ingestor's ``known``)."""
    files = list_files([folder]) if names else []
    limit = int(config.options.max_file_size_mb * 1024 * 1024)
    archives: dict[str, str] = {}  # web archives, read from their files: their labels

    def labelled() -> Iterator[RawInput | Reject]:
        for item in read_inputs(files, config.options):
            ingestor.summary.inputs += 1
            label = f"upload:{names.get(item.source, Path(item.source).name)}"
            if isinstance(item, RawInput) and item.kind == "warc":
                archives[item.source] = label
                yield item
            else:
                yield replace(item, source=label)

    for item in ingestor.known.files(labelled()):
        for unit, ends in units_of([item], limit, ingestor.summary.skipped):
            # a web archive's pages keep their "#record N"
            label = archives.get(item.source, item.source)
            yield replace(unit, source=unit.source.replace(item.source, label, 1)), ends
    if draft is not None:
        ingestor.summary.inputs += 1
        pasted: list[Unit] = [(draft, True)]
        yield from ingestor.known.whole(_pasted_bytes(draft), draft.source, lambda: pasted)


def _pasted_bytes(draft: Draft) -> bytes:
    """What a pasted article is known by: its text and the fields given with it, as one
    JSON document."""
    fields = {"text": draft.text, "title": draft.title, "outlet": draft.outlet,
              "url": draft.url, "published": draft.published}
    return json.dumps(fields, ensure_ascii=False, sort_keys=True).encode()


def ingest_uploads(
    store: Store, config: ServerConfig, uploads: list[Upload], draft: Draft | None
) -> tuple[IngestSummary, list[str]]:
    """Run the real pipeline over uploaded files (written to a temporary folder, read as any
    input is, their sources named "upload:NAME") and a pasted article. Returns the summary
    and the stories the new articles joined."""
    with tempfile.TemporaryDirectory(prefix="storylens-upload-") as folder:
        names: dict[str, str] = {}
        for number, upload in enumerate(uploads, start=1):
            path = Path(folder) / _safe_name(upload.name, number)
            path.write_bytes(upload.data)
            names[str(path)] = upload.name
        ingestor = run_ingest(
            store, config, lambda it: _upload_units(it, config, Path(folder), names, draft)
        )
    stories = list(dict.fromkeys(a.story_id for a in ingestor.assignments))
    return ingestor.summary, stories


def ingest_page_inputs(
    config: ServerConfig, uploads: list[Upload], draft: Draft | None
) -> tuple[IngestSummary, list[dict[str, Any]]]:
    """ingest_uploads on a connection of its own: the summary, and the summaries of the
    stories the new articles joined (those still there)."""
    store = Store(config.db, create=False)
    try:
        summary, story_ids = ingest_uploads(store, config, uploads, draft)
        found = []
        for story_id in story_ids:
            try:
                found.append(story_summary(store.story(story_id)))
            except NotFoundError:
                continue
        return summary, found
    finally:
        store.close()
