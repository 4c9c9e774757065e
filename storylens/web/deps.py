"""What every route of the server shares: its configuration (and how it reaches server worker
processes), the pool of database connections, the cache of what was computed for a story, the
one write lock, the write-token check and the request body limit.

The database is opened per request (SQLite in WAL mode lets readers run beside the one
writer, so pages stay fast while an ingest runs).
"""

from __future__ import annotations

import dataclasses
import hmac
import json
import threading
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

from fastapi import Depends, HTTPException, Request

from .._util import LRUCache
from ..options import Options
from ..store import Store

# The folder of the server's templates and static files.
WEB = Path(__file__).parent

# What runs after an ingest through the server: given the store written and the options.
AfterIngest = Callable[[Store, Options], object]


@dataclass(frozen=True)
class ServerConfig:
    """What a running server needs: the database, the write token (None: read-only), the
    largest request body accepted, the pipeline options for ingesting, and what to do after
    an ingest."""

    db: Path
    write_token: str | None = None
    max_body_mb: float = 20.0
    options: Options = Options()
    # Called after every ingest through the server, with its store, when set (the command
    # line sets storylens.alerts.after_ingest, from a layer above this one); not in the JSON.
    after_ingest: AfterIngest | None = field(default=None, compare=False, repr=False)


# The environment variable that hands a ServerConfig to server worker processes.
SERVE_CONFIG_ENV = "STORYLENS_SERVE_CONFIG"


def config_to_json(config: ServerConfig) -> str:
    """A server's configuration as JSON text (for SERVE_CONFIG_ENV)."""
    return json.dumps({
        "db": str(config.db), "write_token": config.write_token,
        "max_body_mb": config.max_body_mb, "options": dataclasses.asdict(config.options),
    })


def config_from_json(text: str) -> ServerConfig:
    """The configuration that config_to_json wrote."""
    data = json.loads(text)
    return ServerConfig(
        db=Path(data["db"]), write_token=data["write_token"], max_body_mb=data["max_body_mb"],
        options=Options(**data["options"]),
    )


def get_config(request: Request) -> ServerConfig:
    """The configuration of the server answering the request."""
    config: ServerConfig = request.app.state.config
    return config


class ViewCache(LRUCache[bytes]):
    """What the server computed for a story (its JSON, its page), kept under a key that
    includes the story's version (Store.story_version), so an ingest that changes a story
    makes its old entries unreachable and an old story stays cached while others grow. A
    bounded LRU (by the bytes it holds), shared by the request threads."""

    def __init__(self, keep_bytes: int = 128 * 1024 * 1024) -> None:
        super().__init__(keep_bytes, weigh=len)


class StorePool:
    """Open connections to the server's database, lent to one request at a time and kept
    for the next: opening one costs more than most reads (SQLite reads the write-ahead log's
    index on a connection's first statement, and waits for it while an ingest writes)."""

    def __init__(self, db: Path, keep: int = 32) -> None:
        self.db = db
        self.keep = keep
        self._idle: list[Store] = []
        self._lock = threading.Lock()

    def acquire(self) -> Store:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        return Store(self.db, create=False)  # it must exist: serving never creates one

    def release(self, store: Store) -> None:
        store.rollback_open()  # a failed write: leave nothing open for the next
        with self._lock:
            if len(self._idle) < self.keep:
                self._idle.append(store)
                return
        store.close()

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for store in idle:
            store.close()


async def get_store(request: Request) -> AsyncIterator[Store]:
    """A connection to the database for one request, from the application's pool. (Async:
    lending one takes no time, and spares the request two trips to the thread pool.)"""
    pool: StorePool = request.app.state.stores
    store = pool.acquire()
    try:
        yield store
    finally:
        pool.release(store)


StoreDep = Annotated[Store, Depends(get_store)]
ConfigDep = Annotated[ServerConfig, Depends(get_config)]

# One writer at a time in this server (SQLite takes one anyway; this keeps requests in line
# instead of failing on a busy database).
WRITE_LOCK = threading.Lock()


def token_accepted(config: ServerConfig, token: str) -> bool:
    """Whether a token given for a write is the server's write token (compared in constant
    time). No token is ever accepted by a read-only server."""
    if config.write_token is None or not token:
        return False
    return hmac.compare_digest(token.encode("utf-8"), config.write_token.encode("utf-8"))


def require_token(request: Request, config: ConfigDep) -> None:
    """Refuse a write without the server's token (401), or on a read-only server (403). The
    token comes as ``Authorization: Bearer TOKEN``, as plain ``Authorization: TOKEN``, or in
    ``X-Storylens-Token: TOKEN`` (read only when Authorization is absent or holds nothing
    but ``Bearer``); all three are documented in the README's "Serving" and kept."""
    if config.write_token is None:
        raise HTTPException(403, "this server is read-only: start it with --write-token")
    given = request.headers.get("authorization", "")
    token = given.removeprefix("Bearer ").strip() or request.headers.get("x-storylens-token", "")
    if not token_accepted(config, token):
        raise HTTPException(
            401, "a valid write token is required", headers={"WWW-Authenticate": "Bearer"}
        )


def body_limit(config: ServerConfig) -> int:
    """The largest request body the server accepts, in bytes."""
    return int(config.max_body_mb * 1024 * 1024)


async def read_body(request: Request, config: ServerConfig) -> bytes:
    """The request body, read up to the server's limit: 413 as soon as it grows past it (the
    middleware refuses a too large Content-Length at once; this catches chunked bodies)."""
    limit = body_limit(config)
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > limit:
            raise HTTPException(413, f"request bodies are limited to {limit} bytes")
    return bytes(body)
