"""The server's edge: the security headers on every response, the URL's length and the body
limit checked before a request is read (the body again as it streams in), and every error
leaving as one JSON shape, ``{"error": {"status": 404, "code": "not-found", "message":
"..."}}``, or, for a page of the site rather than the API, as the site's error page with the
same status (storylens' own errors are translated here: a busy database as 503 with
Retry-After, a damaged one as 503 ``damaged``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import (
    NotFoundError,
    StoreBusy,
    StoreDamaged,
    StoreFull,
    StoreReadOnly,
    StorylensError,
    UsageError,
)
from .render import error_page

# Pages load only what the server itself serves: no inline script, no CDN.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)

SECURITY_HEADERS = (
    ("content-security-policy", CONTENT_SECURITY_POLICY),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "no-referrer"),
)

_CODES = {
    400: "bad-request", 401: "unauthorized", 403: "forbidden", 404: "not-found",
    405: "method-not-allowed", 413: "too-large", 414: "uri-too-long", 422: "invalid",
    500: "server-error", 503: "busy",
}

# How many seconds a client is asked to wait before trying a busy database again.
RETRY_AFTER_SECONDS = 5

# The longest URL (its path and query string, as sent) the application answers: 414 beyond.
# Far more than any page or query needs (a search is at most 1,000 characters).
MAX_URL_BYTES = 32 * 1024
# The longest URL `storylens serve` reads at all (web.server): one up to this long reaches the
# application and gets its 414; a longer one gets the HTTP server's own plain-text 400, and
# its connection is closed without reading more of it.
URL_BOUND = 1024 * 1024

# The error page's title for each status, and for each code where one status has several.
_TITLES: dict[int | str, str] = {
    400: "Bad request", 401: "Unauthorized", 403: "Forbidden", 404: "Not found",
    405: "Method not allowed", 413: "Request too large", 414: "URL too long",
    422: "Invalid request", 503: "Busy", "damaged": "Database damaged",
    "read-only": "Database read-only", 507: "Disk full",
}


def error_body(status: int, code: str, message: str) -> dict[str, Any]:
    """The one shape of every error the server sends."""
    return {"error": {"status": status, "code": code, "message": message}}


def _status_of(error: StorylensError) -> tuple[int, str]:
    if isinstance(error, NotFoundError):
        return 404, "not-found"
    if isinstance(error, UsageError):
        return 400, "bad-request"
    if isinstance(error, StoreBusy):
        return 503, "busy"
    if isinstance(error, StoreDamaged):
        return 503, "damaged"
    if isinstance(error, StoreReadOnly):  # the server can read, not write
        return 503, "read-only"
    if isinstance(error, StoreFull):
        return 507, "disk-full"
    return 500, "storylens-error"


def _is_api(request: Request) -> bool:
    """Whether a request is for the JSON API (else for a page of the site)."""
    path = request.url.path
    return path == "/api" or path.startswith("/api/")


def _is_page_view(request: Request) -> bool:
    """Whether a request asks to see a page of the site (GET or HEAD outside the API, as a
    browser does): its HTTP errors are then the site's error page. A form posted to a page
    keeps the JSON shape for them, as the API does."""
    return request.method in ("GET", "HEAD") and not _is_api(request)


def _error_page(request: Request, status: int, code: str, message: str) -> HTMLResponse:
    """The site's error page for an error of this status and code."""
    title = _TITLES.get(code) or _TITLES.get(status) or "Error"
    return error_page(request, status, title, message)


def url_length(scope: Scope) -> int:
    """The length in bytes of a request's URL as sent: its path and query string."""
    raw_path = scope.get("raw_path") or scope["path"].encode("utf-8")
    query: bytes = scope.get("query_string", b"")
    return len(raw_path) + (1 + len(query) if query else 0)


