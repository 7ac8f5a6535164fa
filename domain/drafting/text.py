"""A contract text as sentences under section headings, and the values read out of them.

Quotes are cut from ``Document.flat``: the text with every run of whitespace
made one space, which is how the catalogue's quotes are checked against the
sources. A sentence never spans a section heading, a bullet or a paragraph that
starts anew; a heading is numbered ("1.1 TIDSPERIOD", "7.Tvist") or a short
capitalised line standing alone ("Lex Sarah"). Table-of-contents lines, page
numbers and lines repeated as running headers are not headings.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from domain.drafting import phrases as ph

_SPACE = re.compile(r"\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s(?=[A-ZÅÄÖ”\"])")


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int
    end: int
    section: str
    index: int


@dataclass(frozen=True)
class Line:
    text: str
    start: int
    blank_before: bool


@dataclass
class Document:
    flat: str
    sentences: list[Sentence] = field(default_factory=list)
    headings: list[tuple[int, str]] = field(default_factory=list)  # (offset, display form)
    lines: list[Line] = field(default_factory=list)

    def span(self, first: Sentence, last: Sentence) -> str:
        """The verbatim text from the start of ``first`` to the end of ``last``."""
        return self.flat[first.start:last.end]

    def next(self, sentence: Sentence) -> Sentence | None:
        i = sentence.index + 1
        if i < len(self.sentences) and self.sentences[i].section == sentence.section:
            return self.sentences[i]
        return None


def normalise(text: str) -> str:
    """Every run of whitespace as one space, trimmed."""
    return _SPACE.sub(" ", text).strip()


def heading_display(line: str) -> str | None:
    """The section name of a numbered heading line ("1.1 TIDSPERIOD" → "1.1 Tidsperiod"), else None."""
    m = ph.NUMBERED_HEADING.match(line)
    if not m or len(line) > ph.MAX_HEADING_CHARS or ". " in m["title"] or m["title"].endswith(","):
        return None
    title = m["title"].rstrip(": ")
    # "20 Mkr för personskada." is a sentence that starts with a number, not a heading.
    if (title.endswith(".") and not title.lower().endswith(ph.ABBREVIATIONS)) or ph.AMOUNT.search(line):
        return None
    return f"{m['num']}{m['dot']} {_title_case(m['title'])}"


def _title_case(title: str) -> str:
    title = title.rstrip(": ").strip()
    letters = [c for c in title if c.isalpha()]
    if letters and all(c.isupper() for c in letters):
        title = title[0] + title[1:].lower()
    return title


def _is_unnumbered_heading(line: str, previous: str | None, blank_before: bool,
                           following: str | None) -> bool:
    words = line.split()
    if not (3 <= len(line) <= 60 and len(words) <= ph.MAX_UNNUMBERED_HEADING_WORDS):
        return False
    if not line[0].isupper() or any(c.isdigit() for c in line) or line[-1] in ".,;:!?)":
        return False
    if previous is not None and not blank_before and previous[-1] not in ".!?:":
        return False
    return following is None or following[0].isupper() or following[0] in ph.BULLETS


def read_document(raw: str) -> Document:
    """Split ``raw`` into sections and sentences, with offsets into its normalised form."""
    lines: list[Line] = []
    offset, blank = 0, False
    for raw_line in raw.splitlines():
        text = normalise(raw_line)
        if not text:
            blank = True
            continue
        lines.append(Line(text, offset, blank))
        offset += len(text) + 1
        blank = False
    doc = Document(flat=" ".join(line.text for line in lines), lines=lines)

    kinds = _classify(lines)
    breaks: list[tuple[int, str | None]] = []  # (offset where a sentence must start, new section)
    for i, (line, kind) in enumerate(zip(lines, kinds, strict=True)):
        previous = lines[i - 1].text if i else ""
        if kind == "heading":
            display = heading_display(line.text) or _title_case(line.text)
            doc.headings.append((line.start, display))
            breaks.append((line.start, display))
            breaks.append((line.start + len(line.text) + 1, None))
        elif kind in ("toc", "page"):
            breaks.append((line.start, None))
            breaks.append((line.start + len(line.text) + 1, None))
        elif kind == "bullet":
            breaks.append((line.start, None))
            breaks.append((line.start + _bullet_width(line.text), None))
        elif kind == "body" and line.blank_before and (previous[-1:] in (".", "!", "?", ":")
                                                        or line.text[0].isupper()):
            breaks.append((line.start, None))
    _sentences(doc, breaks, kinds)
    return doc


def _bullet_width(text: str) -> int:
    return len(text) - len(text.lstrip(ph.BULLETS + " "))


def _classify(lines: list[Line]) -> list[str]:
    kinds: list[str] = []
    for i, line in enumerate(lines):
        text = line.text
        previous = lines[i - 1].text if i else None
        following = lines[i + 1].text if i + 1 < len(lines) else None
        if ph.PAGE_NUMBER.match(text):
            kinds.append("page")
        elif ph.NOISE_LINE.match(text):
            kinds.append("noise")
        elif ph.TOC_ENTRY.match(text) and _toc_title(text.rsplit(" ", 1)[0]):
            kinds.append("toc")
        elif (text[0] in ph.BULLETS and len(text) > 2 and text[1] == " ") or text[0] == "\uf0b7":
            kinds.append("bullet")
        elif heading_display(text) or _is_unnumbered_heading(text, previous, line.blank_before, following):
            kinds.append("heading")
        else:
            kinds.append("body")
    # Running headers repeat on every page: not headings.
    counts = Counter(line.text for line, kind in zip(lines, kinds, strict=True) if kind == "heading")
    return ["noise" if kind == "heading" and counts[line.text] > 1 and not heading_display(line.text)
            else kind for line, kind in zip(lines, kinds, strict=True)]


def _toc_title(text: str) -> bool:
    return bool(heading_display(text) or _is_unnumbered_heading(text, None, True, None))


def _sentences(doc: Document, breaks: list[tuple[int, str | None]], kinds: list[str]) -> None:
    skip = [(line.start, line.start + len(line.text)) for line, kind in zip(doc.lines, kinds, strict=True)
            if kind in ("heading", "toc", "page")]
    section = ""
    points = sorted(breaks, key=lambda b: b[0])
    bounds: list[tuple[int, int, str]] = []
    cursor = 0
    for position, new_section in [*points, (len(doc.flat) + 1, None)]:
        if position > cursor:
            bounds.append((cursor, min(position, len(doc.flat)), section))
        cursor = max(cursor, position)
        if new_section is not None:
            section = new_section
    for start, end, sect in bounds:
        if any(s <= start and end <= e + 1 for s, e in skip):
            continue
        _split(doc, start, end, sect)


def _split(doc: Document, start: int, end: int, section: str) -> None:
    chunk = doc.flat[start:end]
    cuts = [0]
    for m in _SENTENCE_END.finditer(chunk):
        before = chunk[:m.start()].lower()
        if not before.endswith(ph.ABBREVIATIONS):
            cuts.append(m.end())
    cuts.append(len(chunk))
    for a, b in itertools.pairwise(cuts):
        piece = chunk[a:b]
        lead = len(piece) - len(piece.lstrip())
        text = piece.strip()
        if len(text) < 2:
            continue
        s = start + a + lead
        doc.sentences.append(Sentence(text, s, s + len(text), section, len(doc.sentences)))


# --- values -------------------------------------------------------------------


def decimal_text(value: Decimal) -> str:
    """A decimal as the catalogue writes it: "4093284", "7.5"."""
    return format(value.normalize(), "f")


def number(word: str) -> Decimal | None:
    """A number in digits ("12", "5,5") or words ("tolv", "trettio", "tjugofem")."""
    w = word.lower().replace("\u00a0", " ").replace(" ", "")
    if re.fullmatch(r"\d+(?:,\d+)?", w):
        return Decimal(w.replace(",", "."))
    if w in ph.NUMBER_WORDS:
        return Decimal(ph.NUMBER_WORDS[w])
    for tens, value in ph.TENS_WORDS.items():
        if w == tens:
            return Decimal(value)
        if w.startswith(tens) and w[len(tens):] in ph.NUMBER_WORDS:
            return Decimal(value + ph.NUMBER_WORDS[w[len(tens):]])
    return None


@dataclass(frozen=True)
class Quantity:
    value: int
    kind: str  # days, months, years, working_days
    start: int
    end: int


def quantities(text: str) -> list[Quantity]:
    """Every "N unit" in ``text``, with weeks in days; "trettio (30) dagar" is read once, as 30."""
    found = []
    for m in ph.QUANTITY.finditer(text):
        n = number(m["n"])
        if n is None or n != n.to_integral_value():
            continue
        if m["check"] is not None and int(m["check"]) != n:
            continue  # the words and the digits disagree: read neither
        kind, factor = ph.TIME_UNITS[m["unit"].lower()]
        found.append(Quantity(int(n) * factor, kind, m.start(), m.end()))
    return found


def first_quantity(text: str, kind: str) -> int | None:
    return next((q.value for q in quantities(text) if q.kind == kind), None)


@dataclass(frozen=True)
class Amount:
    kronor: Decimal
    start: int
    end: int


def amounts(text: str) -> list[Amount]:
    """Every sum of money in ``text`` in kronor ("4 093 284 kronor", "5,5 mnkr", "20 Mkr")."""
    found = []
    for m in ph.AMOUNT.finditer(text):
        n = number(m["n"])
        if n is not None:
            value = n * ph.AMOUNT_UNITS[m["unit"].lower()]
            found.append(Amount(value.quantize(Decimal(1)) if value == value.to_integral_value() else value,
                                m.start(), m.end()))
    return found


def dates(text: str) -> list[tuple[date, int]]:
    """Every full date in ``text`` ("2021-01-01", "1 januari 2022"), with its offset."""
    found = []
    for m in ph.ISO_DATE.finditer(text):
        try:
            found.append((date(int(m["y"]), int(m["m"]), int(m["d"])), m.start()))
        except ValueError:
            continue
    for m in ph.WORD_DATE.finditer(text):
        try:
            found.append((date(int(m["y"]), ph.MONTHS[m["month"].lower()], int(m["d"])), m.start()))
        except ValueError:
            continue
    return sorted(found, key=lambda pair: pair[1])


def yearly_due(text: str) -> tuple[int, int] | None:
    """(month, day) of "senast 31 mars" in ``text``, if any and a real day."""
    m = ph.YEARLY_DUE.search(text)
    if not m:
        return None
    month, day = ph.MONTHS[m["month"].lower()], int(m["d"])
    try:
        date(2001, month, day)  # a non-leap year: 29 februari is no yearly due day
    except ValueError:
        return None
    return month, day
