"""The HTTP application: one FastAPI application serving the JSON API under ``/api/`` (api)
and its lists and CSV downloads (lists_api), and the web pages (pages, browse: the article
list and facets, article_page, ingest_page, alerts_page, sources_page, coverage_page) with
their Atom feeds (feeds) and attention charts (attention_page), with the local static files,
behind the server's edge (boundary). The only module that joins the routers.
"""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from ..errors import UsageError
from . import (
    alerts_page,
    api,
    article_page,
    browse,
    coverage_page,
    feeds,
    ingest_page,
    lists_api,
    pages,
    sources_page,
)
from .attention_page import api_router as attention_api
from .attention_page import router as attention_pages
from .boundary import guard
from .deps import (
    SERVE_CONFIG_ENV,
    WEB,
    ServerConfig,
    StorePool,
    ViewCache,
    body_limit,
    config_from_json,
)


def create_app(config: ServerConfig) -> FastAPI:
    """The application for one database. Pages and API share the store dependency."""
    app = FastAPI(
        title="storylens",
        summary="News stories across outlets: quotes, facts, entities and events.",
        docs_url=None,  # FastAPI's page loads Swagger UI from a CDN: see _docs
        openapi_url="/api/openapi.json",
    )
    app.state.config = config
    app.state.stores = StorePool(config.db)
    app.state.views = ViewCache()
    # The story view's comparison uses scikit-learn, imported lazily elsewhere: here, at
    # start-up, so that the first story page does not wait seconds for it.
    import sklearn.feature_extraction.text  # noqa: F401

    guard(app, max_body=body_limit(config))
    _docs(app)
    app.mount("/static", StaticFiles(directory=WEB / "static"), name="static")
    app.include_router(api.router)
    app.include_router(coverage_page.api_router)
    app.include_router(lists_api.router)
    app.include_router(browse.router)
    app.include_router(article_page.router)
    app.include_router(ingest_page.router)
    app.include_router(feeds.router)  # before pages: /entities/{id}.atom is not an entity
    app.include_router(alerts_page.router)
    app.include_router(sources_page.router)
    app.include_router(attention_pages)
    app.include_router(attention_api)
    app.include_router(coverage_page.router)
    app.include_router(pages.router)  # last: it ends with the 404 page for any other path
    return app


# The API's documentation page: Swagger UI 5 from the swagger-ui-bundle-v2 package (its scripts and
# styles, Apache-2.0, served by this server under /static/swagger-ui/), started by our own
# script (static/docs.js), so that it works offline and within the pages' Content-Security-Policy
# (scripts and styles from this server only, no inline script).
DOCS_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>storylens API</title>
<link rel="stylesheet" href="/static/swagger-ui/swagger-ui.css">
<link rel="icon" href="/static/swagger-ui/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui" data-openapi="/api/openapi.json"></div>
<script src="/static/swagger-ui/swagger-ui-bundle.js"></script>
<script src="/static/docs.js"></script>
</body>
</html>
"""


def _docs(app: FastAPI) -> None:
    """Serve the API's documentation at /docs, every file of it from this server."""
    from swagger_ui_bundle import swagger_ui_path

    app.mount(
        "/static/swagger-ui", StaticFiles(directory=Path(str(swagger_ui_path))),
        name="swagger-ui",
    )

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(DOCS_PAGE)


def app_from_environment() -> FastAPI:
    """The application for a server worker process (``storylens serve --workers N``): its
    configuration comes in the environment (SERVE_CONFIG_ENV)."""
    text = os.environ.get(SERVE_CONFIG_ENV)
    if not text:
        raise UsageError(f"no server configuration in ${SERVE_CONFIG_ENV}")
    return create_app(config_from_json(text))
