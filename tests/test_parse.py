"""Tests of storylens.ingest.parse: decode, parse_json, parse_feed, parse_html and
html_fragment_to_text."""

from __future__ import annotations

import json

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from storylens.errors import RejectedInput
from storylens.ingest.parse import (
    decode,
    html_fragment_to_text,
    parse_feed,
    parse_html,
    parse_input,
    parse_json,
)
from storylens.model import Draft, RawInput, Reject

# -- decode -----------------------------------------------------------------------------------

LIBRARY_PARAGRAPH = (
    "Residents of Lake Vireo packed the town hall on Tuesday to hear plans for the new library. "
    "The architect, Zoë Lefèvre, showed drawings of a glass reading room facing the water, and "
    "the head librarian, Inès Moreno-Peña, said the collection would grow by a third. Several "
    "speakers praised the design, though one resident, André Caillé, warned that the budget of "
    "four million dollars was too much for a town of 9,000 people. The council will vote on the "
    "plan in April after a second public hearing, council member Noël Brière said, and "
    "construction could begin before the winter."
)

CAFE_PARAGRAPH = (
    "VALMORE, Oregon \u2014 The owner of the Café Rosière on Harbor Street, José Nuñez, said on "
    "Thursday that he would reopen the restaurant next month after the winter storm flooded its "
    "kitchen. \u201cWe lost nearly everything downstairs,\u201d Nuñez said, adding that the crème "
    "brûlée his grandmother taught him to make would return to the menu first. The city\u2019s "
    "economic director, Renée Castaño, said a small-business fund had paid for new ovens and "
    "that the façade would be repainted by volunteers from the Valmore Arts Club before the "
    "summer fête along the waterfront."
)


@pytest.mark.parametrize("text", [LIBRARY_PARAGRAPH, CAFE_PARAGRAPH, "Plain ASCII words."])
@pytest.mark.parametrize("prefix", [b"", b"\xef\xbb\xbf"])
def test_parse_decode_reads_utf8_with_or_without_bom(text: str, prefix: bytes) -> None:
    assert decode(prefix + text.encode("utf-8")) == text


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (LIBRARY_PARAGRAPH, "cp1252"),
        (LIBRARY_PARAGRAPH, "latin-1"),
        pytest.param(
            CAFE_PARAGRAPH,
            "cp1252"
        ),
    ],
)
def test_parse_decode_reads_a_legacy_western_encoding(text: str, encoding: str) -> None:
    assert len(text.split()) >= 60
    assert decode(text.encode(encoding)) == text


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n" + bytes(200),
        b"%PDF-1.4\n" + bytes(range(1, 32)) * 40,
        bytes(range(256)) * 8,
    ],
)
def test_parse_decode_rejects_binary_data_with_reason_binary(data: bytes) -> None:
    with pytest.raises(RejectedInput) as raised:
        decode(data)
    assert raised.value.reason == "binary"


def test_parse_input_turns_binary_data_into_a_binary_reject() -> None:
    raw = RawInput("photo.txt", "text", b"\x89PNG\r\n\x1a\n" + bytes(300))
    (result,) = parse_input(raw)
    assert isinstance(result, Reject)
    assert (result.source, result.reason) == ("photo.txt", "binary")


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_parse_decode_reads_utf16_text_with_a_bom(encoding: str) -> None:
    bom = b"\xff\xfe" if encoding == "utf-16-le" else b"\xfe\xff"
    assert decode(bom + LIBRARY_PARAGRAPH.encode(encoding)) == LIBRARY_PARAGRAPH


# -- parse_json -------------------------------------------------------------------------------

JSONL_GOOD = (
    '{"id": "gp-1", "title": "Ferry fares to rise", "text": "Fares on the Gull Point ferry '
    'will rise by a dollar in May.", "outlet": "Gull Point Post", "published": "2024-04-02", '
    '"url": "https://gullpoint.example.com/ferry-fares"}'
)
JSONL_BROKEN = '{"id": "gp-2", "title": "Broken record", "text": "This line is cut off'
JSONL_BODY = (
    '{"id": "gp-3", "body": "The lighthouse lamp was replaced on Monday.", '
    '"source": "Fen Herald", "date": "Mon, 01 Apr 2024 10:00:00 +0000"}'
)
JSONL = f"{JSONL_GOOD}\n{JSONL_BROKEN}\n{JSONL_BODY}\n"


