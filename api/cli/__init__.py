"""``ledger``: the command line (API.md, Command line). Each module registers its commands."""

from api.cli import (
    core,  # noqa: F401  (registers commands)
    legal,  # noqa: F401  (registers commands)
    money,  # noqa: F401  (registers commands)
    reads,  # noqa: F401  (registers commands)
    serve,  # noqa: F401  (registers commands)
    terms,  # noqa: F401  (registers commands)
    tokens,  # noqa: F401  (registers commands)
    verify,  # noqa: F401  (registers commands)
)
from api.cli.app import app


def main() -> None:
    """Entry point of the ``ledger`` script."""
    app()
