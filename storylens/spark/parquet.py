"""A corpus as Parquet tables, one file per table (what ``storylens spark`` writes and
``storylens import`` reads back into SQLite), with pyarrow. DuckDB and pandas read them
directly: ``select * from 'out/articles.parquet'``.

The tables are the database's own (Store.CORPUS_TABLES: articles, sentences, stories,
story_members, attributions, entity_mentions, event_mentions, term_df, rejects), column for
column, plus ``events`` (each event counted once per story, the columns of ``export events``),
``meta`` (how many documents the term frequencies count) and ``inputs`` (the hash, source and
articles of each input file or web archive record prepared whole, none of it rejected: the
imported database then knows them, and an ingest of the same files skips them unparsed;
Parquet records as inputs are not hashed).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import UsageError
from ..read.compute import all_events
from ..read.export import export_rows, write_parquet
from ..read.stored import refresh_story_views
from ..store import Store


def _arrow_type(declared: str) -> Any:
    import pyarrow as pa

    if "INT" in declared:
        return pa.int64()
    if "REAL" in declared or "FLOA" in declared or "DOUB" in declared:
        return pa.float64()
    if "BLOB" in declared:
        return pa.binary()
    return pa.string()


def write_tables(store: Store, folder: Path) -> dict[str, int]:
    """Write the store's corpus tables, its counted events and its meta as Parquet files in
    ``folder`` (created); rows written per table."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder.mkdir(parents=True, exist_ok=True)
    written: dict[str, int] = {}
    for table in Store.CORPUS_TABLES:
        columns = store.table_columns(table)
        schema = pa.schema([(name, _arrow_type(kind)) for name, kind in columns])
        count = 0
        with pq.ParquetWriter(str(folder / f"{table}.parquet"), schema) as writer:
            for rows in store.table_rows(table):
                arrays = [
                    pa.array([row[i] for row in rows], type=field.type)
                    for i, field in enumerate(schema)
                ]
                writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
                count += len(rows)
        written[table] = count
    events = export_rows(all_events(store))
    write_parquet(events, folder / "events.parquet")
    written["events"] = len(events)
    meta = pa.table({"key": ["documents"], "value": [str(store.documents())]})
    pq.write_table(meta, str(folder / "meta.parquet"))
    return written


def write_inputs(inputs: list[tuple[str, str, int]], folder: Path) -> int:
    """Write the inputs prepared whole (hash, source, articles) as ``inputs.parquet`` in
    ``folder``; rows written."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder.mkdir(parents=True, exist_ok=True)
    table = pa.table({
        "hash": pa.array([key for key, _, _ in inputs], pa.string()),
        "source": pa.array([source for _, source, _ in inputs], pa.string()),
        "articles": pa.array([count for _, _, count in inputs], pa.int64()),
    })
    pq.write_table(table, str(folder / "inputs.parquet"))
    return len(inputs)


def _read_inputs(store: Store, path: Path) -> int:
    """Record the inputs of ``inputs.parquet`` as known (an older set of tables has none);
    rows read."""
    import pyarrow.parquet as pq

    if not path.is_file():
        return 0
    columns = pq.read_table(str(path), columns=["hash", "source", "articles"]).to_pydict()
    rows = list(zip(columns["hash"], columns["source"], columns["articles"], strict=True))
    store.add_inputs([(str(key), str(source), int(count)) for key, source, count in rows])
    return len(rows)


def read_tables(store: Store, folder: Path) -> dict[str, int]:
    """Load the Parquet tables of ``folder`` into a database that holds no articles yet
    (stories from two corpora would not fit together), then compute the stories' views;
    rows read per table."""
    import pyarrow.parquet as pq

    if not (folder / "articles.parquet").is_file():
        raise UsageError(f"no articles.parquet in {folder} (write it with 'storylens spark')")
    if store.counts()["articles"]:
        raise UsageError(f"{store.path} holds articles already: import into a new database")
    read: dict[str, int] = {}
    with store.transaction():
        for table in Store.CORPUS_TABLES:
            path = folder / f"{table}.parquet"
            if not path.is_file():
                continue
            source = pq.ParquetFile(str(path))
            names = list(source.schema_arrow.names)
            chunks = (
                list(zip(*(column.to_pylist() for column in batch.columns), strict=True))
                for batch in source.iter_batches(batch_size=2000)
            )
            read[table] = store.load_table(table, names, chunks)
        meta = folder / "meta.parquet"
        if meta.is_file():
            values = dict(zip(*pq.read_table(str(meta)).to_pydict().values(), strict=True))
            store.add_documents(int(values.get("documents", 0)))
        read["inputs"] = _read_inputs(store, folder / "inputs.parquet")
    read["story_views"] = refresh_story_views(store)
    return read
