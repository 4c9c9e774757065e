"""Settings on the command line: the --setting option, its parsing and 'storylens settings'."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from ..errors import UsageError
from ..options import Options
from .output import JsonOption, print_json, say

SettingOption = Annotated[
    list[str] | None,
    typer.Option(
        "--setting",
        "-s",
        metavar="NAME=VALUE",
        help="Change a setting, as NAME=VALUE (repeatable). 'storylens settings' lists them.",
        show_default=False,
    ),
]


def _switch(value: str) -> bool:
    """A yes/no setting's value: true/false, yes/no, on/off or 1/0."""
    words = {"true": True, "yes": True, "on": True, "1": True,
             "false": False, "no": False, "off": False, "0": False}
    if value.strip().lower() not in words:
        raise ValueError(value)
    return words[value.strip().lower()]


_switch.__name__ = "true or false"


def options_from(settings: list[str] | None) -> Options:
    """Options from NAME=VALUE pairs, each converted to the type of its default."""
    changes: dict[str, Any] = {}
    known = {f.name: f for f in [*Options.settings(), *Options.columns()]}
    for pair in settings or []:
        name, sep, value = pair.partition("=")
        name = name.strip().replace("-", "_")
        if not sep or name not in known:
            raise UsageError(
                f"unknown setting {pair!r}; known settings: {', '.join(sorted(known))}"
            )
        kind: Any = type(known[name].default)
        if kind is bool:
            kind = _switch
        try:
            changes[name] = kind(value)
        except ValueError as error:
            raise UsageError(f"setting {name} takes a {kind.__name__}, not {value!r}") from error
    return Options(**changes)


def settings(as_json: JsonOption = False) -> None:
    """List the settings (change them with --setting NAME=VALUE); without --json, then the
    columns a CSV or TSV table's fields are read from (set the same way)."""
    rows = [
        {"name": f.name, "default": f.default, "help": f.metadata["help"]}
        for f in Options.settings()
    ]
    if as_json:
        print_json(rows)
        return
    for row in rows:
        say(f"{row['name']} = {row['default']}\n    {row['help']}")
    say("\nTable columns (CSV, TSV; empty: the usual names):")
    for column in Options.columns():
        say(f"{column.name} = {column.default!r}\n    {column.metadata['help']}")
