"""Ingest as a whole: bad inputs mixed with good ones, interruption and rerun, idempotence."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest
from conftest import DEMO, Cli

from storylens import Options, Store, ingest
from storylens.group.embed import available as embeddings_available
from storylens.store import Store as StoreClass

GOOD_TEXT = (
    "ORVALE, May 2 — The harbour authority of Orvale said on Friday that it would close the "
    "northern pier for three weeks of repairs after divers found cracks in two of its pilings.\n\n"
    "\"We cannot take the risk with loaded trucks on that pier,\" the authority's director, "
    "Mina Castellane, told reporters. Ferries will use the southern pier in the meantime.\n\n"
    "The repairs are expected to cost about 1.2 million euros, the authority said.\n"
)
LEGACY_TEXT = (
    "Le conseil municipal de Brévanne a approuvé jeudi soir le budget de la nouvelle "
    "médiathèque, après un débat animé sur le coût des travaux et l'accès des élèves. "
    "La maire, Hélène Rocaillé, a déclaré que l'ouverture était prévue pour l'été prochain "
    "et que les écoles du quartier seraient les premières à en profiter. Les élus de "
    "l'opposition ont regretté l'absence d'étude préalable sur la fréquentation attendue.\n"
)


def _bad_and_good_folder(folder: Path) -> dict[str, str]:
    """Good and bad inputs side by side; returns the bad ones' names and expected reasons."""
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD_TEXT, encoding="utf-8")
    (folder / "good2.txt.gz").write_bytes(
        gzip.compress(GOOD_TEXT.replace("Orvale", "Tessary").replace("ORVALE", "TESSARY").encode())
    )
    (folder / "legacy.txt").write_bytes(LEGACY_TEXT.encode("cp1252"))
    records = [
        {"title": "Pier closes", "text": GOOD_TEXT.replace("Orvale", "Quenby"), "outlet": "X"},
        "not an object",
    ]
    lines = [json.dumps(records[0]), "{broken json", json.dumps({"title": "no body"})]
    (folder / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 40)
    with open(folder / "huge.txt", "wb") as handle:  # sparse: no 21 MB written to disk
        handle.truncate(21 * 1024 * 1024)
    (folder / "nobody.html").write_text(
        "<html><head><title>Menu</title></head><body><nav><a href='/'>Home</a></nav></body></html>",
        encoding="utf-8",
    )
    (folder / "broken.xml").write_text("<rss><channel><item><title>x</ti", encoding="utf-8")
    return {
        "empty.txt": "empty",
        "binary.txt": "binary",
        "huge.txt": "too-large",
        "feed.jsonl#line2": "bad-json",
        "feed.jsonl#line3": "no-text",
        "nobody.html": "no-article-body",
        "broken.xml": "bad-feed",
    }


