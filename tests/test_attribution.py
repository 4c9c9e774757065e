"""Attribution extraction on small hand-written texts (invented people, places and events).

Each test builds an Article directly and runs the real extractor with the real spaCy pipeline,
loaded once for the module. Every test also checks that what comes out points into the text:
spans inside it, content equal to the text under its spans.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from spacy.tokens import Doc

from storylens.extract.attribution import extract
from storylens.extract.attribution.cues import _nominal_cue
from storylens.extract.nlp import pipeline
from storylens.model import Article, Attribution


@pytest.fixture(scope="module")
def nlp() -> Any:
    return pipeline()


def _article(text: str) -> Article:
    return Article(id="a1", source="test.txt", kind="text", raw=text, text=text)


def _inside(span: tuple[int, int], spans: tuple[tuple[int, int], ...]) -> bool:
    return any(s <= span[0] and span[1] <= e for s, e in spans)


def _check_offsets(article: Article, found: list[Attribution]) -> None:
    text = article.text
    for a in found:
        assert a.article_id == article.id
        assert a.kind in ("direct", "partial", "indirect"), a
        assert a.content_spans, a
        assert all(0 <= s < e <= len(text) for s, e in a.content_spans), a
        assert list(a.content_spans) == sorted(a.content_spans), a
        assert all(
            e1 <= s2 for (_, e1), (s2, _) in itertools.pairwise(a.content_spans)
        ), a  # pieces in order, not overlapping
        assert a.content == " … ".join(text[s:e] for s, e in a.content_spans), a
        for span in a.quoted:
            assert 0 <= span[0] < span[1] <= len(text), a
            assert _inside(span, a.content_spans), a
        if a.cue_span is not None:
            assert 0 <= a.cue_span[0] < a.cue_span[1] <= len(text), a
        if a.source_span is not None:
            assert 0 <= a.source_span[0] < a.source_span[1] <= len(text), a
            assert text[a.source_span[0] : a.source_span[1]] == a.source_text, a


def _extract(text: str, nlp: Any) -> list[Attribution]:
    article = _article(text)
    found = extract([article], nlp)[article.id]
    _check_offsets(article, found)
    return found


def _only(found: list[Attribution]) -> Attribution:
    assert len(found) == 1, found
    return found[0]


# -- robustness ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # an opening mark never closed: straight, curly, before further paragraphs, at the end
        '"The bridge will open in the spring, and nobody can stop it, said Mayor Ana Ruiz.',
        "“The bridge will open in the spring, said Mayor Ana Ruiz.\n\n"
        "The council said the money for the bridge was already in the budget.",
        'Mayor Ana Ruiz said: "',
        "Mayor Ana Ruiz said the bridge would open. “",
        '"The bridge will open.\n\nThe council said no to the new toll."',
        # a stray closing mark
        "The bridge will open in the spring,” said Mayor Ana Ruiz.",
        'The bridge will open in the spring," said Mayor Ana Ruiz.',
        "”The bridge will open in the spring,“ said Mayor Ana Ruiz.",
        # an odd number of straight marks in one paragraph
        'She said "yes" and "no, the clerk said, and "maybe" later.',
        '"The fund is empty," said Tomas Vell. "',
        # marks and nothing else
        '"',
        "“”",
        '""',
        "",
    ],
)
def test_attribution_unbalanced_quotes_no_crash_offsets_valid(text: str, nlp: Any) -> None:
    _extract(text, nlp)  # checks every span and content against the text


def _long_article(words: int = 5000) -> str:
    """An invented local-news article of at least ``words`` words with no quotation mark,
    many reporting verbs (said, reported, warned, agreed) and no quote."""
    subjects = [
        "The town council of Carrowby",
        "Engineers from the regional water authority",
        "Residents of the lower town",
        "The harbour board",
        "A spokesman for the ferry company",
        "Farmers along the Tessel valley",
        "The county school board",
        "Volunteers from the rowing club",
    ]
    actions = [
        "said the new sluice gates would be tested before the end of the spring",
        "reported that the river had fallen by half a metre during the night",
        "agreed to share the cost of repairing the embankment near the old mill",
        "warned that the road to the quarry would stay closed for several weeks",
        "published a timetable for rebuilding the footbridge behind the station",
        "expected the first grain barges to return to the quay within a month",
        "met in the library hall on Thursday evening to discuss the drainage plan",
        "inspected the pumping station and the culverts under the ring road",
        "told residents that drinking water from the tap was safe again",
        "asked the county for two more dredgers and a team of surveyors",
    ]
    details = [
        "The work is planned in three stages and should be finished before the autumn rains.",
        "Most of the shops around the market square opened again by noon.",
        "Sandbags were still stacked along the towpath near the brewery.",
        "The bus service to the hill villages ran on its winter timetable.",
        "Several cellars in the old quarter were pumped dry over the weekend.",
        "A temporary bridge of steel panels now carries cyclists over the canal.",
        "Insurance assessors visited more than forty homes on the east bank.",
    ]
    paragraphs = []
    total = 0
    for i in itertools.count():
        paragraph = " ".join(
            [
                f"{subjects[i % len(subjects)]} {actions[i % len(actions)]}.",
                details[i % len(details)],
                f"{subjects[(i * 3 + 1) % len(subjects)]} {actions[(i * 7 + 2) % len(actions)]}.",
            ]
        )
        paragraphs.append(paragraph)
        total += len(paragraph.split())
        if total >= words:
            break
    return "\n\n".join(paragraphs)


def test_attribution_long_article_without_quotes_no_crash_no_direct_quotes(nlp: Any) -> None:
    text = _long_article()
    assert len(text.split()) >= 5000
    assert not any(mark in text for mark in "\"“”„«»")
    found = _extract(text, nlp)
    assert found  # its reported speech is found ...
    assert all(a.kind == "indirect" and not a.quoted for a in found)  # ... and no quote


@pytest.mark.parametrize(
    "text",
    [
        # German, with low-high quotes and with straight quotes
        "„Wir haben das Wehr rechtzeitig geschlossen“, sagte Bürgermeisterin Greta Holm. "
        "Sie sagte, die Uferstraße bleibe bis Freitag gesperrt.",
        'Die Stadt Lindau teilte mit, dass die neue Brücke im Mai öffnet. "Das ist ein guter '
        'Tag für uns", sagte der Bürgermeister.\n\n»Wir sind froh«, sagte eine Anwohnerin.',
        # Chinese, with curly quotes and with corner brackets
        "市长王丽说：“新桥将在五月通车。”她还表示，工程没有超出预算。\n\n"
        "据当地水务局称，河水已经开始回落。「我们会继续监测，」一位工程师说。",
        # Russian, with guillemets, one of them never closed
        "Мэр Анна Руис заявила: «Мост откроется в мае». По её словам, «работы идут по графику.\n\n"
        "Жители района сказали, что вода ушла только к вечеру.",
        # French, with spaced guillemets
        "« Le pont ouvrira en mai », a déclaré la maire Ana Ruiz, selon le conseil municipal.",
    ],
    ids=["german", "german-straight", "chinese", "russian", "french"],
)
def test_attribution_non_english_text_no_crash(text: str, nlp: Any) -> None:
    _extract(text, nlp)


# -- quotes ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "marks", [("“", "”"), ('"', '"')], ids=["curly", "straight"]
)
@pytest.mark.parametrize(
    "template",
    [
        "{o}The bridge will open in the spring,{c} said Mayor Ana Ruiz.",
        "{o}The bridge will open in the spring,{c} Mayor Ana Ruiz said.",
        "Mayor Ana Ruiz said: {o}The bridge will open in the spring.{c}",
    ],
    ids=["said-after", "name-said", "said-before"],
)
def test_attribution_curly_and_straight_quotes_direct_with_speaker(
    marks: tuple[str, str], template: str, nlp: Any
) -> None:
    opening, closing = marks
    text = template.format(o=opening, c=closing)
    found = _only(_extract(text, nlp))
    assert found.kind == "direct"
    assert found.source == "Ana Ruiz"
    (quoted,) = found.quoted
    assert text[quoted[0] : quoted[1]].startswith("The bridge will open in the spring")
    assert text[quoted[0] - 1] == opening and text[quoted[1]] == closing


@pytest.mark.parametrize(
    "text",
    [
        '"The clerk told me \'the money is gone\' and then left the room," said Tomas Vell.',
        "“The clerk told me ‘the money is gone’ and then left the room,” said Tomas Vell.",
        "“The clerk called it ‘a closed matter’,” said Tomas Vell.",
    ],
    ids=["straight", "curly", "inner-at-end"],
)
def test_attribution_nested_quotes_one_attribution(text: str, nlp: Any) -> None:
    found = _only(_extract(text, nlp))
    assert found.kind == "direct"
    assert found.source == "Tomas Vell"
    (quoted,) = found.quoted  # the outer quote, the inner one inside it
    inner = text.index("the money is gone") if "money" in text else text.index("a closed")
    assert quoted[0] < inner < quoted[1]


@pytest.mark.parametrize(
    "marks", [("“", "”"), ('"', '"')], ids=["curly", "straight"]
)
@pytest.mark.parametrize(
    "template",
    [
        # the cue after the first sentence, the quote going on over the paragraph break
        "{o}We did not plan for a flood of this size,{c} said Fire Chief Noor Halvik. "
        "{o}The pumps were old.\n\n{o}We asked for new pumps twice, and twice the council "
        "said no.{c}",
        # the cue at the very end
        "{o}We did not plan for a flood of this size. The pumps were old.\n\n{o}We asked for "
        "new pumps twice, and twice the council said no,{c} said Fire Chief Noor Halvik.",
    ],
    ids=["cue-in-first-paragraph", "cue-at-end"],
)
def test_attribution_quote_over_two_paragraphs_one_attribution(
    marks: tuple[str, str], template: str, nlp: Any
) -> None:
    opening, closing = marks
    text = template.format(o=opening, c=closing)
    found = _only(_extract(text, nlp))
    assert found.kind == "direct"
    assert found.source == "Noor Halvik"
    first = text.index("We did not plan")
    last = text.index("said no") + len("said no")
    assert _inside((first, first + 10), found.content_spans)
    assert _inside((last - 7, last), found.content_spans)
    # the second paragraph's quote is one piece with the end of the first
    assert _inside((text.index("The pumps"), text.index("We asked")), found.content_spans)


@pytest.mark.parametrize(
    "text",
    [
        "“The works are behind schedule,” she said. “We will need another month.”",
        '"The works are behind schedule," said Noor Halvik. "We will need another month."',
    ],
    ids=["curly-pronoun", "straight-name"],
)
def test_attribution_quote_split_by_cue_one_attribution(text: str, nlp: Any) -> None:
    found = _only(_extract(text, nlp))
    assert found.kind == "direct"
    assert len(found.content_spans) == 2
    for words in ("The works are behind schedule,", "We will need another month."):
        at = text.index(words)
        assert _inside((at - 1, at + len(words) + 1), found.content_spans), words  # with marks
    assert found.cue == "said"


@pytest.mark.parametrize(
    "text",
    [
        "“The pumps were old,” she said. “We asked twice.”\n\nThe council declined to comment.",
        "“We did not plan for this,” said Noor Halvik. “The pumps were old.\n\n"
        "“We asked twice.”\n\nThe council has not responded.",
    ],
    ids=["declined-to-comment", "has-not-responded"],
)
def test_attribution_quote_ending_paragraph_not_taken_by_next_paragraph(
    text: str, nlp: Any
) -> None:
    found = _extract(text, nlp)
    assert [a.cue for a in found] == ["said"], [(a.cue, a.source_text, a.content) for a in found]


# -- reported speech and sources -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "content"),
    [
        ("The ministry said that the port would close for two days.",
         "the port would close for two days"),
        ("The harbour board said on Monday that the ferry would not sail until the storm passed.",
         "the ferry would not sail until the storm passed"),
        ("Officials said the water was safe to drink again.", "the water was safe to drink again"),
    ],
)
def test_attribution_reported_speech_indirect_with_cue_said(
    text: str, content: str, nlp: Any
) -> None:
    found = _only(_extract(text, nlp))
    assert found.kind == "indirect"
    assert found.cue == "said"
    assert not found.quoted
    assert content in found.content


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("The port will close for two days, according to Ilse Brandt.", "Ilse Brandt"),
        ("The port will close for two days, according to Finance Minister Ilse Brandt.",
         "Ilse Brandt"),
        ("According to the Valdorian Statistics Office, prices rose by four percent in March.",
         "Valdorian Statistics Office"),
    ],
)
def test_attribution_according_to_gives_source(text: str, source: str, nlp: Any) -> None:
    found = _only(_extract(text, nlp))
    assert found.cue.lower() == "according to"
    assert found.kind == "indirect"
    assert found.source == source


@pytest.mark.parametrize(
    "text",
    [
        "Mayor Ana Ruiz opened the ferry terminal on the east quay. "
        "She said the ferry would run every hour.",
        "Mayor Ana Ruiz spoke at the opening of the ferry terminal.\n\n"
        "She said the ferry would run every hour.",
        "Mayor Ana Ruiz spoke at the opening of the ferry terminal.\n\n"
        '"The ferry will run every hour," she said.',
        pytest.param(
            "Mayor Ana Ruiz opened the ferry terminal.\n\nShe said the ferry would run every hour.",
            id="name-in-paragraph-without-cue",
        ),
        pytest.param(
            "Mayor Ana Ruiz spoke at the opening of the ferry terminal on Tuesday.\n\n"
            '"The ferry will run every hour," she said.',
            id="weekday-after-name",
        ),
    ],
)
def test_attribution_pronoun_resolves_to_named_speaker(text: str, nlp: Any) -> None:
    found = _only(_extract(text, nlp))
    assert found.source_text is not None and found.source_text.lower() == "she"
    assert found.source == "Ana Ruiz"


@pytest.mark.parametrize(
    ("text", "description", "source"),
    [
        ("Prime Minister Oskar Lindqvar visited the dam on Monday. "
         "The premier said the repairs would cost 40 million crowns.",
         "The premier", "Oskar Lindqvar"),
        ("Prime Minister Oskar Lindqvar visited the dam with Transport Minister Edda Moor. "
         "The premier said the repairs would cost 40 million crowns.",
         "The premier", "Oskar Lindqvar"),
        ("The Valdorian Foreign Ministry issued a travel advisory on Friday. "
         "The ministry said the border would reopen on Monday.",
         "The ministry", "Valdorian Foreign Ministry"),
        pytest.param(
            "Prime Minister Oskar Lindqvar visited the dam on Monday.\n\n"
            "The premier said the repairs would cost 40 million crowns.",
            "The premier", "Oskar Lindqvar",
            id="premier-named-in-paragraph-without-cue",
        ),
        pytest.param(
            "The Foreign Ministry of Valdoria issued a travel advisory on Friday. "
            "The ministry said the border would reopen on Monday.",
            "The ministry", "Foreign Ministry of Valdoria",
            id="ministry-of-country",
        ),
    ],
)
def test_attribution_description_resolves_to_named_speaker(
    text: str, description: str, source: str, nlp: Any
) -> None:
    found = _only(_extract(text, nlp))
    assert found.source_text == description
    assert found.source == source


def test_attribution_full_name_in_the_subject_is_not_another_persons(nlp: Any) -> None:
    """The named person in the cue's subject is the speaker, not an earlier person who shares
    one of the names (issue 17: "Edouard Philippe" was credited to "Philippe Martinez")."""
    text = (
        "Union leader Rafael Dumont called for a national strike on Thursday. "
        "Prime Minister Elise Rafael said the government would not back down. "
        "Dumont said the unions were ready."
    )
    found = _extract(text, nlp)
    assert [a.source for a in found if a.content.startswith("the government")] == [
        "Elise Rafael"
    ]
    assert [a.source for a in found if a.content.startswith("the unions")] == ["Rafael Dumont"]


@pytest.mark.parametrize(("text", "speaker"), [
    ("Harrow County District Attorney Mara Quell said the case would go to trial.",
     "Mara Quell"),
    ("Eastmere Bank Chief Executive Tobias Rindle said profits fell in the spring.",
     "Tobias Rindle"),
    ("The two jurors, who asked not to be named, said the verdict was hard to reach.",
     "The two jurors"),
    ("A source with knowledge of the club's plans said a sale was near.", "A source"),
    ("Police and prosecutors said the man was arrested on Friday.", "Police and prosecutors"),
    ("A friend of the singer said she was resting at home.", "A friend of the singer"),
], ids=["long-title", "company-title", "relative-clause", "other-preposition", "conjunction",
        "of-phrase"])
def test_attribution_speaker_is_a_name_or_a_description_never_a_clause(
    nlp: Any, text: str, speaker: str
) -> None:
    """A speaker is a name (its title split off however long) or a description cut to its
    noun phrase, never a clause or a whole subject (issue 17)."""
    found = _extract(text, nlp)
    assert found and {a.source for a in found} == {speaker}


def test_attribution_headline_in_title_case_is_not_a_speaker(nlp: Any) -> None:
    """A title-case headline is a capitalised run, not a name that a description ("a Harbour
    prison statement") or a pronoun can stand for."""
    text = (
        "Harbour Lifer Escapes Prison Van Near Kestrel Bay\n\n"
        "An inmate escaped from a prison van near Kestrel Bay after a struggle with two "
        "guards, according to a Harbour prison statement Monday."
    )
    found = _extract(text, nlp)
    assert found
    assert not any(a.source and "Escapes" in a.source for a in found), found


def test_attribution_possessive_pronoun_source_resolved(nlp: Any) -> None:
    found = _extract(
        "Mayor Tomas Brell spoke on Monday. Tomas Brell is doubling down on his attacks on "
        "the harbour board over the ferry contract.",
        nlp,
    )
    attacks = [a for a in found if a.cue.startswith("attacks")]
    assert attacks and attacks[0].source == "Tomas Brell"


def test_attribution_inverted_cue_speaker_not_a_quoted_word(nlp: Any) -> None:
    found = _extract(
        "“The council is in panic mode. Full panic mode,” said Tomas Brell, a member of the "
        "harbour board.",
        nlp,
    )
    assert _only(found).source == "Tomas Brell"


def test_attribution_cue_verb_read_as_a_noun_keeps_its_subject(nlp: Any) -> None:
    # the parse spaCy gives some such sentences: "claims" a plural noun with a subject
    words = ["But", "Varga", "claims", "that", "she", "should", "be", "exempt", "."]
    doc = Doc(
        nlp.vocab,
        words=words,
        tags=["CC", "NNP", "NNS", "IN", "PRP", "MD", "VB", "JJ", "."],
        deps=["cc", "nsubj", "ROOT", "mark", "nsubj", "aux", "ccomp", "acomp", "punct"],
        heads=[2, 2, 2, 6, 6, 6, 2, 6, 2],
    )
    cue = _nominal_cue(doc[2])
    assert cue is not None and [t.text for t in cue.subject] == ["Varga"]
