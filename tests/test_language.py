"""Languages (issue 18): each article's language detected (clean.language), stored, shown and
filtered on in the CLI, the API and the pages; the English-only stages (entities, quotes,
events) skip articles in other languages and say so. Every paragraph and page here is our
own writing."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import ROOT, Cli
from fastapi.testclient import TestClient

from storylens.clean import clean
from storylens.clean.language import declared_language, language_of
from storylens.ingest.parse import page_language, parse_input
from storylens.model import Article, Draft, RawInput
from storylens.store import Store

PAGES = ROOT / "tests" / "data" / "languages"

PARAGRAPHS = {
    "ko": "서울 시의회는 화요일 저녁 새 버스 노선을 승인했다. 주민들은 출퇴근 시간이 "
    "줄어들 것이라고 기대하고 있지만, 일부 상인들은 공사 기간 동안 손님이 줄까 걱정하고 "
    "있다.",
    "ru": "Городской совет Самары во вторник утвердил новый план ремонта мостов. Жители надеются, "
    "что работы закончатся до начала зимы, а водители просят заранее сообщать об объездах.",
    "pt": "A câmara municipal de Braga aprovou ontem um novo plano para as bibliotecas do bairro. "
    "Os moradores esperam que as salas de leitura fiquem abertas até mais tarde durante a "
    "semana.",
    "es": "El ayuntamiento de Valladolid aprobó el martes un nuevo horario para las piscinas "
    "públicas. Los vecinos esperan que las instalaciones abran antes durante los meses de "
    "verano.",
    "de": "Der Stadtrat von Kassel hat am Dienstag einen neuen Plan für die Radwege beschlossen. "
    "Die Anwohner hoffen, dass die Arbeiten vor dem Winter abgeschlossen werden.",
    "fr": "Le conseil municipal de Nantes a adopté mardi soir un nouveau plan pour les marchés du "
    "quartier. Les habitants espèrent que les étals resteront ouverts plus tard le samedi.",
    "zh": "市议会星期二晚上批准了新的公交线路计划。居民们希望上下班的时间会缩短，"
    "但一些商店老板担心施工期间顾客会减少。",
    "ar": "وافق مجلس المدينة مساء الثلاثاء على خطة جديدة لإصلاح الطرق في الأحياء القديمة. ويأمل "
    "السكان أن تنتهي الأعمال قبل بداية فصل الشتاء.",
    "en": "The town council in Harwich approved a new plan for the harbour walls on Tuesday "
    "evening. Residents hope the work will be finished before the winter storms arrive.",
}


# -- detection -------------------------------------------------------------------------------


@pytest.mark.parametrize("code", sorted(PARAGRAPHS))
def test_language_detects_our_paragraphs(code: str) -> None:
    assert language_of(None, PARAGRAPHS[code]) == code


def test_language_detected_over_a_wrong_declaration() -> None:
    assert language_of("Мосты Самары", PARAGRAPHS["ru"], declared="en") == "ru"


def test_language_short_text_takes_the_declared_one() -> None:
    assert language_of("Мосты Самары", "Ремонт начнётся в мае.", declared="ru-RU") == "ru"
    assert language_of(None, "Ремонт начнётся в мае.") is None
    assert language_of(None, "Harwich floods", declared="en-GB") == "en"


def test_language_mixed_or_unclear_text_is_unknown() -> None:
    mixed = PARAGRAPHS["en"][:90] + " " + PARAGRAPHS["de"][:90]
    assert language_of(None, mixed) is None
    names = "Vladimir Putin, Angela Merkel, Emmanuel Macron, Xi Jinping, Olaf Scholz, Joe Biden"
    assert language_of(None, names) is None
    assert language_of(None, "12 345 678 — 2024-05-06 / 17:45 · 98 %") is None


@pytest.mark.parametrize(
    ("given", "expected"),
    [("pt-BR", "pt"), ("ru_RU", "ru"), ("EN", "en"), ("und", None), ("", None), (None, None),
     ("english please", None)],
)
def test_language_declared_forms(given: str | None, expected: str | None) -> None:
    assert declared_language(given) == expected


def test_language_each_input_declares_its_own() -> None:
    html = parse_input(RawInput("page.html", "html", (PAGES / "ko.html").read_bytes()))
    assert isinstance(html[0], Draft) and html[0].language == "ko"
    meta = '<html><head><meta http-equiv="Content-Language" content="pt-BR"></head></html>'
    assert page_language(meta) == "pt-BR"
    assert page_language('<html xml:lang="fr" dir="ltr"><body></body></html>') == "fr"
    assert page_language("<html><body><p>lang=de</p></body></html>") is None
    record = json.dumps({"text": "Ремонт начнётся в мае.", "lang": "ru"}).encode()
    drafts = parse_input(RawInput("a.jsonl", "json", record))
    assert isinstance(drafts[0], Draft) and drafts[0].language == "ru"
    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Gazeta</title>'
        "<language>ru</language><item><title>Мосты</title>"
        "<description>Ремонт начнётся в мае.</description></item></channel></rss>"
    ).encode()
    items = parse_input(RawInput("feed.xml", "feed", feed))
    assert isinstance(items[0], Draft) and items[0].language == "ru"
    article = clean(items[0])
    assert isinstance(article, Article) and article.language == "ru"  # too short: declared


def test_language_note_says_why_an_article_is_not_analysed() -> None:
    article = clean(Draft("a.txt", "text", PARAGRAPHS["pt"], PARAGRAPHS["pt"]))
    assert isinstance(article, Article)
    assert article.language == "pt" and not article.analysed
    assert article.note == (
        "not analysed: language pt; entities, quotes and events are English only"
    )
    unknown = clean(Draft("b.txt", "text", "Harwich floods", "Harwich floods"))
    assert isinstance(unknown, Article) and unknown.language is None
    assert unknown.analysed and unknown.note is None


# -- ingested, stored, shown and filtered ------------------------------------------------------


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> tuple[Cli, dict[str, str]]:
    """A database of our four pages (Korean, Russian, Portuguese, English) ingested with
    ``storylens ingest``, and the id of each language's article."""
    db = tmp_path_factory.mktemp("languages") / "languages.db"
    cli = Cli(db)
    done = cli("ingest", str(PAGES), "--json")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["stored"] == 4
    assert summary["not_analysed"] == {"ko": 1, "pt": 1, "ru": 1}
    with Store(db) as store:
        ids = {
            row[1]: row[0] for row in store.db.execute("SELECT id, language FROM articles")
        }
    return cli, ids