class BodyTooLarge(StarletteHTTPException):
    """A request body grew past the server's limit as it streamed in (413): raised where the
    application reads the body, before it reads any more."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request bodies are limited to {limit} bytes")


class SecurityHeaders:
    """ASGI middleware (lighter than a BaseHTTPMiddleware): the security headers on every
    response that does not set its own, 413 at once for a declared body over the limit, and
    every body (chunked or not) counted as the application reads it, cut with 413
    (BodyTooLarge) as soon as it grows past the limit, without reading the rest."""

    def __init__(self, app: ASGIApp, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS:
                    headers.setdefault(name, value)
            await send(message)

        refused = self._refused(scope)
        if refused is not None:
            await refused(scope, receive, send_with_headers)
            return
        await self.app(scope, self._counted(receive), send_with_headers)

    def _refused(self, scope: Scope) -> Callable[[Scope, Receive, Send], Awaitable[None]] | None:
        """The answer to a request refused before it is read: a URL over MAX_URL_BYTES (414:
        the site's error page for a page), a declared body over the limit (413)."""
        if url_length(scope) > MAX_URL_BYTES:
            message = f"URLs are limited to {MAX_URL_BYTES} bytes"
            request = Request(scope)
            if _is_page_view(request):
                return _error_page(request, 414, "uri-too-long", message)
            return JSONResponse(error_body(414, "uri-too-long", message), status_code=414)
        length = Headers(scope=scope).get("content-length")
        if length is not None and length.isdigit() and int(length) > self.max_body:
            return JSONResponse(
                error_body(
                    413, "too-large", f"request bodies are limited to {self.max_body} bytes"
                ),
                status_code=413,
            )
        return None

    def _counted(self, receive: Receive) -> Receive:
        """``receive`` counting the body's bytes: BodyTooLarge once they pass the limit."""
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise BodyTooLarge(self.max_body)
            return message

        return counted


async def _storylens_error(request: Request, error: StorylensError) -> Response:
    """storylens' own error: in the JSON shape for the API, the site's error page for a page
    (a busy database asks the client to retry after a while; a damaged one says so)."""
    status, code = _status_of(error)
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)} if code == "busy" else None
    if _is_api(request):
        return JSONResponse(error_body(status, code, str(error)), status, headers=headers)
    if status == 500:
        page = error_page(request, status, "Server error", str(error))
    else:
        page = _error_page(request, status, code, str(error))
    if headers:
        page.headers.update(headers)
    return page


async def _http_error(request: Request, error: StarletteHTTPException) -> Response:
    """An HTTP error (no such route or static file, a method not allowed, a limit): the
    site's error page for a page asked to be seen, else the JSON shape."""
    status = error.status_code
    code = _CODES.get(status, "error")
    headers = getattr(error, "headers", None)
    if _is_page_view(request):
        message = str(error.detail)
        if status == 404:
            message = f"There is no page at {request.url.path}."
        page = _error_page(request, status, code, message)
        if headers:
            page.headers.update(headers)
        return page
    return JSONResponse(
        error_body(status, code, str(error.detail)), status_code=status, headers=headers
    )


async def _unexpected(request: Request, error: Exception) -> JSONResponse:
    # the outermost layer answers this one: the headers are added here
    return JSONResponse(
        error_body(500, "server-error", "internal server error"), status_code=500,
        headers=dict(SECURITY_HEADERS),
    )


async def _invalid(request: Request, error: RequestValidationError) -> JSONResponse:
    first = error.errors()[0] if error.errors() else {}
    where = ".".join(str(p) for p in first.get("loc", ()))
    message = f"{where}: {first.get('msg', 'invalid request')}" if where else "invalid"
    return JSONResponse(error_body(422, "invalid", message), status_code=422)


def guard(app: FastAPI, max_body: int) -> None:
    """Put the edge around an application: the security headers and body limit
    (SecurityHeaders), and the handlers that turn every error into the one JSON shape."""
    app.add_middleware(SecurityHeaders, max_body=max_body)
    app.exception_handler(StorylensError)(_storylens_error)
    app.exception_handler(StarletteHTTPException)(_http_error)
    app.exception_handler(Exception)(_unexpected)
    app.exception_handler(RequestValidationError)(_invalid)
