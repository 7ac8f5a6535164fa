"""requirements.lock: what `make install` installs; it must agree with pyproject.toml."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def check(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(root / "tools" / "lock.py"), "check"],
                          capture_output=True, text=True, check=False)


def copy(tmp_path: Path) -> Path:
    (tmp_path / "tools").mkdir()
    shutil.copy(ROOT / "tools" / "lock.py", tmp_path / "tools" / "lock.py")
    for name in ("pyproject.toml", "requirements.lock"):
        shutil.copy(ROOT / name, tmp_path / name)
    return tmp_path


def test_the_committed_lock_was_made_from_the_committed_pyproject() -> None:
    result = check(ROOT)
    assert result.returncode == 0, result.stderr


def test_a_dependency_added_to_pyproject_but_not_locked_stops_the_install(tmp_path: Path) -> None:
    root = copy(tmp_path)
    pyproject = root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace(
        'dependencies = [\n', 'dependencies = [\n    "tomli-w>=1.0",\n', 1))
    result = check(root)
    assert result.returncode == 1
    assert "not in the lock: tomli-w" in result.stderr and "make lock" in result.stderr


def test_a_narrowed_version_range_also_needs_a_new_lock(tmp_path: Path) -> None:
    root = copy(tmp_path)
    pyproject = root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('"orjson>=3.10,<4"', '"orjson>=3.11,<4"', 1))
    result = check(root)
    assert result.returncode == 1 and "make lock" in result.stderr


def test_every_locked_line_is_pinned_with_hashes() -> None:
    text = (ROOT / "requirements.lock").read_text()
    blocks = [b for b in text.split("\n") if b and not b.startswith((" ", "#"))]
    assert blocks and all("==" in b and b.rstrip().endswith("\\") for b in blocks)
    assert "eventsourcing==" in text and "setuptools==" in text  # the build backend is locked too
