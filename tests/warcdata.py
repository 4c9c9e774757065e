"""Small web archives for the tests, written with warcio from pages we wrote ourselves
(invented events, invented outlets)."""

from __future__ import annotations

import io
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

PARAGRAPHS = [
    "Engineers in the river town of Ostrava Minor reopened the old stone bridge on Monday "
    "after eleven weeks of repairs to its western arch, the town council said.",
    "The council's works director, Talia Brenner, told reporters that the arch had shifted "
    "by four centimetres during the spring floods and that divers had found loose blocks "
    "below the waterline.",
    "Traffic will be limited to cars and bicycles until the autumn, when a second "
    "inspection is due. Lorries must still take the ring road to the north of the town.",
    "Shopkeepers on the eastern bank welcomed the reopening, saying that the closure had "
    "cut the number of customers crossing from the market square by half.",
]


def page(title: str, paragraphs: list[str], date: str | None = None) -> bytes:
    """An HTML news page: a title, an optional publication date, a navigation bar and the
    article's paragraphs."""
    meta = f'<meta property="article:published_time" content="{date}">' if date else ""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<!doctype html><html><head><title>{title}</title>{meta}</head><body>"
        '<nav><a href="/">Home</a> <a href="/local">Local</a></nav>'
        f"<article><h1>{title}</h1>{body}</article>"
        "<footer>Copyright The Valley Herald</footer></body></html>"
    ).encode()


def bridge_page(date: str | None = None) -> bytes:
    return page("Old stone bridge reopens after repairs", PARAGRAPHS, date)


def ferry_page() -> bytes:
    return page(
        "Ferry service to resume on the lake",
        [
            "The lake ferry between Halvik and the island of Sorn will run again from "
            "Saturday, the operator said, after its only boat passed a safety check.",
            "The boat had been taken out of service in March when a crew member noticed a "
            "crack in the hull near the bow. Repairs took longer than planned because a "
            "part had to be made abroad.",
            "Islanders had relied on a smaller private launch for deliveries of food and "
            "medicine during the closure, the island's mayor, Ivo Petrak, said.",
            "The operator said timetables would return to normal within a week and that "
            "tickets bought before the closure would be honoured until the end of the year.",
        ],
    )


class Archive:
    """A WARC file being written: ``response``, ``resource``, ``request``, ``metadata`` and
    ``warcinfo`` records."""

    def __init__(self, gzip: bool = True) -> None:
        self.buffer = io.BytesIO()
        self.writer = WARCWriter(self.buffer, gzip=gzip)

    def warcinfo(self) -> Archive:
        record = self.writer.create_warcinfo_record(
            "test.warc", {"software": "storylens tests", "format": "WARC File Format 1.1"}
        )
        self.writer.write_record(record)
        return self

    def response(
        self, url: str, body: bytes, content_type: str = "text/html; charset=utf-8",
        status: str = "200 OK", date: str = "2025-05-12T08:30:00Z",
    ) -> Archive:
        headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
        record = self.writer.create_warc_record(
            url, "response", payload=io.BytesIO(body), http_headers=headers,
            warc_headers_dict={"WARC-Date": date},
        )
        self.writer.write_record(record)
        return self

    def resource(self, url: str, body: bytes, content_type: str = "text/html") -> Archive:
        record = self.writer.create_warc_record(
            url, "resource", payload=io.BytesIO(body),
            warc_content_type=content_type,
            warc_headers_dict={"WARC-Date": "2025-05-13T10:00:00Z"},
        )
        self.writer.write_record(record)
        return self

    def request(self, url: str) -> Archive:
        headers = StatusAndHeaders(f"GET {url} HTTP/1.1", [("Host", "example.org")],
                                   is_http_request=True)
        record = self.writer.create_warc_record(
            url, "request", payload=io.BytesIO(b""), http_headers=headers
        )
        self.writer.write_record(record)
        return self

    def metadata(self, url: str) -> Archive:
        record = self.writer.create_warc_record(
            url, "metadata", payload=io.BytesIO(b"fetchTimeMs: 120\r\n"),
            warc_content_type="application/warc-fields",
        )
        self.writer.write_record(record)
        return self

    def save(self, path: Path) -> Path:
        path.write_bytes(self.buffer.getvalue())
        return path


def mixed_archive(path: Path, gzip: bool = True) -> Path:
    """Two news pages as responses (each after its request), one as a resource, an image,
    a missing page, metadata and the warcinfo record."""
    return (
        Archive(gzip)
        .warcinfo()
        .request("https://valley-herald.example/bridge")
        .response("https://valley-herald.example/bridge", bridge_page())
        .metadata("https://valley-herald.example/bridge")
        .request("https://lakeside-post.example/ferry")
        .response("https://lakeside-post.example/ferry", ferry_page(),
                  date="2025-05-14T06:00:00Z")
        .response("https://valley-herald.example/logo.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64,
                  content_type="image/png")
        .response("https://valley-herald.example/gone", b"<html>gone</html>",
                  status="404 Not Found")
        .resource("https://valley-herald.example/bridge-update",
                  bridge_page("2025-05-11T09:00:00Z").replace(b"Monday", b"Tuesday"))
        .save(path)
    )
