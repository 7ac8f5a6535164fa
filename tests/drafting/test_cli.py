"""``ledger terms``: draft a text, compare the draft with registered terms, register it, evaluate."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner

from api.cli import app
from domain.drafting.evaluate import evaluate, totals
from domain.ledger import Ledger
from domain.storage import Database
from tests.drafting.test_seeds import SEEDS

runner = CliRunner()

TEXT = """\
1 UPPDRAGSTID
Uppdraget gäller från 2026-01-01 och tills vidare. Uppsägningstiden är tre månader.
Ändringar och tillägg ska vara skriftliga och undertecknade av behöriga företrädare.

2 ERSÄTTNING
Ersättningen är 960 000 kronor per år i 2026 års prisläge.
"""


@pytest.fixture
def cli_env(database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Database:
    monkeypatch.setenv("LEDGER_DATABASE_URL", database.url)
    monkeypatch.setenv("LEDGER_TOKENS_FILE", str(tmp_path / "tokens.json"))
    monkeypatch.setenv("LEDGER_TODAY", "2026-03-02")
    return database


def test_draft_writes_json_and_shows_terms_and_findings_in_swedish(tmp_path: Path) -> None:
    source, target = tmp_path / "uppdrag.txt", tmp_path / "utkast.json"
    source.write_text(TEXT, encoding="utf-8")
    result = runner.invoke(app, ["terms", "draft", str(source), "--ref", "nytt-uppdrag",
                                 "--out", str(target)])
    assert result.exit_code == 0, result.output
    assert "Letade efter men hittade inte" in result.output and "ingen förtida uppsägning" in result.output
    draft = orjson.loads(target.read_bytes())
    assert draft["body"]["ref"] == "nytt-uppdrag"
    assert draft["body"]["terms"]["termination"]["notice_months"] == 3
    assert draft["body"]["terms"]["amendments"]["explicit"] is True
    assert "description.bestallare" in {n["family"] for n in draft["not_found"]}


def test_draft_refuses_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    source = tmp_path / "latin1.txt"
    source.write_bytes("Uppsägningstiden är tre månader.".encode("latin-1"))
    result = runner.invoke(app, ["terms", "draft", str(source)])
    assert result.exit_code == 2 and "inte UTF-8" in result.output


def test_diff_against_the_catalogue_lists_what_differs(tmp_path: Path) -> None:
    if not SEEDS.is_dir():
        pytest.skip("seed texts not found")
    target = tmp_path / "utkast.json"
    runner.invoke(app, ["terms", "draft", str(SEEDS / "002_6619e6e748f6e486.txt"), "--out", str(target)])
    draft = orjson.loads(target.read_bytes())
    draft["body"]["terms"]["termination"]["notice_months"] = 9
    target.write_bytes(orjson.dumps(draft))
    result = runner.invoke(app, ["terms", "diff", str(target), "familjeradgivning", "--catalogue"],
                           env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if "notice_months" in line]
    assert len(lines) == 1 and "9" in lines[0] and "12" in lines[0] and "skiljer" in lines[0]


def test_register_then_diff_against_the_ledger(cli_env: Database, tmp_path: Path) -> None:
    source, target = tmp_path / "uppdrag.txt", tmp_path / "utkast.json"
    source.write_text(TEXT, encoding="utf-8")
    runner.invoke(app, ["terms", "draft", str(source), "--ref", "nytt-uppdrag", "--out", str(target)])
    draft = orjson.loads(target.read_bytes())
    draft["body"]["bestallare"], draft["body"]["utforare"] = "Omsorgsnämnden", "Leanlink Råd och Stöd"
    draft["body"]["title"] = "Nytt uppdrag"
    assert "compensation.payment" in {n["family"] for n in draft["not_found"]}
    draft["body"]["terms"]["compensation"]["payment"] = "1/12 per månad i efterskott"
    target.write_bytes(orjson.dumps(draft))
    registered = runner.invoke(app, ["terms", "register", str(target)])
    assert registered.exit_code == 0, registered.output
    ledger = Ledger.open(cli_env)
    try:
        assert [e.type for e in ledger.entries("nytt-uppdrag")] == ["ContractRegistered"]
    finally:
        ledger.close()
    assert runner.invoke(app, ["terms", "register", str(target)]).exit_code == 4  # already registered
    same = runner.invoke(app, ["terms", "diff", str(target), "nytt-uppdrag"], env={"COLUMNS": "200"})
    assert same.exit_code == 0 and "skiljer" not in same.output and "saknas" not in same.output
    assert runner.invoke(app, ["terms", "diff", str(target), "finns-inte"]).exit_code == 3


def test_register_refuses_an_unreviewed_draft_that_is_incomplete(cli_env: Database, tmp_path: Path) -> None:
    source, target = tmp_path / "uppdrag.txt", tmp_path / "utkast.json"
    source.write_text(TEXT, encoding="utf-8")
    runner.invoke(app, ["terms", "draft", str(source), "--ref", "nytt-uppdrag", "--out", str(target)])
    result = runner.invoke(app, ["terms", "register", str(target)])
    assert result.exit_code == 2 and "bestallare" in result.output  # no board named in the text


def test_eval_prints_the_computed_figures() -> None:
    if not SEEDS.is_dir():
        pytest.skip("seed texts not found")
    result = runner.invoke(app, ["terms", "eval", "--json"])
    assert result.exit_code == 0, result.output
    figures = orjson.loads(result.output)
    t = totals(evaluate(SEEDS))
    assert (figures["recall"], figures["precision"]) == (t.recall, t.precision)
    assert figures["quotes_verbatim"] == 1.0 and figures["absent_families_reported"] == 1.0
    tables = runner.invoke(app, ["terms", "eval"], env={"COLUMNS": "200"})
    assert "totalt" in tables.output and "Per område" in tables.output
