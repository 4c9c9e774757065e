"""Alerts: saved searches checked after every ingest, and the webhook deliveries of what they
find (the only I/O here: HTTP POSTs by httpx, from a background thread).

``after_ingest`` records each alert's new and grown stories (Store.check_alerts) and starts
the sender of their deliveries; ``Sender.wait`` lets a command wait a bounded time for it.
"""

from __future__ import annotations

from .matching import after_ingest, resume_deliveries
from .webhook import Sender, sender_for

__all__ = ["Sender", "after_ingest", "resume_deliveries", "sender_for"]
