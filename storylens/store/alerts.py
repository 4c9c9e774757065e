"""Saved searches (alerts), the stories they matched (entries) and the webhook deliveries of
those entries.

An alert's filters mean what the story list's mean: the same full-text query (fts.fts_query)
and the same filters on a story's articles (StoryList._MEMBER_FILTERS). A check looks only at
the stories changed since the alert's last check: those of the articles stored after it
(article rowids only grow), so its cost follows what was ingested, not the database's size.
"""

from __future__ import annotations

import json
import time
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

from ..errors import NotFoundError, StoreConflict, UsageError
from ..model import ResolvedStoryFilter
from .connection import chunks, now_utc
from .entities import EntityTables
from .fts import fts_query
from .story_list import StoryList

# How many of the stories matching when an alert is made start its feed (newest first).
BASELINE_STORIES = 50


@dataclass(frozen=True)
class Alert:
    """A saved search: its name, filters (``query`` as typed; ``entity`` a name or id,
    resolved when it is checked; ``outlet``), the webhook its new entries are POSTed to, the
    address of the site its story links point to, and when it was made."""

    id: int
    name: str
    query: str | None
    entity: str | None
    outlet: str | None
    webhook: str | None
    site_url: str
    created_at: str


@dataclass(frozen=True)
class AlertEntry:
    """A story an alert matched at one size (its article count then), with its title and
    outlets then; ``baseline`` for the stories that matched when the alert was made."""

    id: int
    alert_id: int
    story_id: str
    size: int
    title: str | None
    outlets: tuple[str, ...]
    matched_at: str
    baseline: bool


@dataclass(frozen=True)
class Delivery:
    """A webhook delivery: the entry's JSON POSTed to ``url``, its attempts so far and when
    the first was made (seconds since 1970)."""

    id: int
    url: str
    payload: str
    attempts: int
    first_at: float | None


@dataclass(frozen=True)
class AlertStatus:
    """An alert with what it has done: entries, the latest match, and its webhook's
    deliveries by status with the latest attempt and failure reason."""

    alert: Alert
    entries: int
    last_match: str | None
    sent: int
    pending: int
    failed: int
    last_delivery: str | None
    last_reason: str | None


def _alert(row: Any) -> Alert:
    return Alert(row["id"], row["name"], row["query"], row["entity"], row["outlet"],
                 row["webhook"], row["site_url"], row["created_at"])


def _entry(row: Any) -> AlertEntry:
    return AlertEntry(row["id"], row["alert_id"], row["story_id"], row["size"], row["title"],
                      tuple(json.loads(row["outlets"])), row["matched_at"], bool(row["baseline"]))


def entry_payload(alert: Alert, entry: AlertEntry) -> dict[str, Any]:
    """What a webhook receives for an entry (JSON)."""
    return {
        "alert": alert.name, "story_id": entry.story_id, "title": entry.title,
        "outlets": list(entry.outlets), "articles": entry.size,
        "story_url": f"{alert.site_url.rstrip('/')}/stories/{entry.story_id}",
        "matched_at": entry.matched_at,
    }


