"""The eval as tables (``ledger terms eval``, ``python -m bench.bench_terms``) and as JSON.

Every figure is computed from a run of the reader over the texts; none is written down.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from domain.drafting.evaluate import DocumentScore, by_family, evaluate, ratio, totals
from domain.drafting.phrases import FAMILY_LABELS

Table = tuple[str, list[str], list[tuple[Any, ...]]]


def percent(hit: int, total: int) -> str:
    return f"{100 * ratio(hit, total):.1f} %".replace(".", ",")  # Swedish decimal comma


def document_rows(scores: list[DocumentScore]) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = []
    for s in scores:
        c = s.comparison
        rows.append((_short(s.document), s.ref, f"{c.recalled}/{c.truth}", percent(c.recalled, c.truth),
                     f"{c.correct}/{c.proposed}", percent(c.correct, c.proposed),
                     percent(*s.verbatim), percent(*s.cited), f"{s.absent[0]}/{s.absent[1]}"))
    t = totals(scores)
    rows.append(("totalt", "", f"{t.recalled}/{t.truth}", percent(t.recalled, t.truth),
                 f"{t.correct}/{t.proposed}", percent(t.correct, t.proposed),
                 percent(t.quotes_verbatim, t.quotes), percent(t.cited_alike, t.cited),
                 f"{t.absent_reported}/{t.absent}"))
    return rows


def family_rows(scores: list[DocumentScore]) -> list[tuple[Any, ...]]:
    rows = []
    order = list(FAMILY_LABELS)
    for name, (truth, recalled, proposed, correct) in sorted(
            by_family(scores).items(), key=lambda item: order.index(item[0]) if item[0] in order else 99):
        rows.append((FAMILY_LABELS.get(name, name), truth, percent(recalled, truth), proposed,
                     percent(correct, proposed)))
    return rows


def miss_rows(scores: list[DocumentScore]) -> list[tuple[Any, ...]]:
    return [(_short(s.document), path, _text(mine), _text(theirs), status)
            for s in scores for path, mine, theirs, status in s.comparison.rows if status != "lika"]


def _short(document: str) -> str:
    """"000_b10c256f60d95dd0.txt" → "000": the seeds' numbers are what people call them."""
    return document.split("_", 1)[0]


def _text(value: Any) -> str:
    text = "—" if value is None else str(value)
    return text if len(text) <= 60 else text[:59] + "…"


def report_tables(seeds: Path) -> list[Table]:
    scores = evaluate(seeds)
    return [
        ("Läsaren mot katalogen, per text (fält för fält; tal och datum exakta)",
         ["text", "uppdrag", "återfunna", "täckning", "rätt av föreslagna", "precision",
          "ordagranna citat", "citat som katalogens", "saknade områden rapporterade"],
         document_rows(scores)),
        ("Per område (alla texter)", ["område", "fält i katalogen", "täckning", "föreslagna", "precision"],
         family_rows(scores)),
        ("Fält som inte stämmer", ["text", "fält", "utkast", "katalogen", "status"], miss_rows(scores)),
    ]


def report_json(seeds: Path) -> dict[str, Any]:
    scores = evaluate(seeds)
    t = totals(scores)
    return {
        "recall": t.recall, "precision": t.precision,
        "quotes_verbatim": ratio(t.quotes_verbatim, t.quotes),
        "citations_alike": ratio(t.cited_alike, t.cited),
        "absent_families_reported": ratio(t.absent_reported, t.absent),
        "documents": [{"document": s.document, "ref": s.ref, "fields": s.comparison.truth,
                       "recalled": s.comparison.recalled, "proposed": s.comparison.proposed,
                       "correct": s.comparison.correct, "quotes": s.verbatim[1],
                       "quotes_verbatim": s.verbatim[0], "absent": s.absent[1],
                       "absent_reported": s.absent[0],
                       "not_found": [n["family"] for n in s.draft.not_found]} for s in scores],
        "families": {name: dict(zip(("fields", "recalled", "proposed", "correct"), counts, strict=True))
                     for name, counts in by_family(scores).items()},
        "misses": [{"document": s.document, "field": path, "draft": mine, "catalogue": theirs,
                    "status": status}
                   for s in scores for path, mine, theirs, status in s.comparison.rows if status != "lika"],
    }
