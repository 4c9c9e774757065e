"""Known inputs: a rerun skips a raw input already stored before parsing it.

Each raw input is known by the hash of its bytes: a whole file, or one record of a web
archive (a JSON Lines file or a table by the whole file, as it is split into its records when
read).
An input whose hash is recorded in the store is counted as the duplicates it gave when it was
stored, and not parsed, cleaned or extracted again; an input met for the first time is
recorded once all its articles are stored, unless any part of it was rejected (a rerun
retries it). The server knows a POSTed body, and a pasted article, the same way (``whole``).
"""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator

from ..model import Draft, RawInput, Reject
from ..store import Store
from .prepare import SPLIT_KINDS, Unit
from .stages import Prepared

Entry = tuple[str, str, bool] | None  # a unit's input hash, source, and whether it ends it


def input_hash(data: bytes) -> str:
    """The hash a raw input is known by: SHA-256 of its bytes, in hexadecimal."""
    return hashlib.sha256(data).hexdigest()


class KnownInputs:
    """The raw inputs of one ingest: those already stored are skipped (and counted as
    duplicates), the others noted in the order their units are prepared, to be recorded
    (``ready``) once their results are all in."""

    def __init__(self, store: Store | None, skipped: Callable[[int, bool], None]) -> None:
        """``store``: where the inputs stored are recorded (None: no input is known, as in
        a Spark task, which prepares for a new database). ``skipped`` is told of each input
        skipped: the duplicates it counts, and whether it ends its file."""
        self.store = store
        self.skipped = skipped
        self._order: deque[Entry] = deque()
        self._open: dict[str, tuple[str, int, bool]] = {}
        # the input taken whole (a JSON file, a POSTed body) whose parts come now
        self._whole: tuple[str, str] | None = None
        self.ready: list[tuple[str, str, int]] = []

    def _known(self, data: bytes) -> tuple[str, int | None]:
        """An input's hash, and how many articles it gave when stored (None: not stored)."""
        key = input_hash(data)
        return key, None if self.store is None else self.store.known_input(key)

    def files(self, items: Iterable[RawInput | Reject]) -> Iterator[RawInput | Reject]:
        """The inputs read, less the JSON files and tables already stored (they are split into
        their records before the units are filtered). Read lazily, as units_of reads them: the
        units of a JSON file come before the next input is read."""
        for item in items:
            if isinstance(item, RawInput) and item.kind in SPLIT_KINDS:
                key, count = self._known(item.data)
                if count is not None:
                    self.skipped(count, True)
                    continue
                self._whole = (key, item.source)
            else:
                self._whole = None
            yield item
        self._whole = None

    def whole(
        self, data: bytes, source: str, parts: Callable[[], Iterable[Unit]]
    ) -> Iterator[Unit]:
        """The units of one input taken whole, read by the caller's own means (a POSTed
        body, a pasted article): none when ``data``, its bytes, are stored already (then it
        is counted as skipped, and ``parts`` is never called), else the units ``parts``
        gives, which ``units`` notes as the parts of this one input."""
        key, count = self._known(data)
        if count is not None:
            self.skipped(count, True)
            return
        self._whole = (key, source)
        yield from parts()
        self._whole = None

    def units(self, units: Iterable[Unit]) -> Iterator[Unit]:
        """The units to prepare, less the raw inputs already stored; each unit passed on is
        noted (see ``took``)."""
        for item, ends in units:
            entry: Entry = None
            if isinstance(item, RawInput) and item.data:
                key, count = self._known(item.data)
                if count is not None:
                    self.skipped(count, ends)
                    continue
                entry = (key, item.source, True)
            elif isinstance(item, Draft | Reject) and self._whole is not None:
                entry = (*self._whole, ends)
            self._order.append(entry)
            yield item, ends

    def took(self, results: list[Prepared | Reject]) -> None:
        """The results of the next unit prepared: its input is ready to be recorded when
        they end it, it gave articles and no part of it was rejected."""
        entry = self._order.popleft()
        if entry is None:
            return
        key, source, ends = entry
        _, count, good = self._open.pop(key, (source, 0, True))
        count += sum(1 for r in results if isinstance(r, Prepared))
        good = good and not any(isinstance(r, Reject) for r in results)
        if not ends:
            self._open[key] = (source, count, good)
        elif good and count:
            self.ready.append((key, source, count))
