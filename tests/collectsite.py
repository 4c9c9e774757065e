"""A news site served on 127.0.0.1 for the collection tests: routes we write (feeds,
sitemaps, article pages of invented outlets and events, and the bad cases), each request
counted by path.

A response is counted as served (``served``) only when it was written to a client still
connected after any delay: a request whose client was killed while it waited is in
``arrived`` alone.
"""

from __future__ import annotations

import select
import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

TOWNS = [
    ("Harrowfield", "bridge", "Mara Ellwood", 14),
    ("Quillsby", "library", "Tomas Verhallen", 23),
    ("Pennock Vale", "tram line", "Odile Banerjee", 31),
    ("Castlemere", "harbour wall", "Ruairi Flint", 8),
    ("Ashbourne Cross", "water works", "Priya Castellan", 42),
    ("Dunmarrow", "school roof", "Idris Holloway", 17),
    ("Fenwick Hollow", "ferry pier", "Greta Sunderby", 26),
    ("Lowther Bay", "market hall", "Anselm Pryce", 12),
    ("Brackenridge", "cycle path", "Noor Hadleigh", 35),
    ("Wester Ollam", "fire station", "Cato Brennagh", 19),
    ("Saltings End", "flood barrier", "Ines Marwood", 51),
    ("Tollgate Rise", "bus depot", "Wendell Asquith", 9),
]


def article_text(number: int) -> tuple[str, list[str]]:
    """An invented article: its headline and paragraphs, every sentence naming its own town,
    works and people, so that no line repeats across articles."""
    town, works, official, millions = TOWNS[number % len(TOWNS)]
    day = 3 + number
    title = f"{town} council approves {millions} million plan for the {works}"
    paragraphs = [
        f"The council of {town} voted on Tuesday {day} March to spend {millions} million "
        f"pounds rebuilding the {works}, after two winters in which residents of {town} "
        f"complained that the {works} was closed for weeks at a time.",
        f"{official}, who chairs the {town} works committee, said the vote ended a debate "
        f"that began when inspectors found cracks in the {works} in the autumn, and that "
        f"contractors in {town} would be invited to bid before the end of April.",
        f"Opponents on the {town} council argued that {millions} million pounds was more than "
        f"the town could borrow, and proposed repairing the old {works} instead; their "
        f"amendment failed by {number + 3} votes.",
        f"Shopkeepers near the {works} told reporters in {town} they welcomed the decision "
        f"but feared the building work, expected to last {number % 4 + 2} years, would keep "
        f"customers away from the streets around the {works}.",
        f"The plan for the {works} now goes to the regional authority, which {official} said "
        f"had promised {town} an answer within {number % 5 + 4} weeks, and the first work on "
        f"the site could begin in the summer if the money for the {works} is approved.",
    ]
    return title, paragraphs


def article_page(number: int, outlet: str = "The Vale Courier") -> bytes:
    """The HTML page of invented article ``number``."""
    title, paragraphs = article_text(number)
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return (
        f"<!doctype html><html><head><title>{escape(title)} | {outlet}</title>"
        f'<meta property="og:site_name" content="{outlet}"></head><body>'
        f"<nav><a href='/'>Home</a></nav><article><h1>{escape(title)}</h1>"
        f"<p class='byline'>By the {outlet} staff</p>{body}</article>"
        "<footer>All rights reserved.</footer></body></html>"
    ).encode()


@dataclass
class Item:
    """A feed item: its link, and its content (the whole article) when ``full``."""

    link: str
    number: int
    full: bool = False


def rss(base: str, items: list[Item], title: str = "The Vale Courier - Top Stories") -> bytes:
    """An RSS 2.0 feed of the items: a short description each, and content:encoded for
    those whose whole article the feed carries."""
    parts = []
    for item in items:
        headline, paragraphs = article_text(item.number)
        content = ""
        if item.full:
            html = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
            content = f"<content:encoded><![CDATA[{html}]]></content:encoded>"
        parts.append(
            f"<item><title>{escape(headline)}</title><link>{escape(base + item.link)}</link>"
            f"<guid>{escape(base + item.link)}</guid>"
            f"<description>{escape(paragraphs[0][:90])}</description>{content}"
            f"<pubDate>Tue, {item.number + 3:02d} Mar 2026 09:00:00 GMT</pubDate></item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        f"<title>{title}</title><link>{base}/</link><description>News</description>"
        + "".join(parts) + "</channel></rss>"
    ).encode()


