"""Export the ledger as JSON Lines and import it into an empty ledger, verified first.

File format (docs/VERIFYING.md §5), UTF-8, one JSON object per line, every line
canonical JSON (sorted keys, no whitespace) ended by ``\\n``:

* one line per contract event, in recording order::

    {"actor", "event", "hash", "notification_id", "prev_hash", "recorded_at", "ref",
     "role", "seq", "type"}

  ``event`` is the stored payload, ``recorded_at`` the instant exactly as hashed
  (ISO 8601, microseconds, offset), ``type`` the payload's ``type``, and
  ``notification_id`` the source ledger's notification id (informative; the
  target assigns its own);
* a last line holding a signed checkpoint of those events and a signed digest
  of the event lines, so that every byte of the file is covered::

    {"checkpoint": {"events", "head", "signed_at", "signature", "public_key"},
     "lines_sha256": "<hex sha256 of all event lines, newlines included>",
     "lines_signature": "<base64 Ed25519 over canonical {"events", "head", "lines_sha256"}>"}

``verify_export`` needs no database. ``import_file`` verifies the whole file before
it writes anything, then writes every event in one transaction through the
application (the library's mapper and recorder), with the original recording
instants, actors, roles and links, so the target verifies to the same head.
"""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from api.checkpoints import (
    CheckpointError,
    VerificationFailed,
    check_shape,
    load_or_create_key,
    sign_checkpoint,
    signature_problems,
    signature_valid,
)
from domain.errors import LedgerError
from domain.hashing import canonical
from domain.verification import BadEntry, Verifier, recorded_at_text, stored_records

LINE_FIELDS = frozenset({"notification_id", "ref", "seq", "type", "recorded_at", "actor", "role",
                         "event", "prev_hash", "hash"})
# An entry linked over its payload's digest (docs/VERIFYING.md §2) carries both besides.
LINE_FIELDS_V2 = LINE_FIELDS | {"link_version", "event_sha256"}
TRAILER_FIELDS = frozenset({"checkpoint", "lines_sha256", "lines_signature"})
_SORT = orjson.OPT_SORT_KEYS


def lines_signing_bytes(events: int, head: str, lines_sha256: str) -> bytes:
    """What the trailer's ``lines_signature`` signs."""
    return canonical({"events": events, "head": head, "lines_sha256": lines_sha256})


# --- export ---------------------------------------------------------------------------


def export_ledger(ledger: Any, path: Path, key: Ed25519PrivateKey | None = None) -> dict[str, Any]:
    """Write the whole ledger to ``path`` (atomically); returns the checkpoint written.

    Every entry is verified while it is read; a ledger that does not verify is not
    exported (``VerificationFailed`` naming the first bad entry).
    """
    key = key or load_or_create_key()
    verifier = Verifier()
    digest = hashlib.sha256()
    path.parent.mkdir(parents=True, exist_ok=True)
    aside = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    try:
        with aside.open("wb") as out:
            for nid, oid, seq, topic, state, error in stored_records(ledger):
                ok = (verifier.add_stored(nid, oid, seq, topic, state) if error is None
                      else verifier.add_undecodable(nid, oid, seq, error))
                if not ok:
                    report = verifier.report()
                    assert report.bad is not None
                    raise VerificationFailed(
                        f"the ledger does not verify, so it is not exported: "
                        f"{report.bad.describe()}", report=report)
                entry = state["entry"]
                ts = state["timestamp"]
                fields = {
                    "notification_id": nid, "ref": state["ref"], "seq": seq,
                    "type": entry.get("type"),
                    "recorded_at": recorded_at_text(ts["_data_"] if type(ts) is dict else ts),
                    "actor": state["actor"], "role": state["role"], "event": entry,
                    "prev_hash": state["prev_hash"], "hash": state["hash"],
                }
                if state.get("link_version", 1) == 2:  # a gallrad entry's event is its stub
                    fields.update(link_version=state["link_version"],
                                  event_sha256=state["event_sha256"])
                line = _dumps(fields)
                digest.update(line)
                out.write(line)
            report = verifier.report()
            assert report.head is not None
            checkpoint = sign_checkpoint(report.events, report.head, key)
            lines_sha256 = digest.hexdigest()
            out.write(_dumps({
                "checkpoint": checkpoint, "lines_sha256": lines_sha256,
                "lines_signature": base64.b64encode(key.sign(lines_signing_bytes(
                    report.events, report.head, lines_sha256))).decode(),
            }))
            out.flush()
            os.fsync(out.fileno())
        os.replace(aside, path)
    finally:
        aside.unlink(missing_ok=True)
    return checkpoint


