"""The rule for organisations not in the gazetteer: a run of capitalised words ending in an
organisation word ("International Atomic Energy Agency", "Bank of Japan")."""

from __future__ import annotations

from .scan import Found, Scan
from .tokens import org_word
from .vocabulary import FUNCTION_WORDS, HONORIFICS, ORG_CONNECTORS


def read_run(scan: Scan, i: int) -> int | None:
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
    k = next((n + 1 for n, t in enumerate(run) if org_word(t)), 0)
    while k and k < len(run) and org_word(run[k]):
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
        Found(
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