def test_parse_json_lines_rejects_only_the_malformed_line() -> None:
    results = parse_json("export.jsonl", JSONL)
    assert [type(r).__name__ for r in results] == ["Draft", "Reject", "Draft"]
    reject = results[1]
    assert isinstance(reject, Reject)
    assert reject.reason == "bad-json"
    assert reject.source == "export.jsonl#line2"


def test_parse_json_lines_reads_the_fields_of_each_record() -> None:
    first, _, third = parse_json("export.jsonl", JSONL)
    assert isinstance(first, Draft) and isinstance(third, Draft)
    assert first.source == "export.jsonl#line1"
    assert first.text == "Fares on the Gull Point ferry will rise by a dollar in May."
    assert (first.title, first.outlet, first.published) == (
        "Ferry fares to rise",
        "Gull Point Post",
        "2024-04-02",
    )
    assert (first.url, first.external_id) == ("https://gullpoint.example.com/ferry-fares", "gp-1")
    assert third.text == "The lighthouse lamp was replaced on Monday."
    assert (third.outlet, third.published) == ("Fen Herald", "2024-04-01T10:00:00Z")


def test_parse_json_lines_skips_blank_lines_and_keeps_line_numbers() -> None:
    text = '\n{"text": "First story."}\n\n   \n{"text": "Second story."}\n'
    results = parse_json("x.jsonl", text)
    assert [r.source for r in results] == ["x.jsonl#line2", "x.jsonl#line5"]
    assert all(isinstance(r, Draft) for r in results)


@pytest.mark.parametrize(
    "record",
    [
        '{"title": "Headline without a story", "outlet": "Fen Herald"}',
        '{"text": "   ", "title": "Blank"}',
        '{"text": 42}',
        '{"body": ["a", "list"]}',
        '{"text": ""}',
    ],
)
def test_parse_json_rejects_a_record_without_text_as_no_text(record: str) -> None:
    (result,) = parse_json("x.jsonl", record)
    assert isinstance(result, Reject)
    assert result.reason == "no-text"


@pytest.mark.parametrize("record", ['"just a string"', "[1, 2]", "17", "null"])
def test_parse_json_lines_rejects_a_record_that_is_not_an_object(record: str) -> None:
    results = parse_json("x.jsonl", '{"text": "Fine."}\n' + record)
    assert isinstance(results[0], Draft)
    assert isinstance(results[1], Reject)
    assert results[1].reason == "bad-json"


def test_parse_json_array_gives_one_result_per_item() -> None:
    text = (
        '[{"text": "The dam held.", "title": "Dam holds", "date": 1704067200},'
        ' {"title": "No text here"},'
        ' {"body": "Second story body.", "outlet": "Pell Valley Courier"}]'
    )
    results = parse_json("export.json", text)
    assert [r.source for r in results] == [
        "export.json#item1",
        "export.json#item2",
        "export.json#item3",
    ]
    first, second, third = results
    assert isinstance(first, Draft)
    assert (first.text, first.title, first.published) == (
        "The dam held.",
        "Dam holds",
        "2024-01-01T00:00:00Z",
    )
    assert isinstance(second, Reject) and second.reason == "no-text"
    assert isinstance(third, Draft) and third.outlet == "Pell Valley Courier"


def test_parse_json_rejects_a_malformed_array_as_bad_json() -> None:
    (result,) = parse_json("export.json", '[{"text": "A story."}, {"text": ')
    assert isinstance(result, Reject)
    assert (result.source, result.reason) == ("export.json", "bad-json")


def test_parse_json_reads_a_single_pretty_printed_object() -> None:
    text = '{\n  "id": 7,\n  "text": "A pretty story.",\n  "title": "Pretty"\n}\n'
    (result,) = parse_json("one.json", text)
    assert isinstance(result, Draft)
    assert (result.source, result.text, result.external_id) == ("one.json", "A pretty story.", "7")


def test_parse_json_turns_an_html_body_into_paragraphs() -> None:
    record = '{"text": "<p>First paragraph.</p><p>Second <b>bold</b> paragraph.</p>"}'
    (result,) = parse_json("x.jsonl", record)
    assert isinstance(result, Draft)
    assert result.text == "First paragraph.\n\nSecond bold paragraph."


