"""Drafts into articles: boilerplate and repeats removed, outlet, title, date, dateline
place and wire agency read, a content-hash id given (cleaner.clean)."""
