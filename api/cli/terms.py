"""``ledger terms``: draft a contract's terms from its text, review them against the registered
terms, register the reviewed draft, and score the reader on the seed texts (issue 17).

A draft is never registered by itself: ``draft`` writes a proposal, a person edits it,
``diff`` shows it beside what is registered, ``register`` validates it like any
``ContractRegistered``. Exit codes as the rest of ``ledger``: 2 unusable input, 3 unknown contract.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import orjson
import typer

from api.cli.app import (
    EXIT_INVALID,
    EXIT_NOT_FOUND,
    app,
    err,
    handles_errors,
    opened_ledger,
    out,
    print_json,
    print_table,
)

terms_app = typer.Typer(help="Utkast till villkor ur ett uppdrags text: granska, jämför, registrera.",
                        no_args_is_help=True)
app.add_typer(terms_app, name="terms")

# The seed texts sit next to the repository (../shared/seeds).
SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"
QUOTE_WIDTH = 90


def _short(text: Any, width: int = QUOTE_WIDTH) -> str:
    text = "—" if text is None else str(text)
    return text if len(text) <= width else text[: width - 1] + "…"


@terms_app.command("draft")
@handles_errors
def draft(
    file: Annotated[Path, typer.Argument(help="The agreement as plain text (UTF-8)", exists=True,
                                         dir_okay=False)],
    ref: Annotated[str | None, typer.Option(help="Reference of the new contract (default: from its title)")]
    = None,
    output: Annotated[Path | None, typer.Option("--out", help="Write the draft as JSON to this file")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the draft as JSON, not tables")] = False,
) -> None:
    """Propose a ContractRegistered body from the text, every term with its verbatim citation."""
    from domain.drafting import phrases
    from domain.drafting.reader import draft_contract
    from domain.drafting.score import citations, family, fields

    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        err.print(f"[red]ogiltig[/red] {file}: inte UTF-8-text; inget utkast skrevs")
        raise typer.Exit(EXIT_INVALID) from None
    proposal = draft_contract(text, ref=ref, documents=[file.name])
    result = proposal.to_json()
    if output is not None:
        output.write_bytes(orjson.dumps(result, option=orjson.OPT_INDENT_2) + b"\n")
    if as_json:
        print_json(result)
        return
    body = {"description": proposal.description, "terms": proposal.terms}
    cites = citations(body)
    rows = []
    for path, value in fields(body).items():
        cite = _citation_of(path, cites)
        rows.append((phrases.FAMILY_LABELS.get(family(path), family(path)), path.split(".", 1)[1],
                     _short(value, 40), (cite or {}).get("section") or "—",
                     _short((cite or {}).get("quote"))))
    print_table(f"Utkast: {proposal.description['ref']} ({len(rows)} fält)",
                ["område", "fält", "värde", "avsnitt", "citat"], rows)
    print_table("Letade efter men hittade inte", ["område", "fynd"],
                [(phrases.FAMILY_LABELS.get(n["family"].split(".")[0], n["family"]), n["finding"])
                 for n in proposal.not_found])
    if proposal.unmodelled:
        print_table("Finns i texten men saknas i villkorsmodellen", ["område", "fynd", "avsnitt"],
                    [(phrases.FAMILY_LABELS.get(u["family"], u["family"]), u["finding"],
                      u["citation"]["section"] or "—") for u in proposal.unmodelled])
    for problem in result["problems"]:
        err.print(f"[yellow]registreras inte som det är[/yellow] {problem}", highlight=False)
    if output is not None:
        out.print(f"utkastet skrevs till {output}; granska det innan det registreras")


def _citation_of(path: str, cites: dict[str, dict[str, Any]]) -> dict[str, Any] | None:
    """The citation a field was read from: its own ``*_citation``, else its clause's, outward."""
    parent, _, leaf = path.rpartition(".")
    # "visitor_fee_price_year" was read where "visitor_fee_citation" points.
    own = [p for p in cites if p.startswith(f"{parent}.") and p.count(".") == path.count(".")
           and leaf.startswith(p.rpartition(".")[2].removesuffix("citation"))]
    if own:
        return cites[max(own, key=len)]
    while parent.count(".") >= 1:
        if f"{parent}.citation" in cites:
            return cites[f"{parent}.citation"]
        parent = parent.rpartition(".")[0].split("[")[0]
    return None


def body_of(raw: dict[str, Any]) -> dict[str, Any]:
    """A ContractRegistered body from a draft file, a catalogue entry or a body itself."""
    if "body" in raw:
        return dict(raw["body"])
    if "description" in raw and "terms" in raw:
        start = (raw["description"].get("in_force_from") or {}).get("date")
        return {"effective_date": start, **raw["description"], "terms": raw["terms"]}
    return dict(raw)


