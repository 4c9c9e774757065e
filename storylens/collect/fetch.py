"""Fetching over HTTP for storylens watch: the one place httpx is used, and where its errors
become reasons (FetchFailed).

Polite by default: robots.txt read once per host and round (protego) and obeyed; one request
at a time, at least ``fetch_delay_seconds`` (or the robots.txt Crawl-delay, if longer) apart
per host; conditional requests (ETag, Last-Modified); a host that answered 429 or 503 with a
Retry-After is left alone until then (the request is refused at once, never waited for);
a timeout, a size limit read as the body streams, only HTML, XML and feed content types
(and gzip files, as sitemaps often are, unpacked within the same size limit), and redirects
followed by hand up to a limit (a loop is named as such).
"""

from __future__ import annotations

import email.utils
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC

import httpx
from protego import Protego

from ..errors import FetchFailed
from ..options import Options
from .urls import host_of

# Content types accepted for pages, feeds and sitemaps (a missing type is accepted too).
ACCEPTED_TYPES = (
    "text/html", "application/xhtml+xml", "text/xml", "application/xml", "application/rss+xml",
    "application/atom+xml", "application/rdf+xml", "application/x-rss+xml",
    # a gzip file (sitemap.xml.gz); its content is what is checked, once unpacked
    "application/gzip", "application/x-gzip",
)
GZIP_MAGIC = b"\x1f\x8b"
# A host in backoff for longer than this refuses requests at once rather than being waited for.
BACKOFF_WAIT_SECONDS = 2.0
# A robots.txt Crawl-delay is honoured up to this many seconds.
MAX_CRAWL_DELAY_SECONDS = 60.0
# Statuses after which a host is given time (Retry-After, else the delay doubled).
_BACKOFF_STATUSES = (429, 503)


@dataclass(frozen=True)
class Response:
    """A usable answer: ``status`` 200 (with ``body``) or 304 (nothing new); ``url`` the
    final URL after redirects; the validators to send next time."""

    url: str
    status: int
    body: bytes
    content_type: str
    etag: str | None
    last_modified: str | None
    location: str | None = None  # where a redirect points


