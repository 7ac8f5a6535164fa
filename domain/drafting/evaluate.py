"""The reader scored against the shipped catalogue over the seed texts (``ledger terms eval``)."""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

import orjson

from domain.catalogue import load_catalogue
from domain.drafting.reader import Draft, draft_contract
from domain.drafting.score import Comparison, absent_reported, cited_alike, compare, verbatim


@dataclass
class DocumentScore:
    ref: str
    document: str
    draft: Draft
    comparison: Comparison
    verbatim: tuple[int, int]
    cited: tuple[int, int]
    absent: tuple[int, int]


def draft_json(draft: Draft) -> dict[str, Any]:
    return {"description": draft.description, "terms": draft.terms}


def reference(ref: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The catalogue entry as written and as validated (defaults filled in)."""
    raw = orjson.loads((files("domain.catalogue") / f"{ref}.json").read_bytes())
    full = next(e for e in load_catalogue() if e.description.ref == ref).model_dump(mode="json")
    return raw, full


def score_document(ref: str, name: str, text: str) -> DocumentScore:
    raw, full = reference(ref)
    draft = draft_contract(text, ref=ref, documents=[name])
    mine = draft_json(draft)
    return DocumentScore(
        ref=ref, document=name, draft=draft, comparison=compare(mine, raw, full),
        verbatim=verbatim({**mine, "unmodelled": draft.unmodelled}, text), cited=cited_alike(mine, raw),
        absent=absent_reported(draft.not_found, raw["terms"]),
    )


def evaluate(seeds: Path) -> list[DocumentScore]:
    """Every seed text the catalogue names, drafted and scored against its entry."""
    scores = []
    for entry in load_catalogue():
        for name in entry.description.documents:
            path = seeds / name
            scores.append(score_document(entry.description.ref, name, path.read_text(encoding="utf-8")))
    return scores


def ratio(hit: int, total: int) -> float:
    return hit / total if total else 1.0


@dataclass
class Totals:
    truth: int = 0
    recalled: int = 0
    proposed: int = 0
    correct: int = 0
    quotes: int = 0
    quotes_verbatim: int = 0
    cited: int = 0
    cited_alike: int = 0
    absent: int = 0
    absent_reported: int = 0

    @property
    def recall(self) -> float:
        return ratio(self.recalled, self.truth)

    @property
    def precision(self) -> float:
        return ratio(self.correct, self.proposed)


def totals(scores: list[DocumentScore]) -> Totals:
    t = Totals()
    for s in scores:
        c = s.comparison
        t.truth += c.truth
        t.recalled += c.recalled
        t.proposed += c.proposed
        t.correct += c.correct
        t.quotes_verbatim += s.verbatim[0]
        t.quotes += s.verbatim[1]
        t.cited_alike += s.cited[0]
        t.cited += s.cited[1]
        t.absent_reported += s.absent[0]
        t.absent += s.absent[1]
    return t


def by_family(scores: list[DocumentScore]) -> dict[str, list[int]]:
    """truth, recalled, proposed, correct per clause family over all documents."""
    result: dict[str, list[int]] = {}
    for s in scores:
        for name, counts in s.comparison.by_family.items():
            acc = result.setdefault(name, [0, 0, 0, 0])
            for i, n in enumerate(counts):
                acc[i] += n
    return result
