"""Which lines of a news page are web boilerplate rather than the article.

Patterns for what news sites wrap around an article: newsletter prompts, copyright and
reprint lines, comment policies, "Click to ...", share buttons, advertisement markers,
"Related"/"Read more" teasers and the link lists that follow them, cookie notices.
Each pattern is named; the name is kept as the reason a line was removed. Rules that name
services (share targets, social networks, picture agencies, shortcodes) read them from the
word lists in ``words/`` beside this module.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

_I = re.IGNORECASE


def _words(name: str) -> tuple[str, ...]:
    """The lines of ``words/<name>.txt`` beside this module that are neither blank nor
    comments, longest first (so that "getty images" is tried before "getty")."""
    text = resources.files(__package__).joinpath("words", name + ".txt").read_text("utf-8")
    stripped = (line.strip() for line in text.splitlines())
    words = {line for line in stripped if line and not line.startswith("#")}
    return tuple(sorted(words, key=lambda word: (-len(word), word)))


def _alternatives(name: str) -> str:
    """A regular expression group matching any entry of a word list as whole words."""
    return "(?:" + "|".join(re.escape(word) for word in _words(name)) + r")(?![\w-])"


SHARE_TARGETS = frozenset(_words("share_targets"))
_TARGET = _alternatives("share_targets")
_NETWORK = _alternatives("social_networks")
_AGENCY = _alternatives("photo_agencies")
_SHORTCODE = _alternatives("shortcodes")
# A row of share buttons: an optional label ("Share this article:"), then share targets, each
# perhaps with its own "Share on", between separators.
_SHARE_LABEL = (r"(?:(?:share|send|post)(?:\s+(?:this|the))?(?:\s+(?:article|story|page|post|"
                r"link))?(?:\s+(?:on|via|to|with))?\s*[:|]?\s*)?")
_SHARE_ITEM = rf"(?:(?:share|post|send|tweet)\s+(?:on\s+|via\s+|to\s+)?)?{_TARGET}"
_SHARE_SEPARATOR = r"(?:\s*[|·•/,]\s*|\s+(?:and|or)\s+|\s+)"
SHARE_ROW = re.compile(
    rf"^{_SHARE_LABEL}{_SHARE_ITEM}(?:{_SHARE_SEPARATOR}{_SHARE_ITEM})*[\s|·•/,.:]*$", _I
)

# (reason, pattern, longest line in words the pattern applies to)
LINE_PATTERNS: list[tuple[str, re.Pattern[str], int]] = [
    ("newsletter", re.compile(
        r"^(sign ?up|subscribe|get|join)\b.{0,80}\b(newsletters?|briefings?|digest|"
        r"inbox|alerts?|updates|e-?mails?|bulletin)\b", _I), 30),
    ("newsletter", re.compile(r"^(sign ?up|subscribe|register)( now| today| here| free)?\W*$", _I), 4),
    ("newsletter", re.compile(r"\bnewsletters?\b(?!.*[.!?][\"'”’)]*$)", _I), 8),
    ("newsletter", re.compile(
        r"^(thanks?( you)? for (signing up|subscribing)|keep an eye on your inbox|"
        r"there was an error processing your subscription|you('| a)re (now )?subscribed)", _I), 20),
    ("copyright", re.compile(
        r"^(copyright\s*(©|\(c\))?\s*(\d{4}|©)|©|\(c\)\s*\d{4})", _I), 60),
    ("copyright", re.compile(r"\ball rights reserved\b|\breprint permissions?\b", _I), 40),
    ("copyright", re.compile(
        r"^this (copy|material|article) is for your personal,? non-?commercial use", _I), 80),
    ("copyright", re.compile(r"^(this (material|article) may not be|no part of this)\b.*\b"
                             r"(published|broadcast|rewritten|redistributed|reproduced)\b", _I), 40),
    ("comments", re.compile(r"\bcomments? (policy|section|guidelines)\b", _I), 60),
    ("comments", re.compile(r"\bwelcomes? (your )?comments\b|\bjoin the (conversation|discussion)\b",
                            _I), 40),
    ("comments", re.compile(
        r"^((view|show|hide|read|post|add|load|leave)( a| the| all| \d+)? comments?|"
        r"\d+ comments?|comments?)\W*$", _I), 6),
    ("click", re.compile(r"^(click|tap|press) (to|here|for|on)\b", _I), 30),
    ("click", re.compile(r"^click to\b|^click here\b", _I), 30),
    ("share", re.compile(
        r"^(share|tweet|e-?mail|print|pin|save|copy link)( (this|on|via|with|to|the|article|"
        r"story|page|link|facebook|twitter|x|linkedin|whatsapp|email)\b.*)?\W*$", _I), 6),
    ("share", re.compile(r"\bshare (it|this( story| article)?) with (a|your) friends?\b", _I), 15),
    ("follow", re.compile(
        rf"^(follow(?![\w-])|(find|like|join|connect with) us\b).{{0,160}}"
        rf"(\b(on|at|via)\s+{_NETWORK}|@\w)", _I), 40),
    ("newsletter", re.compile(
        r"^([^.!?]{1,60}[?!]\s+)?(click( here)?|tap( here)?|sign ?up|subscribe|get|receive|"
        r"want)\b[^.:;!?]{0,120}\bnewsletters?\b", _I), 40),
    ("newsletter", re.compile(r"^sign ?up (for|to|now|today|here)\b", _I), 30),
    ("newsletter", re.compile(
        r"^(like|liked|enjoy|enjoyed|love|loved) this (story|article|post|piece)\?", _I), 40),
    ("share", re.compile(r"^like this:?$|^like loading\W*$", _I), 2),
    ("photo", re.compile(
        r"^((main|top|header|featured|feature|lead|cover|hero) )?(photo|image|picture|video|"
        r"graphic|illustration)s?( credits?| courtesy| source)?\s*[:|]\s*\S", _I), 15),
    ("photo", re.compile(r"^(photograph|photography|credits?)\s*:\s*\S", _I), 15),
    ("photo", re.compile(
        r"^\(?(photo|image|picture|photograph)s? (by|courtesy( of)?|credit)\b[^()]*\)?$", _I), 15),
    ("photo", re.compile(rf"\S\s*/\s*{_AGENCY}(\s+(images|photos?|via getty images))?\)?$",
                         _I), 15),
    ("shortcode", re.compile(
        rf"^\[(/?{_SHORTCODE}(?=[\s\]])|"
        r"[a-z][\w-]*(\s+[\w-]+\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s\]]+))+)"
        r"[^\]]*\].*$|\[/[a-z][\w-]*\]\W*$", _I), 60),
    ("teaser", re.compile(
        r"^\[(related|see also|read more|read also|also read|more|watch|listen|recommended|"
        r"explainer|opinion|analysis|video|audio|photos?|gallery)\s*:[^\]]*\]\W*$", _I), 40),
    ("link", re.compile(r"^(pic\.twitter\.com|t\.co|bit\.ly|youtu\.be|instagr\.am)/\S+$", _I), 1),
    ("navigation", re.compile(r"^skip to (the )?(main )?(content|navigation|menu)\W*$", _I), 5),
    ("site", re.compile(r"^(proudly )?powered by [\w .-]+\W*$", _I), 6),
    ("share", re.compile(
        r"^((facebook|twitter|x|linkedin|whatsapp|e-?mail|reddit|pinterest|telegram|print|"
        r"copy link|messenger|flipboard)[\s,|/·•]*){2,}$", _I), 12),
    ("share", re.compile(r"^(order reprints?|reprints?|print article|print this (page|article))\W*$",
                         _I), 4),
    ("advertisement", re.compile(
        r"^(advertisement|advertising|ad|sponsored( content)?|paid content|"
        r"story continues below( advertisement)?|article continues below( advertisement)?|"
        r"continue reading( (below|the main story|main story))?|skip advert(isement)?)\W*$", _I), 6),
    ("cookies", re.compile(r"\b(we use cookies|cookie (policy|settings)|accept (all )?cookies)\b",
                           _I), 60),
    ("teaser", re.compile(
        r"^(read more|see more|also read|read also|related|watch|more|recommended|"
        r"also on [\w.]+|don'?t miss|must read)\s*[:|»>]\s*\S", _I), 40),
    ("link", re.compile(r"^(https?://|www\.)\S+$", _I), 1),
    ("timestamp", re.compile(
        r"^(last )?(updated|posted|published|modified)( on| at)?:?\s*[\d(a-z]", _I), 10),
    ("contact", re.compile(r"^(write to|contact|e-?mail) .{1,80}\b(at|:)\s*\S+@\S+\W*$", _I), 20),
    ("tags", re.compile(r"^(tags?|topics?|filed under|categories)\s*:?\s*$", _I), 3),
    ("tags", re.compile(r"^(tags?|topics?|filed under)\s*:\s*\S", _I), 40),
    ("error", re.compile(
        r"^(an error has occurred|sorry!?|something went wrong|please try again later|"
        r"thank you|this article has been sent to)\W*.{0,40}$", _I), 10),
    ("photo", re.compile(
        r"^(photo|image|picture|video|graphic)s?( credit)?\s*[:|]\s*\S.{0,80}$", _I), 15),
]

# Headings after which a list of links to other articles follows.
RELATED_HEADING = re.compile(
    r"^(related( (stories|articles|content|coverage|news|links|topics))?|read more|see more|"
    r"more (stories|news|on this( story| topic)?|from [\w .'-]{1,40})|"
    r"you (may|might) also (like|enjoy)|recommended( for you| stories| reading)?|"
    r"don'?t miss|most (read|popular|viewed|shared)|trending( now| stories)?|top stories|"
    r"latest (news|stories)|also on [\w.]+|what to read next|editors'? picks?|"
    r"more (like this|to explore)|popular( now)?|in other news)\W*\.{0,3}$",
    _I,
)


@lru_cache(maxsize=8192)
def line_reason(line: str) -> str | None:
    """The boilerplate reason for one line of text, or None when it may be article text."""
    stripped = line.strip().lstrip("-•*· ").strip()
    if not stripped:
        return None
    words = len(stripped.split())
    for reason, pattern, max_words in LINE_PATTERNS:
        if words <= max_words and pattern.search(stripped):
            return reason
    if words <= 30 and SHARE_ROW.match(stripped) and _is_share_row(stripped):
        return "share"
    return None


def _is_share_row(line: str) -> bool:
    """Whether a line SHARE_ROW matches is a row of share buttons: it names two or more share
    targets, or one after the word "Share" ("Share: Facebook"). A lone "Facebook" is one only
    right after a "Share this:" line (see is_share_target)."""
    targets = re.findall(_TARGET, line, _I)
    return len(targets) >= 2 or (
        len(targets) == 1 and bool(re.match(r"(share|send|post|tweet)\b", line, _I))
    )


def is_share_target(line: str) -> bool:
    """Whether a line is only the name of one share target ("Facebook", "WhatsApp"), as the
    buttons under a "Share this:" line are."""
    return line.strip().strip(".:·•|").strip().lower() in SHARE_TARGETS


def is_related_heading(line: str) -> bool:
    """Whether a line is a heading over a list of links to other articles ("Related stories")."""
    stripped = line.strip()
    return len(stripped.split()) <= 8 and bool(RELATED_HEADING.match(stripped))
