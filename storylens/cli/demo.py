"""storylens demo: the demo corpus that ships with storylens, ingested and listed."""

from __future__ import annotations

from pathlib import Path

from .._util import plural
from ..options import Options
from ..pipeline.ingestor import ingest as run_ingest
from ..read.stored import refresh_story_views
from .database import DbOption, db_path, open_store
from .output import out, say
from .read import stories


def demo(db: DbOption = None) -> None:
    """Ingest the demo corpus that ships with storylens (invented events) and list its stories."""
    from importlib import resources

    folder = Path(str(resources.files("storylens") / "demo" / "articles"))
    with open_store(db, create=True) as store:
        summary = run_ingest([folder], store, Options(), views=refresh_story_views)
    out.print(
        f"demo corpus: {summary.stored} stored, {plural(summary.duplicates, 'duplicate')}, "
        f"{summary.rejected} rejected into {db_path(db)}"
    )
    stories(db=db, as_json=False, limit=100)
    out.print()
    say(f"Open it in a browser: storylens serve --db {db_path(db)}, then http://127.0.0.1:8000/")