# -- parse_feed -------------------------------------------------------------------------------

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
  <title>Marrowby Chronicle - Local News</title>
  <link>https://marrowby.example.com/</link>
  <description>News from Marrowby.</description>
  <item>
    <title>Marrowby library to open on Sundays</title>
    <link>https://marrowby.example.com/news/library-sundays</link>
    <guid isPermaLink="false">mc-1001</guid>
    <pubDate>Tue, 05 Mar 2024 08:15:00 -0500</pubDate>
    <description>The library will open on Sundays.</description>
    <content:encoded><![CDATA[<p>MARROWBY, Vt. — The Marrowby Public Library will open on \
Sundays from April, director Clem Ostrander said.</p><p>The change was paid for by a \
bequest from a retired teacher.</p>]]></content:encoded>
  </item>
  <item>
    <title>Snowplow contract goes to Ferrin Brothers</title>
    <link>https://marrowby.example.com/news/snowplow</link>
    <guid isPermaLink="false">mc-1002</guid>
    <pubDate>Wed, 06 Mar 2024 17:40:00 -0500</pubDate>
    <description>The select board chose Ferrin Brothers to plow town roads.</description>
  </item>
  <item>
    <title>An item with nothing in it</title>
    <link>https://marrowby.example.com/news/empty</link>
  </item>
</channel>
</rss>
""".encode()

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>The Pell Valley Courier</title>
  <id>urn:uuid:pell-valley-courier</id>
  <updated>2024-06-02T12:00:00Z</updated>
  <link href="https://pellvalley.example.com/"/>
  <entry>
    <title>Pell Valley dam inspection finds minor cracks</title>
    <link href="https://pellvalley.example.com/2024/06/dam-inspection"/>
    <id>urn:uuid:entry-77</id>
    <published>2024-06-01T14:30:00+02:00</published>
    <updated>2024-06-02T09:00:00Z</updated>
    <content type="html">&lt;p&gt;PELL VALLEY, Idaho — Inspectors found minor cracks in the \
spillway of the Pell Valley dam.&lt;/p&gt;&lt;p&gt;Engineer Rosa Quill said the dam was \
safe.&lt;/p&gt;</content>
  </entry>
</feed>
""".encode()


def test_parse_feed_reads_rss_items_into_drafts() -> None:
    first, second, _ = parse_feed("marrowby.xml", RSS)
    assert isinstance(first, Draft) and isinstance(second, Draft)
    assert first.source == "marrowby.xml#item1"
    assert first.kind == "feed"
    assert first.title == "Marrowby library to open on Sundays"
    assert first.url == "https://marrowby.example.com/news/library-sundays"
    assert first.published == "2024-03-05T13:15:00Z"
    assert first.external_id == "mc-1001"
    assert first.text.startswith("MARROWBY, Vt. — The Marrowby Public Library")
    assert first.text.endswith(
        "Clem Ostrander said.\n\nThe change was paid for by a bequest from a retired teacher."
    )
    assert second.text == "The select board chose Ferrin Brothers to plow town roads."
    assert second.published == "2024-03-06T22:40:00Z"


def test_parse_feed_takes_the_outlet_from_the_feed_title_without_its_section() -> None:
    drafts = [r for r in parse_feed("marrowby.xml", RSS) if isinstance(r, Draft)]
    assert [d.outlet for d in drafts] == ["Marrowby Chronicle", "Marrowby Chronicle"]


def test_parse_feed_rejects_an_item_without_content_alone() -> None:
    results = parse_feed("marrowby.xml", RSS)
    assert [type(r).__name__ for r in results] == ["Draft", "Draft", "Reject"]
    reject = results[2]
    assert isinstance(reject, Reject)
    assert (reject.source, reject.reason) == ("marrowby.xml#item3", "no-text")


def test_parse_feed_reads_atom_entries_into_drafts() -> None:
    (draft,) = parse_feed("pell.atom", ATOM)
    assert isinstance(draft, Draft)
    assert draft.title == "Pell Valley dam inspection finds minor cracks"
    assert draft.url == "https://pellvalley.example.com/2024/06/dam-inspection"
    assert draft.published == "2024-06-01T12:30:00Z"
    assert draft.outlet == "The Pell Valley Courier"
    assert draft.external_id == "urn:uuid:entry-77"
    assert draft.text.startswith("PELL VALLEY, Idaho — Inspectors found minor cracks")
    assert draft.text.endswith("\n\nEngineer Rosa Quill said the dam was safe.")


