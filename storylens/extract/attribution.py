"""Attributions: who said (or thinks, found, urged) what, in every article (pure; no I/O).

Quotation marks are paired on the characters first (curly or straight, across paragraphs
when a quote runs on into the next paragraph that opens with a mark again, and to the end of
the paragraph when a mark is never closed). Paragraphs that hold a quotation mark or a cue word
are then parsed with spaCy; a cue is a verb of saying, thinking or showing (said, told, urged,
believes, found ...) or "according to". Its content is the clause it governs (or the quote
beside it), its source the verb's subject, and a source written as a pronoun or a description
("he", "the ministry", "the premier") is resolved to a name met earlier in the article.

Rules rather than a learned model: the labelled attribution data at hand (PolNeAR) is small
and is what the benchmark measures; a rule set written from how English reports speech keeps
that measure honest. Each rule is named where it is applied.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..clean.cleaner import split_sentences
from ..model import Article, Attribution, Span


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Verbs reporting speech or writing: their clause, object or neighbouring quote is content.
SPEECH_VERBS = _words(
    """say tell add state claim argue insist note explain announce declare report write
    warn urge ask call demand suggest propose reply respond answer admit acknowledge
    confirm deny assert contend maintain stress emphasize emphasise repeat reiterate
    predict promise pledge vow threaten recall comment remark mention observe complain
    concede allege accuse charge criticize criticise praise describe quote cite tweet
    post testify conclude estimate disclose reveal agree recommend advise caution boast
    joke proclaim counter retort shout chant whisper inquire question wonder signal
    indicate show find announce assure acknowledge brag lament scoff quip plead concur
    forecast guarantee order instruct request decry dismiss blast slam label dub term
    brand echo"""
)
# Verbs of thinking, wanting and knowing: content only when they govern a clause.
THOUGHT_VERBS = _words(
    """believe think know expect hope fear feel worry doubt assume suspect understand
    realize realise recognize recognise consider want plan intend wish prefer guess
    imagine reckon learn hear see"""
)
# Verbs whose object is what was said: "called it a disgrace", "cited the figures".
OBJECT_VERBS = _words(
    """call cite describe condemn criticize criticise praise propose accuse blame reject
    deny dismiss question endorse applaud welcome blast slam decry announce unveil
    promise pledge offer demand repeat reiterate quote recommend urge label dub
    term brand predict estimate acknowledge admit concede"""
)
PREPOSITION_CUES = frozenset(
    {("call", "for"), ("point", "to"), ("refer", "to"), ("speak", "of"), ("speak", "about"),
     ("talk", "about"), ("push", "for"), ("insist", "on"), ("complain", "about"),
     ("warn", "of"), ("warn", "about"), ("warn", "against"), ("argue", "for"),
     ("argue", "against"), ("comment", "on"), ("write", "about"), ("ask", "for"),
     ("respond", "to"), ("speak", "out")}
)
# Nouns naming what someone said, asked or holds: "questions about", "criticism of".
NOUN_CUES = _words(
    """statement remark comment claim allegation accusation criticism question concern
    warning promise pledge call demand proposal plan announcement argument view position
    belief hope fear complaint doubt praise support opposition testimony assertion suggestion
    insistence acknowledgment admission denial prediction message attack charge"""
)
NOUN_PREPOSITIONS = _words("about of for on against over")
NOUN_TAGS = frozenset(("NN", "NNS"))
# "spoke about the plan", "warned of a delay": a verb of saying names its topic after these.
TOPIC_PREPOSITIONS = _words("about of on against over")
# A modifier after a comma at the content's end that is the writer's aside (_aside).
ASIDE_PARTICIPLE = frozenset(("advcl", "xcomp", "acl"))
ASIDE_RELATIVE = frozenset(("relcl",))
CUE_WORDS = SPEECH_VERBS | THOUGHT_VERBS | OBJECT_VERBS | {c for c, _ in PREPOSITION_CUES}
PRONOUNS = _words("he she they it we i you him her them who which")
# Words naming a role rather than a person, kept out of a speaker's name ("Prime Minister").
TITLE_WORDS = _words(
    """president prime minister premier chancellor secretary spokesman spokeswoman
    spokesperson senator sen. rep. representative governor gov. mayor mr. mrs. ms. dr.
    gen. general ambassador chairman chairwoman chair director chief leader king queen
    prince pope judge justice commissioner minister deputy vice foreign defense defence
    interior energy nuclear finance state official officials"""
)
# Last words of an organisation's name, which keeps its titles ("Foreign Ministry").
ORGANISATION_WORDS = _words(
    """ministry department office agency council committee commission government party
    campaign court parliament congress senate house police army navy bank university
    institute association union company corporation group network service administration
    agency board bureau embassy foundation fund organization organisation"""
)
CALENDAR = _words(
    """Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April
    May June July August September October November December"""
)
# Nouns for what a source issued: "the statement said" means its issuer said.
DOCUMENT_WORDS = _words(
    """statement report release communique letter memo"""
)
# A description standing for a title met earlier ("the premier" for a prime minister).
TITLE_SYNONYMS = {"premier": ("prime minister", "premier"), "pm": ("prime minister",)}
OPENING = "“«„"
CLOSING = "”»"
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")


@dataclass
class _Quote:
    start: int  # first character inside the marks
    end: int  # end of the inside
    outer: Span  # the quote with its marks


_MARK = re.compile(r"''|``|[“”«»„\"]")


def quote_spans(text: str) -> list[_Quote]:
    """Pair quotation marks (curly, straight, or typed as two apostrophes), paragraph by
    paragraph. A quote left open at a paragraph's end continues when the next paragraph opens
    with a mark (the newspaper convention for a quote running over paragraphs) and otherwise
    ends with its paragraph. Single quotes are left alone: they are apostrophes too often."""
    quotes: list[_Quote] = []
    open_at: int | None = None
    open_len = 1
    for start, paragraph in _paragraphs(text):
        marks = list(_MARK.finditer(paragraph))
        first = start + len(paragraph) - len(paragraph.lstrip())
        reopens = bool(marks) and start + marks[0].start() == first and (
            marks[0].group() not in CLOSING
        )
        if open_at is not None and not reopens:
            end = _trim_end(text, open_at, start)
            quotes.append(_Quote(open_at + open_len, end, (open_at, end)))
            open_at = None
        for mark in marks:
            at = start + mark.start()
            kind = mark.group()
            if open_at is not None and at == first and kind not in CLOSING:
                continue  # the mark that reopens a quote running over paragraphs
            if open_at is not None and kind == "“" and text[open_at] == "„":
                kind = "”"  # German: „ opens and “ closes
            opening = kind in OPENING or kind == "``" or (
                kind in ('"', "''") and open_at is None and _opens(text, at, len(kind))
            )
            if opening and open_at is None:
                open_at, open_len = at, len(kind)
            elif not opening and open_at is not None:
                quotes.append(_Quote(open_at + open_len, at, (open_at, at + len(kind))))
                open_at = None
    if open_at is not None:
        end = _trim_end(text, open_at, len(text))
        quotes.append(_Quote(open_at + open_len, end, (open_at, end)))
    return [q for q in quotes if text[q.start : q.end].strip()]


def _opens(text: str, i: int, width: int = 1) -> bool:
    """Whether a straight double quote at i opens a quote: after a space, a bracket or the
    start, and before a non-space."""
    before = text[i - 1] if i else " "
    after = text[i + width] if i + width < len(text) else " "
    return (before.isspace() or before in "([{—–-:") and not after.isspace()


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


# -- speakers --------------------------------------------------------------------------------


@dataclass
class _Speakers:
    """Names met so far in an article, to resolve pronouns and descriptions against."""

    names: list[str] = field(default_factory=list)  # in order of mention, latest last
    titles: dict[str, str] = field(default_factory=dict)  # "prime minister" -> latest name
    sources: list[str] = field(default_factory=list)  # resolved speakers, latest last
    people: list[str] = field(default_factory=list)  # names with a title, subjects, speakers
    issuer: str | None = None  # who last spoke "in a statement" (what "the statement" means)

    def meet(self, name: str, title: str | None = None, person: bool = False) -> str:
        """Record a name (completed from an earlier, longer mention) and return it. A name
        with a title or acting as a subject is taken for a person ("he", "she")."""
        if name in CALENDAR:
            return name
        full = self.complete(name)
        self.names.append(full)
        if title:
            self.titles[title] = full
        person = person and len(full.split()) > 1 and not full.isupper()  # not "DPRK"
        if (title or person) and full.split()[-1].lower() not in ORGANISATION_WORDS:
            self.people.append(full)
        return full

    def spoke(self, source: str) -> None:
        self.sources.append(source)
        if source.split()[-1].lower() not in ORGANISATION_WORDS and source[:1].isupper():
            self.people.append(source)

    def complete(self, name: str) -> str:
        last = name.split()[-1].lower()
        for earlier in reversed(self.names):
            words = earlier.lower().split()
            if last in words and len(earlier) > len(name):
                return earlier
        return name

    def description(self, words: list[str]) -> str | None:
        """The name a description ("the ministry", "the premier") stands for."""
        wanted = [w for w in words if w not in ("the", "a", "an", "its", "his", "her")]
        if not wanted:
            return None
        head = wanted[-1]
        if head in DOCUMENT_WORDS:  # "the ministry statement": the ministry
            if len(wanted) > 1:
                return self.description(wanted[:-1])
            return self.issuer or (self.sources[-1] if self.sources else None)
        for title in TITLE_SYNONYMS.get(head, (head,)):
            for known, name in self.titles.items():
                if title in known:
                    return name
        for earlier in reversed(self.sources + self.names):
            lowered = earlier.lower()
            if all(w in lowered for w in wanted[-2:]):
                return earlier
        return None

    def pronoun(self, word: str) -> str | None:
        """A person's pronoun points to the latest person met; "it", "they" to the latest
        speaker (an organisation, as often as not)."""
        pools = (self.sources, self.names) if word in ("it", "they", "which", "who") else (
            self.people, self.sources, self.names
        )
        for pool in pools:
            if pool:
                return pool[-1]
        return None


def _name_of(tokens: list[Any]) -> tuple[str, str | None]:
    """A proper-noun run split into (name, title): "Japanese Prime Minister Junichiro
    Koizumi" -> ("Junichiro Koizumi", "prime minister"). An organisation keeps its whole name
    ("Russian Foreign Ministry")."""
    words = [t.text for t in tokens]
    lowered = [w.lower() for w in words]
    while words and lowered[0] in ("the", "a", "an"):
        words, lowered = words[1:], lowered[1:]
    if not words or lowered[-1] in ORGANISATION_WORDS or any(
        a in ORGANISATION_WORDS and b == "of" for a, b in zip(lowered, lowered[1:], strict=False)
    ):
        return " ".join(words), None
    cut = 0
    while cut < len(words) - 1 and (
        lowered[cut] in TITLE_WORDS or lowered[cut + 1] in TITLE_WORDS
    ):
        cut += 1  # a title, or a word modifying the title after it ("Japanese Prime ...")
    title = " ".join(w for w in lowered[:cut] if w in TITLE_WORDS) or None
    return " ".join(words[cut:]), title


def _in_name(token: Any) -> bool:
    """A proper noun, or a capitalised adjective before one ("Russian Foreign Ministry")."""
    if token.tag_ in PROPER:
        return True
    following = token.nbor(1) if token.i + 1 < len(token.doc) else None
    return bool(
        token.tag_ in ADJECTIVE and token.text[:1].isupper() and following is not None
        and following.tag_ in PROPER
    )


def _proper_runs(sentence: Any) -> Iterator[list[Any]]:
    """Runs of proper nouns (with the adjectives and titles written before them)."""
    run: list[Any] = []
    for token in sentence:
        if _in_name(token):
            run.append(token)
            continue
        if run:
            yield run
        run = []
    if run:
        yield run


NAME_DEPS = frozenset(("compound", "appos", "flat", "npadvmod"))


# -- extraction ------------------------------------------------------------------------------


Pieces = list[tuple[int, Any]]  # (offset in the text, a parsed Doc or an unparsed str)


def parse_articles(
    articles: Iterable[Article], nlp: Any, also: frozenset[str] = frozenset()
) -> dict[str, Pieces]:
    """Each article's text as runs of sentences, in text order: parsed (a spaCy Doc) where a
    run holds a quotation mark, a cue word or one of the lower-case words ``also`` (what a
    later stage needs parsed), else left as text. The parse is the cost, so other stages
    share this one."""
    articles = list(articles)
    jobs: list[tuple[str, tuple[str, int]]] = []
    pieces: dict[str, Pieces] = {a.id: [] for a in articles}
    for article in articles:
        quotes = quote_spans(article.text)
        for start, text, worth in _chunks(article.text, quotes, also):
            if worth:
                jobs.append((text, (article.id, start)))
            else:
                pieces[article.id].append((start, text))
    for doc, (article_id, start) in nlp.pipe(jobs, as_tuples=True, batch_size=64):
        pieces[article_id].append((start, doc))
    return {key: sorted(value, key=lambda piece: piece[0]) for key, value in pieces.items()}


def extract(
    articles: Iterable[Article], nlp: Any, parsed: dict[str, Pieces] | None = None
) -> dict[str, list[Attribution]]:
    """Attributions of each article (by id), in text order. ``nlp`` is a spaCy pipeline with a
    tagger and a parser (nlp.pipeline()); ``parsed`` is parse_articles' result when a caller
    has it already.

    Only runs of sentences holding a quotation mark or a cue word are parsed (the parse is
    the cost); names in the other sentences are still noted, for resolving pronouns later."""
    articles = list(articles)
    if parsed is None:
        parsed = parse_articles(articles, nlp)
    strings = nlp.vocab.strings  # hashes of the cue words, to find them in each doc's array
    cue_hashes = np.array(
        [strings.add(f) for f in sorted(_CUE_FORMS | {"according"})], dtype=np.uint64
    )
    return {
        a.id: _article_attributions(a, parsed[a.id], quote_spans(a.text), cue_hashes)
        for a in articles
    }


def _chunks(
    text: str, quotes: list[_Quote], also: frozenset[str] = frozenset()
) -> Iterator[tuple[int, str, bool]]:
    """(offset, text, worth parsing) for runs of sentences of each paragraph: a sentence is
    worth parsing when it holds a cue word (or a word of ``also``) or lies in a quote;
    consecutive ones are kept together, so that the parse sees their context."""
    for start, paragraph in _paragraphs(text):
        runs: list[tuple[int, int, bool]] = []
        for sentence in split_sentences([paragraph]):  # the splitter cleaning uses: fast
            piece, at, cursor = sentence.text, sentence.start, sentence.end
            begin = start + at
            worth = _worth_parsing(piece, also) or any(
                q.outer[0] < begin + len(piece) and begin < q.outer[1] for q in quotes
            )
            if runs and runs[-1][2] == worth:
                runs[-1] = (runs[-1][0], cursor, worth)
            else:
                runs.append((at, cursor, worth))
        for begin, end, worth in runs:
            yield start + begin, paragraph[begin:end], worth


def _paragraphs(text: str) -> Iterator[tuple[int, str]]:
    position = 0
    for part in re.split(r"(\n\s*\n)", text):
        if part.strip() and not part.startswith("\n"):
            yield position, part
        position += len(part)


def _worth_parsing(paragraph: str, also: frozenset[str] = frozenset()) -> bool:
    if any(mark in paragraph for mark in OPENING + '"'):
        return True
    lowered = paragraph.lower()
    if "according to" in lowered:
        return True
    words = _WORD.findall(lowered)
    return not _CUE_FORMS.isdisjoint(words) or not also.isdisjoint(words)


# Penn Treebank tags, as the tagger gives them: the attribute ruler that would map them to
# universal parts of speech, and the lemmatizer, are left out of the pipeline (nlp.py), as
# they took almost half of the time; cue verbs are looked up by their inflected forms.
PROPER = frozenset(("NNP", "NNPS"))
ADJECTIVE = frozenset(("JJ", "JJR", "JJS"))
VERB = frozenset(("VB", "VBD", "VBG", "VBN", "VBP", "VBZ"))


def _forms(lemma: str) -> set[str]:
    """Regular inflections of a verb (said, told and the like are added by hand)."""
    stem = lemma[:-1] if lemma.endswith("e") else lemma
    plural = lemma + "es" if lemma.endswith(("s", "sh", "ch", "x")) else lemma + "s"
    past = lemma + "d" if lemma.endswith("e") else lemma + "ed"
    if lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        plural, past = lemma[:-1] + "ies", lemma[:-1] + "ied"
    return {lemma, plural, past, stem + "ing"}


_IRREGULAR_LEMMAS = {
    "said": "say", "says": "say", "told": "tell", "thought": "think", "knew": "know",
    "known": "know", "saw": "see", "seen": "see", "wrote": "write", "written": "write",
    "heard": "hear", "found": "find", "felt": "feel", "understood": "understand",
    "spoke": "speak", "spoken": "speak", "meant": "mean", "according": "accord",
    "sought": "seek", "led": "lead", "made": "make",
}
_IRREGULAR = frozenset(f for f, w in _IRREGULAR_LEMMAS.items() if w in CUE_WORDS)
_CUE_FORMS = frozenset(
    {f for w in CUE_WORDS for f in _forms(w)} | _IRREGULAR | NOUN_CUES
    | {n + "s" for n in NOUN_CUES}
)
_LEMMAS = {f: w for w in sorted(CUE_WORDS) for f in _forms(w)} | _IRREGULAR_LEMMAS


def _article_attributions(
    article: Article, docs: list[tuple[int, Any]], quotes: list[_Quote], cue_hashes: np.ndarray
) -> list[Attribution]:
    """``cue_hashes``: the vocabulary hashes of the cue words' forms (see extract)."""
    speakers = _Speakers()
    found: list[Attribution] = []
    used_quotes: set[int] = set()
    from spacy.attrs import LOWER  # imported here: spaCy takes a second to import

    for base, doc in docs:
        if isinstance(doc, str):  # not parsed: only its names are noted
            _note_names(doc, speakers)
            continue
        lowered = doc.to_array([LOWER])
        candidates = [int(i) for i in np.flatnonzero(np.isin(lowered, cue_hashes))]
        for sentence in doc.sents:
            # Names are met in reading order, so that a pronoun only sees the names before it.
            runs = list(_proper_runs(sentence))
            cues = _cues(sentence, candidates)
            for cue in sorted(cues, key=lambda c: (c.subject or [c.verb])[0].i):
                before = (cue.subject or [cue.verb])[0].i
                while runs and runs[0][0].i < before:
                    _meet_run(runs.pop(0), speakers)
                made = _attribution(article, base, cue, quotes, speakers, used_quotes)
                if made is not None:
                    found.append(made)
            for run in runs:
                _meet_run(run, speakers)
    # A quote no cue claimed: it continues the speaker of the attribution just before it, when
    # it stands alone in its paragraph (the news convention for a further quote).
    for index, quote in enumerate(quotes):
        if index in used_quotes:
            continue
        before = [a for a in found if a.end <= quote.outer[0]]
        if not before or not _alone_in_paragraph(article.text, quote):
            continue
        previous = before[-1]
        found.append(
            Attribution(
                article.id, "direct", article.text[quote.outer[0] : quote.outer[1]],
                (quote.outer,), previous.cue, None, previous.source, None, None,
                ((quote.start, quote.end),),
            )
        )
    found.extend(_signed_quotes(article, quotes, used_quotes, speakers))
    found.extend(_headline_attributions(article, found))
    found.sort(key=lambda a: a.start)
    return found


