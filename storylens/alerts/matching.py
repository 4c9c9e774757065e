"""Checking the alerts after an ingest."""

from __future__ import annotations

from pathlib import Path

from ..options import Options
from ..store import Alert, AlertEntry, Store
from .webhook import sender_for


def after_ingest(store: Store, options: Options) -> list[tuple[Alert, AlertEntry]]:
    """Check every alert against the stories the ingest changed (see Store.check_alerts):
    the new entries, oldest first. When webhook deliveries are waiting, this process's sender
    for the database is started (or woken): it POSTs them from a background thread, so that
    nothing here waits on the network."""
    entries = store.check_alerts()
    if store.path != ":memory:" and store.pending_deliveries()[0]:
        sender_for(store.path, options).start()
    return entries


def resume_deliveries(db: str | Path, options: Options) -> None:
    """Start this process's sender for a database when deliveries wait in its queue (left by
    an earlier process)."""
    with Store(db, create=False) as store:
        waiting = store.pending_deliveries()[0]
    if waiting:
        sender_for(db, options).start()
