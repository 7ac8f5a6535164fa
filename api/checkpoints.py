"""Signed checkpoints of the ledger head, co-signatures, and proofs that a ledger extends one.

Format (docs/VERIFYING.md §4):

    {"events": N, "head": "<64 hex>", "signed_at": "<ISO 8601 UTC>",
     "signature": "<base64>", "public_key": "<base64>",
     "cosignatures": [{"party": "bestallare", "public_key": "<base64>",
                       "signature": "<base64>"}]}          # optional

* ``signature``: Ed25519 over canonical JSON of ``{"events", "head", "signed_at"}``;
* a co-signature: Ed25519 by the party's own key over canonical JSON of
  ``{"events", "head", "party", "signed_at"}``;
* keys and signatures are standard base64 (RFC 4648 §4, with padding) of the raw
  32-byte public key and the raw 64-byte signature.

The ledger's key is the PEM (PKCS#8) file at ``LEDGER_SIGNING_KEY_FILE``; it is created
on first use with mode 0600, atomically (written aside, then hard-linked into place,
so two processes starting together end up with the same key). Co-signed checkpoints
are stored as one JSON file per checkpoint under ``LEDGER_CHECKPOINTS_DIR``
(default ``./var/checkpoints``).
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import os
import re
import secrets
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from domain.errors import LedgerError
from domain.hashing import canonical
from domain.verification import Report, verify_application

PARTIES = ("bestallare", "utforare")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


class CheckpointError(LedgerError):
    """A checkpoint or key file that cannot be used (malformed, unreadable)."""

    status = 422
    title = "Invalid checkpoint"
    rule = "checkpoint"


class VerificationFailed(LedgerError):
    """The ledger (or an export, or a checkpoint) does not verify."""

    status = 409
    title = "Verification failed"
    rule = "ledger_verifies"

    def __init__(self, detail: str, *, report: Report | None = None, **kw: Any) -> None:
        super().__init__(detail, **kw)
        self.report = report


# --- keys -----------------------------------------------------------------------------


def signing_key_path() -> Path:
    from api.settings import signing_key_file

    return signing_key_file()


def checkpoints_dir() -> Path:
    return Path(os.environ.get("LEDGER_CHECKPOINTS_DIR", "./var/checkpoints"))


def load_private_key(path: Path) -> Ed25519PrivateKey:
    """An Ed25519 private key from a PEM file (PKCS#8, unencrypted)."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise CheckpointError(f"key file {path}: {error.strerror or error}", field="key",
                              rule="key_file") from None
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as error:
        raise CheckpointError(f"key file {path}: not an unencrypted PEM private key ({error})",
                              field="key", rule="key_file") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise CheckpointError(f"key file {path}: not an Ed25519 key", field="key",
                              rule="key_file")
    return key


def load_or_create_key(path: Path | None = None) -> Ed25519PrivateKey:
    """The ledger's signing key; created (0600, atomically) if the file does not exist."""
    path = path or signing_key_path()
    if path.exists():
        return load_private_key(path)
    return _create_key(path)


def create_key_file(path: Path) -> Ed25519PrivateKey:
    """A new Ed25519 key written to ``path`` (0600); refuses to overwrite."""
    if path.exists():
        raise CheckpointError(f"key file {path} already exists", field="key", rule="key_file")
    return _create_key(path)


def _create_key(path: Path) -> Ed25519PrivateKey:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    aside = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(6)}.tmp")
    fd = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, pem)
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        os.link(aside, path)  # atomic, and never replaces a key another process just made
    except FileExistsError:
        return load_private_key(path)
    finally:
        aside.unlink(missing_ok=True)
    _fsync_dir(path.parent)
    return key


