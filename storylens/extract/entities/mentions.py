"""Mentions of an article and the entities they make: the rules run over the tokens left to
right, then resolved over the whole article; entities counted from mentions."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable

from ...model import Article, Entity, Mention
from .bodies import read_body
from .gazetteer import load_gazetteer
from .organisations import read_run
from .people import read_description, read_person
from .places import read_hit
from .resolve import person_key, resolve
from .scan import Found, Scan
from .tokens import tokenise
from .vocabulary import HONORIFICS


def entity_id(kind: str, key: str) -> str:
    """The id of an entity of this kind and canonical key: the same in every article."""
    return hashlib.sha1(f"{kind}:{key.lower()}".encode()).hexdigest()[:16]


def find_mentions(article: Article) -> list[Mention]:
    """Every mention of a person, organisation or place in the article's text, in text order,
    none overlapping."""
    gazetteer = load_gazetteer()
    text = article.text
    tokens = tokenise(text, gazetteer.find(text))
    scan = Scan(text, tokens, gazetteer)
    i = 0
    while i < len(tokens):
        i = _step(scan, i)
    found = resolve(scan.found)
    return _mentions(article.id, text, found)


def _step(scan: Scan, i: int) -> int:
    """Read the mention starting at token ``i``; the index of the next token to read."""
    token = scan.tokens[i]
    if (
        not token.capitalised
        and token.hit is None
        and token.text != "the"
        and token.lower not in HONORIFICS
        and not scan.gazetteer.may_start_role(token.lower)
    ):
        return i + 1  # most words: nothing starts here
    for rule in (read_description, read_body, read_person, read_hit, read_run):
        done = rule(scan, i)
        if done is not None:
            return done
    return i + 1


def _mentions(article_id: str, text: str, found: list[Found]) -> list[Mention]:
    ordered = sorted(found, key=lambda f: (f.start, -f.end))
    mentions: list[Mention] = []
    end = 0
    for item in ordered:
        if item.start < end or item.end <= item.start or not item.name:
            continue
        end = item.end
        mentions.append(
            Mention(
                article_id=article_id,
                entity_id=entity_id(
                    item.kind, person_key(item.name) if item.kind == "person" else item.key
                ),
                name=item.name,
                kind=item.kind,
                text=text[item.start : item.end],
                span=(item.start, item.end),
                code=item.code,
                sector=item.sector,
                title=item.title,
            )
        )
    return mentions


def aggregate(mentions: Iterable[Mention]) -> list[Entity]:
    """The entities of these mentions (of one article or many), most mentioned first."""
    entities = entities_of(mentions, _most_common, lambda values: list(dict.fromkeys(values)))
    entities.sort(key=lambda e: (-e.mentions, -e.articles, e.name))
    return entities


def entities_of(
    mentions: Iterable[Mention],
    most_common: Callable[[Iterable[str | None]], str | None],
    listed: Callable[[Iterable[str]], list[str]],
) -> list[Entity]:
    """One entity per entity id of the mentions, in the order first met: the name, kind, code
    and sector that ``most_common`` picks from its mentions' (the first mention's name and
    kind when it picks none), its titles and written forms as ``listed`` lists them, and how
    many mentions and articles it has."""
    groups: dict[str, list[Mention]] = {}
    for mention in mentions:
        groups.setdefault(mention.entity_id, []).append(mention)
    return [
        Entity(
            id=key,
            name=most_common(m.name for m in group) or group[0].name,
            kind=most_common(m.kind for m in group) or group[0].kind,
            code=most_common(m.code for m in group),
            sector=most_common(m.sector for m in group),
            titles=listed(m.title for m in group if m.title),
            aliases=listed(m.text for m in group),
            mentions=len(group),
            articles=len({m.article_id for m in group}),
        )
        for key, group in groups.items()
    ]


def _most_common(values: Iterable[str | None]) -> str | None:
    """The most common value that is not None (the first seen on a tie)."""
    counts = Counter(v for v in values if v is not None)
    return counts.most_common(1)[0][0] if counts else None
