"""Property tests (issue 16): the cleaner, quote pairing, entity finding, the TSV/JSON Lines
reader of labelled records and the readers of pages, feeds and web archives, on generated
inputs. Each holds for any input: nothing raises, and every span lies inside its text and
slices it to what it claims. (tests/test_parse.py and tests/test_dates.py hold the JSON,
feed and date readers' own properties.)"""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from warcdata import Archive, bridge_page

from storylens.bench.records import ClusterFields, labelled_draft, read_records
from storylens.clean.cleaner import clean, split_sentences
from storylens.errors import UsageError
from storylens.extract.attribution.quotes import quote_spans
from storylens.extract.entities import find_mentions
from storylens.ingest.parse import parse_input
from storylens.ingest.warc import Skipped, warc_inputs
from storylens.model import Article, Draft, RawInput, Reject

BOUNDED = settings(max_examples=150, deadline=None)

# Text that looks a little like news: words, capitalised names, punctuation, quotation marks
# of every kind, separators, line breaks and blank lines, and any character now and then.
_PIECES = st.sampled_from([
    "the", "said", "police", "on", "Monday", "Orvale", "Mara Velt", "President", "Ms", "Dr.",
    "United Nations", "France", "Paris", "of", "Harlow", "council", "—", "-", "|", ",", ".",
    "!", "?", ":", ";", "\"", "'", "“", "”", "«", "»", "„", "''", "``", "(", ")", "\n",
    "\n\n", " ", "  ", "\t", "\u00a0", "\r\n", "BBC", "AP", "LONDON", "Reuters", "2025",
])
_NEWSY = st.lists(_PIECES | st.text(max_size=3), max_size=60).map(" ".join)
_TEXT = _NEWSY | st.text(max_size=200)


# -- the cleaner ----------------------------------------------------------------------------


@BOUNDED
@given(_TEXT, st.sampled_from(["text", "json", "feed", "html"]), st.none() | st.text(max_size=20))
@example("Home | News | Sport | Weather | Contact", "html", None)
@example("“Fine”\n\n\n\u2028x.", "text", None)
def test_properties_clean_gives_an_article_whose_sentences_slice_its_text(
    text: str, kind: str, title: str | None
) -> None:
    result = clean(Draft(source="any", kind=kind, raw=text, text=text, title=title))
    assert isinstance(result, (Article, Reject))
    if isinstance(result, Reject):
        return
    assert result.text == "\n\n".join(result.paragraphs)
    previous_end = 0
    for number, sentence in enumerate(result.sentences):
        assert sentence.index == number
        assert 0 <= sentence.start <= sentence.end <= len(result.text)
        assert result.text[sentence.start : sentence.end] == sentence.text
        assert sentence.start >= previous_end
        previous_end = sentence.end


@BOUNDED
@given(st.lists(_TEXT.map(str.strip).filter(bool), max_size=6))
def test_properties_split_sentences_offsets_slice_the_joined_paragraphs(
    paragraphs: list[str],
) -> None:
    text = "\n\n".join(paragraphs)
    for sentence in split_sentences(paragraphs):
        assert 0 <= sentence.start <= sentence.end <= len(text)
        assert text[sentence.start : sentence.end] == sentence.text
        assert 0 <= sentence.paragraph < len(paragraphs)


# -- quotation marks ----------------------------------------------------------------------------

_QUOTED = st.lists(
    st.sampled_from(["\"", "“", "”", "«", "»", "„", "''", "``", "'", " ", "\n", "\n\n", "a",
                     "said", "“Yes,”", " \"no\" ", "\t"]),
    max_size=40,
).map("".join)


@BOUNDED
@given(_QUOTED | _TEXT)
@example("„Ja“ und „Nein“")
@example("“one\n\n“two\n\nthree”")
def test_properties_quote_spans_lie_inside_the_text_in_order_without_overlap(text: str) -> None:
    quotes = quote_spans(text)
    previous_end = 0
    for quote in quotes:
        outer_start, outer_end = quote.outer
        assert 0 <= outer_start <= quote.start <= quote.end <= outer_end <= len(text)
        assert outer_start >= previous_end
        assert text[quote.start : quote.end].strip()
        previous_end = outer_end


# -- entities ----------------------------------------------------------------------------------


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXT)
@example("the United Nations and the U.N. said France's President")
@example("Ms\n\nVelt")
def test_properties_find_mentions_spans_slice_the_text_in_order(text: str) -> None:
    article = Article(id="a", source="any", kind="text", raw=text, text=text)
    previous_end = 0
    for mention in find_mentions(article):
        start, end = mention.span
        assert 0 <= start < end <= len(text)
        assert text[start:end] == mention.text
        assert start >= previous_end
        assert mention.kind in {"person", "organisation", "place"}
        previous_end = end


# -- readers of labelled records, pages and web archives ---------------------------------------


_TSV = st.lists(
    st.lists(st.sampled_from(["title", "text", "a", "", "\"", " x "]) | st.text(max_size=6),
             max_size=4).map("\t".join),
    max_size=5,
).map(lambda rows: "\n".join(["title\ttext\ttime", *rows]))
_RECORD_FILES = st.sampled_from(["records.tsv", "records.jsonl", "records.tsv.gz"])
FIELDS = ClusterFields(text=("title", "text"), label="label", time="time")