def _fsync_dir(directory: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def public_key_text(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    """Standard base64 of the raw 32-byte Ed25519 public key."""
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def _b64(text: Any, what: str, size: int) -> bytes:
    if not isinstance(text, str):
        raise CheckpointError(f"{what}: not a base64 string", field=what)
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise CheckpointError(f"{what}: not valid base64", field=what) from None
    if len(raw) != size:
        raise CheckpointError(f"{what}: {len(raw)} bytes, expected {size}", field=what)
    return raw


def public_key_from_text(text: Any, what: str = "public_key") -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(_b64(text, what, 32))


# --- signing bytes --------------------------------------------------------------------


def signing_bytes(checkpoint: dict[str, Any]) -> bytes:
    """What the ledger signs: canonical JSON of ``{"events", "head", "signed_at"}``."""
    return canonical({"events": checkpoint["events"], "head": checkpoint["head"],
                      "signed_at": checkpoint["signed_at"]})


def cosigning_bytes(checkpoint: dict[str, Any], party: str) -> bytes:
    """What a party signs: canonical JSON of ``{"events", "head", "party", "signed_at"}``."""
    return canonical({"events": checkpoint["events"], "head": checkpoint["head"],
                      "party": party, "signed_at": checkpoint["signed_at"]})


def now_text() -> str:
    return datetime.now(tz=UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def sign_checkpoint(events: int, head: str, key: Ed25519PrivateKey, *,
                    signed_at: str | None = None) -> dict[str, Any]:
    """A checkpoint of ``events`` entries with ledger head ``head``, signed by ``key``."""
    checkpoint: dict[str, Any] = {"events": events, "head": head,
                                  "signed_at": signed_at or now_text()}
    checkpoint["signature"] = base64.b64encode(key.sign(signing_bytes(checkpoint))).decode()
    checkpoint["public_key"] = public_key_text(key)
    return checkpoint


def ledger_checkpoint(ledger: Any, key: Ed25519PrivateKey | None = None) -> dict[str, Any]:
    """A new signed checkpoint of the whole ledger (for ``GET /ledger/checkpoint``).

    The ledger is verified first: a ledger that does not verify is never signed
    (raises ``VerificationFailed``, HTTP 409, naming the first bad entry).
    """
    report = verify_application(ledger)
    if not report.ok:
        assert report.bad is not None
        raise VerificationFailed(f"the ledger does not verify, so it is not signed: "
                                 f"{report.bad.describe()}", report=report)
    assert report.head is not None
    return sign_checkpoint(report.events, report.head, key or load_or_create_key())


# --- checking checkpoints -------------------------------------------------------------


def parse_checkpoint(data: bytes | str, source: str = "checkpoint") -> dict[str, Any]:
    """A checkpoint from JSON text, with its shape checked (not its signatures)."""
    try:
        checkpoint = orjson.loads(data)
    except orjson.JSONDecodeError as error:
        raise CheckpointError(f"{source}: not valid JSON ({error})") from None
    check_shape(checkpoint, source)
    return checkpoint  # type: ignore[no-any-return]


def read_checkpoint(path: Path) -> dict[str, Any]:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise CheckpointError(f"{path}: {error.strerror or error}", rule="checkpoint_file") from None
    return parse_checkpoint(data, str(path))


def check_shape(checkpoint: Any, source: str = "checkpoint") -> None:
    if not isinstance(checkpoint, dict):
        raise CheckpointError(f"{source}: not a JSON object")
    for field in ("events", "head", "signed_at", "signature", "public_key"):
        if field not in checkpoint:
            raise CheckpointError(f"{source}: missing field '{field}'", field=field)
    events = checkpoint["events"]
    if type(events) is not int or events < 0:
        raise CheckpointError(f"{source}: events must be a whole number ≥ 0", field="events")
    if not isinstance(checkpoint["head"], str) or not _HEX64.match(checkpoint["head"]):
        raise CheckpointError(f"{source}: head must be 64 lowercase hex digits", field="head")
    if not isinstance(checkpoint["signed_at"], str):
        raise CheckpointError(f"{source}: signed_at must be a string", field="signed_at")
    cosignatures = checkpoint.get("cosignatures", [])
    if not isinstance(cosignatures, list) or not all(
            isinstance(c, dict) and {"party", "public_key", "signature"} <= c.keys()
            for c in cosignatures):
        raise CheckpointError(f"{source}: cosignatures must be a list of "
                              '{"party", "public_key", "signature"}', field="cosignatures")


def signature_valid(public_key: Any, signature: Any, message: bytes, what: str) -> bool:
    try:
        key = public_key_from_text(public_key, f"{what}.public_key")
        key.verify(_b64(signature, f"{what}.signature", 64), message)
    except (CheckpointError, InvalidSignature, ValueError):
        return False
    return True


def signature_problems(checkpoint: dict[str, Any], *, public_key: str | None = None) -> list[str]:
    """Every reason the checkpoint's signatures do not hold (empty: all valid).

    ``public_key`` pins the ledger key the checkpoint must be signed with.
    """
    check_shape(checkpoint)
    problems = []
    if public_key is not None and checkpoint["public_key"] != public_key:
        problems.append(f"signed by key {checkpoint['public_key']}, not the expected key "
                        f"{public_key}")
    if not signature_valid(checkpoint["public_key"], checkpoint["signature"], signing_bytes(checkpoint),
                  "checkpoint"):
        problems.append("the ledger signature does not verify (the checkpoint was altered or "
                        "the signature is not over it)")
    for i, cosignature in enumerate(checkpoint.get("cosignatures", [])):
        party = cosignature["party"]
        if party not in PARTIES or not signature_valid(
                cosignature["public_key"], cosignature["signature"],
                cosigning_bytes(checkpoint, party), f"cosignatures[{i}]"):
            problems.append(f"cosignature {i} ({party}) does not verify")
    return problems


def against_problem(report: Report, checkpoint: dict[str, Any]) -> str | None:
    """Why the verified ledger does not extend ``checkpoint`` (None: it does).

    ``report`` must come from verifying with ``head_after=checkpoint["events"]``.
    """
    if report.events < checkpoint["events"]:
        return (f"truncated: the ledger holds {report.events} entries but the checkpoint of "
                f"{checkpoint['signed_at']} covers {checkpoint['events']}; entries were deleted")
    if report.head_at != checkpoint["head"]:
        return (f"rewritten: the head after the first {checkpoint['events']} entries is "
                f"{report.head_at}, the checkpoint of {checkpoint['signed_at']} says "
                f"{checkpoint['head']}; history before the checkpoint was changed, reordered, "
                "or added to")
    return None


def verify_against(ledger: Any, checkpoint: dict[str, Any], *,
                   public_key: str | None = None) -> tuple[Report, list[str]]:
    """Verify the ledger and that it extends ``checkpoint``; returns the report and problems."""
    problems = signature_problems(checkpoint, public_key=public_key)
    report = verify_application(ledger, head_after=checkpoint["events"])
    if report.ok:
        problem = against_problem(report, checkpoint)
        if problem:
            problems.append(problem)
    return report, problems


# --- co-signatures and the store ------------------------------------------------------


def cosign(checkpoint: dict[str, Any], key: Ed25519PrivateKey, party: str) -> dict[str, Any]:
    """The checkpoint with ``party``'s co-signature added (replacing an earlier one by the
    same party and key)."""
    if party not in PARTIES:
        raise CheckpointError(f"--party must be one of {', '.join(PARTIES)}, not '{party}'",
                              field="party", rule="party")
    signature = base64.b64encode(key.sign(cosigning_bytes(checkpoint, party))).decode()
    mine = {"party": party, "public_key": public_key_text(key), "signature": signature}
    others = [c for c in checkpoint.get("cosignatures", [])
              if (c["party"], c["public_key"]) != (party, mine["public_key"])]
    return {**checkpoint, "cosignatures": [*others, mine]}


def checkpoint_file_name(checkpoint: dict[str, Any]) -> str:
    digest = hashlib.sha256(checkpoint["signature"].encode()).hexdigest()[:16]
    return f"{checkpoint['events']:012d}-{digest}.json"


def store_checkpoint(checkpoint: dict[str, Any], directory: Path | None = None) -> Path:
    """Store the checkpoint (merging co-signatures with a stored copy of it); its path."""
    directory = directory or checkpoints_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / checkpoint_file_name(checkpoint)
    if path.exists():
        stored = read_checkpoint(path)
        merged = {(c["party"], c["public_key"]): c for c in stored.get("cosignatures", [])}
        merged.update({(c["party"], c["public_key"]): c
                       for c in checkpoint.get("cosignatures", [])})
        checkpoint = {**checkpoint, "cosignatures": list(merged.values())}
        if not checkpoint["cosignatures"]:
            del checkpoint["cosignatures"]
    aside = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    aside.write_bytes(orjson.dumps(checkpoint, option=orjson.OPT_INDENT_2) + b"\n")
    os.replace(aside, path)
    return path


def stored_checkpoints(directory: Path | None = None) -> list[tuple[Path, dict[str, Any]]]:
    """Every stored checkpoint, oldest (fewest events) first."""
    directory = directory or checkpoints_dir()
    if not directory.is_dir():
        return []
    return [(path, read_checkpoint(path)) for path in sorted(directory.glob("*.json"))]
