"""Issue 18, tables: CSV and TSV files with a header row are records, one article a row, read
as JSON Lines records are; the columns by their usual names or chosen with settings; a bad
row rejected alone with its row number, a table without a usable header refused whole."""

from __future__ import annotations

import gzip
import random
import re
from pathlib import Path

import pytest
from conftest import ROOT, Cli

from storylens import Options, Store, ingest
from storylens.ingest.sources import input_of
from storylens.model import Draft, Reject

SYLLABLES = (
    "bra", "cor", "dun", "fel", "gar", "hol", "jin", "kes", "lor", "mav", "nib", "orp", "pel",
    "quan", "ros", "sil", "tam", "ulv", "ven", "wex", "yor", "zan",
)
VERBS = ("opens", "closes", "names", "delays", "expands", "sells", "rebuilds", "lists")
OUTLETS = ("Brannock Courier", "Tessary Post", "Valley Herald")
STORY = (
    "The harbour authority of Orvale said on Friday that it would close the northern pier for "
    "three weeks of repairs after divers found cracks in two of its pilings."
)
OTHER = (
    "The library of Quenby will open on Sundays from March, the town council said after a "
    "vote on Tuesday evening, and will hire two more staff."
)


def _word(chance: random.Random) -> str:
    return "".join(chance.choice(SYLLABLES) for _ in range(chance.randint(2, 3)))