_CAPITALISED_RUN = re.compile(
    r"\b[A-Z][\w'’.-]*(?: (?:of |de |van |von |al-)?[A-Z][\w'’.-]*)*"
)
_LEADING = _words("the a an but and or so yet in on at as when while after before")


def _note_names(text: str, speakers: _Speakers) -> None:
    """Names in text that was not parsed: capitalised runs, a title split off the front
    ("Mayor Ana Ruiz" is Ana Ruiz, a mayor, so a person); a run of one word opening a
    sentence is a capitalised word, not a name."""
    for match in _CAPITALISED_RUN.finditer(text):
        words = match.group().rstrip(".").split()
        opening = match.start() == 0 or text[: match.start()].rstrip()[-1:] in ".!?\"“"
        while words and words[0].lower() in _LEADING:
            words = words[1:]
        if not words or (opening and len(words) == 1 and match.group() == words[0]):
            continue
        lowered = [w.lower() for w in words]
        if lowered[-1] in ORGANISATION_WORDS or "of" in lowered:
            speakers.meet(" ".join(words))
            continue
        cut = 0
        while cut < len(words) - 1 and (
            lowered[cut] in TITLE_WORDS or lowered[cut + 1] in TITLE_WORDS
        ):
            cut += 1
        title = " ".join(w for w in lowered[:cut] if w in TITLE_WORDS) or None
        speakers.meet(" ".join(words[cut:]), title)
