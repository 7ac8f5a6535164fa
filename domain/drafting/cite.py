"""Finding sentences by cue and citing them verbatim."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from domain.drafting.text import Document, Sentence


@dataclass
class Reading:
    """The document being read, and the name its citations carry."""

    doc: Document
    name: str

    def find(self, *cues: re.Pattern[str], unless: re.Pattern[str] | None = None,
             section: re.Pattern[str] | None = None) -> Iterator[Sentence]:
        """Sentences matching every cue (and not ``unless``), optionally under a matching heading."""
        for s in self.doc.sentences:
            if all(c.search(s.text) for c in cues) and not (unless and unless.search(s.text)) \
                    and not (section and not section.search(s.section)):
                yield s

    def first(self, *cues: re.Pattern[str], unless: re.Pattern[str] | None = None,
              section: re.Pattern[str] | None = None) -> Sentence | None:
        return next(self.find(*cues, unless=unless, section=section), None)

    def run(self, first: Sentence, follows: re.Pattern[str], *, limit: int = 4) -> Sentence:
        """The last sentence of the run after ``first`` whose sentences match ``follows``."""
        last = first
        for _ in range(limit):
            nxt = self.doc.next(last)
            if nxt is None or not follows.search(nxt.text):
                break
            last = nxt
        return last

    def cite(self, first: Sentence, last: Sentence | None = None, *, inferred: bool = False,
             quote: str | None = None) -> dict[str, Any]:
        """A citation: the section heading and the verbatim quote from ``first`` to ``last``."""
        text = quote if quote is not None else self.doc.span(first, last or first)
        citation: dict[str, Any] = {"document": self.name, "section": first.section, "quote": text}
        if inferred:
            citation["inferred"] = True
        return citation
