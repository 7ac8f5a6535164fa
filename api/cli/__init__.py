"""``ledger``: the command line (API.md, Command line). Each module registers its commands."""

from api.cli import (
    core,  # noqa: F401  (registers commands)
    legal,  # noqa: F401  (registers commands)
    money,  # noqa: F401  (registers commands)
    reads,  # noqa: F401  (registers commands)
    redact,  # noqa: F401  (registers commands)
    serve,  # noqa: F401  (registers commands)
    terms,  # noqa: F401  (registers commands)
    tokens,  # noqa: F401  (registers commands)
    verify,  # noqa: F401  (registers commands)
)
from api.cli.app import app


def main() -> None:
    """Entry point of the ``ledger`` script."""
    private_files()
    app()


def private_files() -> None:
    """Files this process creates (databases, views, exports, keys) are 0600, or 0640 with
    ``LEDGER_FILE_GROUP_READABLE=true`` (a group that reads backups): they hold the ledger."""
    import os

    group = os.environ.get("LEDGER_FILE_GROUP_READABLE", "").lower() in {"1", "true", "yes"}
    os.umask(0o027 if group else 0o077)
