"""The scaling benches' ledgers (bench/ledgers.py) are real ledgers: every event verifies with its
hash link, the read models are the rules' judgement, and the filler arises no obligation, so the
reads curve compares answers of one size at every store size."""

from __future__ import annotations

from domain import rules
from domain.ledger import Ledger
from domain.storage import Database
from domain.verification import verify_application
from projections.reads import ReadModels

CONTRACTS, PER_CONTRACT = 4, 30


def test_bench_ledger_verifies_and_reads_as_the_rules_judge(database: Database) -> None:
    from bench import ledgers

    ledgers.build(database.url, CONTRACTS * PER_CONTRACT, CONTRACTS, workers=2)
    ledger = Ledger.open(database)
    try:
        report = verify_application(ledger)
        assert report.ok, report.bad
        assert (report.events, report.contracts) == (CONTRACTS * PER_CONTRACT, CONTRACTS)
        statuses: set[str] = set()
        with ReadModels(database, today=lambda: ledgers.TODAY, ledger=ledger) as models:
            for ref in ledgers.refs(CONTRACTS):
                entries = ledger.entries(ref)
                assert len(entries) == PER_CONTRACT
                assert {e.type for e in entries[1 + ledgers.DUTIES:]} == {"LexSarahReported"}
                served = {o.id: s for o, s in models.obligations(ref, as_of=ledgers.TODAY)}
                # What the duties alone give: the filler after them changes nothing.
                duties = rules.evaluate(entries[:1 + ledgers.DUTIES], through=ledgers.TODAY)
                judged = {o.id: o.status_on(ledgers.TODAY) for o in duties.obligations
                          if o.arises_on <= ledgers.TODAY}
                assert served == judged
                statuses |= set(served.values())
        assert {"overdue", "fulfilled"} <= statuses  # some duties left undone, some done
    finally:
        ledger.close()