@pytest.mark.parametrize(
    "data",
    [
        b"<rss><channel><item><title>Cut off",
        b"this is not a feed at all, just a sentence",
        b"<?xml version='1.0'?><rss version='2.0'><channel><title>T</title></channel></rss>",
        b"",
    ],
)
def test_parse_feed_rejects_a_broken_or_empty_feed_as_bad_feed(data: bytes) -> None:
    with pytest.raises(RejectedInput) as raised:
        parse_feed("broken.xml", data)
    assert raised.value.reason == "bad-feed"


def test_parse_input_turns_a_broken_feed_into_a_bad_feed_reject() -> None:
    (result,) = parse_input(RawInput("broken.xml", "feed", b"<rss><channel><item><title>Cut"))
    assert isinstance(result, Reject)
    assert (result.source, result.reason) == ("broken.xml", "bad-feed")


# -- parse_html -------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Orvelle harbor board votes to rebuild north pier | The Orvelle Tide</title>
<meta property="og:site_name" content="The Orvelle Tide">
<meta property="og:title" content="Orvelle harbor board votes to rebuild north pier">
<meta property="article:published_time" content="2024-03-12T09:30:00-05:00">
</head>
<body>
<header><nav><ul>
  <li><a href="/">Home</a></li><li><a href="/local">Local</a></li>
  <li><a href="/sports">Sports</a></li><li><a href="/subscribe">Subscribe today</a></li>
