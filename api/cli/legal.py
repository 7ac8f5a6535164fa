"""``ledger legal-basis REF``: the law and bodies a contract cites, stale ones first (issue 12)."""

from __future__ import annotations

from typing import Annotated

import typer

from api.cli.app import app, handles_errors, out, print_json, print_table
from api.cli.reads import AsJson, AsOf, KnownAt, Ref, _times, plain, read_models


@app.command("legal-basis")
@handles_errors
def legal_basis(ref: Ref, as_of: AsOf = None, known_at: KnownAt = None, as_json: AsJson = False,
                stale: Annotated[bool, typer.Option("--stale", help="Only references that need a pass")]
                = False) -> None:
    """Each legal reference of the contract: status, successor, since, and the clauses citing it."""
    from domain import legal
    from domain.terms import Terms

    day, instant = _times(as_of, known_at)
    with read_models() as models:
        contract = models.contract(ref, as_of=day, known_at=instant)
    terms = Terms.model_validate(contract.terms)
    views = legal.legal_basis(terms, stale_only=stale)
    if as_json:
        print_json({"ref": ref, "references": [plain(v) | {"stale": v.stale} for v in views]})
        return
    out.print(f"{ref}: {legal.internal_agreement(terms)}", highlight=False)
    for sentence in legal.incorporated_documents(terms):
        out.print(sentence, highlight=False)
    from domain import vocabulary as sv

    print_table("lagar och föreskrifter", ["hänvisning", "status", "ersatt av", "sedan", "kontrollerad",
                                           "avsnitt"],
                [(v.reference, sv.label("status", v.status), v.successor or "—", v.since or "—", v.checked_on,
                  "; ".join(c["section"] for c in v.clauses)) for v in views])