_NAME = r"[A-Z][\w.'’-]*(?: (?:[A-Z][\w.'’-]*|of|de|van|von|al))*"
_SIGNATURE = re.compile(rf"[ \t]*[―—–]+[ \t]*({_NAME})")
_HEADLINE = re.compile(rf"({_NAME}): +(\S.*)")


def _signed_quotes(
    article: Article, quotes: list[_Quote], used: set[int], speakers: _Speakers
) -> Iterator[Attribution]:
    """`"…" ― Jane Roe`: a quote signed with a dash and a name (readers' voices, epigraphs)."""
    for index, quote in enumerate(quotes):
        if index in used:
            continue
        signed = _SIGNATURE.match(article.text, quote.outer[1])
        if signed is None or len(signed.group(1).split()) > 6:
            continue
        used.add(index)
        yield Attribution(
            article.id, "direct", article.text[quote.outer[0] : quote.outer[1]], (quote.outer,),
            article.text[signed.start(0) : signed.start(1)].strip(), None,
            speakers.complete(signed.group(1)), signed.group(1), signed.span(1),
            ((quote.start, quote.end),),
        )


def _headline_attributions(article: Article, found: list[Attribution]) -> Iterator[Attribution]:
    """`Pence: Flowers Won't Be at Debate`: a line (a headline, as a rule) naming its source
    before a colon, when nothing else was found on that line."""
    for start, paragraph in _paragraphs(article.text):
        line = paragraph.strip()
        if "\n" in line or len(line.split()) > 30:
            continue
        match = _HEADLINE.fullmatch(line)
        if match is None or len(match.group(1).split()) > 4:
            continue
        offset = start + paragraph.index(line)
        content = (offset + match.start(2), offset + match.end(2))
        if any(_overlaps(content, a.content_spans[0]) for a in found):
            continue
        source = (offset + match.start(1), offset + match.end(1))
        quoted = tuple(
            (q.start, q.end) for q in quote_spans(article.text[content[0] : content[1]])
        )
        yield Attribution(
            article.id, "partial" if quoted else "indirect", match.group(2), (content,), ":",
            (source[1], source[1] + 1), match.group(1), match.group(1), source,
            tuple((content[0] + s, content[0] + e) for s, e in quoted),
        )


