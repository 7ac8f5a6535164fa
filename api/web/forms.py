"""A form per event type, generated from the pydantic event models in ``domain.events``.

Each model field becomes a widget chosen by its type (a date, yes/no, a party, an earlier
entry, a number, lines of text, ...), labelled from ``domain.vocabulary``. What a person
types is turned back into the model's input, validated by the model itself, and every
error is put, in Swedish, under the field it concerns.
"""

from __future__ import annotations

import hashlib
import re
import types
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import orjson
from pydantic import BaseModel, ValidationError

from api.web.form_texts import HELP, LEDGER_RULES
from api.web.form_texts import swedish as _swedish
from domain import vocabulary
from domain.contract import Entry
from domain.events import EVENT_CLASSES, RECORDERS, REFERENCES, DecidedAct, Event, GroupSession, Session

ROWS = 3
_FIRST, _LAST = ("effective_date",), ("document_ref", "note")
_HIDDEN = {"type"}



@dataclass
class Widget:
    """One form field: its name, kind of input, label, help, value as typed, and choices.

    A nested model (the decision behind an act) is a fieldset of ``children``; a list of
    sub-models (signatories) is ``rows`` of such children. Their names are the path joined
    by "-" (``decision-body``, ``signatories-0-name``), which is also how errors are keyed.
    """

    name: str
    kind: str
    label: str
    required: bool
    help: str = ""
    value: Any = ""
    choices: list[tuple[str, str]] = field(default_factory=list)
    attrs: dict[str, Any] = field(default_factory=dict)
    children: list[Widget] = field(default_factory=list)
    rows: list[list[Widget]] = field(default_factory=list)


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """The annotation without ``| None`` and its constraints (``Annotated``, e.g. the bounded
    ``Day`` and ``StrictInt`` of domain.bounds), and whether None was allowed."""
    optional = False
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            annotation, optional = args[0], True
    while get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    return annotation, optional


def _is_model(value: Any) -> bool:
    return isinstance(value, type) and issubclass(value, BaseModel)


def _sub_model(annotation: Any) -> type[BaseModel]:
    """The model inside ``Model | None`` or ``list[Model]``."""
    base = _unwrap(annotation)[0]
    return base if _is_model(base) else get_args(base)[0]  # type: ignore[no-any-return]


def _kind(name: str, annotation: Any, metadata: list[Any], event_type: str) -> str:
    base, _ = _unwrap(annotation)
    origin, args = get_origin(base), get_args(base)
    if base is date:
        return "date"
    if base is bool:
        return "bool"
    if origin is Literal:
        return "choice"
    if _is_model(base):
        return "model"
    if base is int:
        return "entry" if REFERENCES.get(event_type, ("",))[0] == name or name == "entry_seq" else "int"
    if base is Decimal:
        return "decimal"
    if base is str:
        pattern = next((m.pattern for m in metadata if getattr(m, "pattern", None)), None)
        if pattern and "0[1-9]" in pattern:
            return "month"
        longest = next((m.max_length for m in metadata if getattr(m, "max_length", None)), 4000)
        return "textarea" if longest > 200 else "text"
    if origin is list:
        item = _unwrap(args[0])[0] if args else str
        item = get_args(item)[0] if get_origin(item) is not None and get_args(item) else item
        if _is_model(item) and item not in (Session, GroupSession):
            return "rows"
        return {Session: "sessions", GroupSession: "group_sessions",
                int: "seqs"}.get(item, "lines" if name == "breaches" else "list")
    if origin is dict:
        value = get_args(base)[1] if get_args(base) else Any
        return "json" if value is Any else "pairs"
    return "text"


def _label(name: str) -> str:
    text = vocabulary.label("field", name)
    return text[:1].upper() + text[1:]


def _choice(name: str, code: str) -> str:
    return vocabulary.label("party" if code in vocabulary.PARTIES else name, code)


# Required of new input by a validator, though the field may be absent in stored entries.
_REQUIRED_NEW: dict[str, tuple[str, ...]] = {"DisputeDecided": ("justerat_on", "anslaget_on", "document_ref")}


def _required(cls: type[BaseModel], name: str, event_type: str) -> bool:
    return cls.model_fields[name].is_required() or name in _REQUIRED_NEW.get(event_type, ()) or (
        name == "decision" and issubclass(cls, DecidedAct))


def event_types_for(role: str | None) -> list[tuple[str, str]]:
    """(code, Swedish name) of every event the role may record on a registered contract."""
    return [(code, vocabulary.label("event", code)) for code, roles in RECORDERS.items()
            if role in roles and code in EVENT_CLASSES
            # (gallring is `ledger redact`: it removes content, which no form may do halfway)
            and code not in ("ContractRegistered", "EntryRedacted")]


