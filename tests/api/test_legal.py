"""The legal frame over HTTP: legal basis, the contract read's frame, party succession, disputes."""

from __future__ import annotations

from tests.support.builders import post_event

V = "/contracts/vald-i-nara-relation"
S = "/contracts/skolsocialt-team"
C = "/contracts/familjecentraler"


def test_legal_basis_read_lists_stale_references_with_their_clauses(client, auth):
    body = client.get(f"{V}/legal-basis", headers=auth("revisor")).json()
    found = {r["reference"]: r for r in body["references"]}
    sol = found["Socialtjänstlagen (SoL)"]
    assert (sol["status"], sol["successor"], sol["since"]) == (
        "superseded", "socialtjänstlag (2025:400)", "2025-07-01")
    assert sol["clauses"][0]["section"] == "2.3 Lagstiftning"
    assert found["Sveriges Kommuner och Landsting (SKL)"]["status"] == "renamed"
    stale = client.get(f"{V}/legal-basis", params={"stale": "true"}, headers=auth("revisor")).json()
    assert all(r["stale"] for r in stale["references"])
    assert client.get("/contracts/no-such/legal-basis", headers=auth("revisor")).status_code == 404


def test_contract_read_states_the_municipal_frame(client, auth):
    body = client.get(S, headers=auth("revisor")).json()
    assert "intern överenskommelse" in body["frame"] and "kommunstyrelsen" in body["frame"]
    [incorporated] = body["incorporated_documents"]
    assert "Samarbetsöverenskommelse" in incorporated
    assert {r["reference"] for r in body["stale_references"]} >= {"Socialtjänstlagen (SoL)", "landsting"}
    assert body["parties"] == {"bestallare": "Social- och omsorgsnämnden",
                               "utforare": "Leanlink Råd och Stöd"}


def test_party_succession_names_the_new_body_from_its_date(client, auth):
    """C: "omsorgsnämnden" no longer exists under that name; an admin records its successor."""
    post_event(client, auth, C, "admin", type="PartySucceeded", effective_date="2025-01-01",
          party="bestallare", successor="Social- och omsorgsnämnden")
    before = client.get(C, params={"as_of": "2024-12-31"}, headers=auth("revisor")).json()
    after = client.get(C, params={"as_of": "2025-01-01"}, headers=auth("revisor")).json()
    assert before["parties"]["bestallare"] == "Omsorgsnämnden"
    assert after["parties"]["bestallare"] == "Social- och omsorgsnämnden"
    refused = client.post(f"{C}/events", headers=auth("bestallare"), json={
        "type": "PartySucceeded", "effective_date": "2025-01-01", "party": "bestallare",
        "successor": "X"})
    assert refused.status_code == 403


def test_decided_dispute_shows_its_laglighetsprovning_window(client, auth):
    """KS decision posted 2025-05-30: three weeks end on midsommarafton → appealable to 23 June."""
    raised = post_event(client, auth, V, "utforare", type="DisputeRaised", effective_date="2025-05-02",
                   by="utforare", subject="Indexeringen 2025")["seq"]
    post_event(client, auth, V, "kommunstyrelsen", type="DisputeDecided", effective_date="2025-05-26",
          dispute_seq=raised, decision="Indexeringen står fast", paragraph="§ 112",
          justerat_on="2025-05-28", anslaget_on="2025-05-30", document_ref="KS 2025-77")
    [dispute] = client.get(f"{V}/disputes", headers=auth("revisor")).json()["disputes"]
    assert (dispute["status"], dispute["justerat_on"], dispute["anslaget_on"]) == (
        "decided", "2025-05-28", "2025-05-30")
    assert (dispute["appeal_window_ends"], dispute["appealable_until"]) == ("2025-06-20", "2025-06-23")
    assert dispute["appealable"] is True  # today is 2025-06-02
    assert client.get("/disputes", headers=auth("revisor")).json()["disputes"] == [dispute]


def test_decision_without_protocol_dates_is_refused_naming_the_field(client, auth):
    raised = post_event(client, auth, V, "utforare", type="DisputeRaised", effective_date="2025-05-02",
                   by="utforare", subject="Indexeringen 2025")["seq"]
    response = client.post(f"{V}/events", headers=auth("kommunstyrelsen"), json={
        "type": "DisputeDecided", "effective_date": "2025-05-26", "dispute_seq": raised,
        "decision": "Står fast", "paragraph": "§ 112", "document_ref": "KS 2025-77"})
    assert response.status_code == 422
    assert response.json()["field"] == "justerat_on"


def test_notice_without_its_decision_is_refused_naming_the_field(client, auth):
    response = client.post(f"{V}/events", headers=auth("bestallare"), json={
        "type": "TerminationNoticeGiven", "effective_date": "2025-03-15", "by": "bestallare",
        "written": True, "document_ref": "SON 2025-101"})
    assert response.status_code == 422
    assert response.json()["field"] == "decision"
    assert len(client.get(f"{V}/events", headers=auth("revisor")).json()["events"]) == 1


def test_dossier_states_the_frame_documents_not_held_and_the_appeal_window(client, auth):
    raised = post_event(client, auth, S, "utforare", type="DisputeRaised", effective_date="2025-11-03",
                   by="utforare", subject="Ersättningen 2025")["seq"]
    post_event(client, auth, S, "kommunstyrelsen", type="DisputeDecided", effective_date="2025-11-26",
          dispute_seq=raised, decision="Ersättningen står fast", paragraph="§ 201",
          justerat_on="2025-12-01", anslaget_on="2025-12-03", document_ref="KS 2025-300")
    html = client.get(f"{S}/disputes/{raised}/dossier", headers=auth("kommunstyrelsen")).text
    assert "intern överenskommelse" in html and "Samarbetsöverenskommelse" in html
    assert "senast 2025-12-29" in html and "2025-12-24" in html  # julafton moves it on
    pdf = client.get(f"{S}/disputes/{raised}/dossier",
                     headers={**auth("kommunstyrelsen"), "Accept": "application/pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_force_majeure_answers_with_the_duties_it_suspends(client, auth):
    """V 5.1: the 201 names each obligation the declaration suspends."""
    post_event(client, auth, V, "bestallare", type="SupervisionOpened", effective_date="2025-05-26")
    body = post_event(client, auth, V, "utforare", type="ForceMajeureDeclared", effective_date="2025-05-27",
                 by="utforare", cause="crisis", description="Brand i lokalen",
                 duties=["supervision_report"], until="2025-06-10")
    [effect] = [e for e in body["effects"] if e["effect"] == "suspends"]
    assert effect["obligation"]["kind"] == "supervision_report"
    assert effect["obligation"]["status"] == "suspended" and effect["obligation"]["due"] == "2025-06-11"
    found = client.get(f"{V}/obligations", params={"status": "suspended"},
                       headers=auth("revisor")).json()["obligations"]
    assert [o["kind"] for o in found] == ["supervision_report"]