def _meet_run(run: list[Any], speakers: _Speakers) -> None:
    name, title = _name_of(run)
    if name and name[0].isupper():
        subject = any(t.dep_ in ("nsubj", "nsubjpass") for t in run)
        speakers.meet(name, title, subject)


def _alone_in_paragraph(text: str, quote: _Quote) -> bool:
    start = text.rfind("\n", 0, quote.outer[0]) + 1
    end = text.find("\n", quote.outer[1])
    end = len(text) if end < 0 else end
    outside = text[start : quote.outer[0]] + text[quote.outer[1] : end]
    return len(outside.strip(" .,;:")) == 0


@dataclass
class _Cue:
    verb: Any  # the cue token (a verb, or "according")
    words: list[Any]  # the tokens of the cue as reported
    content: list[Any]  # tokens of the content ([] when the content is a neighbouring quote)
    subject: list[Any]  # tokens of the source mention
    thought: bool


def _cues(sentence: Any, candidates: list[int]) -> Iterator[_Cue]:
    """The cues of a sentence; ``candidates`` are the positions in its doc of words that may
    be one (found once per doc from the lower-case forms, without making a token object for
    every word: that was a fifth of the time)."""
    doc = sentence.doc
    for position in candidates:
        if not sentence.start <= position < sentence.end:
            continue
        token = doc[position]
        lemma = _LEMMAS.get(token.lower_, token.lower_)
        if lemma == "accord" and token.text.lower() == "according":
            to = [c for c in token.children if c.lower_ == "to"]
            objects = [g for t in to for g in t.children if g.dep_ == "pobj"]
            if objects:
                head = token.head
                rest = [
                    t for t in head.subtree if t.i not in {x.i for x in token.subtree}
                ] if head is not token else []
                yield _Cue(token, [token] + to, _trim(rest), list(objects[0].subtree), False)
            continue
        if token.tag_ in NOUN_TAGS:
            nominal = _nominal_cue(token)
            if nominal is not None:
                yield nominal
            continue
        if token.tag_ not in VERB:
            continue
        if lemma not in CUE_WORDS:
            continue
        thought = lemma in THOUGHT_VERBS
        clause = [c for c in token.children if c.dep_ in ("ccomp", "xcomp")]
        objects = [c for c in token.children if c.dep_ in ("dobj", "dative")]
        content: list[Any] = []
        if clause:
            if clause[0].dep_ == "xcomp" and objects:  # urged Putin to intervene
                content = list(objects[0].subtree) + [t for c in clause for t in c.subtree]
            else:
                content = [t for c in clause for t in c.subtree]
            content = _without_cue_conjuncts(token, clause, content)
        elif thought:
            continue
        elif (
            token.dep_ in ("parataxis", "ccomp", "advcl") and token.head.tag_ in VERB
            and not objects
        ):
            # "Russia will keep close contacts, said Yakovenko" and "All of this, he said,
            # would help": the statement is the clause the cue interrupts or follows
            mine = {t.i for t in token.subtree}
            content = [t for t in token.head.subtree if t.i not in mine]
        elif objects and lemma in OBJECT_VERBS:
            # "called the withdrawal regrettable", "cited problems": what was said is named
            content = [
                t for c in token.children
                if c.i > token.i and c.dep_ in ("dobj", "dative", "oprd", "acomp", "prep")
                for t in c.subtree
            ]  # with "as ...", "of ...", "for ...": described X as Y, accused X of Y
        else:
            preps = [
                c for c in token.children
                if c.dep_ == "prep" and (
                    (lemma, c.lower_) in PREPOSITION_CUES
                    or (
                        c.lower_ in TOPIC_PREPOSITIONS and c.i > token.i and not thought
                        and not any(  # "spoke on Tuesday" names a time, not a topic
                            g.text in CALENDAR or g.like_num for g in c.children
                        )
                    )
                )
            ]
            if preps:  # "called for an inquiry", "pointed to the figures"
                content = [t for c in preps[0].children if c.dep_ == "pobj" for t in c.subtree]
        subject = _subject(token)
        words = [token] + [
            c for c in token.children if c.dep_ in ("aux", "neg", "prt", "auxpass")
        ]
        content = _on_line(token, content)
        yield _Cue(token, sorted(words, key=lambda t: t.i), _trim(content), subject, thought)


