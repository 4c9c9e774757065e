"""storylens serve: the web UI and the HTTP API over a database."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ..errors import UsageError
from ..store import Store
from .database import DEMO_DB, DbOption, db_path
from .output import err
from .serve_watch import STOP_GRACE_SECONDS, WatchChild, check_watchable, serve_with_watch
from .settings import SettingOption, options_from

if TYPE_CHECKING:
    from fastapi import FastAPI

    from ..web.deps import ServerConfig

WatchOption = Annotated[
    bool, typer.Option("--watch", help="Also collect from the sources, as 'storylens watch' "
                       "does, in a process of its own started and stopped with the server (its "
                       "lines on standard error begin 'watch:'); needs a writable database "
                       "with sources. The settings apply to it too.")
]


def serve(
    db: DbOption = None,
    host: Annotated[
        str, typer.Option(help="Address to bind; 127.0.0.1 keeps the server on this machine.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    write_token: Annotated[
        str | None,
        typer.Option(
            "--write-token", envvar="STORYLENS_WRITE_TOKEN", show_default=False,
            help="Token that POST /api/articles and the ingest page require (as "
            "'Authorization: Bearer TOKEN'). Without one the server is read-only. Default: "
            "$STORYLENS_WRITE_TOKEN.",
        ),
    ] = None,
    max_body_mb: Annotated[
        float, typer.Option("--max-body-mb", min=0.001, help="Largest request body accepted "
                            "(megabytes); larger ones get 413.")
    ] = 20.0,
    workers: Annotated[
        int, typer.Option(min=1, max=64, help="Server processes answering requests (each with "
                          "its own cache); one per processor core serves the most at once.")
    ] = 1,
    setting: SettingOption = None,
    watch: WatchOption = False,
) -> None:
    """Serve the web UI and the HTTP API (under /api/, docs at /docs) over a database.

    The database must exist (run 'storylens ingest' first). Read-only unless a write token is
    given. With --watch the pages stay live while new articles are collected: the same as
    running 'storylens serve' and 'storylens watch' side by side on the same --db.
    """
    from ..alerts import after_ingest, resume_deliveries
    from ..web.deps import ServerConfig

    path = db_path(db)
    if not path.is_file():
        raise UsageError(f"no database at {path} (run 'storylens ingest' first){_demo_hint()}")
    config = ServerConfig(
        db=path.resolve(),
        write_token=write_token.strip() if write_token and write_token.strip() else None,
        max_body_mb=max_body_mb,
        options=options_from(setting),
        after_ingest=after_ingest,
    )
    with Store(config.db, create=False) as store:
        # opens it now: an unreadable file or a newer schema stops here, in one line
        if watch:
            check_watchable(store)
    resume_deliveries(config.db, config.options)  # webhook deliveries an earlier run left
    mode = "read-write" if config.write_token else "read-only"
    err.print(f"storylens: serving {path} ({mode}) at http://{host}:{port}/", markup=False)
    run = _server(config, host, port, workers)
    if not watch:
        run()
        return
    err.print(f"storylens: the sources' health: http://{host}:{port}/sources", markup=False)
    grace = config.options.fetch_timeout_seconds + STOP_GRACE_SECONDS
    serve_with_watch(WatchChild(config.db, list(setting or []), grace), run)


def _server(config: ServerConfig, host: str, port: int, workers: int) -> Callable[[], None]:
    """What runs the server until it is stopped: uvicorn with the application, or with
    ``workers`` processes that each build it from the configuration in their environment."""
    import uvicorn

    from ..web.app import create_app
    from ..web.deps import SERVE_CONFIG_ENV, config_to_json

    if workers == 1:
        app = create_app(config)

        def run() -> None:
            uvicorn.run(app, host=host, port=port, **_uvicorn_options())

        return run
    os.environ[SERVE_CONFIG_ENV] = config_to_json(config)

    def run_workers() -> None:
        uvicorn.run(
            "storylens.cli.serve:worker_app", factory=True, workers=workers, host=host,
            port=port, **_uvicorn_options(),
        )

    return run_workers


def worker_app() -> FastAPI:
    """The application of a server worker process (``--workers N``): web.app's, from the
    configuration in the environment, with the alerts checked after each ingest."""
    from ..alerts import after_ingest
    from ..web.app import app_from_environment

    app = app_from_environment()
    app.state.config = replace(app.state.config, after_ingest=after_ingest)
    return app


def _demo_hint() -> str:
    """Where the demo is, when 'make demo' left it in this folder (demo.db); else nothing."""
    if Path(DEMO_DB).is_file():
        return f"; the demo is in {DEMO_DB}: storylens serve --db {DEMO_DB}"
    return ""


def _uvicorn_options() -> dict[str, Any]:
    """What uvicorn runs with besides the application and address: an HTTP protocol that
    reads URLs up to web.boundary.URL_BOUND, so that a long one gets the server's 414 in its
    error shape (httptools', with web.server's longer URLs, when it is installed; else h11,
    told to read a request's head that long)."""
    from ..web.boundary import URL_BOUND

    http: type[asyncio.Protocol] | str
    try:
        from ..web.server import LongUrlHttpToolsProtocol
    except ImportError:  # no httptools
        http = "h11"
    else:
        http = LongUrlHttpToolsProtocol
    return {"http": http, "h11_max_incomplete_event_size": URL_BOUND, "log_level": "warning"}