class AlertTables(StoryList, EntityTables):
    """Alerts, their entries and webhook deliveries."""

    # -- alerts ------------------------------------------------------------------------------

    def add_alert(
        self, name: str, *, query: str | None, entity: str | None = None,
        outlet: str | None = None, webhook: str | None = None,
        site_url: str = "http://127.0.0.1:8000",
    ) -> Alert:
        """Save an alert; its feed starts with the newest BASELINE_STORIES stories matching
        now (entries marked ``baseline``, sent to no webhook), and its checks look at what is
        stored after. A UsageError for a name taken or a query beyond the limits."""
        if query:
            fts_query(query)  # the search's limits: refused now rather than at every check
        if entity:
            # a name several entities share is refused now (an unknown one may come later)
            with suppress(NotFoundError):
                self.entity_id(entity)
        now = now_utc()
        with self.transaction() as db:
            upto = self._articles_seen()
            try:
                cursor = db.execute(
                    "INSERT INTO alerts (name, query, entity, outlet, webhook, site_url, "
                    "created_at, checked_upto) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (name, query, entity, outlet, webhook, site_url, now, upto),
                )
            except StoreConflict:
                raise UsageError(f"there is already an alert named {name!r}") from None
            alert = self.alert(name)
            filters = self.alert_filter(alert)
            if filters is not None:
                cards, _ = self.story_page(filters, limit=BASELINE_STORIES, top_entities=0)
                found = [(c.story.id, c.story.article_count, c.story.title, c.story.outlets)
                         for c in cards]
                self._insert_entries(int(cursor.lastrowid or 0), found[::-1], now, True)
        return alert

    def alert(self, name: str) -> Alert:
        """One alert by name; NotFoundError for an unknown one."""
        row = self.db.execute("SELECT * FROM alerts WHERE name = ?", (name,)).fetchone()
        if row is None:
            raise NotFoundError(f"no alert named {name!r}")
        return _alert(row)

    def alerts(self) -> list[Alert]:
        """Every alert, by name."""
        return [_alert(r) for r in self.db.execute("SELECT * FROM alerts ORDER BY name")]

    def remove_alert(self, name: str) -> None:
        """Remove an alert with its entries and deliveries; NotFoundError for an unknown one."""
        with self.transaction() as db:
            alert = self.alert(name)
            db.execute("DELETE FROM alerts WHERE id = ?", (alert.id,))

    def alert_filter(self, alert: Alert) -> ResolvedStoryFilter | None:
        """The alert's filters as the story list applies them; None while its entity is
        unknown to the database, or a name several entities share (it then matches
        nothing)."""
        entity_id = None
        if alert.entity:
            try:
                entity_id = self.entity_id(alert.entity)
            except (NotFoundError, UsageError):  # not yet known, or a name several share
                return None
        return ResolvedStoryFilter(query=alert.query or None, outlet=alert.outlet or None,
                                   entity_id=entity_id)

    def alert_statuses(self) -> list[AlertStatus]:
        """Every alert, by name, with its entries and its webhook's deliveries counted."""
        found = []
        for alert in self.alerts():
            entries, last = self.db.execute(
                "SELECT COUNT(*), MAX(matched_at) FROM alert_entries WHERE alert_id = ?",
                (alert.id,),
            ).fetchone()
            counts = dict(self.db.execute(
                "SELECT d.status, COUNT(*) FROM webhook_deliveries d JOIN alert_entries e "
                "ON e.id = d.entry_id WHERE e.alert_id = ? GROUP BY d.status", (alert.id,),
            ).fetchall())
            latest = self.db.execute(
                "SELECT d.last_at, d.reason FROM webhook_deliveries d JOIN alert_entries e "
                "ON e.id = d.entry_id WHERE e.alert_id = ? AND d.last_at IS NOT NULL "
                "ORDER BY d.last_at DESC, d.id DESC LIMIT 1", (alert.id,),
            ).fetchone()
            found.append(AlertStatus(
                alert, int(entries), last, counts.get("sent", 0), counts.get("pending", 0),
                counts.get("failed", 0), latest[0] if latest else None,
                latest[1] if latest else None,
            ))
        return found

    # -- entries -----------------------------------------------------------------------------

    def alert_entries(self, alert: Alert, limit: int = 50) -> list[AlertEntry]:
        """An alert's entries, newest first."""
        return [_entry(r) for r in self.db.execute(
            "SELECT * FROM alert_entries WHERE alert_id = ? ORDER BY id DESC LIMIT ?",
            (alert.id, max(0, int(limit))),
        )]

    def check_alerts(self) -> list[tuple[Alert, AlertEntry]]:
        """Check every alert against the stories changed since its last check: an entry for
        each that matches and is new to it or has grown since it last matched, and a webhook
        delivery queued for each entry of an alert with a webhook. One transaction per alert.
        The new entries, oldest first."""
        new: list[tuple[Alert, AlertEntry]] = []
        for alert in self.alerts():
            with self.transaction() as db:
                upto = self._articles_seen()
                row = db.execute("SELECT checked_upto FROM alerts WHERE id = ?",
                                 (alert.id,)).fetchone()
                if row is None or row[0] >= upto:
                    continue
                found = self._matches_since(alert, int(row[0]), upto)
                entries = self._insert_entries(alert.id, found, now_utc(), False)
                if alert.webhook:
                    self._queue_deliveries(alert, entries)
                db.execute("UPDATE alerts SET checked_upto = ? WHERE id = ?", (upto, alert.id))
            new.extend((alert, e) for e in entries)
        return new

    def _matches_since(
        self, alert: Alert, after: int, upto: int
    ) -> list[tuple[str, int, str | None, list[str]]]:
        """(story id, size, title, outlets) of the stories with articles of rowid in (after,
        upto] that match the alert and are larger than when it last matched them."""
        filters = self.alert_filter(alert)
        if filters is None:
            return []
        changed = [r[0] for r in self.db.execute(
            "SELECT DISTINCT m.story_id FROM articles a JOIN story_members m "
            "ON m.article_id = a.id WHERE a.rowid > ? AND a.rowid <= ?", (after, upto),
        )]
        matching = self._matching_among(filters, changed, upto)
        seen = dict(self.db.execute(
            "SELECT story_id, MAX(size) FROM alert_entries WHERE alert_id = ? GROUP BY story_id",
            (alert.id,),
        ).fetchall())
        grown = [(i, s) for i, s in matching if s > seen.get(i, 0)]
        cards = self.story_cards(grown, top=0)
        return [(c.story.id, c.story.article_count, c.story.title, c.story.outlets)
                for c in cards]

    def _matching_among(
        self, filters: ResolvedStoryFilter, story_ids: list[str], upto: int
    ) -> list[tuple[str, int]]:
        """(story id, size) of those of ``story_ids`` that the story list's filters on members
        select (over the articles up to rowid ``upto``), by the stories' rowid."""
        members = filters.member_filters()
        if "query" in members:
            members["query"] = fts_query(members["query"], advanced=filters.advanced)
            if not members["query"]:
                return []
        found: dict[str, tuple[int, int]] = {}
        for chunk in chunks(story_ids, 500):
            marks = ", ".join(f":s{n}" for n in range(len(chunk)))
            params: dict[str, Any] = {f"s{n}": i for n, i in enumerate(chunk)}
            keep = {r[0]: (r[1], r[2]) for r in self.db.execute(
                f"SELECT s.id, s.rowid, s.size FROM stories s WHERE s.id IN ({marks})", params
            )}
            for kind, value in members.items():
                sub = self._MEMBER_FILTERS[kind]
                bounds = {**params, "value": value, "after": 0, "upto": upto}
                hits = {r[0] for r in self.db.execute(
                    f"SELECT s.id FROM stories s WHERE s.id IN ({marks}) AND s.id IN ({sub})",
                    bounds,
                )}
                keep = {i: meta for i, meta in keep.items() if i in hits}
            found.update(keep)
        return [(i, meta[1]) for i, meta in sorted(found.items(), key=lambda h: h[1][0])]

    def _insert_entries(
        self, alert_id: int, found: list[tuple[str, int, str | None, list[str]]], now: str,
        baseline: bool,
    ) -> list[AlertEntry]:
        """Write entries (story id, size, title, outlets) of an alert; those written."""
        entries = []
        for story_id, size, title, outlets in found:
            cursor = self.db.execute(
                "INSERT OR IGNORE INTO alert_entries (alert_id, story_id, size, title, outlets, "
                "matched_at, baseline) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (alert_id, story_id, size, title, json.dumps(outlets), now, int(baseline)),
            )
            if cursor.rowcount:
                entries.append(AlertEntry(int(cursor.lastrowid or 0), alert_id, story_id, size,
                                          title, tuple(outlets), now, baseline))
        return entries

    # -- webhook deliveries ------------------------------------------------------------------

    def _queue_deliveries(self, alert: Alert, entries: list[AlertEntry]) -> None:
        """Queue a delivery of each entry to the alert's webhook, due now."""
        now = time.time()
        self.db.executemany(
            "INSERT INTO webhook_deliveries (entry_id, url, payload, next_at) VALUES (?, ?, ?, ?)",
            [(e.id, alert.webhook, json.dumps(entry_payload(alert, e)), now) for e in entries],
        )

    def claim_delivery(self, lease_seconds: float) -> Delivery | None:
        """The delivery due first, if one is due, held for ``lease_seconds`` (its next
        attempt moved on by that much, so that another sender leaves it alone meanwhile)."""
        now = time.time()
        with self.transaction() as db:
            row = db.execute(
                "SELECT id, url, payload, attempts, first_at FROM webhook_deliveries "
                "WHERE status = 'pending' AND next_at <= ? ORDER BY next_at, id LIMIT 1", (now,),
            ).fetchone()
            if row is None:
                return None
            db.execute(
                "UPDATE webhook_deliveries SET next_at = ?, first_at = COALESCE(first_at, ?) "
                "WHERE id = ?", (now + lease_seconds, now, row["id"]),
            )
        first = row["first_at"] if row["first_at"] is not None else now
        return Delivery(row["id"], row["url"], row["payload"], row["attempts"], first)

    def delivery_done(self, delivery: Delivery, reason: str | None,
                      retry_at: float | None) -> None:
        """Record an attempt: sent (no ``reason``), else failed for ``reason`` and tried
        again at ``retry_at``, or given up when that is None."""
        status = "sent" if reason is None else ("pending" if retry_at is not None else "failed")
        with self.transaction() as db:
            db.execute(
                "UPDATE webhook_deliveries SET status = ?, attempts = attempts + 1, last_at = ?, "
                "reason = ?, next_at = COALESCE(?, next_at) WHERE id = ?",
                (status, now_utc(), reason, retry_at, delivery.id),
            )

    def pending_deliveries(self) -> tuple[int, float | None]:
        """How many deliveries wait to be sent, and when the first of them is due."""
        count, due = self.db.execute(
            "SELECT COUNT(*), MIN(next_at) FROM webhook_deliveries WHERE status = 'pending'"
        ).fetchone()
        return int(count), due