def _without_cue_conjuncts(cue: Any, clause: list[Any], content: list[Any]) -> list[Any]:
    """"said he would order a review and warned against hackers": a verb joined to the
    clause's verb but in the cue's form, with no subject of its own, goes with the cue (the
    parse attaches it low); its conjunct is a statement of its own, not this one's."""
    cut: set[int] = set()
    for verb in clause:
        for conj in verb.children:
            if (
                conj.dep_ == "conj" and conj.i > verb.i and conj.tag_ == cue.tag_
                and conj.tag_ != verb.tag_
                and not any(c.dep_ in ("nsubj", "nsubjpass") for c in conj.children)
            ):
                start = conj.left_edge.i
                doc = conj.doc
                while doc[start - 1].head is verb and doc[start - 1].dep_ in ("cc", "punct"):
                    start -= 1  # the "and" (and comma) before it
                cut.update(range(start, conj.right_edge.i + 1))
    return [t for t in content if t.i not in cut]


def _on_line(cue: Any, content: list[Any]) -> list[Any]:
    """Content tokens on the cue's line: a statement does not run over a line break (a
    paragraph's end), though the parse may join the lines around one."""
    text = cue.doc.text
    start = text.rfind("\n", 0, cue.idx) + 1
    end = text.find("\n", cue.idx)
    end = len(text) if end < 0 else end
    return [t for t in content if start <= t.idx < end]


