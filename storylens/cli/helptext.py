"""The commands' help: arguments named by their metavar alone ("PATH...", "ID"), without
typer's braces and Python types ("{paths}...", "<list[Path]>")."""

from __future__ import annotations

from typing import Any

from typer.core import TyperCommand


def argument_name(param: Any) -> str:
    """How the help names an argument: its metavar (else its name in capitals), "..." after
    one that takes several values, in brackets when it may be left out."""
    name = param.metavar or (param.name or "").upper()
    if param.nargs != 1 and not name.endswith("..."):
        name += "..."
    return name if param.required else f"[{name}]"


class Command(TyperCommand):
    """A typer command whose usage line and help name arguments as ``argument_name`` does."""

    # typer ships its own copy of click: its parameters are told apart by their kind's name.

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        """The usage line after the command's name: [OPTIONS] and the arguments."""
        pieces = [self.options_metavar] if self.options_metavar else []
        return pieces + [
            argument_name(p) for p in self.get_params(ctx) if p.param_type_name == "argument"
        ]

    def format_options(self, ctx: Any, formatter: Any) -> None:
        """The Arguments section (name and help), then the Options section."""
        arguments, options = [], []
        for param in self.get_params(ctx):
            if param.param_type_name == "argument":
                text = getattr(param, "help", None) or ""
                arguments.append((argument_name(param), text))
            else:
                record = param.get_help_record(ctx)
                if record is not None:
                    options.append(record)
        if arguments:
            with formatter.section("Arguments"):
                formatter.write_dl(arguments)
        if options:
            with formatter.section("Options"):
                formatter.write_dl(options)
