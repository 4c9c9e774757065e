"""A left-to-right reading of an article's tokens: the mentions found so far, and the
phrases that can start at a token (roles, titles, government bodies, runs of names)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .gazetteer import Gazetteer, Hit, Role
from .tokens import Token, adjoins, name_word
from .vocabulary import BODY_WORDS, EXTRA_TITLES, FUNCTION_WORDS, PARTICLES, SMALL_WORDS


@dataclass
class Found:
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
    origin: Found | None = None  # an organisation before "'s spokesman": gives the code
    must_resolve: bool = False  # dropped when not resolved


@dataclass
class Scan:
    """The reading of one article: its tokens, the mentions found so far, the role phrases met."""

    text: str
    tokens: list[Token]
    gazetteer: Gazetteer
    found: list[Found] = field(default_factory=list)
    roles: dict[int, list[tuple[int, Role]]] = field(default_factory=dict)  # by roles_at

    def at(self, i: int) -> Token | None:
        return self.tokens[i] if 0 <= i < len(self.tokens) else None

    def joined(self, i: int) -> bool:
        token = self.at(i)
        return token is not None and adjoins(token)

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
            if token.hit is not None or (j > i and not adjoins(token)):
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
                    not (token.capitalised and token.hit is None and adjoins(self.tokens[j]))
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
                return end, role, titled(written)
        return None

    def name_run(self, i: int) -> int:
        """The end of a run of name words starting at ``i`` (``i`` itself when none)."""
        j = i
        while j < len(self.tokens):
            token = self.tokens[j]
            if j > i and not adjoins(token):
                break
            if name_word(token) or (
                j > i
                and token.lower in PARTICLES
                and self.joined(j + 1)
                and name_word(self.tokens[j + 1])
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
            if j > i and not adjoins(token):
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
                if following is None or not (adjoins(following) and following.capitalised):
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


def titled(words: str) -> str:
    """ "prime minister" as a title: "Prime Minister"; "Secretary of State"."""
    return " ".join(
        w if n and w.lower() in SMALL_WORDS else w[:1].upper() + w[1:]
        for n, w in enumerate(words.split())
    )


def origin_at(scan: Scan, i: int) -> Hit | None:
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
