"""Issue 18: boilerplate found by rules that generalise (rows of share buttons, follow and
newsletter calls, picture credits, shortcodes, bracketed teasers, bare short links), each kept
with its reason, and web pages with no sentence of text rejected as ``no-article-body``."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import DEMO

from storylens import Options, Store, ingest
from storylens.clean.boilerplate import line_reason
from storylens.clean.cleaner import clean
from storylens.ingest.parse import parse_input
from storylens.model import Article, Draft, RawInput, Reject

LEAD = (
    "KESTRAVEN, Wales — The Kestraven ferry company said on Monday that it would restore its "
    "night crossings in April after a winter of cancellations."
)
SECOND = (
    "The company's chief, Ilse Marrow, said two new crews had finished their training and "
    "that fares would stay the same until the summer."
)
THIRD = "Passengers had complained for months about the lack of a late boat to the islands."

SHARE_ROWS = [
    "Share on Facebook | Share on X | Email",
    "Share this article: Facebook · X · LinkedIn · Email",
    "Share: WhatsApp",
    "Facebook, Twitter",
    "Share via Email / Copy link / Reddit",
    "Like this:",
    "Like Loading...",
]
FOLLOW_AND_NEWSLETTER = [
    ("Like this story? Click here to get the Kestraven Echo's evening newsletter.", "newsletter"),
    ("Enjoyed this article? Tap here to receive our weekend newsletter.", "newsletter"),
    ("Sign up for Kestraven Alerts", "newsletter"),
    ("Follow the Kestraven Echo opinion desk on Facebook, Twitter (@KEchoOpinion) and "
     "Instagram.", "follow"),
    ("Follow us on Instagram", "follow"),
    ("Find us on YouTube", "follow"),
]
CREDITS = [
    "Main image credit: Getty",
    "Top photo credit: Harbour Trust",
    "Photo: Ola Brenn / Getty",
    "Ola Brenn/AFP via Getty Images",
    "(Photo by Ola Brenn/Getty Images)",
    "Photograph: Ola Brenn/Reuters",
]
SHORTCODES_AND_LINKS = [
    ('[button link="https://example.org/donate"]Support our journalism[/button]', "shortcode"),
    ('[caption id="attachment_77" align="alignleft"]The night ferry at Kestraven[/caption]',
     "shortcode"),
    ("[embed]https://example.org/video/42[/embed]", "shortcode"),
    ("[Related: Island fares to rise in May]", "teaser"),
    ("[Video: The night ferry leaves Kestraven]", "teaser"),
    ("pic.twitter.com/Xy12AbCdEf", "link"),
    ("Skip to content", "navigation"),
    ("Proudly powered by WordPress", "site"),
]


def _article(*lines: str) -> Article:
    text = "\n\n".join(lines)
    result = clean(Draft(source="ferry.txt", kind="text", raw=text, text=text))
    assert isinstance(result, Article), result
    return result


def _page(body: str) -> Article | Reject:
    page = f"<html><head><title>Kestraven Echo</title></head><body>{body}</body></html>"
    (draft,) = parse_input(RawInput("page.html", "html", page.encode()))
    return clean(draft) if isinstance(draft, Draft) else draft


@pytest.mark.parametrize("line", SHARE_ROWS)
def test_boilerplate_line_of_share_targets_and_separators_is_share(line: str) -> None:
    assert line_reason(line) == "share"


@pytest.mark.parametrize(("line", "reason"), FOLLOW_AND_NEWSLETTER)
def test_boilerplate_follow_and_newsletter_calls_are_named(line: str, reason: str) -> None:
    assert line_reason(line) == reason


@pytest.mark.parametrize("line", CREDITS)
def test_boilerplate_picture_credit_lines_are_photo(line: str) -> None:
    assert line_reason(line) == "photo"


@pytest.mark.parametrize(("line", "reason"), SHORTCODES_AND_LINKS)
def test_boilerplate_shortcodes_bracketed_teasers_and_short_links(line: str, reason: str) -> None:
    assert line_reason(line) == reason


@pytest.mark.parametrize(
    "line",
    [*SHARE_ROWS, *(line for line, _ in FOLLOW_AND_NEWSLETTER), *CREDITS,
     *(line for line, _ in SHORTCODES_AND_LINKS)],
)
def test_clean_removes_each_boilerplate_line_with_its_reason(line: str) -> None:
    article = _article(LEAD, SECOND, line, THIRD)
    assert article.paragraphs == [LEAD, SECOND, THIRD]
    assert article.removed == [(line_reason(line), line)]


@pytest.mark.parametrize(
    "sentence",
    [
        "The ministry said on Facebook that the night ferry would resume on Monday.",
        "Residents were told to follow the council on Facebook for updates, a spokesman said.",
        "Follow-up inspections found no cracks, the harbour master wrote on Twitter.",
        "Twitter and Facebook removed the posts on Tuesday.",
        "The parish newsletter first reported that the crossing would close.",
        "Fares will rise, the company told readers of its newsletter on Friday.",
        "Photographs of the damaged pier were shared widely on WhatsApp and Telegram.",
        "The agency's photo, credited to a local fisherman, showed the stranded boat.",
        "Email and text alerts will warn passengers when a crossing is cancelled.",
        "Print and online subscribers were offered refunds, the Echo said.",
        "A share of the fares will pay for the new crews, Ms Marrow said.",
        "[The ferry company] will pay for the repairs, Ms Marrow said in a statement.",
        "The order [sic] was signed on Friday, according to the council's minutes.",
    ],
)
def test_clean_keeps_sentences_that_mention_networks_and_newsletters(sentence: str) -> None:
    article = _article(LEAD, sentence, SECOND)
    assert article.paragraphs == [LEAD, sentence, SECOND]
    assert article.removed == []


def test_clean_removes_a_lone_share_target_after_a_share_this_line() -> None:
    article = _article(LEAD, SECOND, "Share this:", "Facebook", "WhatsApp", THIRD)
    assert article.paragraphs == [LEAD, SECOND, THIRD]
    assert article.removed == [
        ("share", "Share this:"), ("share", "Facebook"), ("share", "WhatsApp"),
    ]


def test_clean_keeps_a_lone_network_name_that_follows_text() -> None:
    article = _article(LEAD, SECOND, "Facebook", THIRD)
    assert article.paragraphs == [LEAD, SECOND, "Facebook", THIRD]


@pytest.mark.parametrize(
    "body",
    [
        "<div>Home | About</div>",
        '<nav><a href="/">Home</a> | <a href="/about">About</a></nav>',
        "<p>Home | About</p><p>Share this:</p><p>Facebook</p><p>Proudly powered by WordPress</p>",
        "<p>Skip to content</p><p>Home | About</p><p>Follow us on Instagram</p>",
    ],
)
def test_clean_page_of_no_sentence_is_rejected_as_no_article_body(body: str) -> None:
    result = _page(body)
    assert isinstance(result, Reject), result
    assert result.reason == "no-article-body"
    assert result.detail.startswith("no sentence of text")


def test_clean_page_with_a_sentence_among_share_lines_is_an_article() -> None:
    result = _page(f"<p>Home | About</p><p>{LEAD}</p><p>Share this:</p><p>Facebook</p>")
    assert isinstance(result, Article), result
    assert LEAD in result.text


FLOOD_LINES = (
    "Share on Facebook",
    "Share this article",
    "Like this story?",
    "newsletter",
)


def test_demo_flood_story_holds_no_share_or_newsletter_line(tmp_path: Path) -> None:
    with Store(tmp_path / "demo.db") as store:
        options = Options(extract_attributions=False, extract_events=False)
        ingest([DEMO / "articles"], store, options)
        (flood,) = {
            story
            for article_id, story in store.story_of_articles().items()
            if "lowen_river_flood" in store.article(article_id).source
        }
        texts = [article.text for article, _ in store.story_articles(flood)]
    assert len(texts) >= 4
    for text in texts:
        assert not any(line in text for line in FLOOD_LINES), text
