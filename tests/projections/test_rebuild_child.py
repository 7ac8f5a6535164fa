"""The rebuild's forked child dies with its parent, even when killed with SIGKILL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

SCRIPT = r"""
import os, sys, time
from datetime import date
import projections.rebuild as rebuild
from domain.ledger import Ledger
from domain.storage import Database
from projections.runner import open_view

def blocked(connection, view, today):
    print(os.getpid(), flush=True)  # the child's pid
    connection.recv()  # waits for the parent, for ever unless the pipe ends
    time.sleep(3600)

rebuild._judge_all = blocked
database = Database.from_url(sys.argv[1])
ledger = Ledger.open(database)
rebuild._split(open_view(database), ledger, date(2025, 6, 2), 0, 100, None, None)
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/status")
    return not (status.exists() and "zombie" in status.read_text())


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork and /proc: Linux")
def test_the_child_dies_with_its_parent(tmp_path: Path) -> None:
    parent = subprocess.Popen([sys.executable, "-c", SCRIPT, f"sqlite:///{tmp_path / 'l.db'}"],
                              stdout=subprocess.PIPE, text=True, cwd=Path(__file__).parents[2])
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    assert _alive(child)
    parent.send_signal(signal.SIGKILL)
    parent.wait(timeout=30)
    deadline = time.monotonic() + 30  # only guards a hang: the kernel ends it at once
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(child)