def test_language_ingest_summary_counts_articles_not_analysed(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "one.db")
    done = cli("ingest", str(PAGES / "ru.html"))
    assert done.returncode == 0, done.stderr
    assert "1 article not analysed, by language (ru 1): entities, quotes and events are " \
        "English only" in done.stdout


def test_language_pages_stored_with_their_language_and_no_english_analysis(
    ingested: tuple[Cli, dict[str, str]],
) -> None:
    cli, ids = ingested
    assert sorted(ids) == ["en", "ko", "pt", "ru"]
    with Store(cli.db) as store:
        every = list(ids.values())
        mentions = store.mentions(every)
        attributions = store.attributions(every)
        events = store.event_mentions(every)
    for code in ("ko", "pt", "ru"):
        assert not mentions.get(ids[code]), (code, mentions.get(ids[code]))
        assert not attributions.get(ids[code]), code
        assert not events.get(ids[code]), code
    names = {m.name for m in mentions[ids["en"]]}
    assert {"Harwich", "Margaret Oduya"} <= names
    assert attributions.get(ids["en"])


def test_language_article_shown_in_cli_json_and_page(
    ingested: tuple[Cli, dict[str, str]],
) -> None:
    cli, ids = ingested
    view = cli.json("article", ids["ru"])
    assert view["language"] == "ru"
    assert view["note"] == "not analysed: language ru; entities, quotes and events are " \
        "English only"
    assert cli.json("article", ids["en"])["note"] is None
    text = cli("article", ids["ru"]).stdout
    assert "language: ru" in text and "not analysed: language ru" in text
    with _client(cli.db) as client:
        page = client.get(f"/articles/{ids['pt']}").text
        assert re.search(r'class="article-language">pt<', page)
        assert "not analysed: language pt; entities, quotes and events are English only" in page
        english = client.get(f"/articles/{ids['en']}").text
        assert re.search(r'class="article-language">en<', english)
        assert "not analysed" not in english
        api = client.get(f"/api/articles/{ids['ko']}").json()
        assert api["language"] == "ko" and api["note"].startswith("not analysed: language ko")
        story_id = api["story_id"]
        story = client.get(f"/api/stories/{story_id}").json()
        assert story["languages"] == ["ko"]
        assert story["articles"][0]["language"] == "ko"
        story_page = client.get(f"/stories/{story_id}").text
        assert "language: ko" in story_page and "not analysed: language ko" in story_page