def _nominal_cue(noun: Any) -> _Cue | None:
    """A noun naming something said or held ("his call for an inquiry", "questions about the
    deal", "the claim that ..."): the content is what it is about, the source its possessor
    or the subject of the verb it is the object of ("Trump raised questions about ...")."""
    if _singular(noun.lower_) not in NOUN_CUES:
        return None
    content: list[Any] = []
    words = [noun]
    for child in noun.children:
        if child.dep_ in ("acl", "ccomp") and any(g.lower_ == "that" for g in child.children):
            content = list(child.subtree)
            break
        if child.dep_ == "prep" and child.lower_ in NOUN_PREPOSITIONS and child.i > noun.i:
            content = [t for g in child.children if g.dep_ == "pobj" for t in g.subtree]
            words.append(child)
            break
    if not content:
        return None
    owner = [c for c in noun.children if c.dep_ == "poss"]
    subject = list(owner[0].subtree) if owner else []
    if not subject and noun.dep_ in ("dobj", "attr") and noun.head.tag_ in VERB:
        subject = _subject(noun.head)
    return _Cue(noun, words, _trim(content), subject, False)


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def _subject(verb: Any) -> list[Any]:
    """The source mention: the verb's subject, or the subject it shares with the verb it is
    joined to ("called the withdrawal regrettable and said ..."; "..., saying ...")."""
    seen = 0
    token = verb
    while seen < 4:
        for child in token.children:
            if child.dep_ in ("nsubj", "nsubjpass"):
                return list(child.subtree)
        for child in token.children:  # "X was quoted as saying": the agent of a passive
            if child.dep_ == "agent":
                objects = [g for g in child.children if g.dep_ == "pobj"]
                if objects:
                    return list(objects[0].subtree)
        if token.dep_ in ("conj", "advcl", "xcomp", "pcomp", "prep") and token.head is not token:
            token = token.head
            seen += 1
            continue
        break
    return []


def _trim(tokens: list[Any]) -> list[Any]:
    """Content tokens in order, without punctuation at the edges (quotation marks stay)."""
    ordered = sorted({t.i: t for t in tokens}.values(), key=lambda t: t.i)
    while ordered and ordered[0].is_punct and ordered[0].text not in OPENING + '"':
        ordered.pop(0)
    while ordered and ordered[-1].is_punct and ordered[-1].text not in CLOSING + '"':
        ordered.pop()
    cut = _aside(ordered)
    if cut is not None:
        return _trim(ordered[:cut])
    return ordered


