"""Every refusal's ``rule`` in Swedish: problem+json ``detail_sv`` and the web's error pages."""

from __future__ import annotations

from typing import Any

from domain.vocabulary.formats import NOTHING

PROBLEMS: dict[str, str] = {
    # the ``rule`` of every refusal (problem+json ``detail_sv``, the web's error pages)
    "ledger": "Liggaren vägrade begäran.",
    "request": "Begäran är felaktig.",
    "validation": "Uppgifterna är felaktiga; inget registrerades.",
    "internal": "Ett oväntat fel inträffade; uppge begärans id {request_id} när du rapporterar det.",
    "http_404": "Det finns ingen sådan sida eller resurs.",
    "http_405": "Metoden är inte tillåten här.",
    # who may ask
    "bearer_token": "Inloggning krävs: skicka 'Authorization: Bearer <token>' (en token skapas "
                    "med 'ledger token create').",
    "valid_token": "Token är inte giltig (okänd eller återkallad).",
    "feed_token_scope": "En flödestoken öppnar bara kalendern eller underlaget den skapades för, "
                        "som ?token=; andra tokens skickas som 'Authorization: Bearer'.",
    "feed_token_contract": "Flödestoken gäller ett annat avtal.",
    "role_may_record": "Din roll får inte göra detta.",
    "tokens_file": "Tokenfilen kan inte läsas, så ingen inloggning kan prövas just nu; försök "
                   "igen om en stund.",
    "csrf": "Formuläret saknar giltig säkerhetskod (CSRF). Ladda om sidan och försök igen.",
    # what is asked for
    "contract_must_exist": "Det finns inget sådant avtal.",
    "entry_must_exist": "Det finns ingen sådan post i avtalet.",
    "dispute_exists": "Posten är ingen tvist.",
    "billing_clause": "Avtalet faktureras inte per timme; det har ingen faktureringsklausul.",
    "accept": "Svaret finns inte i det format som begärs (Accept).",
    "unknown_query_parameter": "Okänd frågeparameter {field}; den här adressen tar inte emot den.",
    "open_status": "Status kan här bara vara öppen (open) eller försenad (overdue).",
    "obligation_status": "Status ska vara open, fulfilled, overdue, void eller before_tracking.",
    # the request as sent
    "max_body_bytes": "Inget registrerades: innehållet är större än {limit} byte "
                      "(LEDGER_MAX_BODY_BYTES).",
    "max_header_bytes": "Begärans huvuden är tillsammans större än {limit} byte.",
    "utf8_json": "Inget registrerades: JSON ska vara UTF-8 utan byteordningsmarkering (RFC 8259).",
    "body_size": "Texten är för stor.",
    "media_type": "Texten ska skickas som text/plain i UTF-8.",
    "text": "Texten kan inte läsas.",
    "utf8": "Texten är inte UTF-8.",
    "not_empty": "Får inte vara tomt.",
    "event_type": "Välj vilken händelse du vill registrera.",
    "if_match_version": "If-Match ska vara avtalets version, den ETag du läste (t.ex. \"3\").",
    "iso_date": "Ska vara ett datum (ÅÅÅÅ-MM-DD).",
    "iso_month": "Ska vara en månad (ÅÅÅÅ-MM).",
    "iso_instant": "Ska vara en tidpunkt enligt ISO 8601.",
    "instant_has_offset": "Tidpunkten behöver en tidszon, t.ex. +01:00.",
    "party": "Parten ska vara bestallare (beställaren) eller utforare (utföraren).",
    # the act itself
    "event_schema": "Händelsen är felaktigt utformad; inget registrerades.",
    "impossible_act": "Handlingen är inte möjlig i liggaren; inget registrerades.",
    "expected_version": "Avtalet har ändrats sedan du läste det; läs det igen och försök på nytt. "
                        "Inget registrerades.",
    "idempotency_key": "Idempotency-Key har redan använts för en annan begäran; använd en ny "
                       "nyckel för en ny begäran.",
    "unique_ref": "Ett avtal med den beteckningen är redan registrerat.",
    "registered_once": "Avtalet är redan registrerat.",
    "amended_terms_valid": "De ändrade villkoren skulle inte vara giltiga.",
    "reference_exists": "Det finns ingen sådan post i avtalet.",
    "reference_type": "Posten är inte av rätt slag, eller så är den rättad.",
    "reference_open": "Posten är redan avslutad.",
    "reference_precedes": "Datumet ligger före den post som händelsen hänvisar till.",
    "raising_party_withdraws": "Bara den part som väckte tvisten kan återkalla den.",
    "registration_stands": "Registreringen av avtalet kan inte rättas; ändra villkoren i stället.",
    "correct_original": "En rättelse kan inte själv rättas.",
    "correct_once": "Posten är redan rättad.",
    "redact_once": "Posten är redan gallrad.",
    "redactable_kind": "Den här slags post kan inte gallras (registreringen, ändringsavtal, "
                       "rättelser och gallringar bär villkoren och kedjan).",
    "redact_link_v2": "Posten är länkad med version 1, som hashar innehållet självt; den kan inte "
                      "gallras utan att kedjan bryts.",
    "redact_by_command": "Gallring registreras bara med kommandot 'ledger redact' under ett "
                         "arkivbeslut.",
    "recorder_corrects": "Bara den som registrerade posten, eller en administratör, kan rätta den.",
    "party_is_caller": "En part kan bara registrera sina egna handlingar.",
    "other_party_accepts": "Bara motparten kan godkänna en överenskommelse, inte den part som "
                           "föreslog den.",
    "accepted_once": "Överenskommelsen är redan godkänd.",
    "needs_acceptance": "Den posten behöver inget godkännande av motparten.",
    "fte_units": "Ange avtalets egna enheter: alla, eller bara de som ändras "
                 "(fte_allocation_partial).",
    "outcome_targets": "Ange resultaten med avtalets mål-id.",
    # the store and the read models
    "storage_unavailable": "Lagringen är inte tillgänglig just nu; försök igen om en stund.",
    "storage_unavailable_not_written": "Inget registrerades: lagringen är inte tillgänglig just "
                                       "nu. Försök igen om en stund, med samma Idempotency-Key så "
                                       "att det blir en enda händelse.",
    "write_contention": "Inget registrerades: avtalet ändrades hela tiden under begäran; försök "
                        "igen om en stund.",
    "read_models_behind": "Händelsen registrerades (post {seq}, version {version}); skicka den "
                          "inte igen. Läsmodellerna har ännu inte hunnit ikapp: åligganden och "
                          "avvikelser visar den strax.",
    "not_ready": "Tjänsten är inte redo ({failing}); försök igen om en stund.",
    # checkpoints, export and import, the command line's settings
    "ledger_verifies": "Liggaren kan inte verifieras, så den signeras eller exporteras inte.",
    "checkpoint": "Kontrollpunkten är felaktig.",
    "checkpoint_file": "Kontrollpunktsfilen kan inte läsas.",
    "key_file": "Signeringsnyckelns fil kan inte användas.",
    "import_into_empty": "En export kan bara läsas in i en tom liggare.",
    "database_exists": "Det finns ingen liggardatabas där LEDGER_DATABASE_URL pekar.",
    "configuration": "Tjänsten är felaktigt inställd; se serverns logg.",
    "storage_timeout": "LEDGER_STORAGE_TIMEOUT ska vara ett helt antal sekunder från 1 till 600.",
    "database_url": "LEDGER_DATABASE_URL ska vara sqlite:///SÖKVÄG eller "
                    "postgresql://ANVÄNDARE:LÖSENORD@VÄRD:PORT/DATABAS.",
    "sqlite_url": "LEDGER_DATABASE_URL anger ingen fil; skriv sqlite:///SÖKVÄG.",
    "postgres_url": "LEDGER_DATABASE_URL behöver en värd och ett databasnamn.",
    "projector_mode": "LEDGER_PROJECTOR ska vara inprocess eller external.",
}
"""Every refusal's rule in Swedish; ``{name}`` is filled by ``problem`` where the refusal knows it."""


class _Unknown(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return NOTHING


def problem(rule: str, **values: Any) -> str:
    """The Swedish of a refusal's ``rule`` (a general sentence for a rule not listed); a value
    the sentence names and the caller does not give reads as NOTHING."""
    template = PROBLEMS.get(rule, "Begäran kunde inte utföras.")
    return template.format_map(_Unknown({key: v for key, v in values.items() if v is not None}))