def widgets(event_type: str, values: dict[str, Any], *, party: str | None,
            entries: list[Entry], terms: dict[str, Any]) -> list[Widget]:
    """The fields of ``event_type``'s form, filled from ``values`` (what was typed) or defaults."""
    cls = EVENT_CLASSES[event_type]
    names = [n for n in cls.model_fields if n not in _HIDDEN]
    middle = [n for n in names if n not in _FIRST + _LAST]
    # The decision behind an act comes last, beside the letter's diarienummer.
    middle.sort(key=lambda n: n == "decision" and issubclass(cls, DecidedAct))
    ordered = [*_FIRST, *middle, *_LAST]
    return [_widget(cls, name, event_type, values, party=party, entries=entries, terms=terms)
            for name in ordered]


def _widget(cls: type[BaseModel], name: str, event_type: str, values: dict[str, Any], *,
            party: str | None, entries: list[Entry], terms: dict[str, Any], prefix: str = "",
            row: int | None = None) -> Widget:
    info = cls.model_fields[name]
    key = prefix + name
    kind = _kind(name, info.annotation, list(info.metadata), event_type)
    label = _label(name) if row is None else f"{_label(name)} {row + 1}"
    widget = Widget(name=key, kind=kind, label=label, required=_required(cls, name, event_type),
                    help=HELP.get(key, "") if prefix else HELP.get(name, ""))
    default = None if info.is_required() else info.get_default(call_default_factory=True)
    widget.value = values.get(key, _shown(kind, default))
    more = {"party": party, "entries": entries, "terms": terms}
    if kind == "model":
        sub = _sub_model(info.annotation)
        widget.children = [_widget(sub, n, event_type, values, prefix=f"{key}-", **more)
                           for n in sub.model_fields]
    elif kind == "rows":
        # One row per party to start with (an amendment needs both), a spare for a third.
        sub = _sub_model(info.annotation)
        widget.rows = [[_widget(sub, n, event_type, values, prefix=f"{key}-{i}-", row=i, **more)
                        for n in sub.model_fields] for i in range(ROWS)]
        for i, cells in enumerate(widget.rows):
            for cell in cells:
                if cell.kind == "choice" and cell.name not in values:
                    cell.value = ("bestallare", "utforare", "")[i] if cell.name.endswith("party") else ""
    elif kind == "choice":
        base = _unwrap(info.annotation)[0]
        widget.choices = [(code, _choice(name, code)) for code in get_args(base)]
        if name == "by" and key not in values and party:
            widget.value = party
    elif kind == "entry":
        widget.choices = _entry_choices(event_type, name, entries)
    elif kind == "pairs" and key not in values and name == "fte_allocation":
        units = ((terms.get("fte_allocation") or {}).get("units")) or {}
        widget.value = "\n".join(f"{unit}: {vocabulary.number(fte)}" for unit, fte in units.items())
    for rule in info.metadata:
        for attr in ("ge", "le", "gt", "max_length"):
            if getattr(rule, attr, None) is not None:
                widget.attrs[attr] = getattr(rule, attr)
    return widget


def flatten(found: list[Widget]) -> list[Widget]:
    """Every widget with the fields nested in it, in page order (for the error summary)."""
    return [w for top in found for w in [top, *flatten(top.children)]]


def _shown(kind: str, default: Any) -> Any:
    if default is None or default == [] or default == {}:
        return ""
    if kind == "bool":
        return "ja" if default else "nej"
    return str(default)


def _entry_choices(event_type: str, name: str, entries: list[Entry]) -> list[tuple[str, str]]:
    corrected = {e.data.get("entry_seq") for e in entries if e.type == "EntryCorrected"}
    if name == "entry_seq":
        allowed = [e for e in entries if e.seq > 1 and e.type != "EntryCorrected" and e.seq not in corrected]
    else:
        wanted = REFERENCES[event_type][1]
        allowed = [e for e in entries if e.type in wanted and e.seq not in corrected]
    return [(str(e.seq), f"Post {e.seq}: {vocabulary.label('event', e.type)} "
             f"{vocabulary.day(e.effective_date)}") for e in reversed(allowed)]


# --- from the form to the model --------------------------------------------------------------

_SPLIT = re.compile(r"[,;\s]+")


