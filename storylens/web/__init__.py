"""storylens serve: the HTTP API (api), the web pages (pages), their templates and static files."""