def _dumps(value: Any) -> bytes:
    return orjson.dumps(value, option=_SORT) + b"\n"


# --- verifying an export --------------------------------------------------------------


@dataclass
class ExportReport:
    """The outcome of verifying an export file."""

    ok: bool
    events: int
    head: str | None
    problem: str | None = None
    line: int | None = None
    bad: BadEntry | None = None
    checkpoint: dict[str, Any] | None = None
    entries: list[dict[str, Any]] = field(default_factory=list, repr=False)

    def as_dict(self) -> dict[str, Any]:
        result: dict[str, Any] = {"ok": self.ok, "events": self.events, "head": self.head}
        if self.checkpoint is not None:
            result["signed_at"] = self.checkpoint["signed_at"]
            result["public_key"] = self.checkpoint["public_key"]
        if not self.ok:
            result["problem"] = self.problem
            result["line"] = self.line
            if self.bad is not None:
                result["first_bad_entry"] = self.bad.as_dict()
        return result


def verify_export(path: Path | str, *, public_key: str | None = None,
                  keep_entries: bool = False) -> ExportReport:
    """Verify an export file on its own: every link, the head, the checkpoint signature and
    the signed digest of the lines. ``public_key`` pins the key it must be signed with."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        return ExportReport(False, 0, None, f"{path}: {error.strerror or error}")
    return verify_export_bytes(data, public_key=public_key, keep_entries=keep_entries)


def verify_export_bytes(data: bytes, *, public_key: str | None = None,
                        keep_entries: bool = False) -> ExportReport:
    verifier = Verifier()
    entries: list[dict[str, Any]] = []

    def refuse(problem: str, line: int | None = None, bad: BadEntry | None = None) -> ExportReport:
        return ExportReport(False, verifier.events, None, problem, line, bad)

    if not data.endswith(b"\n"):
        return refuse("the file does not end with a newline (truncated or altered)")
    lines = data[:-1].split(b"\n")
    *event_lines, trailer_line = lines
    previous_nid = 0
    for number, raw in enumerate(event_lines, start=1):
        try:
            line = orjson.loads(raw)
        except orjson.JSONDecodeError as error:
            return refuse(f"line {number} is not valid JSON ({error})", number)
        problem = _line_problem(line, previous_nid)
        if problem:
            return refuse(f"line {number}: {problem}", number)
        previous_nid = line["notification_id"]
        if not verifier.add_entry(line["notification_id"], line["seq"], line["ref"],
                                  line["recorded_at"], line["actor"], line["role"],
                                  line["event"], line["prev_hash"], line["hash"],
                                  link_version=line.get("link_version", 1),
                                  event_sha256=line.get("event_sha256")):
            assert verifier.bad is not None
            return refuse(f"line {number}: {verifier.bad.describe()}", number, verifier.bad)
        if keep_entries:
            entries.append(line)
    trailer_number = len(lines)
    try:
        trailer = orjson.loads(trailer_line)
    except orjson.JSONDecodeError as error:
        return refuse(f"line {trailer_number} (the checkpoint) is not valid JSON ({error})",
                      trailer_number)
    if not isinstance(trailer, dict) or set(trailer) != TRAILER_FIELDS:
        return refuse(f"line {trailer_number}: the last line must hold exactly "
                      f"{sorted(TRAILER_FIELDS)}", trailer_number)
    if _dumps(trailer)[:-1] != trailer_line:
        return refuse(f"line {trailer_number} is not in canonical form (altered)", trailer_number)
    checkpoint = trailer["checkpoint"]
    try:
        check_shape(checkpoint, f"line {trailer_number}: checkpoint")
        problems = signature_problems(checkpoint, public_key=public_key)
    except CheckpointError as error:
        return refuse(error.detail, trailer_number)
    if problems:
        return refuse(f"line {trailer_number}: checkpoint: {'; '.join(problems)}", trailer_number)
    report = verifier.report()
    if checkpoint["events"] != report.events:
        return refuse(f"the checkpoint covers {checkpoint['events']} events but the file holds "
                      f"{report.events} (events removed or added)", trailer_number)
    if checkpoint["head"] != report.head:
        return refuse(f"the events hash to head {report.head}, the checkpoint says "
                      f"{checkpoint['head']} (events reordered, removed or added)",
                      trailer_number)
    digest = hashlib.sha256(data[:-len(trailer_line) - 1]).hexdigest()
    if trailer["lines_sha256"] != digest:
        return refuse(f"the event lines hash to {digest}, the trailer says "
                      f"{trailer['lines_sha256']} (a line was altered)", trailer_number)
    if not signature_valid(checkpoint["public_key"], trailer["lines_signature"],
                  lines_signing_bytes(report.events, report.head or "", digest),
                  "lines_signature"):
        return refuse(f"line {trailer_number}: lines_signature does not verify",
                      trailer_number)
    return ExportReport(True, report.events, report.head, checkpoint=checkpoint,
                        entries=entries)


def _line_problem(line: Any, previous_nid: int) -> str | None:
    if not isinstance(line, dict):
        return "not a JSON object"
    if "link_version" in line and (type(line["link_version"]) is not int
                                   or line["link_version"] != 2):
        return "link_version, where given, must be 2 (version 1 lines have none)"
    expected = LINE_FIELDS_V2 if "link_version" in line else LINE_FIELDS
    if set(line) != expected:
        missing, extra = expected - set(line), set(line) - expected
        return f"fields missing {sorted(missing)} / unexpected {sorted(extra)}"
    nid, seq = line["notification_id"], line["seq"]
    if type(nid) is not int or nid <= previous_nid:
        return "notification_id must be a whole number greater than the previous line's"
    if type(seq) is not int or seq < 1:
        return "seq must be a whole number ≥ 1"
    for name in ("ref", "recorded_at", "actor", "role", "prev_hash", "hash", "type"):
        if not isinstance(line[name], str):
            return f"{name} must be a string"
    if not isinstance(line["event"], dict) or line["event"].get("type") != line["type"]:
        return "event must be an object whose type is the line's type"
    try:
        if recorded_at_text(line["recorded_at"]) != line["recorded_at"]:
            return "recorded_at must be ISO 8601 with microseconds and offset"
    except ValueError:
        return "recorded_at is not an ISO 8601 instant"
    return None


# --- import ---------------------------------------------------------------------------


class NotEmpty(LedgerError):
    """An import into a ledger that already holds events (HTTP 409, exit code 4)."""

    status = 409
    title = "Ledger not empty"
    rule = "import_into_empty"


def is_empty(ledger: Any) -> bool:
    """No stored event of any kind (contract events, idempotency records)."""
    return not ledger.recorder.select_notifications(start=None, limit=1)


def import_file(ledger: Any, path: Path | str, *, public_key: str | None = None,
                trusted_keys: frozenset[str] | None = None, trust_any_key: bool = False) -> ExportReport:
    """Import an export into an EMPTY ledger; verifies everything before writing anything.

    Besides every link and signature, each payload is validated and each act decided as
    recording it would (``imported_as_recorded``): a re-signed file cannot bring in what
    the API would refuse. The signing key must be ``public_key``, one of ``trusted_keys``
    (default: this ledger's own signing key, if it has one), or anything with ``trust_any_key``.

    Raises ``VerificationFailed`` (nothing written) if the file does not verify, and
    ``NotEmpty`` if the ledger is not empty.
    """
    if not is_empty(ledger):
        raise NotEmpty("the target ledger is not empty; import only into an empty ledger "
                       "(nothing was written)")
    report = verify_export(path, public_key=public_key, keep_entries=True)
    if not report.ok:
        raise VerificationFailed(f"{path}: refused, nothing was written: {report.problem}")
    signer = (report.checkpoint or {}).get("public_key")
    if trusted_keys is None:
        trusted_keys = _own_key()
    if public_key is None and not trust_any_key and signer not in trusted_keys:
        raise VerificationFailed(
            f"{path}: refused, nothing was written: signed by key {signer}, which this ledger "
            "was not told to trust; give it with --public-key, or --trust-any-key")
    problem = imported_as_recorded(report.entries)
    if problem:
        raise VerificationFailed(f"{path}: refused, nothing was written: {problem}")
    ledger.save(*[_stored_event(line) for line in report.entries])
    return report


def _own_key() -> frozenset[str]:
    from api.checkpoints import load_private_key, public_key_text, signing_key_path

    own = signing_key_path()
    return frozenset({public_key_text(load_private_key(own))} if own.exists() else ())


def imported_as_recorded(lines: list[dict[str, Any]]) -> str | None:
    """The first line whose payload the ledger would not record as it stands (invalid,
    impossible, or hashing otherwise), or None: the same validation as every way in."""
    from pydantic import ValidationError

    from domain.contract import Actor, Contract
    from domain.events import parse_event

    contracts: dict[str, Contract] = {}
    for number, line in enumerate(lines, start=1):
        try:
            actor = Actor(name=line["actor"], role=line["role"])
            at = datetime.fromisoformat(line["recorded_at"])
            contract = contracts.get(line["ref"])
            version = line.get("link_version", 1)
            if "redacted" in line["event"] and contract is not None:
                # Gallrad: nothing is left to validate; its link (checked) holds its digest,
                # and the EntryRedacted naming it must follow (checked below).
                contract.trigger_event(
                    Contract.Recorded, timestamp=at, ref=contract.ref, entry=line["event"],
                    actor=actor.name, role=actor.role, prev_hash=contract.head, hash=line["hash"],
                    link_version=version, event_sha256=line["event_sha256"])
                continue
            event = parse_event(line["event"])
            if contract is None:
                contract = Contract.register(event, actor, at,  # type: ignore[arg-type]
                                             link_version=version)
                contracts[line["ref"]] = contract
            else:
                contract.record(event, actor, at, link_version=version)
        except ValidationError as error:
            first = error.errors()[0]
            where = ".".join(str(p) for p in first["loc"][1:]) or "event"
            return f"line {number}: {where}: {first['msg']}"
        except (LedgerError, KeyError, TypeError, ValueError) as error:
            return f"line {number}: {getattr(error, 'detail', None) or error}"
        if contract.head != line["hash"] or contract.version != line["seq"]:
            return f"line {number}: the entry is not what recording its payload gives (altered)"
    for contract in contracts.values():
        for number, line in enumerate(lines, start=1):
            stub = line["event"].get("redacted") if line["ref"] == contract.ref else None
            if stub is not None and str(line["seq"]) not in contract.redacted:
                return (f"line {number}: entry {line['seq']} is gallrad, but no EntryRedacted "
                        "of its contract records the decision")
    return None


def _stored_event(line: dict[str, Any]) -> Any:
    from eventsourcing.utils import get_topic

    from domain.contract import Contract, contract_id

    fields = {"originator_id": contract_id(line["ref"]), "originator_version": line["seq"],
              "timestamp": datetime.fromisoformat(line["recorded_at"]), "ref": line["ref"],
              "entry": line["event"], "actor": line["actor"], "role": line["role"],
              "prev_hash": line["prev_hash"], "hash": line["hash"]}
    if "link_version" in line:
        fields.update(link_version=line["link_version"], event_sha256=line["event_sha256"])
    if line["seq"] == 1:
        return Contract.Registered(originator_topic=get_topic(Contract), **fields)
    return Contract.Recorded(**fields)
