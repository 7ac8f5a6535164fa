"""The lock file: exact versions (with hashes) of everything `make install` puts in the venv.

    python tools/lock.py check   # exit 1, naming what differs, if pyproject.toml changed since the lock
    python tools/lock.py write UV [--upgrade]   # regenerate requirements.lock (`make lock`)

Standard library only: `make` runs `check` with the system Python before any venv exists.
The lock records a fingerprint of the requirements it was made from (runtime, test extra and
build system); any edit of those lists in pyproject.toml makes `make install`/`make test`
stop until `make lock` is run, so the installed versions never drift silently from the lock.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"
LOCK = ROOT / "requirements.lock"
EXTRAS = ("test", "bench")
PYTHON_VERSION = "3.11"  # the lowest Python the project supports; the lock is universal above it
MARK = "# pyproject-fingerprint: "


def requirements() -> dict[str, list[str]]:
    """What the lock is made from, as written in pyproject.toml."""
    data = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))
    optional = data["project"].get("optional-dependencies", {})
    return {"dependencies": list(data["project"].get("dependencies", [])),
            **{f"extra:{e}": list(optional.get(e, [])) for e in EXTRAS},
            "build-system": list(data.get("build-system", {}).get("requires", []))}


def fingerprint(reqs: dict[str, list[str]]) -> str:
    return "sha256:" + hashlib.sha256(json.dumps(reqs, sort_keys=True).encode()).hexdigest()


def _name(requirement: str) -> str:
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    return re.sub(r"[-_.]+", "-", match.group(1)).lower() if match else requirement


def pinned(lock_text: str) -> set[str]:
    return {_name(line) for line in lock_text.splitlines() if re.match(r"^[A-Za-z0-9].*==", line)}


def check() -> int:
    if not LOCK.exists():
        print(f"error: {LOCK.name} is missing; run `make lock`", file=sys.stderr)
        return 1
    text = LOCK.read_text(encoding="utf-8")
    stored = next((line[len(MARK):].strip() for line in text.splitlines() if line.startswith(MARK)), None)
    reqs = requirements()
    if stored == fingerprint(reqs):
        return 0
    missing = sorted({_name(r) for rs in reqs.values() for r in rs} - pinned(text))
    print(f"error: pyproject.toml's requirements changed since {LOCK.name} was made"
          + (f" (not in the lock: {', '.join(missing)})" if missing else "")
          + "; run `make lock` and commit the lock", file=sys.stderr)
    return 1


def write(uv: str, *, upgrade: bool = False) -> int:
    reqs = requirements()
    with tempfile.TemporaryDirectory() as tmp:
        build = Path(tmp) / "build-system.in"  # the build backend too: the editable install is offline of it
        build.write_text("\n".join(reqs["build-system"]) + "\n", encoding="utf-8")
        out = Path(tmp) / "requirements.lock"
        if LOCK.exists() and not upgrade:
            # uv keeps the pins of an existing output file where they still fit: adding a
            # dependency does not move every other package to its newest release.
            out.write_text(LOCK.read_text(encoding="utf-8"), encoding="utf-8")
        command = [uv, "pip", "compile", *(["--upgrade"] if upgrade else []),
                   str(PYPROJECT), str(build), *[f"--extra={e}" for e in EXTRAS],
                   "--universal", f"--python-version={PYTHON_VERSION}", "--generate-hashes",
                   "--no-header", "--quiet", f"--output-file={out}"]
        done = subprocess.run(command, cwd=ROOT, check=False)
        if done.returncode:
            return done.returncode
        body = out.read_text(encoding="utf-8").replace(str(build), "build-system.requires")
    header = (f"# Exact versions for `make install` and the Dockerfile; made by `make lock` ({Path(uv).name}"
              f" pip compile, universal, Python >= {PYTHON_VERSION}). Do not edit by hand.\n"
              f"{MARK}{fingerprint(reqs)}\n")
    LOCK.write_text(header + body, encoding="utf-8")
    print(f"wrote {LOCK.name}: {len(pinned(body))} packages")
    return 0


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "check":
        sys.exit(check())
    if len(sys.argv) >= 3 and sys.argv[1] == "write":
        sys.exit(write(sys.argv[2], upgrade="--upgrade" in sys.argv[3:]))
    print(__doc__, file=sys.stderr)
    sys.exit(2)
