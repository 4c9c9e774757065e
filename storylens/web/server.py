"""The HTTP protocol `storylens serve` runs uvicorn with when httptools is installed (as
uvicorn[standard] installs it, and as uvicorn's "auto" would pick it): uvicorn's own httptools
protocol, made to read URLs up to boundary.URL_BOUND.

uvicorn's protocol splits a request's URL with httptools' URL parser, whose offsets stop at
65,535 bytes: a longer URL got a plain-text 400 of uvicorn's own, not the server's error shape.
Here such a URL is cut to its first 65,535 bytes before it is split: still longer than the
application's limit (boundary.MAX_URL_BYTES), it reaches the application, which refuses it
with its 414 without reading it. A URL past URL_BOUND is not read further: uvicorn's plain
400, and the connection closed.
"""

from __future__ import annotations

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from .boundary import URL_BOUND

# The longest URL httptools' URL parser splits.
HTTPTOOLS_URL_LIMIT = 65_535


class UrlPastBound(Exception):
    """A request's URL grew past URL_BOUND while it was read."""


class LongUrlHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, reading URLs up to URL_BOUND (see the module)."""

    def on_url(self, url: bytes) -> None:
        if len(self.url) + len(url) > URL_BOUND:
            # httptools stops the request here; uvicorn answers its 400 and closes
            raise UrlPastBound(f"the URL is over {URL_BOUND} bytes")
        super().on_url(url)

    def on_headers_complete(self) -> None:
        if len(self.url) > HTTPTOOLS_URL_LIMIT:
            self.url = self.url[:HTTPTOOLS_URL_LIMIT]  # past the application's limit still
        super().on_headers_complete()