def atom(base: str, items: list[Item], title: str = "Lowland Gazette") -> bytes:
    """An Atom feed of the items: a summary each, and the whole article as content for
    those marked ``full``."""
    parts = []
    for item in items:
        headline, paragraphs = article_text(item.number)
        content = ""
        if item.full:
            html = escape("".join(f"<p>{escape(p)}</p>" for p in paragraphs))
            content = f'<content type="html">{html}</content>'
        parts.append(
            f"<entry><title>{escape(headline)}</title>"
            f'<link rel="alternate" href="{escape(base + item.link)}"/>'
            f"<id>tag:gazette.test,2026:{item.number}</id>"
            f"<updated>2026-03-{item.number + 3:02d}T09:00:00Z</updated>"
            f"<summary>{escape(paragraphs[0][:90])}</summary>{content}</entry>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{title}</title><id>tag:gazette.test,2026:feed</id>"
        "<updated>2026-03-20T09:00:00Z</updated>" + "".join(parts) + "</feed>"
    ).encode()


def sitemap(base: str, paths: list[str], index: bool = False) -> bytes:
    """A news sitemap of the paths, or (``index``) a sitemap index of sitemaps."""
    tag, inner = ("sitemapindex", "sitemap") if index else ("urlset", "url")
    body = "".join(f"<{inner}><loc>{escape(base + p)}</loc></{inner}>" for p in paths)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<{tag} xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
        f"{body}</{tag}>"
    ).encode()


@dataclass
class Route:
    """What the site answers for a path."""

    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    delay: float = 0.0  # seconds before answering
    length: bool = True  # send Content-Length (else the body ends when the connection does)


class Site:
    """A site on 127.0.0.1 in a thread: ``routes`` by path (queries ignored), ``arrived``
    and ``served`` counted by path, ``arrivals`` the paths in the order they came."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.arrived: Counter[str] = Counter()
        self.served: Counter[str] = Counter()
        self.not_modified: Counter[str] = Counter()
        self.arrivals: list[tuple[str, float]] = []
        self.agents: set[str] = set()
        self.lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
                site.answer(self)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Site:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def url(self, path: str) -> str:
        return self.base + path

    def answer(self, handler: BaseHTTPRequestHandler) -> None:
        """Answer one request by its route (404 when there is none)."""
        path = urlsplit(handler.path).path
        with self.lock:
            self.arrived[path] += 1
            self.arrivals.append((path, time.monotonic()))
            self.agents.add(handler.headers.get("User-Agent", ""))
        route = self.routes.get(path, Route(b"not here", "text/plain", 404))
        if route.delay:
            time.sleep(route.delay)
            if _gone(handler.connection):
                return
        matched = (route.etag and handler.headers.get("If-None-Match") == route.etag) or (
            route.last_modified
            and handler.headers.get("If-Modified-Since") == route.last_modified
        )
        status, body = (304, b"") if matched else (route.status, route.body)
        handler.send_response(status)
        handler.send_header("Content-Type", route.content_type)
        for name, value in route.headers.items():
            handler.send_header(name, value)
        if route.etag:
            handler.send_header("ETag", route.etag)
        if route.last_modified:
            handler.send_header("Last-Modified", route.last_modified)
        if route.length:
            handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        try:
            handler.wfile.write(body)
        except OSError:  # the client went away while reading
            return
        with self.lock:
            self.served[path] += 1
            if status == 304:
                self.not_modified[path] += 1


def _gone(connection: socket.socket) -> bool:
    """Whether the client closed its end (killed, or gave up) while the site waited."""
    readable, _, _ = select.select([connection], [], [], 0)
    if not readable:
        return False
    try:
        return connection.recv(1, socket.MSG_PEEK) == b""
    except OSError:
        return True