def headlines_tsv(path: Path, count: int, seed: int = 18) -> Path:
    """A TSV of ``count`` headlines made of invented words, in the UCI News Aggregator layout
    (a timestamp in epoch milliseconds, the outlet as ``publisher``)."""
    chance = random.Random(seed)
    lines = ["id\ttitle\turl\tpublisher\tcategory\tstory\thostname\ttimestamp"]
    for number in range(1, count + 1):
        title = " ".join(
            [_word(chance).title(), chance.choice(VERBS), _word(chance), _word(chance)]
        )
        if number % 7 == 0:  # a headline that begins with a quotation mark
            title = f'"{_word(chance).title()}" {title}'
        outlet = chance.choice(OUTLETS)
        site = outlet.lower().replace(" ", "-") + ".example"
        stamp = 1394470370698 + number * 61_000
        lines.append(
            f"{number}\t{title}\thttps://{site}/{number}\t{outlet}\tb\tstory{number % 40}\t"
            f"{site}\t{stamp}"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _drafts(path: Path, columns: tuple[tuple[str, str], ...] = ()) -> list[Draft | Reject]:
    from storylens.ingest.parse import parse_input

    raw = input_of(str(path), path.read_bytes(), 10_000_000, columns)
    assert not isinstance(raw, Reject), raw
    return parse_input(raw)


def _articles(db: Path) -> list[dict[str, object]]:
    with Store(db, create=False) as store:
        rows = store.db.execute(
            "SELECT source, title, text, outlet, url, published FROM articles ORDER BY source"
        )
        return [dict(row) for row in rows]


def test_tables_tsv_of_300_headlines_is_300_articles_through_the_cli(tmp_path: Path) -> None:
    table = headlines_tsv(tmp_path / "headlines.tsv", 300)
    cli = Cli(tmp_path / "t.db")
    done = cli("ingest", str(table), "--json")
    assert done.returncode == 0, done.stderr
    articles = _articles(tmp_path / "t.db")
    assert len(articles) == 300
    assert {a["outlet"] for a in articles} == set(OUTLETS)
    assert all(str(a["source"]).startswith(f"{table}#row") for a in articles)
    assert not any("publisher" in str(a["text"]) for a in articles)
    quoted = [a for a in articles if str(a["source"]).endswith("#row8")]  # headline 7
    assert str(quoted[0]["text"]).startswith('"')


def test_tables_tsv_of_300_headlines_is_300_articles_through_the_pipeline(
    tmp_path: Path,
) -> None:
    table = headlines_tsv(tmp_path / "headlines.tsv", 300)
    with Store(tmp_path / "t.db") as store:
        summary = ingest([table], store, Options())
        again = ingest([table], store, Options())
    assert (summary.stored, summary.rejected) == (300, 0), summary.rejects
    assert (again.stored, again.known) == (0, 1)
    (first,) = [a for a in _articles(tmp_path / "t.db") if str(a["source"]).endswith("#row2")]
    assert first["url"] and str(first["url"]).startswith("https://")
    assert str(first["published"]).startswith("2014-03-10T")
    assert first["title"] is None  # a headline table's title is its text


def test_tables_gzipped_tsv_read_as_a_table(tmp_path: Path) -> None:
    plain = headlines_tsv(tmp_path / "plain.tsv", 5)
    packed = tmp_path / "headlines.tsv.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    plain.unlink()
    with Store(tmp_path / "t.db") as store:
        summary = ingest([packed], store, Options())
    assert (summary.stored, summary.rejected) == (5, 0)


def test_tables_csv_fields_hold_quoted_commas_and_line_breaks(tmp_path: Path) -> None:
    path = tmp_path / "articles.csv"
    body = STORY.replace("said on Friday", 'said, on Friday, "with regret"')
    path.write_text(
        'Title,Body,Outlet,Date\n'
        f'"Pier closes, for now","{body.replace(chr(34), chr(34) * 2)}\n\nSecond paragraph, '
        'here.",Brannock Courier,2024-05-03\n'
        f'Library opens,"{OTHER}",Tessary Post,2024-05-04\n',
        encoding="utf-8",
    )
    first, second = _drafts(path)
    assert isinstance(first, Draft) and isinstance(second, Draft)
    assert first.title == "Pier closes, for now"
    assert first.text == f"{body}\n\nSecond paragraph, here."
    assert (first.outlet, first.published) == ("Brannock Courier", "2024-05-03")
    assert (second.source, second.text) == (f"{path}#row3", OTHER)


def test_tables_csv_delimiter_found_by_its_header(tmp_path: Path) -> None:
    path = tmp_path / "semicolons.csv"
    path.write_text(f"title;text\nPier closes;{STORY}\n", encoding="utf-8")
    (draft,) = _drafts(path)
    assert isinstance(draft, Draft) and (draft.title, draft.text) == ("Pier closes", STORY)


def test_tables_a_field_longer_than_the_csv_modules_own_limit_is_read(tmp_path: Path) -> None:
    long_text = "\n\n".join([STORY] * 1500)  # about 250,000 characters
    path = tmp_path / "long.csv"
    path.write_text(f'title,text\nPier closes,"{long_text}"\n', encoding="utf-8")
    (draft,) = _drafts(path)
    assert isinstance(draft, Draft) and draft.text == long_text


def test_tables_columns_chosen_with_settings(tmp_path: Path) -> None:
    path = tmp_path / "chosen.csv"
    path.write_text(
        "Story Text,Head,Paper,When,Address,Ref,text\n"
        f'"{STORY}",Pier closes,Brannock Courier,2024-05-03,https://courier.example/1,c1,x\n',
        encoding="utf-8",
    )
    options = Options(
        csv_text_column="story text", csv_title_column="HEAD", csv_outlet_column="Paper",
        csv_published_column="when", csv_url_column="address", csv_id_column="ref",
    )
    with Store(tmp_path / "t.db") as store:
        summary = ingest([path], store, options)
        (row,) = store.db.execute("SELECT title, text, outlet, url, external_id FROM articles")
    assert (summary.stored, summary.rejected) == (1, 0), summary.rejects
    assert tuple(row) == (
        "Pier closes", STORY, "Brannock Courier", "https://courier.example/1", "c1"
    )


def test_tables_columns_chosen_on_the_command_line(tmp_path: Path) -> None:
    path = tmp_path / "chosen.tsv"
    path.write_text(f"kop\tlijf\nPier closes\t{STORY}\n", encoding="utf-8")
    cli = Cli(tmp_path / "t.db")
    done = cli(
        "ingest", str(path), "-s", "csv_title_column=kop", "-s", "csv_text_column=lijf",
        "-s", "extract_attributions=false",
    )
    assert done.returncode == 0, done.stderr
    (article,) = _articles(tmp_path / "t.db")
    assert (article["title"], article["text"]) == ("Pier closes", STORY)


def test_tables_a_chosen_column_missing_from_the_header_refuses_the_table(
    tmp_path: Path,
) -> None:
    path = tmp_path / "chosen.csv"
    path.write_text(f"title,text\nPier closes,{STORY}\n", encoding="utf-8")
    (reject,) = _drafts(path, (("text", "body copy"),))
    assert isinstance(reject, Reject) and reject.reason == "bad-table"
    assert "'body copy'" in reject.detail and "csv_text_column" in reject.detail


def test_tables_row_without_text_rejected_with_its_row_number_rest_stored(
    tmp_path: Path,
) -> None:
    path = tmp_path / "articles.csv"
    path.write_text(
        "title,text,outlet\n"
        f'Pier closes,"{STORY}",Brannock Courier\n'
        "Library opens,,Tessary Post\n"
        f'Library opens,"{OTHER}",Tessary Post\n',
        encoding="utf-8",
    )
    with Store(tmp_path / "t.db") as store:
        summary = ingest([path], store, Options())
    assert summary.stored == 2
    (reject,) = summary.rejects
    assert (reject.source, reject.reason) == (f"{path}#row3", "no-text")
    assert "row 3" in reject.detail
    assert sorted(str(a["source"]) for a in _articles(tmp_path / "t.db")) == [
        f"{path}#row2", f"{path}#row4"
    ]


def test_tables_row_with_another_number_of_fields_rejected_rest_stored(tmp_path: Path) -> None:
    path = tmp_path / "articles.tsv"
    path.write_text(
        f"title\ttext\nPier closes\t{STORY}\nstray\t{OTHER}\textra\n\nLibrary opens\t{OTHER}\n",
        encoding="utf-8",
    )
    results = _drafts(path)
    assert [type(r).__name__ for r in results] == ["Draft", "Reject", "Draft"]
    reject = results[1]
    assert isinstance(reject, Reject) and reject.reason == "bad-row"
    assert reject.source == f"{path}#row3"
    assert re.search(r"row 3 has 3 fields where the header has 2", reject.detail)
    assert results[2].source == f"{path}#row5"  # the blank line is row 4


@pytest.mark.parametrize(
    "content",
    [
        f"name,words\nPier,{STORY}\n",  # no text or title column
        f"{STORY}\n{OTHER}\n",  # no header at all: the first line is data
        "\n\n",
    ],
    ids=["unknown-columns", "no-header", "blank"],
)
def test_tables_without_a_usable_header_refused_whole(tmp_path: Path, content: str) -> None:
    path = tmp_path / "table.csv"
    path.write_text(content, encoding="utf-8")
    with Store(tmp_path / "t.db") as store:
        summary = ingest([path], store, Options())
    assert summary.stored == 0
    (reject,) = summary.rejects
    assert reject.source == str(path)
    assert reject.reason == ("empty" if not content.strip() else "bad-table")
    if content.strip():
        assert "no text column" in reject.detail


def test_tables_header_only_is_a_table_with_no_rows(tmp_path: Path) -> None:
    path = tmp_path / "table.csv"
    path.write_text("title,text\n", encoding="utf-8")
    with Store(tmp_path / "t.db") as store:
        summary = ingest([path], store, Options())
    (reject,) = summary.rejects
    assert (reject.reason, reject.detail) == ("no-text", "the table has no rows")


def test_tables_every_column_setting_documented_in_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    names = [f.name for f in Options.columns()]
    assert names == [
        "csv_text_column", "csv_title_column", "csv_url_column", "csv_outlet_column",
        "csv_published_column", "csv_id_column",
    ]
    for name in names:
        assert re.search(rf"^\| `{name}` \|", readme, re.MULTILINE), name


def test_tables_named_in_ingest_help_readme_and_upload_page() -> None:
    cli = Cli(Path("unused.db"))
    done = cli("ingest", "--help", db=False)
    assert done.returncode == 0 and ".csv/.tsv" in done.stdout
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    inputs = readme.split("| `storylens ingest PATH...` |", 1)[1].split("\n", 1)[0]
    assert "`.csv`" in inputs and "`.tsv`" in inputs
    page = (ROOT / "storylens" / "web" / "templates" / "ingest.html.j2").read_text("utf-8")
    assert "CSV/TSV" in page
