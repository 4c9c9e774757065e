"""The news sites bench watch collects from: invented outlets on 127.0.0.1, each on a port of
its own (the fetcher keeps its delays per scheme, host and port), served by
``http.server.ThreadingHTTPServer`` in a thread, every request counted and timed per host.

Each host has a robots.txt that allows everything, an RSS feed of its newest articles (a short
description an item, so their pages are fetched), a sitemap index naming one news sitemap of
all its articles, and the article pages. The articles are written here from templates: local
news from invented towns (a council vote, a factory opening, a storm, a festival), with the
town, the people, the numbers and the date changing from one article to the next so that
they do not all fall into one story.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

_STARTS = ["Ash", "Brack", "Cole", "Dun", "Elm", "Fen", "Gar", "Hol", "Ivy", "Kel", "Lark",
           "Mor", "Nether", "Oak", "Pen", "Quar", "Rook", "Sal", "Thorn", "Wil"]
_ENDS = ["bury", "combe", "ford", "ham", "ley", "mouth", "stead", "wick", "ton", "by"]
_FIRST = ["Alma", "Bertil", "Cressida", "Dorian", "Elspeth", "Fergal", "Ginevra", "Hamish",
          "Isolde", "Jasper", "Kirsten", "Lorcan", "Maren", "Nikolai", "Orla", "Perpetua"]
_LAST = ["Abernethy", "Brightwater", "Cavendale", "Drummond", "Eskerby", "Foxhollow",
         "Greaves", "Hartigan", "Inchcape", "Jessamy", "Kilbride", "Loveridge", "Mallory"]
_WORKS = ["bridge", "library", "swimming baths", "harbour wall", "bus station", "town hall",
          "cycle path", "market hall", "fire station", "water works", "tram depot"]
_GOODS = ["bicycles", "ceramic tiles", "solar panels", "wooden toys", "hearing aids",
          "garden tools", "paper bags", "tinned soup", "rope", "glass bottles"]
_OUTLETS = ["The Lowland Courier", "Marsh Valley Post", "The Ridgeway Echo", "Northfold Times",
            "The Estuary Gazette", "Westerly Herald", "The Fells Messenger", "Downland Record"]
# The first article's date; each later article is dated this many hours after the one before
# (articles of one kind, every fourth, fall more than a story window, 72 hours, apart: each
# is a story of its own).
_FIRST_DATE = datetime(2026, 1, 5, 7, 30, tzinfo=UTC)
_HOURS_APART = 25


def town(number: int) -> str:
    """An invented town (200 of them, then they repeat)."""
    return _STARTS[number % len(_STARTS)] + _ENDS[(number // len(_STARTS)) % len(_ENDS)]


def person(number: int) -> str:
    """An invented person's name."""
    return f"{_FIRST[number % len(_FIRST)]} {_LAST[(number * 7 + 3) % len(_LAST)]}"


def published(number: int) -> datetime:
    """When article ``number`` was published."""
    return _FIRST_DATE + timedelta(hours=_HOURS_APART * number)


