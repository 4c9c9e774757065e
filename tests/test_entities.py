"""The entities stage: people, organisations and places named in an article."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from conftest import shared_path

from storylens.clean.cleaner import clean
from storylens.extract.entities import aggregate, entity_id, find_mentions
from storylens.ingest.parse import parse_input
from storylens.ingest.sources import list_files, read_inputs
from storylens.model import Article, Draft, Mention, RawInput
from storylens.options import Options


def _article(text: str, article_id: str = "a1") -> Article:
    return Article(article_id, "t.txt", "text", text, text)


def _mentions(text: str) -> list[Mention]:
    return find_mentions(_article(text))


def _of(mentions: list[Mention], written: str) -> Mention:
    found = [m for m in mentions if m.text == written]
    assert len(found) == 1, [(m.text, m.name) for m in mentions]
    return found[0]


# Invented people in our own words (the seeds are read from ../shared by the tests below).
PREMIER = (
    "Japanese Prime Minister Haruto Kirisaki, on a working trip to Moscow, pressed "
    "President Lev Dorokhin to step in. Kirisaki added that Moscow might help. "
    "Before that, the Japanese premier had promised that Mr. Kirisaki would fly home."
)


def test_entities_entity_id_is_a_hash_of_kind_and_key() -> None:
    expected = hashlib.sha1(b"place:prk").hexdigest()[:16]
    assert entity_id("place", "PRK") == expected
    assert entity_id("place", "prk") == expected
    assert entity_id("person", "PRK") != expected


def test_entities_country_aliases_share_one_id() -> None:
    mentions = _mentions(
        "North Korea said the DPRK and the Democratic People's Republic of Korea would "
        "talk. D.P.R.K. officials agreed."
    )
    places = [m for m in mentions if m.code == "PRK"]
    assert [m.text for m in places] == [
        "North Korea",
        "DPRK",
        "Democratic People's Republic of Korea",
        "D.P.R.K.",
    ]
    assert {m.entity_id for m in places} == {entity_id("place", "PRK")}
    assert {(m.name, m.kind) for m in places} == {("North Korea", "place")}
    assert places[0].sector is None


def test_entities_possessive_outside_the_span() -> None:
    text = "It condemned North Korea's announcement."
    (mention,) = _mentions(text)
    assert (mention.name, mention.code, mention.text) == ("North Korea", "PRK", "North Korea")
    assert text[mention.span[0] : mention.span[1]] == "North Korea"


@pytest.mark.parametrize(
    ("text", "written", "name", "code"),
    [
        ("Moscow said it was alarmed.", "Moscow", "Russia", "RUS"),
        ("Analysts criticised Pyongyang's move.", "Pyongyang", "North Korea", "PRK"),
        ("The plan was rejected by Moscow.", "Moscow", "Russia", "RUS"),
        ("Russia hopes Pyongyang will heed the call.", "Pyongyang", "North Korea", "PRK"),
        ("Beijing, which backs the talks, agreed.", "Beijing", "China", "CHN"),
    ],
)
def test_entities_capital_acting_is_the_government(
    text: str, written: str, name: str, code: str
) -> None:
    mention = _of(_mentions(text), written)
    assert (mention.name, mention.code, mention.sector, mention.kind) == (
        name,
        code,
        "GOV",
        "place",
    )
    assert mention.entity_id == entity_id("place", code)


@pytest.mark.parametrize(
    "text",
    [
        "The leaders held talks in Moscow on Friday.",
        "Moscow, which is home to ten million people, was cold.",
        "Two envoys in Moscow spoke to the newspaper.",
    ],
)
def test_entities_capital_as_a_place(text: str) -> None:
    mention = _of(_mentions(text), "Moscow")
    assert (mention.name, mention.code, mention.sector, mention.kind) == (
        "Moscow",
        "RUS",
        None,
        "place",
    )
    assert mention.entity_id == entity_id("place", "capital:Moscow")


def test_entities_person_with_title_surname_and_description() -> None:
    mentions = _mentions(PREMIER)
    people = [m for m in mentions if m.name == "Haruto Kirisaki"]
    assert [m.text for m in people] == [
        "Haruto Kirisaki",
        "Kirisaki",
        "the Japanese premier",
        "Mr. Kirisaki",
    ]
    assert {(m.kind, m.title, m.code, m.sector) for m in people} == {
        ("person", "Prime Minister", "JPN", "GOV")
    }
    assert len({m.entity_id for m in people}) == 1
    assert "Japanese" not in [m.text for m in mentions]  # the title's country, not a place


def test_entities_person_title_kept_apart() -> None:
    putin = _of(_mentions(PREMIER), "Lev Dorokhin")
    assert (putin.kind, putin.title, putin.sector, putin.code) == (
        "person",
        "President",
        "GOV",
        None,
    )


@pytest.mark.parametrize(
    "written",
    ["Russian Foreign Ministry", "Russia's Foreign Ministry", "Foreign Ministry of Russia"],
)
def test_entities_foreign_ministry_forms_are_one_organisation(written: str) -> None:
    text = f"On Friday the {written} said it was concerned."
    mention = _of(_mentions(text), written)
    assert (mention.name, mention.kind, mention.code, mention.sector) == (
        "Russian Foreign Ministry",
        "organisation",
        "RUS",
        "GOV",
    )
    assert mention.entity_id == entity_id("organisation", "Russian Foreign Ministry")


def test_entities_demonym_and_government_body() -> None:
    mention = _of(_mentions("The Japanese government agreed."), "Japanese government")
    assert (mention.name, mention.kind, mention.code, mention.sector) == (
        "Japanese Government",
        "organisation",
        "JPN",
        "GOV",
    )


def test_entities_bare_body_resolves_to_the_one_named_before() -> None:
    mentions = _mentions(
        "The Russian Foreign Ministry voiced concern. The ministry said talks were needed. "
        "The Foreign Ministry's spokesman Pavel Ostrogin agreed."
    )
    ministry = [m for m in mentions if m.name == "Russian Foreign Ministry"]
    assert [m.text for m in ministry] == [
        "Russian Foreign Ministry",
        "The ministry",
        "The Foreign Ministry",
    ]
    yakovenko = _of(mentions, "Pavel Ostrogin")
    assert (yakovenko.title, yakovenko.code, yakovenko.sector) == ("Spokesman", "RUS", "GOV")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hungarian and Romanian officials met.", {"HUN": "GOV", "ROU": "GOV"}),
        ("Israeli troops entered the town.", {"ISR": "MIL"}),
        ("Russian nuclear officials said so.", {"RUS": "GOV"}),
        ("The North Korean crisis deepened.", {"PRK": None}),
        ("US officials said so.", {"USA": "GOV"}),
    ],
)
def test_entities_demonym_sector_from_its_group(text: str, expected: dict[str, str | None]) -> None:
    mentions = _mentions(text)
    assert {m.code: m.sector for m in mentions} == expected
    assert {m.kind for m in mentions} == {"place"}


@pytest.mark.parametrize(("text", "codes"), [("The US said so.", ["USA"]), ("Tell us so.", [])])
def test_entities_us_is_not_us(text: str, codes: list[str]) -> None:
    assert [m.code for m in _mentions(text)] == codes


def test_entities_united_nations_forms_are_one_entity() -> None:
    mentions = _mentions("The United Nations met. The UN said the U.N. would act.")
    assert [m.text for m in mentions] == ["United Nations", "UN", "U.N."]
    assert {(m.name, m.kind, m.code, m.sector) for m in mentions} == {
        ("United Nations", "organisation", "IGO", "IGO")
    }
    assert len({m.entity_id for m in mentions}) == 1


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Officials said George W. Bush would attend.", "George W. Bush"),
        ("Fighters loyal to Osama bin Laden fled.", "Osama bin Laden"),
        ("Officials met Bashar al-Assad on Monday.", "Bashar al-Assad"),
        ("On Monday Dr. Smith arrived.", "Smith"),
    ],
)
def test_entities_person_names(text: str, name: str) -> None:
    people = [m for m in _mentions(text) if m.kind == "person"]
    assert [m.name for m in people] == [name]


@pytest.mark.parametrize(
    "text",
    [
        "The talks began on Monday and ended in January.",
        "But In The End nobody came.",
        "The Nuclear Non-Proliferation Treaty was signed.",
        "He read The Washington Times today.",
        "Kirisaki said nothing.",  # a surname nobody was named with
    ],
)
def test_entities_no_false_people(text: str) -> None:
    assert [m for m in _mentions(text) if m.kind == "person"] == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("The International Atomic Energy Agency said so.", "International Atomic Energy Agency"),
        ("The Chinese Communist Party met.", "Chinese Communist Party"),
        ("Staff of the University of Alabama left.", "University of Alabama"),
        ("The Fish and Wildlife Service said so.", "Fish and Wildlife Service"),
    ],
)
def test_entities_organisation_runs(text: str, name: str) -> None:
    mention = _of(_mentions(text), name)
    assert mention.kind == "organisation"


def test_entities_organisation_run_takes_its_country() -> None:
    mention = _of(_mentions("The Chinese Communist Party met."), "Chinese Communist Party")
    assert mention.code == "CHN"


def test_entities_description_needs_exactly_one_person() -> None:
    mentions = _mentions(
        "Prime Minister John Smith met Prime Minister Jane Doe. The prime minister said no."
    )
    assert "The prime minister" not in [m.text for m in mentions]


def test_entities_description_names_the_person() -> None:
    mentions = _mentions("Spokeswoman Maria Zakharova spoke. Later the spokesperson added more.")
    described = _of(mentions, "the spokesperson")
    assert (described.name, described.kind, described.title) == (
        "Maria Zakharova",
        "person",
        "Spokeswoman",
    )


def test_entities_unknown_country_stays_unknown() -> None:
    (mention,) = _mentions("Officials said Jack Ketsoyan told the magazine.")
    assert (mention.name, mention.code) == ("Jack Ketsoyan", None)


def test_entities_initials_do_not_split_a_person() -> None:
    mentions = _mentions("Richard M. Nixon resigned. Richard Nixon left. Nixon was gone.")
    assert {m.entity_id for m in mentions} == {entity_id("person", "Richard Nixon")}


def test_entities_title_case_headline_names_no_people() -> None:
    mentions = _mentions(
        "Russia Voices Grave Worry About DPRK's Exit Plan\n\nThe ministry said so."
    )
    assert [(m.text, m.kind) for m in mentions] == [("Russia", "place"), ("DPRK", "place")]


def test_entities_read_only_the_text() -> None:
    article = Article("a1", "t.txt", "text", "Kirisaki and Dorokhin", "The UN met.")
    assert [m.text for m in find_mentions(article)] == ["UN"]
    assert find_mentions(article)[0].article_id == "a1"


def _check_well_formed(article: Article, mentions: list[Mention]) -> None:
    for mention in mentions:
        start, end = mention.span
        assert article.text[start:end] == mention.text
        assert mention.kind in ("person", "organisation", "place")
        assert len(mention.entity_id) == 16
    spans = [m.span for m in mentions]
    assert spans == sorted(spans)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False))


@pytest.mark.parametrize(
    "text",
    [
        "Die Bundesregierung in Berlin erklärte am Montag, Russland und Japan seien besorgt. "
        "Außenminister Frank-Walter Steinmeier sagte, Nordkorea müsse einlenken.",
        "俄罗斯外交部周五表示，对朝鲜退出《不扩散核武器条约》深表关切。日本首相小泉纯一郎在莫斯科访问。",
        "МИД России выразил глубокую обеспокоенность решением КНДР выйти из ДНЯО. "
        "Министр Александр Румянцев заявил об этом в Москве.",
        "",
        "'s 's ’s . , U.S.'s Mr. Mr. the the The",
        "UN",
    ],
)
def test_entities_other_languages_and_odd_text_do_not_crash(text: str) -> None:
    article = _article(text)
    _check_well_formed(article, find_mentions(article))


def test_entities_long_text() -> None:
    paragraph = (
        "Japanese Prime Minister Haruto Kirisaki met Russian President Lev Dorokhin in "
        "Moscow on Friday. The Russian Foreign Ministry called North Korea's step worrying, "
        "and Hungarian and Romanian officials agreed. Kirisaki said the U.N. would act.\n\n"
    )
    text = paragraph * (5000 // len(paragraph.split()) + 1)
    assert len(text.split()) >= 5000
    article = _article(text)
    mentions = find_mentions(article)
    _check_well_formed(article, mentions)
    koizumi = [m for m in mentions if m.name == "Haruto Kirisaki"]
    assert len(koizumi) == 2 * text.count("Japanese Prime Minister")


def test_entities_aggregate() -> None:
    first = find_mentions(_article("North Korea said the DPRK would talk. Moscow said no.", "a1"))
    second = find_mentions(_article("Pyongyang said the DPRK left. Pyongyang's move hurt.", "a2"))
    entities = aggregate(first + second)
    korea = entities[0]
    assert korea.id == entity_id("place", "PRK")
    assert (korea.name, korea.kind, korea.code, korea.sector) == (
        "North Korea",
        "place",
        "PRK",
        "GOV",
    )
    assert korea.aliases == ["North Korea", "DPRK", "Pyongyang"]
    assert (korea.mentions, korea.articles) == (5, 2)
    russia = next(e for e in entities if e.code == "RUS")
    assert (russia.name, russia.mentions, russia.articles, russia.aliases) == (
        "Russia",
        1,
        1,
        ["Moscow"],
    )
    assert [e.mentions for e in entities] == sorted((e.mentions for e in entities), reverse=True)


def test_entities_aggregate_titles() -> None:
    (koizumi,) = [e for e in aggregate(_mentions(PREMIER)) if e.kind == "person" and e.code]
    assert koizumi.titles == ["Prime Minister"]
    assert koizumi.mentions == 4
    assert aggregate([]) == []


# -- the seeds: two reports of 10 Jan 2003 (read from ../shared) ----------------------------


@pytest.fixture(scope="module")
def seed_mentions() -> list[list[Mention]]:
    seeds: Path = shared_path("seeds")
    articles = []
    for raw in read_inputs(list_files([seeds]), Options()):
        assert isinstance(raw, RawInput), raw
        for draft in parse_input(raw):
            assert isinstance(draft, Draft), draft
            cleaned = clean(draft)
            assert isinstance(cleaned, Article), cleaned
            articles.append(cleaned)
    assert len(articles) == 2
    return [find_mentions(a) for a in articles]


def test_entities_seeds_north_korea_one_entity(seed_mentions: list[list[Mention]]) -> None:
    korea = entity_id("place", "PRK")
    written = {m.text for ms in seed_mentions for m in ms if m.entity_id == korea}
    assert {"North Korea", "DPRK", "Pyongyang", "Democratic People's Republic of Korea"} <= written
    governing = [m for ms in seed_mentions for m in ms if m.text == "Pyongyang" and m.sector]
    assert governing and {m.entity_id for m in governing} == {korea}


def test_entities_seeds_koizumi(seed_mentions: list[list[Mention]]) -> None:
    for mentions in seed_mentions:
        koizumi = [m for m in mentions if m.name == "Junichiro Koizumi"]
        assert koizumi
        assert {(m.code, m.sector, m.title) for m in koizumi} == {("JPN", "GOV", "Prime Minister")}
    described = [m for ms in seed_mentions for m in ms if m.text == "the Japanese premier"]
    assert [m.name for m in described] == ["Junichiro Koizumi"]


def test_entities_seeds_russian_foreign_ministry(seed_mentions: list[list[Mention]]) -> None:
    ids = []
    for mentions in seed_mentions:
        ministry = [m for m in mentions if m.name == "Russian Foreign Ministry"]
        assert ministry
        assert {(m.kind, m.code, m.sector) for m in ministry} == {("organisation", "RUS", "GOV")}
        ids.append({m.entity_id for m in ministry})
    assert ids[0] == ids[1] and len(ids[0]) == 1


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Alexander Rumyantsev", "RUS"),
        ("Alexander Yakovenko", "RUS"),
        ("Vladimir Putin", "RUS"),
    ],
)
def test_entities_seeds_people(seed_mentions: list[list[Mention]], name: str, code: str) -> None:
    found = [m for ms in seed_mentions for m in ms if m.name == name]
    assert found
    assert {m.kind for m in found} == {"person"}
    assert code in {m.code for m in found}
    assert {m.entity_id for m in found} == {entity_id("person", name)}


@pytest.mark.parametrize(
    ("text", "name", "code"),
    [
        ("They sent it to the Brazilian Congress this year.", "Brazilian Congress", "BRA"),
        ("Brazil's Congress voted on Monday.", "Brazilian Congress", "BRA"),
        ("Brazil must bring the accord before its Congress.", "Congress", None),
        ("Congress passed the bill.", "Congress", "USA"),
    ],
)
def test_entities_body_belongs_to_the_country_named_before_it(
    text: str, name: str, code: str | None
) -> None:
    found = [m for m in find_mentions(Article("a", "t", "text", text, text)) if m.name == name]
    assert found and found[0].code == code


@pytest.mark.parametrize(
    "text",
    [
        "Lisbon ratified the Atlantic Seabed Research Accord in 2021.",
        "The Good Friday Agreement ended the conflict.",
    ],
)
def test_entities_document_names_are_not_people(text: str) -> None:
    kinds = {m.kind for m in find_mentions(Article("a", "t", "text", text, text))}
    assert "person" not in kinds