def test_pipeline_bad_inputs_rejected_with_reasons_rest_stored(tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    expected = _bad_and_good_folder(folder)
    cli = Cli(tmp_path / "t.db")
    done = cli("ingest", str(folder))
    assert done.returncode == 3, done.stderr
    listed = cli.json("rejects")
    assert isinstance(listed, list)
    got = {str(Path(r["source"]).relative_to(folder)): r["reason"] for r in listed}
    assert got == expected
    assert all(r["detail"] for r in listed)
    with Store(tmp_path / "t.db") as store:
        sources = {Path(r[0]).name for r in store.db.execute("SELECT source FROM articles")}
    assert sources == {"good.txt", "good2.txt.gz", "legacy.txt", "feed.jsonl#line1"}


def test_pipeline_legacy_encoding_decoded(tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    _bad_and_good_folder(folder)
    with Store(tmp_path / "t.db") as store:
        ingest([folder], store, Options())
        text = store.db.execute(
            "SELECT text FROM articles WHERE source LIKE '%legacy.txt'"
        ).fetchone()[0]
    assert "Brévanne" in text and "médiathèque" in text


def test_pipeline_ingest_twice_adds_nothing(tmp_path: Path) -> None:
    with Store(tmp_path / "t.db") as store:
        first = ingest([DEMO / "articles"], store, Options())
        counts = store.counts()
        second = ingest([DEMO / "articles"], store, Options())
        assert store.counts() == counts
    assert first.stored == counts["articles"] > 0
    assert second.stored == 0
    assert second.duplicates == first.stored


def test_pipeline_interrupted_ingest_is_consistent_and_rerun_completes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    options = Options(batch_size_articles=5, worker_processes=1)
    real_write = StoreClass.write_batch
    calls = {"n": 0}

    def write_then_die(self: StoreClass, *args: object, **kwargs: object) -> None:
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt  # as if the process were stopped mid-ingest
        real_write(self, *args, **kwargs)  # type: ignore[arg-type]

    db = tmp_path / "t.db"
    with Store(db) as store:
        monkeypatch.setattr(StoreClass, "write_batch", write_then_die)
        with pytest.raises(KeyboardInterrupt):
            ingest([DEMO / "articles"], store, options)
        monkeypatch.setattr(StoreClass, "write_batch", real_write)
    with Store(db) as store:
        partial = store.counts()
        members = store.db.execute("SELECT COUNT(*) FROM story_members").fetchone()[0]
        sizes = store.db.execute("SELECT SUM(size) FROM stories").fetchone()[0]
        assert partial["articles"] == members == sizes == 10  # two whole batches, no more
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rerun = ingest([DEMO / "articles"], store, options)
        assert rerun.duplicates == 10
        total = store.counts()["articles"]
    with Store(tmp_path / "fresh.db") as fresh:
        ingest([DEMO / "articles"], fresh, options)
        assert fresh.counts()["articles"] == total
        assert len(fresh.stories()) == len(Store(db).stories())


def test_pipeline_parallel_and_in_process_agree(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for number, path in enumerate(sorted((DEMO / "articles").glob("*.txt")) * 5):
        text = path.read_text(encoding="utf-8") + f"\n\nEditor's note {number}.\n"
        (folder / f"{number:03d}_{path.name}").write_text(text, encoding="utf-8")
    results = []
    for workers in (1, 2):
        with Store(tmp_path / f"w{workers}.db") as store:
            ingest([folder], store, Options(worker_processes=workers))
            rows = store.db.execute("SELECT id, text, outlet, published FROM articles")
            results.append(sorted(tuple(r) for r in rows))
    assert results[0] == results[1]


def test_pipeline_missing_path_is_usage_error(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "t.db")
    done = cli("ingest", str(tmp_path / "nowhere"))
    assert done.returncode == 2
    assert "no such file or folder" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_pipeline_copy_of_folder_changes_nothing(tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(DEMO / "articles", copy)
    with Store(tmp_path / "t.db") as store:
        ingest([DEMO / "articles"], store, Options())
        again = ingest([copy], store, Options())
    assert again.stored == 0


def test_pipeline_killed_ingest_is_consistent_and_rerun_completes(tmp_path: Path) -> None:
    """SIGKILL a real `storylens ingest` after its first batches are committed."""
    import os
    import signal
    import subprocess
    import sys
    import time

    folder = tmp_path / "many"
    folder.mkdir()
    texts = sorted((DEMO / "articles").glob("*.txt"))
    for number in range(600):
        text = texts[number % len(texts)].read_text(encoding="utf-8")
        (folder / f"{number:04d}.txt").write_text(text + f"\n\nNote {number}.\n", "utf-8")
    db = tmp_path / "t.db"
    command = [sys.executable, "-m", "storylens", "ingest", str(folder), "--db", str(db),
               "--quiet", "--setting", "batch_size_articles=20"]
    process = subprocess.Popen(command, start_new_session=True)
    deadline = time.monotonic() + 120
    committed = 0
    while time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
        if db.exists():
            with Store(db) as peek:
                committed = peek.counts()["articles"]
            if committed >= 40:
                break
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    with Store(db) as store:
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        articles = store.counts()["articles"]
        members = store.db.execute("SELECT COUNT(*) FROM story_members").fetchone()[0]
        sizes = store.db.execute("SELECT COALESCE(SUM(size), 0) FROM stories").fetchone()[0]
        assert articles == members == sizes
        assert articles % 20 == 0 or articles == 600  # only whole batches
        rerun = ingest([folder], store, Options())
        assert rerun.duplicates == articles
        assert store.counts()["articles"] == 600


def test_pipeline_unreadable_database_is_usage_error(tmp_path: Path) -> None:
    db = tmp_path / "not-a-db.db"
    db.write_bytes(b"this is not a database, just text " * 100)
    done = Cli(db)("stories")
    assert done.returncode == 2
    assert "cannot open the database" in done.stderr


@pytest.mark.parametrize(
    "embeddings",
    [
        False,
        pytest.param(True, marks=pytest.mark.skipif(
            not embeddings_available(), reason="the embeddings extra is not installed"
        )),
    ],
    ids=["words", "embeddings"],
)
def test_pipeline_ingest_in_two_halves_gives_same_stories(
    tmp_path: Path, demo_manifest: list[dict], embeddings: bool
) -> None:
    """Each event's first-day reports first, its later reports in a second ingest (which
    reads the stories' state, sentence embeddings included, back from the database)."""
    options = Options(use_sentence_embeddings=embeddings)
    first_day: dict[str, str] = {}
    for entry in demo_manifest:
        event = str(entry["event"])
        first_day[event] = min(first_day.get(event, "9999"), str(entry["published"]))
    early, late = tmp_path / "early", tmp_path / "late"
    early.mkdir()
    late.mkdir()
    for entry in demo_manifest:
        name = Path(str(entry["file"])).name
        whole_file = entry["item"] is None
        is_first_day = entry["published"] == first_day[str(entry["event"])]
        target = early if whole_file and is_first_day else late
        if not (target / name).exists():
            shutil.copy(DEMO / str(entry["file"]), target / name)
    assert any(early.iterdir()) and any(late.iterdir())

    def partition(store: Store) -> set[frozenset[str]]:
        groups: dict[str, set[str]] = {}
        for article_id, story_id in store.db.execute(
            "SELECT article_id, story_id FROM story_members"
        ):
            groups.setdefault(story_id, set()).add(article_id)
        return {frozenset(g) for g in groups.values()}

    with Store(tmp_path / "halves.db") as halves, Store(tmp_path / "once.db") as once:
        ingest([early], halves, options)
        ingest([late], halves, options)
        ingest([early, late], once, options)
        # The same stories; their ids name the first article to arrive, which may differ.
        assert partition(halves) == partition(once)


@pytest.mark.parametrize("copies", [1, 2])
def test_pipeline_prepare_many_matches_prepare_one_by_one(copies: int) -> None:
    """Inputs prepared in one batch (one spaCy parse of all their sentences) give each input
    what it gets prepared alone, an input given twice in the batch included."""
    from storylens.model import RawInput
    from storylens.pipeline import Extraction, Prepared, prepare, prepare_many

    paths = sorted((DEMO / "articles").glob("*.txt"))[:6]
    items = [RawInput(str(p), "text", p.read_bytes()) for p in paths] * copies
    extraction = Extraction(attributions=True, events=True)
    batched = prepare_many(items, extraction)
    assert len(batched) == len(items)
    extracted = 0
    for item, results in zip(items, batched, strict=True):
        alone = prepare(item, extraction)
        assert [type(r) for r in results] == [type(r) for r in alone]
        for got, want in zip(results, alone, strict=True):
            assert isinstance(got, Prepared) and isinstance(want, Prepared)
            assert (got.article, got.terms) == (want.article, want.terms)
            assert (got.attributions, got.mentions, got.events) == (
                want.attributions, want.mentions, want.events
            )
            extracted += len(got.attributions) + len(got.events)
    assert extracted > 0