def test_language_filter_agrees_in_cli_api_and_page(
    ingested: tuple[Cli, dict[str, str]],
) -> None:
    cli, ids = ingested
    with _client(cli.db) as client:
        for code in ("ru", "pt", "en", "RU", "de"):
            listed = cli.json("stories", "--language", code)
            assert isinstance(listed, list)
            from_cli = [s["id"] for s in listed]
            found = client.get("/api/stories", params={"language": code}).json()
            from_api = [s["id"] for s in found["stories"]]
            page = client.get("/", params={"language": code}).text
            from_page = re.findall(r'href="/stories/([0-9a-f]+)"', page)
            assert from_cli == from_api == list(dict.fromkeys(from_page)), code
            expected = 0 if code == "de" else 1
            assert len(from_cli) == expected, code
            if expected:
                assert all(s["languages"] == [code.lower()] for s in found["stories"])
                assert f'value="{code}"' in page  # the form keeps the filter
        everything = client.get("/api/stories").json()
        assert everything["total"] == len(cli.json("stories")) >= 4


def _client(db: Path) -> TestClient:
    from storylens.web.app import create_app
    from storylens.web.deps import ServerConfig

    return TestClient(create_app(ServerConfig(db=db)))


def test_language_unknown_for_articles_stored_before(tmp_path: Path) -> None:
    """A database of before the language was stored opens, its articles of no language,
    shown as unknown and analysed as before."""
    import shutil

    db = shutil.copy(ROOT / "tests" / "data" / "release-e6b458e.db", tmp_path / "old.db")
    cli = Cli(Path(db))
    done = cli("ingest", str(PAGES / "pt.html"))  # a command that writes it: upgraded
    assert done.returncode == 0, done.stderr
    with Store(Path(db)) as store:
        languages = dict(
            store.db.execute("SELECT language, COUNT(*) FROM articles GROUP BY language")
        )
        assert "0011_article_language" in [
            row[0] for row in store.db.execute("SELECT name FROM migrations")
        ]
    assert languages.pop("pt") == 1
    assert list(languages) == [None]
    first = next(iter(cli.json("stories")))
    story = cli.json("story", first["id"])
    assert all(a["language"] is None and a["note"] is None for a in story["articles"])


def test_language_ingest_page_counts_articles_not_analysed(tmp_path: Path) -> None:
    from storylens.web.app import create_app
    from storylens.web.deps import ServerConfig

    db = tmp_path / "page.db"
    Store(db).close()
    with TestClient(create_app(ServerConfig(db, write_token="language-token"))) as client:
        response = client.post(
            "/ingest",
            data={"token": "language-token"},
            files=[
                ("files", ("ru.html", (PAGES / "ru.html").read_bytes(), "text/html")),
                ("files", ("en.html", (PAGES / "en.html").read_bytes(), "text/html")),
            ],
        )
    assert response.status_code == 200, response.text[:500]
    found = re.search(r'<dd class="not-analysed">([^<]*)</dd>', response.text)
    assert found is not None
    assert found.group(1) == "1 in ru: entities, quotes and events are English only"
