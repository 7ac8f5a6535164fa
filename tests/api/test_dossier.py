"""The dossier of a worked dispute, read as kommunstyrelsen's official reads it: HTML and PDF.

familjecentraler: Leanlink moves FTE between centres without samråd, the entry is later
corrected, the beställare refers the dispute to kommunstyrelsen before any dialogue, the
parties then meet, and kommunstyrelsen decides. Every section must be in both documents,
in Swedish, with no codes and no Python values.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from domain.events import EVENT_CLASSES
from tests.support.builders import with_authority

C = "/contracts/familjecentraler"
ARTEFACTS = Path(__file__).resolve().parents[2] / "test-artefacts"
UNITS = {"Skäggetorp": "1.0", "Berga": "1.0", "Ryd": "1.0", "Lambohov": "1.0", "Valla": "0.5",
         "Ljungsbro": "1.0", "Ekholmen": "1.0", "Tannefors": "1.0"}


def _post(client, auth, role, **body):
    response = client.post(f"{C}/events", json=with_authority(body), headers=auth(role))
    assert response.status_code == 201, response.text
    return response.json()["seq"]


@pytest.fixture
def worked_dispute(client, auth) -> int:
    wrong = _post(client, auth, "utforare", type="StaffingChanged", effective_date="2025-03-03",
                  planned=False, fte_allocation={**UNITS, "Valla": "1.0", "Berga": "0.5"})
    _post(client, auth, "utforare", type="EntryCorrected", effective_date="2025-03-10",
          entry_seq=wrong, reason="Fel enhet angavs: det var Ryd, inte Berga, som minskade")
    changed = _post(client, auth, "utforare", type="StaffingChanged", effective_date="2025-03-03",
                    planned=False, fte_allocation={**UNITS, "Valla": "1.0", "Ryd": "0.5"})
    dispute = _post(client, auth, "bestallare", type="DisputeRaised", effective_date="2025-04-01",
                    by="bestallare", subject="Årsarbetare flyttade från Ryd till Valla utan samråd",
                    clauses=["2"], concerning_seqs=[changed], document_ref="ON 2025-0417")
    _post(client, auth, "bestallare", type="DisputeReferredToKommunstyrelsen",
          effective_date="2025-04-15", dispute_seq=dispute)
    _post(client, auth, "utforare", type="DisputeDialogueHeld", effective_date="2025-04-28",
          dispute_seq=dispute, outcome="Leanlink anser att behovet i Valla motiverade flytten")
    _post(client, auth, "kommunstyrelsen", type="DisputeDecided", effective_date="2025-05-20",
          dispute_seq=dispute, decision="Fördelningen återställs enligt uppdraget från 1 juli 2025.",
          paragraph="§ 142")
    return dispute


SECTIONS = [
    "Underlag till kommunstyrelsen", "Ärende", "Diarienummer", "ON 2025-0417",
    "Parter och avtal", "Omsorgsnämnden", "Leanlink Råd och Stöd",
    "Socialsekreterarresurs vid familjecentraler",
    "Sammanfattning", "Tvistefrågan och parternas ståndpunkter",
    "Årsarbetare flyttade från Ryd till Valla utan samråd",
    "Leanlink anser att behovet i Valla motiverade flytten",
    "Åberopade avtalsvillkor", "2. Ersättning", "Resurserna ska fördelas enligt följande",
    "Händelseförlopp", "Bemanningsändring", "Rättad genom post 3",
    "Fel enhet angavs", "Valla 1,0", "Ryd 0,5", "planerad: nej",
    "Läget när tvisten väcktes och i dag", "Ändrad tjänstefördelning utan samråd",
    "Hänskjuten utan föregående dialog", "Beslut", "§ 142",
    "Fördelningen återställs enligt uppdraget", "Kontroll av uppgifterna", "Liggarens huvud",
    "ledger verify --against",
]
REPR = ["{'", "False", "True", "None", "Decimal("]


def _no_codes(text: str) -> None:
    for bad in REPR:
        assert bad not in text, (bad, text[max(0, text.find(bad) - 150):text.find(bad) + 50])
    # Party codes (the token names of this test, "api-test-bestallare", are names, not codes).
    assert not re.search(r"(?<![-\w])(bestallare|utforare)\b", text)
    codes = [code for code in EVENT_CLASSES if re.search(rf"\b{code}\b", text)]
    assert not codes
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:", text), "an ISO instant instead of Swedish time"


def test_the_dossier_in_html(client, auth, worked_dispute):
    response = client.get(f"{C}/disputes/{worked_dispute}/dossier", headers=auth("kommunstyrelsen"))
    assert response.status_code == 200
    html = response.text
    text = re.sub(r"<[^>]+>", " ", html).replace("\u00a0", " ")
    text = re.sub(r"\s+", " ", text)
    for words in SECTIONS:
        assert words in text, words
    # The corrected entry is struck through, the correction named beside it.
    assert re.search(r"<del>Bemanningsändring</del>", html)
    checkpoint = client.get("/ledger/checkpoint", headers=auth("revisor")).json()
    assert checkpoint["head"] in html
    _no_codes(text)


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils (make installs it)")
def test_the_dossier_in_pdf(client, auth, worked_dispute, tmp_path, request):
    response = client.get(f"{C}/disputes/{worked_dispute}/dossier",
                          headers={**auth("kommunstyrelsen"), "Accept": "application/pdf"})
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    pdf = tmp_path / "underlag.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                          check=True).stdout.decode()
    flat = re.sub(r"\s+", " ", text.replace("\u00a0", " "))
    for words in ["Underlag till kommunstyrelsen", "Parter och avtal", "Sammanfattning",
                  "Åberopade avtalsvillkor", "Händelseförlopp", "Kontroll av uppgifterna",
                  "Bemanningsändring", "Hänskjuten utan föregående dialog", "§ 142", "Valla 1,0"]:
        assert words in flat, words
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(
        ["pdfinfo", str(pdf)], capture_output=True, check=True).stdout.decode()).group(1))
    assert f"Sida 1 av {pages}" in flat and f"Sida {pages} av {pages}" in flat
    assert "Linköpings kommun · Underlag till kommunstyrelsen" in flat
    # Typographic quotes and dashes survive (the font is embedded, not a stand-in).
    assert "”" in text and "–" in text and "?" not in text.replace("?token", "")
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, check=True).stdout.decode()
    assert "DejaVu" in fonts and all(line.split()[-4] == "yes" for line in fonts.splitlines()[2:])
    size = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, check=True).stdout.decode()
    assert "(A4)" in size
    _no_codes(flat)
    ARTEFACTS.mkdir(exist_ok=True)
    # One page as an image, for a person to look at (test-artefacts/ is not committed).
    name = re.sub(r"\W+", "-", request.node.name).strip("-")
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                    str(ARTEFACTS / name)], check=True)
    assert (ARTEFACTS / f"{name}.png").stat().st_size > 10_000
    shutil.copy(pdf, ARTEFACTS / f"{name}.pdf")