def _aside(ordered: list[Any]) -> int | None:
    """Where a comma opens a modifier that runs to the end of the content and is the
    writer's, not the source's: a participle clause ("..., focusing on the young") or a
    non-restrictive relative clause ("..., which forced her to leave")."""
    if not ordered:
        return None
    last = ordered[-1].i
    for at, token in enumerate(ordered[1:], 1):
        if token.text != "," or at + 1 >= len(ordered):
            continue
        head = ordered[at + 1]
        while head.head is not head and head.head.left_edge.i == ordered[at + 1].i:
            head = head.head
        if head.right_edge.i < last or head.left_edge.i != ordered[at + 1].i:
            continue
        if _is_aside(head):
            return at
    return None


def _is_aside(token: Any) -> bool:
    if token.dep_ in ASIDE_PARTICIPLE and token.tag_ == "VBG":
        return True
    if token.dep_ == "advcl" and any(c.dep_ == "mark" for c in token.children):
        return True
    return token.dep_ in ASIDE_RELATIVE and token.left_edge.lower_ in ("which", "who")


def _attribution(
    article: Article,
    base: int,
    cue: _Cue,
    quotes: list[_Quote],
    speakers: _Speakers,
    used: set[int],
) -> Attribution | None:
    sentence = cue.verb.sent
    cue_span = (base + cue.words[0].idx, base + cue.words[-1].idx + len(cue.words[-1].text))
    if any(q.outer[0] < cue_span[0] < q.outer[1] for q in quotes):
        return None  # a cue inside a quote is the quoted speaker's own ("I think ...")
    if cue.content:
        spans = [(base + cue.content[0].idx, base + cue.content[-1].idx + len(cue.content[-1]))]
    else:
        spans = []
    # A quote in or beside the sentence: content when the parse gave none, or when the
    # content found lies inside it (the whole quote is the statement then).
    near = _nearby_quotes(
        article.text, quotes, base + sentence.start_char, base + sentence.end_char, cue_span
    )
    if not spans and near:
        beside = [i for i in near if _beside(article.text, quotes[i], cue_span, cue.subject, base)]
        spans = [quotes[i].outer for i in beside]
        used.update(beside)
    elif spans and near:
        merged = [i for i in near if _overlaps(quotes[i].outer, spans[0])]
        if merged:
            lo = min([spans[0][0]] + [quotes[i].outer[0] for i in merged])
            hi = max([spans[0][1]] + [quotes[i].outer[1] for i in merged])
            spans = [(lo, hi)]
            used.update(merged)
        if merged and spans[0][1] <= cue_span[0]:
            spans += _resumed_quote(article.text, quotes, near, cue, base, used)
    if not spans:
        return None
    spans = _past_colon(article.text, spans, cue, cue_span)
    spans = _without_cue(spans, cue_span, cue.subject, base)
    if not spans:
        return None
    text = article.text
    spans += _following_quotes(text, quotes, spans, cue_span, base + sentence.end_char, used)
    inside = tuple(
        (q.start, q.end) for q in quotes if any(s <= q.start and q.end <= e for s, e in spans)
    )
    quoted_chars = sum(e - s for s, e in inside)
    content_chars = sum(e - s for s, e in spans)
    kind = "direct" if inside and quoted_chars >= 0.8 * content_chars - 4 else (
        "partial" if inside else "indirect"
    )
    source_text, source_span, source = _source(cue, base, speakers)
    if source:
        speakers.spoke(source)
        written = (source_text or "").lower().split()
        if not (written and written[-1] in DOCUMENT_WORDS) and any(
            t.lower_ in DOCUMENT_WORDS for t in sentence
        ):
            speakers.issuer = source  # "the ministry said in a statement"
    return Attribution(
        article.id,
        kind,
        " … ".join(text[s:e] for s, e in spans),
        tuple(spans),
        " ".join(t.text for t in cue.words),
        cue_span,
        source,
        source_text,
        source_span,
        inside,
    )


def _resumed_quote(
    text: str, quotes: list[_Quote], near: list[int], cue: _Cue, base: int, used: set[int]
) -> list[Span]:
    """`"A," she told reporters on Monday, "but B."`: a quote that opens after a comma closing
    the cue's own phrase (its source, hearer, time) resumes the statement quoted before it."""
    last = max(t.i for t in cue.words + cue.subject)
    own = {t.i for t in cue.verb.subtree} - {t.i for t in cue.content}
    for i in near:
        quote = quotes[i]
        start = base + cue.verb.doc[last].idx + len(cue.verb.doc[last])
        if quote.outer[0] < start or not text[start : quote.outer[0]].rstrip().endswith(","):
            continue
        gap = [t for t in cue.verb.sent if t.i > last and base + t.idx < quote.outer[0]]
        if all(t.i in own for t in gap):
            used.add(i)
            return [quote.outer]
    return []


def _past_colon(text: str, spans: list[Span], cue: _Cue, cue_span: Span) -> list[Span]:
    """"said she has one quality: steadiness": a colon right after a clause reported after
    its cue announces the rest of the statement, which runs to the end of the sentence."""
    if len(spans) != 1 or spans[0][0] < cue_span[1] or not any(
        c.dep_ == "ccomp" for c in cue.verb.children
    ):
        return spans
    start, end = spans[0]
    rest = _REST_OF_SENTENCE.match(text, end)
    if rest is None:
        return spans
    return [(start, _trim_end(text, end, rest.end()))]


