"""storylens serve: the application (app) joining the JSON API (api) and the web pages (pages,
article_page, ingest_page), what they share (deps, render, ingest, boundary), their templates
and static files."""