class Fetcher:
    """Makes the requests of one round. Use as a context manager, or call close()."""

    def __init__(
        self, options: Options, *, sleep: Callable[[float], None] = time.sleep,
        stopping: Callable[[], bool] = lambda: False,
    ) -> None:
        """``sleep`` waits between requests to one host; ``stopping`` says when to stop
        (Ctrl-C): a request asked for then is refused with the reason ``stopped``."""
        self.options = options
        self.sleep = sleep
        self.stopping = stopping
        self.client = httpx.Client(
            headers={"User-Agent": options.fetch_user_agent},
            timeout=httpx.Timeout(options.fetch_timeout_seconds),
            follow_redirects=False,
        )
        self.requests = 0
        self._robots: dict[str, Protego | None] = {}
        self._last: dict[str, float] = {}
        self._backoff: dict[str, float] = {}  # host: Unix time its backoff ends

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connections."""
        self.client.close()

    def allowed(self, url: str) -> bool:
        """Whether the host's robots.txt lets us fetch ``url`` (read once per host; a
        robots.txt that is missing or cannot be read allows everything)."""
        host = host_of(url)
        if host not in self._robots:
            self._robots[host] = self._read_robots(host)
        rules = self._robots[host]
        return rules is None or bool(rules.can_fetch(url, self.options.fetch_user_agent))

    def backoff_until(self, url: str) -> float | None:
        """The Unix time until which the host of ``url`` is left alone, if it is."""
        until = self._backoff.get(host_of(url))
        return until if until is not None and until > time.time() else None

    def _read_robots(self, host: str) -> Protego | None:
        try:
            answer = self._get(host + "/robots.txt", ("text/plain", *ACCEPTED_TYPES), None, None)
        except FetchFailed:
            return None
        if answer.status != 200:
            return None
        return Protego.parse(answer.body.decode("utf-8", errors="replace"))

    def get(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> Response:
        """GET ``url`` (conditionally, when validators are given), redirects followed, each
        hop checked against robots.txt. Raises FetchFailed with the reason."""
        seen = {url}
        for _ in range(self.options.fetch_max_redirects + 1):
            if not self.allowed(url):
                raise FetchFailed("robots-disallowed", f"robots.txt disallows {url}")
            answer = self._get(url, ACCEPTED_TYPES, etag, last_modified)
            if answer.status not in (301, 302, 303, 307, 308):
                return answer
            target = answer.location or url
            if target in seen:
                raise FetchFailed("redirect-loop", f"{url} redirects back to {target}")
            seen.add(target)
            url = target
        raise FetchFailed(
            "too-many-redirects",
            f"more than {self.options.fetch_max_redirects} redirects from {next(iter(seen))}",
        )

    def _get(
        self, url: str, types: tuple[str, ...], etag: str | None, last_modified: str | None
    ) -> Response:
        """One request, after the host's delay; httpx's errors translated here, once."""
        if self.stopping():
            raise FetchFailed("stopped", "the watch was asked to stop")
        self._wait_for(url)
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        self.requests += 1
        try:
            with self.client.stream("GET", url, headers=headers) as answer:
                return self._answer(url, answer, types)
        except httpx.TimeoutException as error:
            raise FetchFailed("timeout", f"no answer from {url} within "
                              f"{self.options.fetch_timeout_seconds:g} s") from error
        except (httpx.InvalidURL, httpx.UnsupportedProtocol) as error:
            raise FetchFailed("bad-url", f"{url} cannot be fetched: {error}") from error
        except httpx.DecodingError as error:
            raise FetchFailed("undecodable", f"the body of {url} cannot be decoded") from error
        except httpx.HTTPError as error:
            raise FetchFailed(
                "connection-failed", f"{url}: {type(error).__name__}: {error}"
            ) from error
        finally:
            self._last[host_of(url)] = time.monotonic()

    def _answer(self, url: str, answer: httpx.Response, types: tuple[str, ...]) -> Response:
        """The response read (its body up to the limit), or FetchFailed for a status or
        content type that is not usable."""
        status = answer.status_code
        if status in (301, 302, 303, 307, 308) and "location" in answer.headers:
            target = str(answer.url.join(answer.headers["location"]))
            return Response(url, status, b"", "", None, None, location=target)
        if status == 304:
            return Response(url, 304, b"", "", answer.headers.get("etag"),
                            answer.headers.get("last-modified"))
        if not 200 <= status < 300:
            retry_at = self._note_backoff(url, status, answer.headers.get("retry-after"))
            raise FetchFailed(f"http-{status}", f"{url} answered {status}", retry_at)
        kind = answer.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind and kind not in types:
            raise FetchFailed("wrong-content-type", f"{url} is {kind}, not HTML or XML")
        body = self._body(url, answer)
        if body.startswith(GZIP_MAGIC):
            body = self._gunzip(url, body)
        return Response(str(answer.url), 200, body, kind, answer.headers.get("etag"),
                        answer.headers.get("last-modified"))

    def _body(self, url: str, answer: httpx.Response) -> bytes:
        """The body, read as it streams; FetchFailed("too-large") past the size limit, and
        ("timeout") when it trickles in for longer than the timeout."""
        limit = int(self.options.fetch_max_mb * 1024 * 1024)
        declared = answer.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise FetchFailed("too-large", f"{url} is {int(declared)} bytes, over {limit}")
        deadline = time.monotonic() + self.options.fetch_timeout_seconds
        parts: list[bytes] = []
        size = 0
        for chunk in answer.iter_bytes():
            size += len(chunk)
            if size > limit:
                raise FetchFailed("too-large", f"{url} is over {limit} bytes")
            if time.monotonic() > deadline:
                raise FetchFailed("timeout", f"{url} took longer than "
                                  f"{self.options.fetch_timeout_seconds:g} s to read")
            parts.append(chunk)
        return b"".join(parts)

    def _gunzip(self, url: str, body: bytes) -> bytes:
        """A gzip file's content, unpacked no further than the size limit (a small file can
        unpack to gigabytes): FetchFailed("too-large") past it, ("bad-gzip") when broken."""
        limit = int(self.options.fetch_max_mb * 1024 * 1024)
        unpacker = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        try:
            content = unpacker.decompress(body, limit + 1)
        except zlib.error as error:
            raise FetchFailed("bad-gzip", f"{url} is not a whole gzip file: {error}") from error
        if len(content) > limit:
            raise FetchFailed("too-large", f"{url} unpacks to over {limit} bytes")
        if not unpacker.eof:
            raise FetchFailed("bad-gzip", f"{url} is not a whole gzip file: it is cut short")
        return content

    def _note_backoff(self, url: str, status: int, retry_after: str | None) -> float | None:
        """After a 429 or 5xx: when to come back, from Retry-After (seconds or an HTTP
        date); a 429 or 503 also puts the host in backoff until then."""
        retry_at = parse_retry_after(retry_after) if retry_after else None
        if status in _BACKOFF_STATUSES:
            self._backoff[host_of(url)] = retry_at or time.time() + 2 * self._delay(url)
        return retry_at

    def _delay(self, url: str) -> float:
        """The least time between two requests to the host of ``url``."""
        if not self.options.politeness:
            return 0.0
        rules = self._robots.get(host_of(url))
        crawl = rules.crawl_delay(self.options.fetch_user_agent) if rules is not None else None
        return max(self.options.fetch_delay_seconds,
                   min(float(crawl or 0.0), MAX_CRAWL_DELAY_SECONDS))

    def _wait_for(self, url: str) -> None:
        """Wait out the host's delay; refuse at once when its backoff lasts long."""
        host = host_of(url)
        until = self._backoff.get(host)
        if until is not None:
            left = until - time.time()
            if left > BACKOFF_WAIT_SECONDS:
                raise FetchFailed("backing-off", f"{host} asked us to wait", until)
            if left > 0:
                self.sleep(left)
        last = self._last.get(host)
        if last is not None:
            wait = last + self._delay(url) - time.monotonic()
            if wait > 0:
                self.sleep(wait)


def parse_retry_after(value: str) -> float | None:
    """A Retry-After header as a Unix time: seconds from now, or an HTTP date."""
    value = value.strip()
    if value.isdigit():
        return time.time() + int(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()
