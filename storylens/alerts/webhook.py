"""Webhook deliveries: each queued entry POSTed as JSON by a background thread, with a short
timeout, retried with a doubling wait until it is sent or ``webhook_give_up_seconds`` have
passed since its first attempt. The queue is in the database (Store.claim_delivery), so a
delivery not sent when a process ends is sent by the next one; one may then arrive twice (a
POST answered after the process ended), never not at all unless given up.

httpx's errors are turned here, once, into the reason recorded on the delivery.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

import httpx

from ..errors import StorylensError
from ..options import Options
from ..store import Delivery, Store

log = logging.getLogger(__name__)

# The longest a sender sleeps before looking at the queue again (another process may have
# queued deliveries that are due sooner).
_MAX_NAP_SECONDS = 5.0


def post_delivery(delivery: Delivery, timeout_seconds: float) -> str | None:
    """POST a delivery's JSON to its URL: None when the receiver took it (a 2xx answer),
    else the reason it did not, in a few words."""
    try:
        response = httpx.post(
            delivery.url, content=delivery.payload.encode("utf-8"),
            headers={"content-type": "application/json", "user-agent": "storylens-alerts"},
            timeout=timeout_seconds,
        )
    except httpx.TimeoutException:
        return f"no answer within {timeout_seconds:g} s"
    except httpx.InvalidURL as error:
        return f"not a URL that can be posted to: {error}"
    except httpx.HTTPError as error:
        return f"{type(error).__name__}: {error}"[:300]
    if 200 <= response.status_code < 300:
        return None
    return f"HTTP {response.status_code}"


class Sender:
    """The sender of one database's webhook deliveries in this process: a daemon thread that
    sends what is due, sleeps until the next retry is due, and ends when the queue is empty
    (``start`` starts it again)."""

    def __init__(self, db: str | Path, options: Options) -> None:
        self.db = str(db)
        self.options = options
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._idle = threading.Event()
        self._idle.set()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start the thread, or wake it when it runs."""
        with self._lock:
            self._stop.clear()
            if self._thread is not None and self._thread.is_alive():
                self._wake.set()
                return
            self._idle.clear()
            self._thread = threading.Thread(
                target=self._run, name="storylens-webhooks", daemon=True
            )
            self._thread.start()

    def wait(self, seconds: float) -> int:
        """Wait at most ``seconds`` for the queue to empty, then stop the thread (after the
        attempt it is making, if any, which its timeout bounds): how many deliveries are
        left queued."""
        self._idle.wait(max(0.0, seconds))
        self._stop.set()
        self._wake.set()
        with Store(self.db, create=False) as store:
            return store.pending_deliveries()[0]

    def _run(self) -> None:
        try:
            with Store(self.db, create=False) as store:
                while not self._stop.is_set():
                    if self._send_due(store):
                        continue
                    count, due = store.pending_deliveries()
                    if not count:
                        return
                    nap = min(_MAX_NAP_SECONDS, max(0.01, (due or 0.0) - time.time()))
                    self._wake.wait(nap)
                    self._wake.clear()
        except StorylensError as error:  # the queue stays as it is for the next sender
            log.warning("storylens: webhook deliveries stopped: %s", error)
        finally:
            self._idle.set()

    def _send_due(self, store: Store) -> bool:
        """Send the delivery due first, if any: whether there was one."""
        timeout = self.options.webhook_timeout_seconds
        delivery = store.claim_delivery(lease_seconds=timeout + 5.0)
        if delivery is None:
            return False
        reason = post_delivery(delivery, timeout)
        retry_at = None
        if reason is not None:
            now = time.time()
            wait = self.options.webhook_backoff_seconds * 2 ** delivery.attempts
            started = delivery.first_at if delivery.first_at is not None else now
            if now + wait - started <= self.options.webhook_give_up_seconds:
                retry_at = now + wait
        store.delivery_done(delivery, reason, retry_at)
        return True


_SENDERS: dict[tuple[str, Options], Sender] = {}
_SENDERS_LOCK = threading.Lock()


def sender_for(db: str | Path, options: Options) -> Sender:
    """This process's sender for a database (and options): one thread per database."""
    key = (str(Path(db).resolve()), options)
    with _SENDERS_LOCK:
        sender = _SENDERS.get(key)
        if sender is None:
            sender = _SENDERS[key] = Sender(key[0], options)
        return sender
