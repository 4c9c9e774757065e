"""Sources as people name them: a URL, an optional name and interval, one a line in a
sources file (``#`` starts a comment), checked and added to the store."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import UsageError
from ..store import Store
from .urls import normalise

_COMMENT = re.compile(r"(^|\s)#.*$")


@dataclass(frozen=True)
class SourceLine:
    """A source to add: its URL, and optionally a name and how many minutes apart to poll
    it."""

    url: str
    name: str | None = None
    every_minutes: float | None = None


def checked(url: str, name: str | None = None, every_minutes: float | None = None) -> SourceLine:
    """A source with its URL normalised; UsageError for what is not an http(s) URL or an
    interval that is not positive."""
    clean = normalise(url)
    if clean is None:
        raise UsageError(f"not an http or https URL: {url!r}")
    if every_minutes is not None and not every_minutes > 0:
        raise UsageError(f"the interval must be a positive number of minutes, not {every_minutes}")
    return SourceLine(clean, (name or "").strip() or None, every_minutes)


def read_sources_file(text: str, where: str = "the sources file") -> list[SourceLine]:
    """The sources a file names: one a line, ``URL [NAME] [MINUTES]`` (a name may have
    spaces; a last word that is a number is the interval); blank lines and ``#`` comments
    are skipped. UsageError names the line of a source that is not one."""
    found: list[SourceLine] = []
    for number, line in enumerate(text.splitlines(), start=1):
        words = _COMMENT.sub("", line).split()
        if not words:
            continue
        every: float | None = None
        if len(words) > 1:
            try:
                every = float(words[-1])
                words = words[:-1]
            except ValueError:
                every = None
        try:
            found.append(checked(words[0], " ".join(words[1:]) or None, every))
        except UsageError as error:
            raise UsageError(f"{where}, line {number}: {error}") from error
    return found


def add_sources(store: Store, lines: list[SourceLine]) -> int:
    """Add the sources (a known URL gets its new name and interval); how many were new."""
    return sum(store.add_source(s.url, s.name, s.every_minutes) for s in lines)