def article_text(number: int) -> tuple[str, list[str]]:
    """Invented article ``number``: its headline and paragraphs."""
    place, who = town(number * 37 + 11), person(number * 5 + 1)
    other = person(number * 3 + 8)
    works, goods = _WORKS[number % len(_WORKS)], _GOODS[number % len(_GOODS)]
    money, count, day = 3 + number % 47, 20 + (number * 13) % 380, published(number)
    weekday = day.strftime("%A")
    kinds = [
        (f"{place} council backs {money} million pound plan for the {works}",
         [f"Councillors in {place} voted on {weekday} to spend {money} million pounds on the "
          f"{works}, closed since inspectors found {count} faults in it last spring.",
          f"{who}, who leads the council's works committee, said the {works} had served "
          f"{place} for a century and that builders would be chosen by the summer.",
          f"{other} argued that {place} could not borrow {money} million pounds and asked for "
          f"repairs instead; the amendment fell by {number % 9 + 2} votes.",
          f"Traders near the {works} said they feared {number % 4 + 2} years of building work "
          f"would keep shoppers away from the centre of {place}."]),
        (f"{count} jobs as {goods} factory opens in {place}",
         [f"A factory making {goods} opened on {weekday} on the edge of {place}, bringing "
          f"{count} jobs to a town that lost its last mill {number % 30 + 5} years ago.",
          f"{who}, the firm's managing director, said {place} had been chosen for its railway "
          f"and its college, which will train {count // 4} apprentices a year.",
          f"The plant cost {money} million pounds and will make {goods} for shops across the "
          f"region, according to {other}, who chairs the {place} chamber of trade.",
          f"Neighbours of the site asked for limits on lorries through {place} at night, and "
          f"the firm promised a new access road within {number % 6 + 1} months."]),
        (f"Storm floods {count} homes in {place}",
         [f"Heavy rain overnight on {weekday} flooded {count} homes in {place} after the river "
          f"rose {number % 3 + 1} metres in six hours and topped its banks near the {works}.",
          f"{who}, who coordinated the rescue teams, said {number % 40 + 3} people were taken "
          f"from their homes by boat and that no one in {place} had been hurt.",
          f"The council opened the {works} as a rest centre; {other} said it had fed more "
          f"than {count * 2} residents by the morning.",
          f"Insurers estimated the damage in {place} at {money} million pounds, the worst "
          f"since the floods of {1950 + number % 70}."]),
        (f"{place} festival draws {count * 10} visitors",
         [f"The {place} summer festival closed on {weekday} after {count * 10} visitors came "
          f"to hear {number % 50 + 10} bands on three stages beside the {works}.",
          f"{who}, who has run the festival for {number % 20 + 2} years, said ticket sales "
          f"had raised {money} thousand pounds for the {place} hospice.",
          f"Residents complained about parking, and {other}, a councillor for {place}, said "
          f"a shuttle bus would run from the station next year.",
          f"Organisers said {goods} made in {place} sold out at the craft market on the "
          f"first afternoon."]),
    ]
    return kinds[number % len(kinds)]


def article_page(number: int, outlet: str) -> bytes:
    """The HTML page of invented article ``number`` as ``outlet`` publishes it."""
    title, paragraphs = article_text(number)
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    when = published(number).strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        f"<!doctype html><html lang='en'><head><title>{escape(title)} | {outlet}</title>"
        f'<meta property="og:site_name" content="{outlet}">'
        f'<meta property="article:published_time" content="{when}"></head><body>'
        f"<nav><a href='/'>Home</a> <a href='/feed.xml'>Feed</a></nav><article>"
        f"<h1>{escape(title)}</h1><p class='byline'>By {outlet} reporters, {when[:10]}</p>"
        f"{body}</article><footer>{outlet}. All rights reserved.</footer></body></html>"
    ).encode()


def rss_feed(base: str, outlet: str, numbers: list[int]) -> bytes:
    """An RSS 2.0 feed of the articles: a title and a short description each."""
    items = []
    for number in numbers:
        title, paragraphs = article_text(number)
        link = escape(f"{base}/articles/{number}.html")
        date = published(number).strftime("%a, %d %b %Y %H:%M:%S GMT")
        items.append(
            f"<item><title>{escape(title)}</title><link>{link}</link><guid>{link}</guid>"
            f"<description>{escape(paragraphs[0][:100])}</description>"
            f"<pubDate>{date}</pubDate></item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{escape(outlet)}</title><link>{base}/</link><description>Local news"
        "</description>" + "".join(items) + "</channel></rss>"
    ).encode()


def news_sitemap(base: str, outlet: str, numbers: list[int]) -> bytes:
    """A news sitemap of the articles."""
    entries = "".join(
        f"<url><loc>{escape(f'{base}/articles/{n}.html')}</loc><news:news>"
        f"<news:publication><news:name>{escape(outlet)}</news:name>"
        "<news:language>en</news:language></news:publication><news:publication_date>"
        f"{published(n).strftime('%Y-%m-%dT%H:%M:%SZ')}</news:publication_date>"
        f"<news:title>{escape(article_text(n)[0])}</news:title></news:news></url>"
        for n in numbers
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
        f"{entries}</urlset>"
    ).encode()