# A colon, then the rest of its sentence (to a full stop before a space, or the line's end),
# taking in a closing quotation mark after the stop.
_REST_OF_SENTENCE = re.compile(r":[ \t]+[^\n]*?(?:[.!?][”\"']*(?=\s|$)|(?=\n)|$)")


def _following_quotes(
    text: str, quotes: list[_Quote], spans: list[Span], cue: Span, sentence_end: int,
    used: set[int],
) -> list[Span]:
    """`"A," she said. "B."`: a quote that opens right after the sentence of a cue that
    follows a quote goes on with the same statement (until a paragraph ends)."""
    if not spans or cue[0] < spans[-1][1] or not any(
        q.outer[0] <= spans[-1][0] < q.outer[1] or spans[-1] == q.outer for q in quotes
    ):
        return []
    more: list[Span] = []
    end = sentence_end
    for quote in quotes:
        # The parser may end the cue's sentence after the next quote's opening mark (or not
        # at all): the sentence ends where a quote opens after the cue's full stop.
        if cue[1] <= quote.outer[0] < end and re.search(
            r"[.!?]\s*$", text[cue[1] : quote.outer[0]]
        ):
            end = quote.outer[0]
            break
    for i, quote in enumerate(quotes):
        if quote.outer[0] < end:
            continue
        gap = text[end : quote.outer[0]]
        if gap.strip() or "\n" in gap:
            break
        more.append(quote.outer)
        used.add(i)
        end = quote.outer[1]
    return more


def _nearby_quotes(
    text: str, quotes: list[_Quote], start: int, end: int, cue: Span
) -> list[int]:
    """Quotes overlapping the sentence, or ending just before it (`"…," he said.` where the
    quote holds sentences of its own)."""
    found = []
    for i, quote in enumerate(quotes):
        if quote.outer[1] <= start - 3 or quote.outer[0] >= end:
            continue
        if quote.outer[1] <= start and "\n" in text[quote.outer[1] : start]:
            continue  # a quote ending the paragraph before is not this sentence's
        if quote.outer[0] <= cue[0] < quote.outer[1]:
            continue  # the cue is inside the quote: someone quoted is quoting
        found.append(i)
    return found


def _beside(text: str, quote: _Quote, cue: Span, subject: list[Any], base: int) -> bool:
    """Whether a quote is the cue's own: only the cue and its source, a few words at most,
    stand between them (`"…," the ministry said`; `he said: "…"`)."""
    lo, hi = cue
    if subject:
        lo = min(lo, base + subject[0].idx)
        hi = max(hi, base + subject[-1].idx + len(subject[-1].text))
    gap = text[quote.outer[1] : lo] if quote.outer[1] <= lo else text[hi : quote.outer[0]]
    return len(_WORD.findall(gap)) <= 3


def _overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _without_cue(spans: list[Span], cue: Span, subject: list[Any], base: int) -> list[Span]:
    """Split content around the cue and source where they sit inside it ("A," he said, "B")."""
    cut = [cue]
    if subject:
        cut.append((base + subject[0].idx, base + subject[-1].idx + len(subject[-1].text)))
    lo = min(c[0] for c in cut)
    hi = max(c[1] for c in cut)
    out: list[Span] = []
    for s, e in spans:
        if lo < e and s < hi:
            if lo - s > 1:
                out.append((s, lo))
            if e - hi > 1:
                out.append((hi, e))
        else:
            out.append((s, e))
    return [(s, e) for s, e in out if e - s > 1]


def _source(
    cue: _Cue, base: int, speakers: _Speakers
) -> tuple[str | None, Span | None, str | None]:
    tokens = sorted(cue.subject, key=lambda t: t.i)
    if not tokens:
        return None, None, speakers.sources[-1] if speakers.sources and cue.thought else None
    span = (base + tokens[0].idx, base + tokens[-1].idx + len(tokens[-1].text))
    written = tokens[0].doc.text[tokens[0].idx : tokens[-1].idx + len(tokens[-1].text)]
    head = next((t for t in tokens if t.head not in tokens or t.head is t), tokens[0])
    if head.lower_ in PRONOUNS:
        return written, span, speakers.pronoun(head.lower_)
    names = [t for t in head.children if t.tag_ in PROPER and t.dep_ in NAME_DEPS]
    if head.tag_ in PROPER or (names and head.dep_ != "poss"):
        run = _run_around(head if head.tag_ in PROPER else names[-1])
        name, title = _name_of(run)
        return written, span, speakers.complete(name) if name else written
    words = [t.lower_ for t in tokens if t.i <= head.i and not t.is_punct]
    return written, span, speakers.description(words) or written


def _run_around(token: Any) -> list[Any]:
    sentence = token.sent
    start = token.i
    while start > sentence.start and _in_name(token.doc[start - 1]):
        start -= 1
    end = token.i
    while end + 1 < sentence.end and token.doc[end + 1].tag_ in PROPER:
        end += 1
    doc = token.doc
    if (  # "the Foreign Ministry of Valdoria"
        doc[end].lower_ in ORGANISATION_WORDS and end + 2 < sentence.end
        and doc[end + 1].lower_ == "of" and doc[end + 2].tag_ in PROPER
    ):
        end += 2
        while end + 1 < sentence.end and doc[end + 1].tag_ in PROPER:
            end += 1
    return list(token.doc[start : end + 1])
