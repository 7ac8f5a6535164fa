"""Domain refusals: every one names the rule it enforces, the field and the clause."""

from __future__ import annotations


class LedgerError(Exception):
    """Base of every refusal the ledger makes; nothing is written when one is raised."""

    status = 400
    title = "Refused"
    rule = "ledger"

    def __init__(self, detail: str, *, field: str | None = None, rule: str | None = None,
                 clause: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field
        if rule is not None:
            self.rule = rule
        self.clause = clause


class UnknownContract(LedgerError):
    status = 404
    title = "Unknown contract"
    rule = "contract_must_exist"


class UnknownEntry(LedgerError):
    status = 404
    title = "Unknown entry"
    rule = "entry_must_exist"


class InvalidEvent(LedgerError):
    """Malformed input: missing or ill-typed fields, impossible values, personal data."""

    status = 422
    title = "Invalid event"
    rule = "event_schema"

    def __init__(self, detail: str, *, errors: list[dict] | None = None, **kw) -> None:
        super().__init__(detail, **kw)
        self.errors = errors or []


class ImpossibleAct(LedgerError):
    """Well-formed, but impossible in the ledger's own terms (DOMAIN.md §2.1)."""

    status = 409
    title = "Impossible in the ledger's terms"
    rule = "impossible_act"


class StaleVersion(LedgerError):
    status = 409
    title = "Stale version"
    rule = "expected_version"


class DuplicateContract(LedgerError):
    status = 409
    title = "Contract already registered"
    rule = "unique_ref"


class IdempotencyConflict(LedgerError):
    status = 422
    title = "Idempotency key reused with a different request"
    rule = "idempotency_key"


class NotPermitted(LedgerError):
    status = 403
    title = "Not permitted"
    rule = "role_may_record"