def _read_draft(path: Path) -> dict[str, Any]:
    try:
        raw = orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError) as error:
        err.print(f"[red]ogiltig[/red] {path}: kan inte läsas som JSON ({error})")
        raise typer.Exit(EXIT_INVALID) from None
    if not isinstance(raw, dict):
        err.print(f"[red]ogiltig[/red] {path}: ett JSON-objekt väntades")
        raise typer.Exit(EXIT_INVALID)
    body = body_of(raw)
    body.pop("type", None)
    return body


def _split(body: dict[str, Any]) -> dict[str, Any]:
    event_only = ("type", "terms", "effective_date", "document_ref", "note")
    description = {k: v for k, v in body.items() if k not in event_only}
    return {"description": description, "terms": body.get("terms") or {}}


@terms_app.command("diff")
@handles_errors
def diff(
    draft_file: Annotated[Path, typer.Argument(metavar="DRAFT.json", help="From `ledger terms draft`")],
    ref: Annotated[str, typer.Argument(help="The registered contract to compare with")],
    catalogue: Annotated[bool, typer.Option("--catalogue", help="Compare with the shipped catalogue "
                                                                "instead of the ledger")] = False,
    all_fields: Annotated[bool, typer.Option("--all", help="Also list the fields that agree")] = False,
) -> None:
    """Draft against registered terms (in force today), field by field."""
    from pydantic import ValidationError

    from domain.drafting import phrases
    from domain.drafting.score import compare, family
    from domain.events import ContractRegistered

    body = _read_draft(draft_file)
    try:
        mine = _split(ContractRegistered.model_validate(body).model_dump(mode="json"))
    except ValidationError:
        mine = _split(body)  # compared as written; `register` names what is wrong with it
    theirs = _registered(ref, catalogue)
    result = compare(mine, theirs, theirs)
    rows = [(phrases.FAMILY_LABELS.get(family(p), family(p)), p.split(".", 1)[1], _short(a, 40),
             _short(b, 40), status) for p, a, b, status in result.rows if all_fields or status != "lika"]
    source = "katalogen" if catalogue else "liggaren"
    print_table(f"Utkast mot registrerat ({ref}, {source}): {result.correct} av {result.proposed} "
                f"föreslagna fält lika, {result.recalled} av {result.truth} registrerade fält återfunna",
                ["område", "fält", "utkast", "registrerat", "status"], rows)


def _registered(ref: str, catalogue: bool) -> dict[str, Any]:
    if catalogue:
        from domain.catalogue import catalogue_entry

        try:
            return catalogue_entry(ref).model_dump(mode="json")
        except KeyError:
            err.print(f"[red]okänt[/red] inget uppdrag {ref!r} i katalogen")
            raise typer.Exit(EXIT_NOT_FOUND) from None
    from api.settings import today
    from projections.judgement import amendments_of, terms_on

    with opened_ledger() as ledger:
        entries = ledger.entries(ref)  # LedgerError (404) → exit 3 via handles_errors
    registered = _split(entries[0].data)
    return {"description": registered["description"],
            "terms": terms_on(registered["terms"], amendments_of(entries), today())}


@terms_app.command("register")
@handles_errors
def register(
    draft_file: Annotated[Path, typer.Argument(metavar="DRAFT.json", help="A reviewed draft")],
) -> None:
    """Register a reviewed draft (admin): validated like any ContractRegistered."""
    from api.cli.core import CLI_ADMIN
    from domain.events import ContractRegistered

    event = ContractRegistered.model_validate(_read_draft(draft_file))
    # Registering a contract may start a ledger, as `ledger seed` does.
    with opened_ledger(create=True) as ledger:
        outcome = ledger.register(event, CLI_ADMIN)
    out.print(f"{outcome.ref}: registrerat (seq {outcome.seq}, version {outcome.version})")


@terms_app.command("eval")
@handles_errors
def evaluate(
    seeds: Annotated[Path, typer.Option(help="Folder of the seed texts")] = SEEDS,
    as_json: Annotated[bool, typer.Option("--json", help="JSON instead of tables")] = False,
) -> None:
    """Score the reader against the shipped catalogue over the seed texts, field by field."""
    from domain.drafting.report import report_json, report_tables

    if not seeds.is_dir():
        err.print(f"[red]saknas[/red] ingen mapp med texter: {seeds}")
        raise typer.Exit(EXIT_INVALID)
    if as_json:
        print_json(report_json(seeds))
        return
    for title, columns, rows in report_tables(seeds):
        print_table(title, columns, rows)
