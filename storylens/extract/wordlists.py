"""Word lists kept as plain files beside the code that reads them (pure; reads package data).

Each extractor package has a ``words`` folder: a ``.txt`` file holds one word (or phrase) a
line, a ``.tsv`` file one ``key<TAB>value`` a line. Lines starting with "#" say what the list
is, and blank lines are skipped. A package reads its lists once, when it is imported.
"""

from __future__ import annotations

from importlib import resources


def _lines(package: str, file: str) -> list[str]:
    """The lines of a word file that are neither blank nor comments, stripped."""
    text = resources.files(package).joinpath("words", file).read_text(encoding="utf-8")
    stripped = (line.strip() for line in text.splitlines())
    return [line for line in stripped if line and not line.startswith("#")]


def word_tuple(package: str, name: str) -> tuple[str, ...]:
    """The words of ``words/<name>.txt`` in ``package``, in file order."""
    return tuple(_lines(package, name + ".txt"))


def word_set(package: str, name: str) -> frozenset[str]:
    """The words of ``words/<name>.txt`` in ``package``, as a set."""
    return frozenset(_lines(package, name + ".txt"))


def word_table(package: str, name: str) -> tuple[tuple[str, str], ...]:
    """The (key, value) rows of ``words/<name>.tsv`` in ``package``, in file order; a line
    without a tab has an empty value."""
    rows = []
    for line in _lines(package, name + ".tsv"):
        key, _, value = line.partition("\t")
        rows.append((key.strip(), value.strip()))
    return tuple(rows)
