"""storylens serve: the application (app) joining the JSON API (api) and the web pages (pages,
article_page, ingest_page, with its streamed form), what they share (deps, render, ingest,
boundary), their templates and static files."""

from __future__ import annotations

from .app import app_from_environment, create_app
from .deps import ServerConfig

__all__ = [
    "ServerConfig",
    "app_from_environment",
    "create_app",
]