</ul></nav></header>
<main>
<article>
<h1>Orvelle harbor board votes to rebuild north pier</h1>
<p>ORVELLE, Maine — The Orvelle harbor board voted 5-2 on Tuesday to rebuild the north pier
before the spring fishing season, ending a year of argument over the crumbling structure.</p>
<p>Board chair Hettie Marlowe said the work would cost about $3.4 million, most of it from a
state coastal resilience grant awarded in January, with the rest coming from mooring fees.</p>
<p>Lobstermen who tie up at the pier had warned that its pilings were rotting. "Every storm we
lose another board," said Amos Kettridge, who has fished out of Orvelle for 31 years.</p>
<p>The two members who voted against the plan, Rolf Sandquist and Minnie Avery, said the town
should first repair the south ramp, which the ferry uses daily in summer.</p>
<p>Construction is expected to begin in April and to last about ten weeks, during which boats
will be moved to temporary moorings off Gull Point, the harbor master said.</p>
</article>
</main>
<footer>
<p>© 2024 The Orvelle Tide. All rights reserved.</p>
<p><a href="/privacy">Privacy policy</a> | <a href="/contact">Contact the newsroom</a></p>
</footer>
</body>
</html>
"""


def test_parse_html_reads_title_outlet_and_date_of_a_page() -> None:
    draft = parse_html("orvelle.html", PAGE)
    assert draft.kind == "html"
    assert draft.title == "Orvelle harbor board votes to rebuild north pier"
    assert draft.outlet == "The Orvelle Tide"
    assert draft.published is not None
    assert draft.published.startswith("2024-03-12")


def test_parse_html_keeps_the_article_paragraphs_and_drops_nav_and_footer() -> None:
    draft = parse_html("orvelle.html", PAGE)
    assert draft.text.startswith("ORVELLE, Maine — The Orvelle harbor board voted 5-2")
    for phrase in ("Hettie Marlowe", "Amos Kettridge", "Minnie Avery", "off Gull Point"):
        assert phrase in draft.text
    for phrase in ("Subscribe today", "Sports", "All rights reserved", "Privacy policy"):
        assert phrase not in draft.text
    assert draft.raw == PAGE


def test_parse_html_passes_the_given_url_through() -> None:
    draft = parse_html("orvelle.html", PAGE, url="https://orvelletide.example.com/pier")
    assert draft.url == "https://orvelletide.example.com/pier"


@pytest.mark.parametrize(
    "page",
    [
        "",
        "<html><head><title>Nothing</title></head><body></body></html>",
        (
            "<html><head><title>T</title></head><body><script>window.x = 2;</script>"
            "<style>p { color: red }</style></body></html>"
        ),
        "<html><body><div>   </div></body></html>",
    ],
)
def test_parse_html_rejects_a_page_without_body_as_no_article_body(page: str) -> None:
    with pytest.raises(RejectedInput) as raised:
        parse_html("empty.html", page)
    assert raised.value.reason == "no-article-body"


# -- html_fragment_to_text --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        ("<p>One <b>bold</b> line.</p><p>Two.</p>", "One bold line.\n\nTwo."),
        ("<h2>Heading</h2><ul><li>Item a</li><li>Item b</li></ul>", "Heading\n\nItem a\n\nItem b"),
        ("<blockquote><p>Quoted words.</p></blockquote><p>After  \t spaced.</p>",
         "Quoted words.\n\nAfter spaced."),
        ("<p>  </p><p>Only this.</p>", "Only this."),
    ],
)
def test_html_fragment_to_text_separates_block_elements_by_blank_lines(
    fragment: str, expected: str
) -> None:
    assert html_fragment_to_text(fragment) == expected


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        ("Just plain text", "Just plain text"),
        ("Some <i>inline</i> markup only", "Some inline markup only"),
        ("First line<br>second line", "First line\nsecond line"),
    ],
)
def test_html_fragment_to_text_keeps_text_without_block_elements(
    fragment: str, expected: str
) -> None:
    assert html_fragment_to_text(fragment) == expected


@pytest.mark.parametrize(
    "fragment",
    [
        "Intro sentence outside any paragraph.<p>Then a paragraph.</p>",
        "<p>Lead paragraph.</p>Closing sentence outside any paragraph.",
    ],
)
def test_html_fragment_to_text_keeps_loose_text_beside_block_elements(fragment: str) -> None:
    assert "outside any paragraph" in html_fragment_to_text(fragment)


def test_html_fragment_to_text_separates_div_paragraphs() -> None:
    text = html_fragment_to_text("<div>The dam held.</div><div>Nobody was hurt.</div>")
    assert "held.Nobody" not in text


def test_html_fragment_to_text_folds_line_breaks_inside_a_paragraph() -> None:
    fragment = "<p>The dam held through the\nnight, the engineer said.</p><p>Nobody was hurt.</p>"
    assert html_fragment_to_text(fragment) == (
        "The dam held through the night, the engineer said.\n\nNobody was hurt."
    )


# -- any bytes: drafts or rejects, never an exception (issue 16) ----------------------------------

_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["text", "body", "title", "date", "published", "id", "url", "outlet"])
        | st.text(max_size=8),
        inner,
        max_size=5,
    ),
    max_leaves=12,
)
_JSON_BYTES = _JSON_VALUES.map(lambda value: json.dumps(value).encode())
_JSON_LINES = st.lists(_JSON_VALUES, max_size=4).map(
    lambda values: "\n".join(json.dumps(v) for v in values).encode()
)
_FEED_BYTES = st.builds(
    "<rss><channel><title>{}</title><item><title>{}</title><description>{}</description>"
    "<pubDate>{}</pubDate></item></channel></rss>".format,
    st.text(max_size=10), st.text(max_size=10), st.text(max_size=40), st.text(max_size=30),
).map(lambda text: text.encode("utf-8", "surrogatepass"))


def _drafts_or_rejects(raw: RawInput) -> None:
    results = parse_input(raw)
    assert isinstance(results, list)
    assert all(isinstance(r, (Draft, Reject)) for r in results)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300) | _JSON_BYTES | _JSON_LINES)
@example(b"[" * 100_000)
@example(b'{"a": ' * 50_000)
@example(b"[" + b"9" * 5000 + b"]")
@example(b'{"text": "x y z", "n": ' + b"9" * 5000 + b"}")
@example(b'{"text": "x y z", "date": "Fri, 31 Dec 9999 23:59:59 -2359"}')
@example(b'{"text": "x y z", "date": "Fri, 28 Feb 999 05:33:20 GMT"}')
@example(b'[{"text": "x \\ud800 z"}]')
def test_parse_input_json_of_any_bytes_gives_drafts_or_rejects(data: bytes) -> None:
    _drafts_or_rejects(RawInput("any.json", "json", data))


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300) | _FEED_BYTES)
@example(b"<rss><channel><item><description>x y</description><pubDate>Fri, 28 Feb 999 05:33:20"
         b" GMT</pubDate></item></channel></rss>")
@example(b"<rss><channel><item><description>x y</description><pubDate>Fri, 31 Dec 9999 "
         b"23:59:59 -2359</pubDate></item></channel></rss>")
def test_parse_input_feed_of_any_bytes_gives_drafts_or_rejects(data: bytes) -> None:
    _drafts_or_rejects(RawInput("any.xml", "feed", data))


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_parse_input_text_of_any_bytes_gives_drafts_or_rejects(data: bytes) -> None:
    _drafts_or_rejects(RawInput("any.txt", "text", data))
