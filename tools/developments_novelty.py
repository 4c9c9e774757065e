"""How the developments' novelty threshold (compare.developments.NOVELTY_MIN) sorts a story's
later sentences: every sentence of every later article, with its fact alignment, its novelty
(the share of its content words no earlier member has), the names and figures it adds, and
whether it is listed; then how many are listed at other thresholds.

    python tools/developments_novelty.py --db demo.db --story ID
    python tools/developments_novelty.py --ecbplus ../shared/data/ecbplus/ecbplus.jsonl.gz \\
        --subtopic 3_ecb

ECB+ documents carry no dates: a subtopic's documents (one event) are read in the order of
their ids, each line one sentence, as a story that grew one article at a time.
"""

from __future__ import annotations

import argparse
import gzip
import json
from pathlib import Path

from storylens.compare import developments as dev
from storylens.compare.facts import align_facts, story_names
from storylens.compare.voices import voices
from storylens.compare.words import content_words
from storylens.model import Article, Sentence
from storylens.store import Store

THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7)


def ecbplus_articles(path: Path, subtopic: str) -> list[Article]:
    """The documents of one ECB+ subtopic as articles, dated one day apart in id order (so
    that publication order is id order), one sentence a line."""
    articles = []
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines]
    chosen = sorted((r for r in records if r["subtopic"] == subtopic), key=lambda r: r["id"])
    for day, record in enumerate(chosen, start=1):
        rows, at = [], 0
        lines_ = [x.strip() for x in record["text"].splitlines() if x.strip()]
        for index, line in enumerate(lines_):
            rows.append(Sentence(index, index, at, at + len(line), line))
            at += len(line) + 2
        articles.append(Article(
            id=record["id"], source=record["id"], kind="text", raw=record["text"],
            text="\n\n".join(lines_), outlet=record["id"],
            published=f"2000-01-{day:02d}" if day < 29 else None, sentences=rows,
        ))
    return articles


def stored_articles(db: Path, story_id: str) -> tuple[list[Article], dict[str, str | None]]:
    with Store(str(db), create=False) as store:
        pairs = store.story_articles(story_id)
    return [a for a, _ in pairs], {a.id: m["wire_copy_of"] for a, m in pairs}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path)
    parser.add_argument("--story")
    parser.add_argument("--ecbplus", type=Path)
    parser.add_argument("--subtopic")
    args = parser.parse_args()
    if args.ecbplus:
        articles = ecbplus_articles(args.ecbplus, args.subtopic)
        copies: dict[str, str | None] = {}
    else:
        articles, copies = stored_articles(args.db, args.story)
    facts = align_facts(articles, copies, voices(articles, copies))
    listed = {
        (d.article_id, s.index): s
        for d in dev.find_developments(articles, facts, copies) for s in d.sentences
    }
    ordered = dev.publication_order(articles)
    place = {a.id: order for order, a in enumerate(ordered)}
    first_seen = dev._first_seen(facts, place)
    scores: list[tuple[float, bool, bool]] = []  # novelty, aligned before, adds
    earlier: set[str] = set()
    earlier_atoms: set[str] = set()
    names = story_names(ordered)
    for order, article in enumerate(ordered):
        if order and not copies.get(article.id):
            print(f"== {article.outlet} {article.published}")
            for s in article.sentences:
                words = content_words(s.text)
                if len(words - names) < dev.FACT_MIN_WORDS:
                    print(f"   short          {s.text[:100]}")
                    continue
                novelty = len(words - earlier) / len(words)
                aligned = first_seen.get((article.id, s.index), order) < order
                adds = bool(dev._added(s.text, earlier_atoms, names))
                scores.append((novelty, aligned, adds))
                found = listed.get((article.id, s.index))
                mark = found.kind if found else "-"
                print(f"   {mark:6} {novelty:.2f} {'A' if aligned else ' '}{'+' if adds else ' '} "
                      f"{s.text[:100]}  {' '.join(found.adds) if found else ''}")
        earlier |= content_words(article.title or "")
        earlier |= set().union(*(dev.sentence_words(s.text) for s in article.sentences))
        earlier_atoms |= dev.atoms(f"{article.title or ''}\n{article.text}")
    print(f"{len(scores)} fact sentences in later articles; listed as new / update by threshold:")
    for threshold in THRESHOLDS:
        new = sum(1 for n, a, _ in scores if not a and n >= threshold)
        update = sum(1 for n, a, adds in scores if (a or n < threshold) and adds)
        print(f"  novelty >= {threshold}: {new} new, {update} updates")


if __name__ == "__main__":
    main()
