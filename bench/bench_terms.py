"""The terms reader scored against the shipped catalogue over the seed texts (issue 17).

    python -m bench.bench_terms [SEEDS_DIR]

Prints per text and per clause family: recall and precision over the catalogue's
fields (numbers and dates exact), quotes found word for word in the text, citations
agreeing with the catalogue's, and families the contract lacks reported as not found.
Of the legal basis only what a text can give is scored (which references it cites, and where);
a reference's currency is the ledger's own knowledge (domain/legal.py), not the reader's.
Every figure is computed by running the reader; none is written down here.
"""

from __future__ import annotations

import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table

from domain.drafting.report import report_tables

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    seeds = Path(args[0]) if args else SEEDS
    if not seeds.is_dir():
        print(f"no seed texts at {seeds}; skipped")
        return 0
    console = Console(soft_wrap=True)
    for title, columns, rows in report_tables(seeds):
        table = Table(title=title)
        for column in columns:
            table.add_column(column)
        for row in rows:
            table.add_row(*[str(v) for v in row])
        console.print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