def sitemap_index(base: str) -> bytes:
    """A sitemap index naming the host's news sitemap."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{escape(base)}/sitemaps/news.xml</loc></sitemap></sitemapindex>"
    ).encode()


# What each host serves besides its articles; each is requested once a round.
FEED_PATH, INDEX_PATH, SITEMAP_PATH, ROBOTS_PATH = (
    "/feed.xml", "/sitemap-index.xml", "/sitemaps/news.xml", "/robots.txt"
)
REQUESTS_BESIDES_ARTICLES = 4


@dataclass
class Host:
    """One invented outlet on its own port: its routes (path: body and content type) and
    the requests it received (path and ``time.monotonic()`` on arrival, before answering)."""

    outlet: str
    numbers: list[int]
    base: str = ""
    routes: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    requests: list[tuple[str, float]] = field(default_factory=list)
    missing: int = 0  # requests for paths it does not have

    def build(self, base: str) -> None:
        """Write the host's routes for its address ``base``."""
        self.base = base
        newest = self.numbers[-max(1, len(self.numbers) // 2):]
        self.routes = {
            ROBOTS_PATH: (f"User-agent: *\nAllow: /\nSitemap: {base}{INDEX_PATH}\n".encode(),
                          "text/plain; charset=utf-8"),
            FEED_PATH: (rss_feed(base, self.outlet, newest), "application/rss+xml"),
            INDEX_PATH: (sitemap_index(base), "application/xml"),
            SITEMAP_PATH: (news_sitemap(base, self.outlet, self.numbers), "application/xml"),
        }
        for number in self.numbers:
            self.routes[f"/articles/{number}.html"] = (
                article_page(number, self.outlet), "text/html; charset=utf-8"
            )

    @property
    def sources(self) -> list[str]:
        """The URLs to add as sources: its feed and its sitemap index."""
        return [self.base + FEED_PATH, self.base + INDEX_PATH]

    def times(self) -> list[float]:
        """When each request arrived, in order."""
        return sorted(moment for _, moment in self.requests)

    def counts(self) -> Counter[str]:
        """The requests received, by path."""
        return Counter(path for path, _ in self.requests)


class WatchSite:
    """``hosts`` invented outlets sharing ``articles`` articles (article ``n`` on host ``n %
    hosts``), each served on its own loopback port from a thread. Use as a context manager."""

    def __init__(self, articles: int, hosts: int, first: int = 0) -> None:
        """The articles are numbered from ``first``."""
        self.hosts = [
            Host(_OUTLETS[h % len(_OUTLETS)] + (f" {h // len(_OUTLETS) + 1}"
                                                if h >= len(_OUTLETS) else ""),
                 [n for n in range(first, first + articles) if n % hosts == h])
            for h in range(hosts)
        ]
        self.lock = threading.Lock()
        self._servers: list[ThreadingHTTPServer] = []
        self._threads: list[threading.Thread] = []

    def __enter__(self) -> WatchSite:
        for host in self.hosts:
            server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler(host))
            server.daemon_threads = True
            host.build(f"http://127.0.0.1:{server.server_address[1]}")
            thread = threading.Thread(target=server.serve_forever, daemon=True)
            thread.start()
            self._servers.append(server)
            self._threads.append(thread)
        return self

    def __exit__(self, *exc: object) -> None:
        for server in self._servers:
            server.shutdown()
            server.server_close()
        for thread in self._threads:
            thread.join()

    @property
    def sources(self) -> list[str]:
        """Every host's sources."""
        return [url for host in self.hosts for url in host.sources]

    @property
    def requests(self) -> int:
        """The requests every host received."""
        return sum(len(host.requests) for host in self.hosts)

    def _handler(self, host: Host) -> type[BaseHTTPRequestHandler]:
        """The request handler of one host: keeps connections open (HTTP/1.1), notes each
        request's arrival before answering it."""
        lock = self.lock

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # no wait between the headers and the body

            def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
                arrived = time.monotonic()
                path = urlsplit(self.path).path
                route = host.routes.get(path)
                with lock:
                    host.requests.append((path, arrived))
                    host.missing += route is None
                body, kind = route or (b"not here", "text/plain")
                self.send_response(200 if route else 404)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        return Handler
