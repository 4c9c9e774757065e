"""Entities: the people, organisations and places an article names (pure; no I/O beyond the
gazetteer's own data files, read once).

The text is split into word tokens, with every gazetteer name (gazetteer.py) as one token.
Rules then read the tokens left to right:

- a country or an alias is a place; a capital is a place, or the country's government when
  it acts ("Moscow said", "Pyongyang's move", "by Moscow");
- a demonym or a country before a government body is one organisation ("Russian Foreign
  Ministry", "Russia's Foreign Ministry", "the Foreign Ministry of Russia");
- a bare demonym is its country, with the sector of the group noun after it ("Israeli
  troops": MIL);
- runs of capitalised words are people (with the title before them kept apart: "Japanese
  Prime Minister Junichiro Koizumi"), or organisations when they end in an organisation word;
- within the article, a later surname ("Koizumi", "Mr. Koizumi") or a description ("the
  Japanese premier") is the person named before it, when exactly one person fits.

spaCy's named-entity recogniser is deliberately not used: measured here at 16 articles per
second on its own, it would break the pipeline's target of 20 articles per second on 2 cores.
The rules run on the text alone, in about 2 ms for an article of 330 words here.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..model import Article, Entity, Mention
from .gazetteer import Gazetteer, Hit, Role, load_gazetteer


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Capitalised at the start of a sentence (or a run) without being a name.
FUNCTION_WORDS = _words(
    """the a an but and or nor so yet in on at as when while after before under over since
    until with without for from by of to if although though because this that these those
    it its he she they we i you his her their our my your there here what who whom whose
    which where why how all some many most more several both each every no not only also
    however still then now today tonight yesterday tomorrow earlier later meanwhile last next
    first according despite during about against among between into through toward towards
    amid upon instead perhaps even just such other another once again is was are were be has
    have had do does did will would can could should may might must yes thus hence indeed
    asked told said says please dear hi hello thanks breaking update updated read watch
    see photo photos video sign click comment comments follow share"""
)
WEEKDAYS = _words("monday tuesday wednesday thursday friday saturday sunday")
MONTHS = _words(
    """january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec"""
)
# Words that end an organisation's name ("Communist Party", "Moscow State University").
# Names of documents and plans, not of people or bodies: "the Atlantic Seabed Research
# Accord", "the Good Friday Agreement".
THING_WORDS = _words(
    """accord accords agreement treaty convention protocol pact charter act bill law plan
    initiative declaration resolution doctrine strategy programme program project"""
)
ORG_WORDS = _words(
    """ministry party council agency committee commission company corp corporation inc ltd
    co bank university army front movement union organization organisation institute court
    association group network forces force guard police department office administration
    government cabinet parliament assembly senate congress authority federation alliance
    coalition league foundation fund airlines airways bureau brigade brigades service
    services college school academy hospital church club society centre center board
    tribunal command corps navy industries holdings partners"""
)
# Heads of the government bodies that make "<Demonym> <body>" one organisation; other group
# words ("officials", "troops") give a bare demonym its sector instead.
BODY_WORDS = _words(
    """ministry government administration cabinet parliament embassy department office
    council agency committee commission court party army navy legislature congress senate
    assembly consulate kremlin"""
)
# Capitalised words found in the names of things other than people.
NOT_NAME = (
    _words(
        """treaty agreement accord accords convention protocol act law bill charter declaration
    nuclear energy atomic international national federal republic kingdom state states united
    democratic people's peninsula sea ocean gulf river lake mountain mountains island islands
    bay strait canal valley desert street avenue road square airport station hospital school
    college center centre museum hotel park bridge tower building palace hall church mosque
    temple cathedral stadium times post news journal daily press herald tribune radio
    television tv network service forces force air navy guard police department office
    administration security defense defence foreign affairs interior justice health education
    finance trade commerce labor labour development program programme project summit
    conference forum games olympics olympic cup league championship championships world global
    northern southern eastern western north south east west central middle new los las san
    santa saint st. fort port mount cape hong city county province region district valley
    beach island coast capitol hill internet web online club award awards prize festival
    show series film movie album records music entertainment studios pictures books magazine
    weekly review times today time day night week year christmas easter ramadan
    god allah jesus christ islam islamic muslim christian jewish catholic orthodox protestant
    communist socialist democrat democrats republican republicans liberal conservative
    labour green greens party parties general assembly council committee university institute
    company corp inc ltd group bank fund union front movement organization organisation
    association agency ministry commission court army army's non-proliferation npt strip
    survey species foods food village gardens garden fair pro mt mt. bowl super second third
    fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth cemetery
    memorial place rue plaza boulevard drive lane highway route"""
    )
    | ORG_WORDS
    | WEEKDAYS
    | MONTHS
)
ORG_CONNECTORS = _words("of and & for")
AND = _words("and &")
COPULAS = _words("is was are were")
PLACE_PREPOSITIONS = _words("in at near from inside outside across around")
SMALL_WORDS = _words("of the and for")
# Titles before a name that roles.tsv does not list, as they give no sector.
EXTRA_TITLES = _words(
    """director deputy constable detective officer trooper inspector coach captain
    superintendent commissioner chief agent attorney"""
)
# Abbreviations that keep their full stop as part of the word.
ABBREVIATED = _words(
    """mr. mrs. ms. dr. gen. col. lt. sgt. capt. maj. adm. cmdr. gov. sen. rep. rev. prof.
    pres. supt. insp. det. st. jr. sr. amb. brig. mt."""
)
HONORIFICS = _words("mr mr. mrs mrs. ms ms. miss dr dr. sir dame lady lord")
PARTICLES = _words("bin ibn ben abu al el de da di du del della der den van von la le dos das")
# Words after a capital that make it the country's government acting ("Moscow said").
ACTOR_VERBS = _words(
    """said says say has have had will would is was are were urged urges wants want wanted
    hopes hoped hope announced announces accused accuses rejected rejects could can cannot
    should may might must did does do agreed agrees warned warns called calls asked asks told
    tells insisted insists denied denies condemned condemns welcomed welcomes expressed
    expresses demanded demands threatened threatens refused refuses promised promises plans
    planned believes believed considers considered sees saw sent sends responded responds
    replied replies claimed claims protested protests signed signs launched launches fired
    fires tested tests froze freezes decided decides declared declares ordered orders
    approved approves blamed blames insists vowed vows pledged pledges offered offers
    stressed stresses confirmed confirms recalled recalls invited invites supports supported
    opposes opposed criticized criticised criticizes criticises needs needed continues
    continued appears appeared seems seemed backs backed ratified ratifies accepted accepts
    recognised recognized recognises recognizes imposed imposes expelled expels withdrew
    withdraws suspended suspends""",
)
ARTICLES = _words("the The")
# Role words that name the same role ("the premier" is the prime minister).
SAME_ROLE = {"premier": "prime minister", "spokeswoman": "spokesman", "spokesperson": "spokesman"}

_WORD = re.compile(r"(?:[A-Za-z]\.){2,}|[^\W\d_](?:\w|[-'’](?=\w))*\.?|\d(?:[\d.,:]*\d)?")
_SENTENCE_END = re.compile(r"[.!?;]")
_POSSESSIVE = re.compile(r"['’]s?")
_INITIAL = re.compile(r"[A-Z]\.")
_ABBREVIATION = re.compile(r"(?:[A-Za-z]\.){2,}")
_PREFIXED = re.compile(r"(?:al|el|bin|ibn|abu|ben|ul)-[A-Z]\w*")


def entity_id(kind: str, key: str) -> str:
    """The id of an entity of this kind and canonical key: the same in every article."""
    return hashlib.sha1(f"{kind}:{key.lower()}".encode()).hexdigest()[:16]


class _Token:
    """A word, or a whole gazetteer name, of the text."""

    __slots__ = (
        "start",
        "end",
        "text",
        "gap",
        "hit",
        "possessive",
        "headline",
        "lower",
        "capitalised",
    )

    def __init__(
        self, start: int, end: int, text: str, gap: str, hit: Hit | None, possessive: bool
    ) -> None:
        self.start = start
        self.end = end
        self.text = text
        self.gap = gap  # the characters between the previous token and this one
        self.hit = hit  # a gazetteer name (one token however many words it has)
        self.possessive = possessive  # followed by "'s"
        self.headline = False  # in a line written in title case (no names read there)
        self.lower = text.lower()
        self.capitalised = text[:1].isupper()

    def __repr__(self) -> str:
        return f"_Token({self.start}, {self.end}, {self.text!r}, hit={self.hit is not None})"


def _tokens(text: str, hits: list[Hit]) -> list[_Token]:
    """The text's words, each gazetteer name one token; a possessive "'s" is not a token
    but sets ``possessive`` on the word before it."""
    tokens: list[_Token] = []
    last_end = 0
    pieces: list[tuple[int, int, Hit | None]] = []
    position = 0
    for hit in hits:
        pieces.append((position, hit.start, None))
        pieces.append((hit.start, hit.end, hit))
        position = hit.end
    pieces.append((position, len(text), None))
    for start, end, found in pieces:
        if found is not None:
            tokens.append(
                _Token(start, end, found.text, text[last_end:start], found, found.possessive)
            )
            last_end = end
            if found.possessive:
                match = _POSSESSIVE.match(text, end)
                last_end = match.end() if match else end
            continue
        for match in _WORD.finditer(text, max(start, last_end), end):
            begin, stop = match.span()
            word = match.group()
            if word[-1] == "." and not (
                _INITIAL.fullmatch(word)
                or _ABBREVIATION.fullmatch(word)
                or word.lower() in ABBREVIATED
            ):
                stop -= 1
                word = word[:-1]
            possessive = False
            if len(word) > 2 and word[-1] == "s" and word[-2] in "'’":
                stop -= 2
                word = word[:-2]
                possessive = True
            tokens.append(_Token(begin, stop, word, text[last_end:begin], None, possessive))
            last_end = stop + 2 if possessive else stop
    _headlines(text, tokens)
    return tokens


def _headlines(text: str, tokens: list[_Token]) -> None:
    """Mark the tokens of lines written in title case ("Russia Expresses Deep Concern over
    DPRK's Withdrawal"): one phrase, no sentence punctuation, most long words capitalised."""
    line: list[_Token] = []
    for token in [*tokens, None]:
        if token is not None and (not line or "\n" not in token.gap):
            line.append(token)
            continue
        after = token.gap if token is not None else text[line[-1].end :] if line else ""
        ends = after.split("\n", 1)[0]
        long = [t for t in line if len(t.text) > 3 and t.hit is None]
        capitalised = sum(1 for t in long if t.capitalised)
        if (
            capitalised >= 3
            and capitalised >= 0.6 * len(long)
            and not _SENTENCE_END.search(ends)
            and not any(_SENTENCE_END.search(t.gap) for t in line[1:])
        ):
            for marked in line:
                marked.headline = True
        line = [token] if token is not None else []


def _joined(token: _Token) -> bool:
    """Whether ``token`` follows the previous one within a name (a single space between)."""
    return token.gap in (" ", "\u00a0")


def _name_word(token: _Token) -> bool:
    """A word that can be part of a person's name: capitalised, not a gazetteer name, not an
    acronym, not a word that names things other than people."""
    if token.hit is not None or not token.capitalised:
        return bool(_PREFIXED.fullmatch(token.text))
    text = token.text
    if _INITIAL.fullmatch(text):
        return True
    if len(text) > 1 and text.isupper():
        return False
    lower = text.lower().rstrip(".")
    return lower not in NOT_NAME and lower not in FUNCTION_WORDS and lower not in HONORIFICS


@dataclass
class _Found:
    """A mention in the making."""

    start: int
    end: int
    kind: str
    name: str
    key: str  # entity key (see entity_id)
    code: str | None = None
    sector: str | None = None
    title: str | None = None
    role: Role | None = None  # a person's title role; an organisation's body role
    pending: str | None = None  # "surname", "description", "body": resolved in the article
    origin: _Found | None = None  # an organisation before "'s spokesman": gives the code
    must_resolve: bool = False  # dropped when not resolved


@dataclass
class _Scan:
    text: str
    tokens: list[_Token]
    gazetteer: Gazetteer
    found: list[_Found] = field(default_factory=list)
    roles: dict[int, list[tuple[int, Role]]] = field(default_factory=dict)  # by roles_at

    def at(self, i: int) -> _Token | None:
        return self.tokens[i] if 0 <= i < len(self.tokens) else None

    def joined(self, i: int) -> bool:
        token = self.at(i)
        return token is not None and _joined(token)

    # -- phrases -------------------------------------------------------------------------

    def roles_at(self, i: int) -> list[tuple[int, Role]]:
        """Every role phrase starting at token ``i``, shortest first: (end index, role)."""
        known = self.roles.get(i)
        if known is not None:
            return known
        found: list[tuple[int, Role]] = []
        words: list[str] = []
        gazetteer = self.gazetteer
        for j in range(i, min(i + gazetteer.longest_role, len(self.tokens))):
            token = self.tokens[j]
            if token.hit is not None or (j > i and not _joined(token)):
                break
            words.append(token.lower)
            key = " ".join(words)
            if not gazetteer.may_start_role(key):
                break
            role = gazetteer.role(key)
            if role is not None:
                found.append((j + 1, role))
            if token.possessive:
                break
        self.roles[i] = found
        return found

    def role_at(self, i: int, kinds: tuple[str, ...] | None = None) -> tuple[int, Role] | None:
        """The longest role phrase starting at token ``i``: (end index, role)."""
        for end, role in reversed(self.roles_at(i)):
            if kinds is None or role.kind in kinds:
                return end, role
        return None

    def body_at(self, i: int) -> tuple[int, Role] | None:
        """A government body phrase ("Foreign Ministry", "government") at token ``i``."""
        found = self.role_at(i, ("group", "body"))
        if found is None:
            return None
        end, role = found
        head = self.tokens[end - 1].lower.rstrip(".")
        if head not in BODY_WORDS and head.rstrip("s") not in BODY_WORDS:
            return None
        return found

    def title_at(self, i: int) -> tuple[int, Role, str] | None:
        """A person's title at token ``i``, with capitalised words before the title word
        ("Nuclear Energy Minister"): (end index, role, the title as written in title case)."""
        for modifiers in range(0, 4):
            j = i + modifiers
            if j >= len(self.tokens):
                return None
            if modifiers:
                token = self.tokens[j - 1]
                if (
                    not (token.capitalised and token.hit is None and _joined(self.tokens[j]))
                    or token.possessive
                    or token.lower in FUNCTION_WORDS
                ):
                    return None
            found = self.role_at(j, ("title",))
            if found is None and self.tokens[j].lower in EXTRA_TITLES:
                found = (j + 1, Role((self.tokens[j].lower,), None, "title"))
            if found is not None:
                end, role = found
                if modifiers and not self.tokens[j].capitalised:
                    return None
                written = self.text[self.tokens[i].start : self.tokens[end - 1].end]
                return end, role, _titled(written)
        return None

    def name_run(self, i: int) -> int:
        """The end of a run of name words starting at ``i`` (``i`` itself when none)."""
        j = i
        while j < len(self.tokens):
            token = self.tokens[j]
            if j > i and not _joined(token):
                break
            if _name_word(token) or (
                j > i
                and token.lower in PARTICLES
                and self.joined(j + 1)
                and _name_word(self.tokens[j + 1])
            ):
                j += 1
            else:
                break
            if token.possessive:
                break
        while j > i and self.tokens[j - 1].lower in PARTICLES:
            j -= 1
        return j

    def capitalised_run(self, i: int, connectors: frozenset[str] = frozenset()) -> int:
        """The end of a run of capitalised words from ``i`` (any words, for organisations),
        with ``connectors`` between them ("Fish and Wildlife Service")."""
        j = i
        while j < len(self.tokens):
            token = self.tokens[j]
            if j > i and not _joined(token):
                break
            if j > i and token.lower in connectors:
                k = j + 1
                if (
                    token.lower in ("of", "for")
                    and self.at(k) is not None
                    and (self.tokens[k].lower == "the")
                ):
                    k += 1
                following = self.at(k)
                if following is None or not (_joined(following) and following.capitalised):
                    break
                if following.hit is not None and following.hit.kind not in ("country", "capital"):
                    break
                j = k
                continue
            if not (token.capitalised or (j > i and token.lower in PARTICLES)):
                break
            if token.hit is not None and j > i and token.hit.kind not in ("country", "capital"):
                break
            j += 1
            if token.possessive:
                break
        return j


def _titled(words: str) -> str:
    """ "prime minister" as a title: "Prime Minister"; "Secretary of State"."""
    return " ".join(
        w if n and w.lower() in SMALL_WORDS else w[:1].upper() + w[1:]
        for n, w in enumerate(words.split())
    )


def _role_key(role: Role | None) -> str | None:
    if role is None:
        return None
    return SAME_ROLE.get(role.canonical, role.canonical)


def find_mentions(article: Article) -> list[Mention]:
    """Every mention of a person, organisation or place in the article's text, in text order,
    none overlapping."""
    gazetteer = load_gazetteer()
    text = article.text
    tokens = _tokens(text, gazetteer.find(text))
    scan = _Scan(text, tokens, gazetteer)
    i = 0
    while i < len(tokens):
        i = _step(scan, i)
    found = _resolve(scan.found)
    return _mentions(article.id, text, found)


def _origin(scan: _Scan, i: int) -> Hit | None:
    """A demonym, or a country followed by "'s", that qualifies what follows ("Russian
    Foreign Ministry", "Russia's Vladimir Putin")."""
    token = scan.tokens[i]
    hit = token.hit
    if hit is None or not scan.joined(i + 1):
        return None
    if hit.kind == "demonym" and not token.possessive:
        return hit
    if hit.kind == "country" and token.possessive:
        return hit
    if hit.kind == "country" and scan.title_at(i + 1) is not None:
        return hit  # "U.S. Secretary of State Warren Christopher"
    return None


def _step(scan: _Scan, i: int) -> int:
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
    for rule in (_description, _body, _person, _hit, _run):
        done = rule(scan, i)
        if done is not None:
            return done
    return i + 1


def _description(scan: _Scan, i: int) -> int | None:
    """ "the Japanese premier", "the spokesman", "the Foreign Ministry", "the ministry"."""
    if scan.tokens[i].text not in ARTICLES or not scan.joined(i + 1):
        return None
    j = i + 1
    origin = _origin(scan, j)
    if origin is not None:
        j += 1
    title = scan.title_at(j)
    if title is not None:
        end, role, _ = title
        after = scan.at(end)
        if after is not None and _joined(after) and _name_word(after):
            return None  # "the Russian President Vladimir Putin": a name follows
        last = scan.tokens[end - 1]
        fallback = None
        if origin is not None:
            fallback = _Found(
                scan.tokens[j - 1].start,
                scan.tokens[j - 1].end,
                "place",
                origin.name,
                origin.code or origin.name,
                origin.code,
                role.sector,
            )
        scan.found.append(
            _Found(
                scan.tokens[i].start,
                last.end,
                "person",
                "",
                "",
                origin.code if origin else None,
                role.sector,
                None,
                role,
                pending="description",
                must_resolve=True,
            )
        )
        if fallback is not None:
            scan.found[-1].origin = fallback
        return end
    if origin is None:
        body = scan.body_at(j)
        if body is not None:
            end, role = body
            following = scan.at(end)
            if following is not None and following.lower == "of" and scan.joined(end):
                return None  # "the Foreign Ministry of Russia"
            scan.found.append(
                _Found(
                    scan.tokens[i].start,
                    scan.tokens[end - 1].end,
                    "organisation",
                    "",
                    "",
                    None,
                    role.sector,
                    None,
                    role,
                    pending="body",
                    must_resolve=True,
                )
            )
            return end
    return None


def _body_name(country: str | None, role: Role, scan: _Scan) -> str:
    adjective = ""
    place = scan.gazetteer.country(country)
    if place is not None:
        adjective = place.demonym + " "
    return adjective + _titled(role.canonical)


def _body(scan: _Scan, i: int) -> int | None:
    """ "Russian Foreign Ministry", "Russia's Foreign Ministry", "Japanese government",
    "the Foreign Ministry of Russia" (one organisation each)."""
    origin = _origin(scan, i)
    if origin is not None:
        body = scan.body_at(i + 1)
        if body is None:
            return None
        end, role = body
        name = _body_name(origin.code, role, scan)
        scan.found.append(
            _Found(
                scan.tokens[i].start,
                scan.tokens[end - 1].end,
                "organisation",
                name,
                name,
                origin.code,
                role.sector,
                None,
                role,
            )
        )
        return end
    body = scan.body_at(i)
    if body is None:
        return None
    end, role = body
    of, country = scan.at(end), scan.at(end + 1)
    if (
        of is not None
        and country is not None
        and of.lower == "of"
        and _joined(of)
        and _joined(country)
        and country.hit is not None
        and country.hit.kind == "country"
    ):
        name = _body_name(country.hit.code, role, scan)
        scan.found.append(
            _Found(
                scan.tokens[i].start,
                country.end,
                "organisation",
                name,
                name,
                country.hit.code,
                role.sector,
                None,
                role,
            )
        )
        return end + 2
    return None


def _person(scan: _Scan, i: int) -> int | None:
    """[origin] [title | honorific] name: "Japanese Prime Minister Junichiro Koizumi",
    "Mr. Koizumi", "Russia's Vladimir Putin", "spokesman Alexander Yakovenko"."""
    j = i
    origin = _origin(scan, j)
    if origin is not None:
        j += 1
    title = scan.title_at(j)
    honorific = None
    role: Role | None = None
    title_text: str | None = None
    if title is not None:
        j, role, title_text = title
        if not scan.joined(j) or scan.tokens[j - 1].possessive:
            return None
    elif scan.tokens[j].lower in HONORIFICS:
        honorific = scan.tokens[j]
        j += 1
        if not scan.joined(j):
            return None
    if scan.tokens[j].headline:
        return None
    end = scan.name_run(j)
    words = end - j
    bare = origin is None and title is None and honorific is None
    if bare and words and _org_word(scan.tokens[scan.capitalised_run(j, AND) - 1]):
        return None  # "Alexander Rumyantsev Foundation": an organisation
    if words and scan.tokens[scan.capitalised_run(j, AND) - 1].lower in THING_WORDS:
        return scan.capitalised_run(j, AND)  # "Atlantic Seabed Research Accord": no one
    if words == 0 or (words == 1 and title is None and honorific is None):
        return _single(scan, j) if words == 1 and bare else None
    run = scan.tokens[j:end]
    if bare and sum(1 for t in run if not _INITIAL.fullmatch(t.text)) < 2:
        return None  # "U. S. Geological Survey"
    name = " ".join(t.text for t in run)
    start = (honorific or run[0]).start
    previous = scan.found[-1] if scan.found else None
    found = _Found(
        start,
        run[-1].end,
        "person",
        name,
        name,
        origin.code if origin else None,
        role.sector if role else None,
        title_text,
        role,
        pending="surname" if words == 1 else None,
    )
    if (
        origin is None
        and previous is not None
        and previous.kind == "organisation"
        and i > 0
        and scan.tokens[i - 1].end == previous.end
        and scan.tokens[i - 1].possessive
        and title is not None
    ):
        found.origin = previous  # "the Foreign Ministry's spokesman Pavel Ostrogin"
    if found.sector is None and origin is not None and title is not None:
        found.sector = scan.gazetteer.sector_of(title_text or "")
    if found.code is None and title is not None and end + 1 < len(scan.tokens):
        after, place = scan.tokens[end], scan.tokens[end + 1]
        if (
            after.lower == "of"
            and scan.joined(end)
            and scan.joined(end + 1)
            and place.hit is not None
            and place.hit.kind == "country"
        ):
            found.code = place.hit.code  # "King Hassan of Morocco"
    scan.found.append(found)
    return end


def _single(scan: _Scan, i: int) -> int | None:
    """A lone capitalised word: a person when it is the surname (or given name) of exactly
    one person named in the article; decided once the whole article is read."""
    token = scan.tokens[i]
    if token.hit is not None or token.headline or _INITIAL.fullmatch(token.text):
        return None
    after = scan.at(i + 1)
    if after is not None and _joined(after) and after.capitalised and not token.possessive:
        return None
    scan.found.append(
        _Found(
            token.start,
            token.end,
            "person",
            token.text,
            token.text,
            pending="surname",
            must_resolve=True,
        )
    )
    return i + 1


def _org_word(token: _Token) -> bool:
    return token.hit is None and token.capitalised and token.lower.rstrip(".") in ORG_WORDS


def _hit(scan: _Scan, i: int) -> int | None:
    token = scan.tokens[i]
    hit = token.hit
    if hit is None:
        return None
    following = scan.at(i + 1)
    larger = (
        following is not None
        and _joined(following)
        and following.capitalised
        and following.hit is None
        and following.lower not in FUNCTION_WORDS
        and following.lower not in WEEKDAYS
        and following.lower not in MONTHS
        and not token.possessive
        and hit.kind in ("country", "capital", "demonym")
    )
    if larger:
        done = _larger_name(scan, i)
        if done is not None:
            return done
    if hit.kind in ("organisation", "body"):
        before = scan.tokens[i - 1] if i > 0 and scan.joined(i) else None
        origin = before.hit if before is not None else None
        previous = scan.found[-1] if scan.found else None
        if (
            hit.kind == "body"
            and before is not None
            and origin is not None
            and origin.code != hit.code
            and (origin.kind == "demonym" or (origin.kind == "country" and before.possessive))
            and previous is not None
            and previous.start == before.start
        ):
            # "the Brazilian Congress", "Brazil's Congress": that country's body
            scan.found.pop()
            country = scan.gazetteer.country(origin.code)
            name = f"{country.demonym if country else before.text} {hit.name}"
            scan.found.append(
                _Found(before.start, token.end, "organisation", name, name, origin.code, hit.sector)
            )
            return i + 1
        if hit.kind == "body" and before is not None and before.lower in ("its", "their"):
            # "before its Congress": whose, the gazetteer cannot say
            scan.found.append(
                _Found(token.start, token.end, "organisation", hit.name, hit.name, None, hit.sector)
            )
            return i + 1
        scan.found.append(
            _Found(token.start, token.end, "organisation", hit.name, hit.name, hit.code, hit.sector)
        )
    elif hit.kind == "country":
        group = scan.role_at(i + 1, ("group",)) if scan.joined(i + 1) else None
        scan.found.append(
            _Found(
                token.start,
                token.end,
                "place",
                hit.name,
                hit.code or hit.name,
                hit.code,
                group[1].sector if group and not token.possessive else None,
            )
        )
    elif hit.kind == "capital":
        if _acts(scan, i):
            scan.found.append(
                _Found(
                    token.start, token.end, "place", hit.name, hit.code or hit.name, hit.code, "GOV"
                )
            )
        else:
            city = scan.gazetteer.canonical(hit.text)
            scan.found.append(
                _Found(token.start, token.end, "place", city, "capital:" + city, hit.code)
            )
    elif hit.kind == "demonym":
        scan.found.append(
            _Found(
                token.start,
                token.end,
                "place",
                hit.name,
                hit.code or hit.name,
                hit.code,
                _group_sector(scan, i),
            )
        )
    return i + 1


def _acts(scan: _Scan, i: int) -> bool:
    """Whether the capital at token ``i`` stands for its government."""
    token = scan.tokens[i]
    if token.possessive:
        return True
    before = scan.at(i - 1)
    if before is not None and _joined(token):
        if before.lower == "by":
            return True
        if before.lower in PLACE_PREPOSITIONS:
            return False  # "sources in Moscow told"
    after = scan.at(i + 1)
    if after is None:
        return False
    if _joined(after) and after.lower in ACTOR_VERBS:
        return True
    if after.gap.strip() != "," or after.lower != "which":
        return False
    # "Moscow, which has opposed it": acting; "Paris, which is home to": a place.
    verb = scan.at(i + 2)
    return verb is not None and verb.lower in ACTOR_VERBS and verb.lower not in COPULAS


def _group_sector(scan: _Scan, i: int) -> str | None:
    """The sector of the group noun after a demonym: "Israeli troops", "Hungarian and
    Romanian officials", "Russian nuclear officials"."""
    j = i + 1
    adjectives = 0
    while j < len(scan.tokens):
        token = scan.tokens[j]
        demonym = token.hit is not None and token.hit.kind == "demonym"
        if demonym and token.gap.strip() == ",":
            j += 1  # "Hungarian, Romanian and Bulgarian officials"
            continue
        if not _joined(token) or scan.tokens[j - 1].possessive:
            return None
        if token.hit is not None:
            return None
        if token.lower in ("and", "or"):
            after = scan.at(j + 1)
            if after is not None and after.hit is not None and after.hit.kind == "demonym":
                j += 2
                continue
            return None
        found = scan.role_at(j)
        if found is not None:
            return found[1].sector
        if token.capitalised or token.lower in FUNCTION_WORDS or token.lower in ACTOR_VERBS:
            return None
        if token.possessive or adjectives >= 2:
            return None
        adjectives += 1
        j += 1
    return None


def _larger_name(scan: _Scan, i: int) -> int | None:
    """A place name followed by capitalised words: an organisation ("Chinese Communist
    Party", "Moscow State University"), a person ("Paris Hilton"), a demonym whose role
    words give it a sector ("Israeli Defense Forces"), or a name of something else ("The
    Washington Times") in which the place is not a mention."""
    token = scan.tokens[i]
    hit = token.hit
    assert hit is not None
    end = scan.capitalised_run(i)
    while end > i + 1 and scan.tokens[end - 1].lower in PARTICLES:
        end -= 1
    run = scan.tokens[i + 1 : end]
    if not run:
        return None
    if _org_word(run[-1]):
        name = scan.text[token.start : run[-1].end]
        last = run[-1].lower.rstrip(".")
        scan.found.append(
            _Found(
                token.start,
                run[-1].end,
                "organisation",
                name,
                name,
                hit.code,
                scan.gazetteer.sector_of(last),
            )
        )
        return end
    if hit.kind == "demonym":
        for k in range(i + 1, end):
            role = scan.role_at(k)
            if role is not None:
                scan.found.append(
                    _Found(
                        token.start,
                        token.end,
                        "place",
                        hit.name,
                        hit.code or hit.name,
                        hit.code,
                        role[1].sector,
                    )
                )
                return i + 1
        if len(run) == 1 and run[0].text.endswith("s") and run[0].text[1:].islower():
            # "Iraqi Kurds", "Lebanese Shiites": people of the country, not a name
            scan.found.append(
                _Found(
                    token.start,
                    token.end,
                    "place",
                    hit.name,
                    hit.code or hit.name,
                    hit.code,
                    "CVL",
                )
            )
            return i + 1
        return i + 1  # "American Pie"
    names = scan.name_run(i + 1)
    if hit.kind == "capital" and names > i + 1 and names == end:
        people = scan.tokens[i:names]
        name = " ".join(t.text for t in people)
        scan.found.append(_Found(token.start, people[-1].end, "person", name, name))
        return names
    if hit.kind == "capital":
        return end  # "The Washington Times", "Beijing Time"
    return None


def _run(scan: _Scan, i: int) -> int | None:
    """A run of capitalised words ending in an organisation word, or with one followed by
    "of ..." ("International Atomic Energy Agency", "Fish and Wildlife Service", "Bank of
    Japan"): an organisation. Another run of capitalised words that is not a person's name
    is skipped whole."""
    token = scan.tokens[i]
    if (
        not token.capitalised
        or token.hit is not None
        or token.lower in FUNCTION_WORDS
        or token.headline
    ):
        return None
    end = scan.capitalised_run(i, ORG_CONNECTORS)
    run = scan.tokens[i:end]
    k = next((n + 1 for n, t in enumerate(run) if _org_word(t)), 0)
    while k and k < len(run) and _org_word(run[k]):
        k += 1  # "Data Center Services"
    if k == 0 or (k == 1 and not (k < len(run) and run[k].lower in ("of", "for"))):
        if len(run) < 2:
            return None
        end = scan.capitalised_run(i)
        for k in range(i + 1, end):  # "Monday Dr. Smith": skip to the title
            if (
                scan.tokens[k].lower in HONORIFICS
                or scan.title_at(k) is not None
                or scan.tokens[k].hit is not None  # "Three US servicemen": to the name
            ):
                return k
        return end
    last = run[k - 1]
    if k < len(run) and run[k].lower in ("of", "for"):
        last = run[-1]  # "University of Alabama", "Office of Management and Budget"
    stop = i + run.index(last) + 1
    code = next((t.hit.code for t in scan.tokens[i:stop] if t.hit is not None), None)
    name = " ".join(scan.text[token.start : last.end].split())
    scan.found.append(
        _Found(
            token.start,
            last.end,
            "organisation",
            name,
            name,
            code,
            scan.gazetteer.sector_of(run[k - 1].lower.rstrip(".")),
        )
    )
    return stop


# -- the whole article ---------------------------------------------------------------------


def _resolve(found: list[_Found]) -> list[_Found]:
    """Surnames, descriptions and bare bodies to the person or organisation they stand for,
    and every mention of a person given the title and code any of them has."""
    people: dict[str, list[_Found]] = {}
    named = [f for f in found if f.kind == "person" and f.pending is None and " " in f.name]
    fullest: dict[str, str] = {}  # "Mark Felt" and "W. Mark Felt": the longer
    for item in named:
        key = person_key(item.name)
        if len(item.name.split()) > len(fullest.get(key, "").split()):
            fullest[key] = item.name
    for item in named:
        item.name = item.key = fullest[person_key(item.name)]
        people.setdefault(item.name, []).append(item)
    resolved: list[_Found] = []
    for index, item in enumerate(found):
        if item.pending == "surname":
            # A name after a title ("President Putin") may come before the full name.
            match = _by_part(item.name, people, item.start if item.must_resolve else None)
            if match is not None:
                item.name = item.key = match
                item.pending = None
                people[match].append(item)
            elif not item.must_resolve:
                item.pending = None
                people.setdefault(item.name, []).append(item)
        elif item.pending == "description":
            match = _by_role(item, people, found[:index])
            if match is not None:
                item.name = item.key = match
                item.pending = None
                item.origin = None
                people[match].append(item)
            elif item.origin is not None:
                resolved.append(item.origin)  # the demonym alone, with the role's sector
                continue
        elif item.pending == "body":
            body = _by_body(item, found[:index])
            if body is not None:
                item.name, item.key = body.name, body.key
                item.code, item.sector = body.code, body.sector or item.sector
                item.pending = None
        if item.pending is None:
            resolved.append(item)
    for mentions in people.values():
        _share(mentions)
    for item in resolved:
        if item.kind == "person" and item.origin is not None and item.code is None:
            item.code = item.origin.code
            item.sector = item.sector or item.origin.sector
    return resolved


def person_key(name: str) -> str:
    """The key of a person's entity: the name without initials ("Richard M. Nixon" and
    "Richard Nixon" are one person), when two words or more are left."""
    words = name.split()
    kept = [w for w in words if not _INITIAL.fullmatch(w)]
    return " ".join(kept) if len(kept) >= 2 else name


def _parts(name: str) -> list[str]:
    return [w for w in name.split() if w.lower() not in PARTICLES and not _INITIAL.fullmatch(w)]


def _by_part(word: str, people: dict[str, list[_Found]], before: int | None) -> str | None:
    """The one person named (before ``before``, if given) of whose name ``word`` is a part."""
    matches = [
        name
        for name, mentions in people.items()
        if name != word
        and word in _parts(name)
        and (before is None or any(m.start < before for m in mentions))
    ]
    return matches[0] if len(matches) == 1 else None


def _by_role(item: _Found, people: dict[str, list[_Found]], earlier: list[_Found]) -> str | None:
    """The one person named earlier with the description's role (and country, if given)."""
    wanted = _role_key(item.role)
    names: list[str] = []
    for other in earlier:
        if other.kind != "person" or other.pending is not None or other.name not in people:
            continue
        mentions = people[other.name]
        roles = {_role_key(m.role) for m in mentions if m.role is not None}
        codes = {m.code for m in mentions if m.code} | {
            m.origin.code for m in mentions if m.origin is not None and m.origin.code
        }
        fits = wanted in roles and (item.code is None or item.code in codes)
        if fits and other.name not in names:
            names.append(other.name)
    return names[0] if len(names) == 1 else None


def _by_body(item: _Found, earlier: list[_Found]) -> _Found | None:
    """The one organisation named earlier with the same body ("the Foreign Ministry": the
    Russian Foreign Ministry; "the ministry": the one ministry)."""
    assert item.role is not None
    head = item.role.canonical.split()[-1]
    multiword = " " in item.role.canonical
    keys: dict[str, _Found] = {}
    for other in earlier:
        if other.kind != "organisation" or other.role is None or other.pending is not None:
            continue
        if multiword and other.role != item.role:
            continue
        if other.role.canonical.split()[-1] != head:
            continue
        keys.setdefault(other.key, other)
    return next(iter(keys.values())) if len(keys) == 1 else None


def _share(mentions: list[_Found]) -> None:
    """Every mention of one person gets the code, title and sector any of them has."""
    code = next((m.code for m in mentions if m.code), None)
    if code is None:
        code = next((m.origin.code for m in mentions if m.origin and m.origin.code), None)
    title = next((m.title for m in mentions if m.title), None)
    role = next((m.role for m in mentions if m.role), None)
    sector = next((m.sector for m in mentions if m.sector), None)
    for mention in mentions:
        mention.code = mention.code or code
        mention.title = mention.title or title
        mention.role = mention.role or role
        mention.sector = mention.sector or sector


def _mentions(article_id: str, text: str, found: list[_Found]) -> list[Mention]:
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
    groups: dict[str, list[Mention]] = {}
    for mention in mentions:
        groups.setdefault(mention.entity_id, []).append(mention)
    entities: list[Entity] = []
    for key, group in groups.items():
        entities.append(
            Entity(
                id=key,
                name=_most_common(m.name for m in group) or group[0].name,
                kind=_most_common(m.kind for m in group) or group[0].kind,
                code=_most_common(m.code for m in group),
                sector=_most_common(m.sector for m in group),
                titles=list(dict.fromkeys(m.title for m in group if m.title)),
                aliases=list(dict.fromkeys(m.text for m in group)),
                mentions=len(group),
                articles=len({m.article_id for m in group}),
            )
        )
    entities.sort(key=lambda e: (-e.mentions, -e.articles, e.name))
    return entities


def _most_common(values: Iterable[str | None]) -> str | None:
    """The most common value that is not None (the first seen on a tie)."""
    counts = Counter(v for v in values if v is not None)
    return counts.most_common(1)[0][0] if counts else None
