"""Article URLs as they are known once: normalised, so that the same page under its tracking
parameters (utm_*, fbclid, gclid, ...), a fragment or an upper-case host is fetched once."""

from __future__ import annotations

from urllib.parse import urldefrag, urljoin, urlsplit

import courlan


def normalise(url: str, base: str | None = None) -> str | None:
    """The URL (made absolute against ``base`` when given) as it is known: host in lower
    case, tracking parameters removed, the other parameters sorted, no fragment. None for
    what is not an http(s) URL."""
    url = url.strip()
    if base:
        url = urljoin(base, url)
    if urlsplit(url).scheme.lower() not in ("http", "https"):
        return None
    try:
        clean = courlan.normalize_url(url)
    except (ValueError, TypeError):  # a URL courlan cannot read (a bad port, say)
        return None
    return urldefrag(clean)[0] or None


def host_of(url: str) -> str:
    """The scheme and host (with port) a URL is on: what robots.txt and the delays apply to."""
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"