def payload(event_type: str, form: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """The model's input from the typed values, and errors of shape found on the way."""
    data, errors = _collect(EVENT_CLASSES[event_type], event_type, form)
    return {"type": event_type, **data}, errors


def _collect(cls: type[BaseModel], event_type: str, form: dict[str, Any], prefix: str = "",
             in_row: bool = False) -> tuple[dict[str, Any], dict[str, str]]:
    data: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name, info in cls.model_fields.items():
        if name in _HIDDEN:
            continue
        key = prefix + name
        kind = _kind(name, info.annotation, list(info.metadata), event_type)
        if kind == "model":
            # Left wholly empty, the model is absent (and the event says whether it needs it).
            sub, found = _collect(_sub_model(info.annotation), event_type, form, f"{key}-")
            errors |= found
            if sub:
                data[name] = sub
            continue
        if kind == "rows":
            sub_cls = _sub_model(info.annotation)
            data[name] = []
            for i in range(ROWS):
                sub, found = _collect(sub_cls, event_type, form, f"{key}-{i}-", in_row=True)
                errors |= found
                if any(sub.get(n) not in (None, "") for n, sub_info in sub_cls.model_fields.items()
                       if _kind(n, sub_info.annotation, [], event_type) not in ("bool", "choice")):
                    data[name].append(sub)
            continue
        if kind == "bool" and in_row:  # a checkbox: unticked is no
            data[name] = form.get(key) == "ja"
            continue
        raw = form.get(key)
        text = raw.strip() if isinstance(raw, str) else ""
        if not text:
            continue
        try:
            data[name] = _typed(kind, text)
        except ValueError as error:
            errors[key] = str(error)
    return data, errors


def _number(text: str) -> Any:
    """A whole number typed in a form as the int the strict models take; other text as it is,
    for the model to refuse in Swedish."""
    return int(text) if _WHOLE.match(text) else text


_WHOLE = re.compile(r"^[+-]?\d{1,18}$")


def _typed(kind: str, text: str) -> Any:
    if kind in ("int", "entry"):
        return _number(text)
    if kind == "bool":
        return {"ja": True, "nej": False}.get(text, text)
    if kind == "decimal":
        return _decimal_text(text)
    if kind in ("lines",):
        return [line.strip() for line in text.splitlines() if line.strip()]
    if kind in ("seqs", "list"):
        return [_number(part) for part in _SPLIT.split(text) if part] if kind == "seqs" else \
            [part.strip() for part in text.split(",") if part.strip()]
    if kind == "pairs":
        pairs = {}
        for line in text.splitlines():
            if not line.strip():
                continue
            key, colon, amount = line.rpartition(":")
            if not colon or not key.strip():
                raise ValueError(f"Raden ”{line.strip()[:40]}” ska skrivas namn: tal.")
            pairs[key.strip()] = _decimal_text(amount)
        return pairs
    if kind == "sessions":
        return [{"minutes": _number(m)} for m in _SPLIT.split(text) if m]
    if kind == "group_sessions":
        rows = []
        for line in text.splitlines():
            parts = [p for p in _SPLIT.split(line.strip()) if p]
            if not parts:
                continue
            if len(parts) != 2:
                raise ValueError(f"Raden ”{line.strip()[:40]}” ska skrivas minuter, deltagare.")
            rows.append({"minutes": _number(parts[0]), "participants": _number(parts[1])})
        return rows
    if kind == "json":
        try:
            return orjson.loads(text)
        except orjson.JSONDecodeError:
            raise ValueError("Skriv ändringarna som JSON, t.ex. "
                             '{"termination": {"notice_months": 6}}.') from None
    return text


def _decimal_text(text: str) -> str:
    return text.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")


def validate(event_type: str, form: dict[str, Any]) -> tuple[Event | None, dict[str, str]]:
    """The validated event, or the Swedish errors by field name."""
    data, errors = payload(event_type, form)
    if errors:
        return None, errors
    cls = EVENT_CLASSES[event_type]
    try:
        return cls.model_validate(data), {}
    except ValidationError as error:
        found = swedish_errors(error, cls)
    # Pydantic judges the whole act only once its fields are valid; say at once that the
    # decision is missing, so a person does not correct the form in two rounds.
    if issubclass(cls, DecidedAct) and "decision" not in data and not any(
            name.startswith("decision") for name in found):
        found["decision"] = _swedish({}, "decision: kräver beslutet")
    for name, info in cls.model_fields.items():  # a yes/no left unanswered is a choice to make
        if name in found and name not in data and \
                _kind(name, info.annotation, list(info.metadata), event_type) == "bool":
            found[name] = "Välj ja eller nej."
    return None, found


_FIELD_IN_MESSAGE = re.compile(r"(?:field '(?P<quoted>[^'.]+)[^']*'|^(?P<bare>[a-z_]+):)")


def swedish_errors(error: ValidationError, cls: type[BaseModel] | None = None) -> dict[str, str]:
    """Pydantic's errors in Swedish, by the field they concern: a nested model's field by its
    path (``decision-body``), a row of a list by the list (``signatories``)."""
    found: dict[str, str] = {}
    for item in error.errors():
        message = str(item.get("msg", "")).removeprefix("Value error, ")
        path: list[str] = []
        model = cls
        for part in item.get("loc", ()):
            if not isinstance(part, str) or (model is not None and part not in model.model_fields):
                break
            path.append(part)
            info = model.model_fields[part] if model is not None else None
            model = _sub_model(info.annotation) if info is not None and \
                _kind(part, info.annotation, [], "") == "model" else None
            if model is None:
                break
        named = _FIELD_IN_MESSAGE.search(message)
        name = "-".join(path) if path else (
            (named.group("quoted") or named.group("bare")) if named else "effective_date")
        found.setdefault(name, _swedish(item, message))
    return found


def fingerprint(event: BaseModel | None) -> str:
    """What the preview showed, so Spara can tell whether the form changed since."""
    if event is None:
        return ""
    return hashlib.sha256(orjson.dumps(event.model_dump(mode="json"), option=orjson.OPT_SORT_KEYS)
                          ).hexdigest()[:32]

__all__ = ["HELP", "LEDGER_RULES", "Widget", "event_types_for", "fingerprint", "flatten", "payload",
           "swedish_errors", "validate", "widgets"]
