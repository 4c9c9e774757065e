"""Rendering the web pages: the Jinja2 templates (in storylens/web/templates, every one
autoescaped), the error page, and the helpers the pages share for reading their query
parameters and linking from one page of a list to the next, and the name an article's input
is shown by (never a path on the server's disk).
"""

from __future__ import annotations

from pathlib import PurePosixPath, PureWindowsPath
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from ..errors import StorylensError, UsageError
from .deps import WEB, ServerConfig

# autoescape on for every template: article text can hold "<script>" and must run nothing
templates = Jinja2Templates(directory=str(WEB / "templates"))
templates.env.autoescape = True
templates.env.trim_blocks = True
templates.env.lstrip_blocks = True


def render(
    request: Request, name: str, context: dict[str, Any], status: int = 200
) -> HTMLResponse:
    """A template rendered as a page of the site (which knows whether the server writes)."""
    config: ServerConfig = request.app.state.config
    page = {"writable": config.write_token is not None, "nav": "", **context}
    response: HTMLResponse = templates.TemplateResponse(request, name, page, status_code=status)
    return response


def error_page(request: Request, status: int, title: str, message: str) -> HTMLResponse:
    """The site's error page."""
    return render(request, "error.html.j2", {"title": title, "message": message}, status)


def not_found(request: Request, error: StorylensError) -> HTMLResponse:
    """The error page for a record that does not exist (404)."""
    return error_page(request, 404, "Not found", str(error))


# The highest page number a list is asked for: far beyond any list, and its offset stays
# within SQLite's integers.
MAX_PAGE = 1_000_000_000


def page_number(value: str | None) -> int:
    """The page asked for, from 1; anything that is not a positive number is page 1. Digits
    that are not a number (``²``) or a page past MAX_PAGE are a UsageError (400)."""
    if not value or not value.isdigit():
        return 1
    try:
        number = int(value)
    except ValueError:
        raise UsageError(f"the page {value!r} is not a number") from None
    if number > MAX_PAGE:
        raise UsageError(f"the page {value[:30]!r} is past the last page there can be")
    return max(number, 1)


def blank(value: str | None) -> str | None:
    """A form field's value without surrounding spaces; None when nothing is left."""
    value = value.strip() if value else None
    return value or None


def link(path: str, params: dict[str, Any]) -> str:
    """A link to a page with the parameters that are set (page 1 goes without a number)."""
    kept = {k: v for k, v in params.items() if v not in (None, "") and not (k == "page" and v == 1)}
    return f"{path}?{urlencode(kept)}" if kept else path


def pagination(
    path: str, params: dict[str, Any], page: int, total: int, per_page: int
) -> dict[str, Any]:
    """Where a list's page stands among its pages, with links to the one before and after."""
    last = max(1, -(-total // per_page))
    return {
        "page": page,
        "last": last,
        "total": total,
        "prev": link(path, {**params, "page": page - 1}) if page > 1 else None,
        "next": link(path, {**params, "page": page + 1}) if page < last else None,
    }


def public_source(source: str) -> str:
    """What a page or response may say an article came from: a URL ("https://...") or a label
    the server gave ("upload:NAME", "pasted:TITLE") as it is; a path on the server's disk by
    the file's name alone, with the record or line in it ("feed.xml#item3"), never the folders
    it lies in."""
    where, mark, part = source.partition("#")
    scheme = where.split(":", 1)[0] if ":" in where else ""
    if ("://" in where and scheme.lower() != "file") or scheme in ("upload", "pasted"):
        return source
    name = PurePosixPath(PureWindowsPath(where.removeprefix("file://")).as_posix()).name
    return name + mark + part