@BOUNDED
@given(
    st.binary(max_size=300)
    | (_TSV | _TEXT).map(lambda t: t.encode("utf-8", "surrogatepass")),
    _RECORD_FILES,
)
@example(b"\xff\xfe\x00bad", "records.tsv")
@example(b"title\ttext\nA\tB\tC\n", "records.tsv")
@example(b"1\n", "records.jsonl")
@example(b"[" * 100_000, "records.jsonl")
@example(b"not gzip", "records.tsv.gz")
@example(b"text\nA\x00B\n", "records.tsv")
def test_properties_read_records_gives_records_or_a_usage_error(data: bytes, name: str) -> None:
    with tempfile.TemporaryDirectory() as where:
        path = Path(where) / name
        path.write_bytes(data)
        try:
            records = read_records(path)
        except UsageError:
            return
    for number, record in enumerate(records, start=1):
        assert isinstance(record, dict) and all(isinstance(key, str) for key in record)
        try:
            draft = labelled_draft(record, FIELDS, number)
        except UsageError:
            continue
        assert isinstance(draft, Draft)


@BOUNDED
@given(st.binary(max_size=400) | _TEXT.map(lambda t: f"<html><body><p>{t}</p></body></html>")
       .map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_properties_parse_input_html_of_any_bytes_gives_drafts_or_rejects(data: bytes) -> None:
    results = parse_input(RawInput("any.html", "html", data))
    assert results and all(isinstance(r, (Draft, Reject)) for r in results)


_ARCHIVE = Archive(gzip=False).response("https://x.example/a", bridge_page()).buffer.getvalue()
_GZIPPED = Archive(gzip=True).response("https://x.example/a", bridge_page()).buffer.getvalue()


@BOUNDED
@given(
    st.binary(max_size=400),
    st.sampled_from([b"", b"WARC/1.0\r\n", b"\x1f\x8b\x08\x00", _ARCHIVE, _GZIPPED]),
)
def test_properties_warc_inputs_of_any_bytes_end_with_at_most_one_broken_record(
    data: bytes, start: bytes
) -> None:
    found = list(warc_inputs("any.warc", io.BytesIO(start + data), 10_000))
    if start in (_ARCHIVE, _GZIPPED):  # a whole record, then anything: the record is kept
        assert isinstance(found[0], RawInput) and found[0].url == "https://x.example/a"
    assert all(isinstance(item, (RawInput, Reject, Skipped)) for item in found)
    broken = [i for i, item in enumerate(found) if getattr(item, "reason", "") == "broken-record"]
    assert broken in ([], [len(found) - 1])
    for item in found:
        if isinstance(item, Reject):
            assert item.detail.isprintable() and len(item.detail) < 400


# -- feeds that declare entities, and JSON Lines --------------------------------------------------

_DECLARATIONS = st.lists(
    st.sampled_from([
        ('<!ENTITY nbsp "&#160;">', True),
        ("<!ENTITY copy '&#xA9;'>", True),
        ('<!ENTITY lol "lol">', False),
        ('<!ENTITY lol2 "&lol;&lol;&lol;">', False),
        ('<!ENTITY secret SYSTEM "file:///etc/passwd">', False),
        ('<!ENTITY % remote SYSTEM "http://example.org/x.dtd">', False),
        ('<!ENTITY tag "<b>bold</b>">', False),
        ("<!-- a comment -->", True),
    ]),
    max_size=4,
)
_ITEM_TEXTS = st.sampled_from(["&lol;", "&nbsp;", "&secret;", "&amp;", "plain words"]) | (
    st.text(alphabet="abc <>&;#", max_size=20)
)


@BOUNDED
@given(_DECLARATIONS, _ITEM_TEXTS)
def test_properties_parse_feed_refuses_exactly_the_feeds_declaring_entities_of_text(
    declarations: list[tuple[str, bool]], body: str
) -> None:
    subset = "".join(text for text, _ in declarations)
    doctype = f"<!DOCTYPE rss [{subset}]>" if declarations else ""
    feed = (
        f'<?xml version="1.0"?>{doctype}<rss version="2.0"><channel><title>G</title>'
        f"<item><title>T</title><description>Words {body} and more.</description></item>"
        "</channel></rss>"
    )
    results = parse_input(RawInput("any.xml", "feed", feed.encode()))
    unsafe = [r for r in results if isinstance(r, Reject) and r.reason == "unsafe-xml"]
    if all(safe for _, safe in declarations):
        assert not unsafe
    else:
        assert results == unsafe and len(unsafe) == 1


_OBJECTS = st.dictionaries(
    st.sampled_from(["text", "body", "title", "date", "id", "url"]) | st.text(max_size=5),
    st.none() | st.integers() | st.text(max_size=20),
    max_size=4,
)


@BOUNDED
@given(st.lists(st.just("") | _OBJECTS.map(json.dumps) | st.text(max_size=20).filter(
    lambda line: "\n" not in line and "\r" not in line and not line.lstrip().startswith("[")
), min_size=1, max_size=6).filter(lambda lines: not lines[0].lstrip().startswith("[")))
def test_properties_parse_json_lines_gives_one_result_per_line_named_by_its_number(
    lines: list[str],
) -> None:
    text = "\n".join(lines)
    if text.strip().startswith("{") and "\n" in text.strip():
        try:  # one object written over several lines is read whole: not this property's case
            json.loads(text)
            return
        except ValueError:
            pass
    results = parse_input(RawInput("any.jsonl", "json", text.encode("utf-8", "surrogatepass")))
    if [r.source for r in results] == ["any.jsonl"]:  # text that is not text: one reject
        assert isinstance(results[0], Reject) and results[0].reason in {"binary", "undecodable"}
        return
    numbered = [n for n, line in enumerate(text.splitlines(), start=1) if line.strip()]
    assert [r.source for r in results] == [f"any.jsonl#line{n}" for n in numbered]
