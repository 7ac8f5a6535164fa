"""What the reader knows of Swedish contract phrasing, in one table (issue 17).

Every cue here is ordinary Swedish of public-sector agreements, never the
wording of one particular contract: the reader finds a clause family by its
cue, then reads numbers, amounts and dates out of the same sentence. Patterns
are case-insensitive unless marked; ``\\s`` stands for any run of whitespace
already collapsed to one space.
"""

from __future__ import annotations

import re

# --- numbers, units, dates -------------------------------------------------------

NUMBER_WORDS: dict[str, int] = {
    "noll": 0, "en": 1, "ett": 1, "två": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6,
    "sju": 7, "åtta": 8, "nio": 9, "tio": 10, "elva": 11, "tolv": 12, "tretton": 13,
    "fjorton": 14, "femton": 15, "sexton": 16, "sjutton": 17, "arton": 18, "nitton": 19,
}
TENS_WORDS: dict[str, int] = {
    "tjugo": 20, "trettio": 30, "fyrtio": 40, "femtio": 50, "sextio": 60, "sjuttio": 70,
    "åttio": 80, "nittio": 90,
}
# Longest first, so "tjugofem" is read whole and "tre" does not match inside "trettio".
_WORDS = sorted([*NUMBER_WORDS, *TENS_WORDS], key=len, reverse=True)
NUMBER = (r"(?:\d+(?:,\d+)?|(?:" + "|".join(TENS_WORDS) + r")(?:" + "|".join(NUMBER_WORDS)
          + r")|" + "|".join(_WORDS) + r")")

# Unit word → (kind, how many of the kind's base unit).
TIME_UNITS: dict[str, tuple[str, int]] = {
    "dag": ("days", 1), "dagar": ("days", 1), "dagars": ("days", 1), "dygn": ("days", 1),
    "kalenderdagar": ("days", 1), "vecka": ("days", 7), "veckor": ("days", 7),
    "veckors": ("days", 7), "månad": ("months", 1), "månader": ("months", 1),
    "månaders": ("months", 1), "år": ("years", 1), "års": ("years", 1),
    "arbetsdag": ("working_days", 1), "arbetsdagar": ("working_days", 1),
}
# "trettio (30) dagar": the digits in brackets confirm the word.
QUANTITY = re.compile(
    r"\b(?P<n>" + NUMBER + r")(?:\s\((?P<check>\d+)\))?\s(?P<unit>"
    + "|".join(sorted(TIME_UNITS, key=len, reverse=True)) + r")\b", re.IGNORECASE)

AMOUNT_UNITS: dict[str, int] = {
    "kr": 1, "kronor": 1, "sek": 1, "tkr": 1_000, "tusen kronor": 1_000,
    "mnkr": 1_000_000, "mkr": 1_000_000, "msek": 1_000_000, "miljoner kronor": 1_000_000,
}
# "4 093 284 kronor", "5,5 mnkr", "20 Mkr", "200 kr".
AMOUNT = re.compile(
    r"(?<![\d,])(?P<n>\d{1,3}(?:[ \u00a0]\d{3})+|\d+(?:,\d+)?)\s?(?P<unit>"
    + "|".join(sorted(AMOUNT_UNITS, key=len, reverse=True)) + r")\b", re.IGNORECASE)

MONTHS: dict[str, int] = {
    "januari": 1, "februari": 2, "mars": 3, "april": 4, "maj": 5, "juni": 6, "juli": 7,
    "augusti": 8, "september": 9, "oktober": 10, "november": 11, "december": 12,
}
ISO_DATE = re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b")
WORD_DATE = re.compile(r"\b(?P<d>[0-3]?\d)\s(?P<month>" + "|".join(MONTHS) + r")\s(?P<y>(?:19|20)\d\d)\b",
                       re.IGNORECASE)
# "senast 31 mars", "senast den 31 mars varje år": a yearly due day.
YEARLY_DUE = re.compile(r"\bsenast\s(?:den\s)?(?P<d>[0-3]?\d)\s(?P<month>" + "|".join(MONTHS) + r")\b",
                        re.IGNORECASE)
PRICE_YEAR = re.compile(r"\b(?P<y>(?:19|20)\d\d)\sårs\s(?:pris\w*|pris-\soch\slönenivå|löne-\soch\sprisnivå|"
                        r"nivå|penningvärde)", re.IGNORECASE)
FROM_YEAR = re.compile(r"\b(?:från|fr\.o\.m\.?|från\soch\smed)\s(?:den\s)?(?P<y>(?:19|20)\d\d)\b",
                       re.IGNORECASE)

# --- the document's structure --------------------------------------------------

# Abbreviations whose period does not end a sentence.
ABBREVIATIONS = ("t.ex.", "t ex.", "m.m.", "bl.a.", "s.k.", "inkl.", "ex.", "kl.", "resp.", "ca.",
                 "jfr.", "d.v.s.", "dvs.", "o.s.v.", "p.g.a.", "fr.o.m.", "t.o.m.", "nr.", "st.")
BULLETS = "\uf0b7•▪●◦-–*"
PAGE_NUMBER = re.compile(r"^\d{1,3}\s\(\d{1,3}\)$")
NOISE_LINE = re.compile(r"^(?:https?://|www\.|about:blank|…+|\.{4,}).*$", re.IGNORECASE)
NUMBERED_HEADING = re.compile(r"^(?P<num>(?:§\s?)?\d{1,2}(?:\.\d{1,2})*)(?P<dot>\.?)\s*"
                              r"(?P<title>[A-ZÅÄÖ].*?):?$")
TOC_ENTRY = re.compile(r"^.{2,90}?\s\d{1,3}$")
MAX_HEADING_CHARS = 70
MAX_UNNUMBERED_HEADING_WORDS = 7

# --- description -----------------------------------------------------------------

DIARIENUMMER = re.compile(r"\b(?:diarienummer|diarienr|dnr)\.?:?\s(?P<v>[A-ZÅÄÖ]{2,6}\s?\d{4}[-–/:]\d{1,6})",
                          re.IGNORECASE)
DATED = re.compile(r"\bdatum:?\s(?P<v>(?:19|20)\d\d-[01]\d-[0-3]\d)\b", re.IGNORECASE)
# The commissioning board: "... genom social- och omsorgsnämnden", "Omsorgsnämnden har överenskommit".
BOARD = re.compile(r"\b(?P<v>(?:[a-zåäö]+-\s(?:och|samt)\s)?[a-zåäö]+nämnden)\b", re.IGNORECASE)
PROVIDER = (
    re.compile(r"\bger\sutföraren\s(?P<v>[^,.]+?)(?:,|\sför\satt|\sföljande|\si\suppdrag|\satt\s|\.)",
               re.IGNORECASE),
    re.compile(r"\böverenskommit\smed\s(?P<v>[^,.]+?)(?:,|\.)", re.IGNORECASE),
    re.compile(r"\butförare,\s(?P<v>[^()]{2,60}?)\s\(utföraren\)", re.IGNORECASE),
    re.compile(r"(?P<v>[A-ZÅÄÖ][^()]{2,60}?)\s\(utföraren\)"),
)
TITLE = (
    re.compile(r"\bverksamhetsuppdrag\b[^.\n]{0,60}?\bavseende\s(?P<v>[^,.\n]+)", re.IGNORECASE),
    re.compile(r"^(?:\d[\d.]*\s)?verksamhetsuppdrag\s(?!till\b|avseende\b)(?P<v>[^,.]+)$",
               re.IGNORECASE),  # a heading
    re.compile(r"\bbedriva\s(?:aktuellt\s)?verksamhets?(?:uppdrag)?\s(?:för|inom)\s(?P<v>[^,.\n]+)",
               re.IGNORECASE),
)
IN_FORCE = re.compile(r"\b(?:gäller|tidsperiod\b.*?)\s(?:.*?\s)?(?:från\soch\smed|fr\.o\.m\.?|från)\s",
                      re.IGNORECASE)

# --- clause families: cue → the sentence that states the clause ----------------

NOTICE = re.compile(r"\buppsägningstid(?:en)?\b|\bsägas\supp\b[^.]*\bvarsel\b", re.IGNORECASE)
NOTICE_WRITTEN = re.compile(r"\buppsägning(?:en)?\s(?:ska|skall)\s(?:vara\s|ske\s|göras\s)?skriftlig|"
                            r"\bskriftlig(?:en|t)?\s(?:uppsägning|sägas\supp)|\bsägas\supp\sskriftligen",
                            re.IGNORECASE)
AGREE_OTHERWISE = re.compile(r"\bom\s(?:inte\sparterna|parterna\sinte)\s(?:kommer\söverens|kommit\söverens|"
                             r"enas)\som\sannat|\bom\sinte\sannat\s(?:överenskommits|avtalats)",
                             re.IGNORECASE)
BREACH = re.compile(r"\bbryter\smot\b|\bbrister\b|\bavtalsbrott\b|\bförtida\suppsägning", re.IGNORECASE)
AMENDMENT_EXPLICIT = re.compile(r"\bändringar\s(?:och|eller)\stillägg\b.*\bskriftlig", re.IGNORECASE)
AMENDMENT_BY_NOTICE = re.compile(r"\bsäga\supp\s.*\bvillkorsändring", re.IGNORECASE)

COMPENSATION = re.compile(r"\bersättning", re.IGNORECASE)
NOT_COMPENSATION = re.compile(r"\bavgift|\bförsäkring|\bskadetillfälle|\bstatsbidrag|\bvite\b", re.IGNORECASE)
PER_HOUR = re.compile(r"\bper\s(?:timme|klocktimme)\b|\btimpris|/\s?tim", re.IGNORECASE)
FTE = re.compile(r"(?P<n>\d+(?:,\d+)?)\s(?:årsarbetare|heltidstjänster|tjänster)\b", re.IGNORECASE)
PAYMENT = re.compile(r"\bi\sefterskott\b|\b1/12\b|\bfakturer|\butbetalas\b|\bavstämning\b", re.IGNORECASE)
PAYMENT_TWELFTH = re.compile(r"\b1/12\b")
IN_ARREARS = re.compile(r"\bmånadsvis\si\sefterskott\b", re.IGNORECASE)
RECONCILIATION = re.compile(r"\bavstämning\s(?:görs|sker)\s(?P<v>kvartalsvis|månadsvis|årsvis|halvårsvis)",
                            re.IGNORECASE)
INDEX_NAMES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bomsorgsprisindex\b|\bOPI\b"), "OPI"),
    (re.compile(r"\bkonsumentprisindex\b|\bKPI\b"), "KPI"),
    (re.compile(r"\barbetskostnadsindex\b|\bAKI\b"), "AKI"),
    (re.compile(r"\bkommunens\suppräkningsmodell\b", re.IGNORECASE), "kommunens uppräkningsmodell"),
    (re.compile(r"\bprisindex\sför\skommunal\sverksamhet\b|\bPKV\b"), "PKV"),
)
# Any other index named with its abbreviation: "… lönekostnadsindex (LKI)".
INDEX_ABBREVIATED = re.compile(r"\b[a-zåäö]*index\s\((?P<v>[A-ZÅÄÖ]{2,6})\)")
INDEX_RENEGOTIATE = re.compile(r"^(?=.*\b(?:index|indexklausul\w*|OPI|KPI|AKI)\b)(?=.*\bupphör)"
                               r"(?=.*\bomförhandla)", re.IGNORECASE)

_INTEGER = r"(?P<n>\d{1,3}(?:\s\d{3})+|\d+)"
VOLUME_CAP = re.compile(r"\b(?:maximal|maximalt|högst|max)\b[^.]*?" + _INTEGER + r"\stimmar\sper\sår",
                        re.IGNORECASE)
VOLUME_CASES = re.compile(r"\b(?:cirka|ca|omkring|ungefär)\s" + _INTEGER + r"\s[^.]{0,30}?per\sår",
                          re.IGNORECASE)
WRITTEN_CALL_OFF = re.compile(r"\bskriftligen\savropa|\bskriftligt\savrop|\bavrop[^.]*\bskriftlig",
                              re.IGNORECASE)

HOUR_MINUTES = re.compile(r"\ben\stimme\sär\s(?P<n>\d+)\sminuter\b", re.IGNORECASE)
STARTED_QUARTER = re.compile(r"\bvarje\spåbörja[dt]\skvart", re.IGNORECASE)
GROUP_RULE = re.compile(r"\b(?P<hours>" + NUMBER + r")\sklienttimmar\sför\svarje\s[^.]*?grupptimme\s"
                        r"med\sminst\s(?P<min>" + NUMBER + r")\sdeltagare", re.IGNORECASE)
GROUP_RANGE = re.compile(r"\b(?P<lo>\d+)\s?[-–]\s?(?P<hi>\d+)\stimmars?\b[^.]*\bgrupp", re.IGNORECASE)
VISITOR_FEE = re.compile(r"\bavgift\w*\b[^.]*?\bper\sbesök\b", re.IGNORECASE)
FEE_FOLLOW_ON = re.compile(r"\bavgift|\bbesök\b", re.IGNORECASE)

FTE_LIST_INTRO = re.compile(r"\bfördelas\s(?:enligt\sföljande|på\sföljande)", re.IGNORECASE)
FTE_LIST_ITEM = re.compile(r"^(?P<unit>[A-ZÅÄÖ][\wÅÄÖåäö-]*(?:\s[A-ZÅÄÖ\w][\wÅÄÖåäö-]*){0,3}?)\s?:\s?"
                           r"(?P<fte>\d+(?:,\d+)?)\s(?:årsarbetare|tjänster?|heltidstjänster?)$")
FTE_CHANGE_AGREED = re.compile(r"\bi\ssamråd\smed\s(?:beställaren|nämnden|förvaltningen)\b[^.]*\bförändras|"
                               r"\bförändras\b[^.]*\bi\ssamråd\smed\b", re.IGNORECASE)

ANNUAL_REPORT = re.compile(r"\bverksamhetsberättelse|\bårsrapport|\bverksamhetsrapport|\bårsberättelse",
                           re.IGNORECASE)
LEX_SARAH = re.compile(r"\blex\s?sarah", re.IGNORECASE)
SUMMARY = re.compile(r"\bsammanställning\b", re.IGNORECASE)
COPY = re.compile(r"\bkopia\b", re.IGNORECASE)
SUPERVISION = re.compile(r"\b(?:IVO|inspektionen\sför\svård\soch\somsorg)\b[^.]*\btillsyn", re.IGNORECASE)
INFORM = re.compile(r"\binformera|\bmeddela|\bunderrätta", re.IGNORECASE)
# Timing words → the policy of DOMAIN.md §3.
TIMING: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bomgående|\butan\sdröjsmål|\bsnarast\b|\bomedelbart", re.IGNORECASE), "omgaende"),
    (re.compile(r"\bpå\seget\sinitiativ", re.IGNORECASE), "pa_eget_initiativ"),
)

PREMISES_CHANGE = re.compile(r"\bbyte\sav\slokal|\bbyter\slokal|\blokalbyte|\bflytt\w*\sav\sverksamheten",
                             re.IGNORECASE)
NOTIFIED_PARTY = re.compile(r"\b(?:ska|skall)\s(?P<v>[^,.]+?)\s(?:meddelas|underrättas|informeras)\b|"
                            r"\b(?:ska|skall)\s(?:utföraren|leverantören)\s(?:meddela|informera|underrätta)\s"
                            r"(?P<w>[^,.]+?)(?=\s(?:om|innan|före|i\sförväg|senast)\b|[,.]|$)", re.IGNORECASE)
TATORT = re.compile(r"\blokal\w*\b[^.]*\btätort|\btätort\b[^.]*\blokal", re.IGNORECASE)
INSYN = re.compile(r"\bplanerade\sförändringar\b", re.IGNORECASE)
SENT_TO = re.compile(r"\b(?:skickas|lämnas|sändas)\still\s(?P<v>[^.]+)", re.IGNORECASE)

COMPETENCE_HEADING = re.compile(r"\bkompetens", re.IGNORECASE)
MIN_SOCIONOMER = re.compile(r"\bminst\s(?P<n>" + NUMBER + r")\s(?:medarbetare|anställda|personal|personer)?"
                            r"\s?[^.]*?\bsocionom", re.IGNORECASE)
MIN_COUNSELLORS = re.compile(r"\bminst\s(?P<n>" + NUMBER + r")\s[^.]*?\bauktoriserad\sfamiljerådgivare",
                             re.IGNORECASE)

LIABILITY_INSURANCE = re.compile(r"\bansvarsförsäkring\b[^.]*\b(?:kr|kronor|mnkr|mkr)\b", re.IGNORECASE)
PERSON_DAMAGE = re.compile(r"personskad", re.IGNORECASE)
PROPERTY_DAMAGE = re.compile(r"sakskad|egendomsskad", re.IGNORECASE)
PURE_ECONOMIC_LOSS = re.compile(r"\bren\sförmögenhetsskada\b", re.IGNORECASE)
RENEWAL_PROOF = re.compile(r"\bförnyad\sförsäkring\b[^.]*\bsenast\b[^.]*\bföre\b", re.IGNORECASE)
PROOF_BEFORE_SIGNING = re.compile(r"\bbevis\b[^.]*\binnan\savtal(?:et)?\s(?:tecknas|undertecknas)",
                                  re.IGNORECASE)
PROOF_FOLLOW_ON = re.compile(r"^(?:bevis\b|i\sannat\sfall\b)", re.IGNORECASE)

WAITING = re.compile(r"\bväntetid\w*\söver\s(?P<n>" + NUMBER + r")\sdagar", re.IGNORECASE)
PERSISTING = re.compile(r"\bunder\sen\slängre\stid\b", re.IGNORECASE)
FIRST_TALK = re.compile(r"\bsamtal\b[^.]*?\binom\s", re.IGNORECASE)

DISPUTE = re.compile(r"\btvist", re.IGNORECASE)
FORUM = re.compile(r"\b(?:lösas|löses|avgöras|avgörs|prövas|prövas)\sav\s"
                   r"(?P<v>(?:allmän\s)?[a-zåäö]*(?:styrelsen|nämnden|domstol|rätten))", re.IGNORECASE)
DIALOGUE_FIRST = re.compile(r"\bi\sförsta\shand\b[^.]*\b(?:dialog|förhandling|samråd)", re.IGNORECASE)

FORCE_MAJEURE = re.compile(r"\bfritar\sparterna\b|\bbefrielsegrund", re.IGNORECASE)
LABOUR_DISPUTE_NOT_EXCUSED = re.compile(r"\barbetskonflikt\b[^.]*\b(?:fritar|befriar)\sinte\b", re.IGNORECASE)
CRISIS_NOT_EXCUSED = re.compile(r"\bingen\sforce\smajeure\b|\binte\snågra\somständigheter\b[^.]*\bbefrias",
                                re.IGNORECASE)

TARGET = re.compile(r"^(?P<text>.+?)\s?\((?P<p>\d{1,3})\s?%\)$")

# --- issue 12's families: information on request, renegotiation, complaints, incorporated documents -----

INFORMATION_ON_REQUEST = re.compile(r"\butan\s(?:extra\s)?kostnad\b[^.]*\buppgifter|"
                                    r"\buppgifter\b[^.]*\b(?:kan\skomma\satt\s)?begär(?:a|s|t)?\b",
                                    re.IGNORECASE)
# A due time the clause itself states: "inom tio arbetsdagar från begäran".
WITHIN = re.compile(r"\binom\s", re.IGNORECASE)
# What is renegotiated: "påkalla förhandling om ändring av ersättning", "ska indexklausulen omförhandlas".
RENEGOTIATION_SUBJECT = re.compile(r"\bförhandling\som\s(?P<v>[^.]+)|"
                                   r"\b(?:ska|skall)\s(?P<w>[^.]+?)\somförhandlas", re.IGNORECASE)
RENEGOTIATION = re.compile(r"\bomförhandla\w*|\bpåkalla\s(?:ny\s)?förhandling|"
                           r"\brätt\satt\s(?:begära|kräva)\s(?:om)?förhandling", re.IGNORECASE)
COMPLAINT_FORWARDING = re.compile(
    r"\bklagomål\b[^.]*?\b(?:även\s|också\s)?(?:berör|gäller|rör)\s(?P<v>(?:[A-ZÅÄÖa-zåäö]+-\s(?:och|samt)\s)?"
    r"[A-ZÅÄÖa-zåäö]*(?:förvaltningen|nämnden|kontoret))\b", re.IGNORECASE)
INFORM_OR_HAND_OVER = re.compile(r"\binformera|\bmeddela|\bunderrätta|\blämna\s(?:över\s)?uppgift|"
                                 r"\böverlämna|\bvidarebefordra", re.IGNORECASE)
# "regleras i detalj i dokumentet ”X”", "framgår av bilagan ”X”": a document the text incorporates.
INCORPORATED = re.compile(r"\b(?:regleras|preciseras|beskrivs)\s(?:närmare\s|i\sdetalj\s)?i\s|"
                          r"\bframgår\sav\s", re.IGNORECASE)
QUOTED_DOCUMENT = re.compile(r"\b(?:dokumentet|bilagan|överenskommelsen|avtalet|riktlinjen)\s"
                             r"[”“\"«](?P<v>[^”“\"»]{3,200})[”“\"»]", re.IGNORECASE)
INSURANCE_REMEDY = re.compile(r"\bförsäkring\w*\b[^.]*\bpå\s(?:utförarens|leverantörens)\sbekostnad",
                              re.IGNORECASE)
INSURANCE_MAINTAINED = re.compile(r"\bvidmakthåll\w*\b[^.]*\bunder\shela\s(?:avtals|uppdrags)\w*|"
                                  r"\bunder\shela\s(?:avtals|uppdrags)\w*\b[^.]*\bvidmakthåll", re.IGNORECASE)

# Where the clause names no time, the ledger's policy applies: cited as such, never as the text.
POLICY_DOCUMENT = ("DOMAIN.md", "3. Date rules")
POLICY_QUOTES: dict[str, str] = {
    "information_on_request": "uppgifter på begäran utan angiven tidpunkt → inom 10 arbetsdagar",
    "quarterly_reconciliation": "kvartalsvis avstämning → beställaren, senast 30 dagar efter kvartalets slut",
}

# --- legal basis: references the ledger knows (their currency: domain/legal.py) ----------------

# cue → the reference as domain.legal.KNOWN_REFERENCES names it; ``unless`` a longer name contains it.
LEGAL_REFERENCES: tuple[tuple[re.Pattern[str], str, re.Pattern[str] | None], ...] = (
    (re.compile(r"\b(?i:socialtjänstlag(?:en)?)\b(?!\s\(2025)|\bSoL\b"), "Socialtjänstlagen (SoL)", None),
    (re.compile(r"\butan\s(?:föregående\s)?biståndsprövning\b", re.IGNORECASE),
     "service utan föregående biståndsprövning", None),
    (re.compile(r"\bSveriges\skommuner\soch\slandsting\b|\bSKL\b", re.IGNORECASE),
     "Sveriges Kommuner och Landsting (SKL)", None),
    (re.compile(r"\bSOSFS\s2006:5\b"), "SOSFS 2006:5", None),
    (re.compile(r"\blag\som\skommuners\soch\slandstings\såtgärder\b", re.IGNORECASE),
     "lag om kommuners och landstings åtgärder inför och vid extraordinära händelser i fredstid och höjd "
     "beredskap", None),
    (re.compile(r"\bförordning\som\skommuners\soch\slandstings\såtgärder\b", re.IGNORECASE),
     "förordning om kommuners och landstings åtgärder inför och vid extraordinära händelser i fredstid och "
     "höjd beredskap", None),
    (re.compile(r"\blandsting(?:et|en|ens|s|ets)?\b", re.IGNORECASE), "landsting",
     re.compile(r"\bSveriges\skommuner\soch\slandsting\b", re.IGNORECASE)),
    (re.compile(r"\bbarnkonventionen\b|\bFN:s\skonvention\som\sbarnets\srättigheter\b", re.IGNORECASE),
     "Barnkonventionen", None),
)
# Any law, regulation or code the text cites: listed for review when the ledger does not know it.
LEGAL_BASIS = re.compile(r"\b(?:SOSFS|HSLF-FS|SFS)\s\d{4}:\d+|"
                         r"\b(?:[A-ZÅÄÖa-zåäö]+-\s(?:och|samt)\s)?[A-ZÅÄÖa-zåäö]+(?:lagen|balken)\b"
                         r"(?:\s\([A-ZÅÄÖ][A-ZÅÄÖa-zåäö]{1,5}\))?|\bGDPR\b")

# --- what a person reads: findings for families not found -----------------------

NOT_FOUND: dict[str, str] = {
    "termination": "ingen uppsägningstid angiven",
    "early_termination": "ingen förtida uppsägning vid avtalsbrott (rättelsetid) angiven",
    "amendments": "ingen uttrycklig ändringsklausul; skriftlig ändring antas enligt allmän avtalsrätt",
    "compensation": "ingen ersättning (belopp och prisår) angiven",
    "compensation.indexation": "ingen indexering av ersättningen angiven",
    "compensation.payment": "inget betalningssätt angivet",
    "volume": "ingen högsta beställningsvolym (timmar per år) angiven",
    "billing": "ingen timdebitering (timme, kvartsavrundning och grupptimmar) angiven",
    "fte_allocation": "ingen fördelning av årsarbetare per enhet angiven",
    "annual_report": "ingen årlig verksamhetsberättelse med sista dag angiven",
    "lex_sarah_summary": "ingen årlig sammanställning av lex Sarah-ärenden angiven",
    "lex_sarah_copy": "ingen skyldighet att skicka kopia av lex Sarah-anmälan angiven",
    "supervision_report": "ingen skyldighet att informera om IVO:s tillsyn angiven",
    "premises": "inga krav på lokaler (tätort eller anmälan vid byte) angivna",
    "insyn": "ingen skyldighet att i förväg meddela planerade förändringar angiven",
    "competence": "inga kompetenskrav angivna",
    "insurance": "inga krav på ansvarsförsäkring (belopp) angivna",
    "waiting_time": "inga krav på väntetider angivna",
    "disputes": "ingen tvistlösning angiven",
    "force_majeure": "inga befrielsegrunder (force majeure) angivna",
    "expected_results": "inga förväntade resultat med målnivåer angivna",
    "description.diarienummer": "inget diarienummer angivet",
    "description.dated": "inget datum för uppdraget angivet",
    "description.in_force_from": "inget startdatum angivet",
    "description.bestallare": "ingen beställande nämnd angiven",
    "description.utforare": "ingen utförare angiven",
    "description.title": "ingen titel hittad",
    "information_on_request": "ingen skyldighet att lämna uppgifter på begäran angiven",
    "quarterly_reconciliation": "ingen kvartalsvis avstämning angiven",
    "complaint_forwarding": "ingen skyldighet att föra vidare klagomål som berör förvaltningen angiven",
    "incorporated_documents": "inga andra dokument som uppdraget regleras i angivna",
    "renegotiation": "ingen rätt till omförhandling angiven",
    "insurance_remedy": "ingen rätt för kommunen att teckna försäkring på utförarens bekostnad angiven",
    "legal_basis": "inga hänvisningar till lagar, föreskrifter eller organ som liggaren känner hittade",
}
UNMODELLED: dict[str, str] = {
    "legal_basis": "hänvisningar till lagar och föreskrifter som liggaren inte har aktualitet för: "
                   "finns i texten men föreslås inte; pröva dem vid granskningen",
}

# Clause families as a person reads them (CLI tables, review).
FAMILY_LABELS: dict[str, str] = {
    "description": "uppdraget",
    "termination": "uppsägning",
    "early_termination": "förtida uppsägning",
    "amendments": "ändringar och tillägg",
    "compensation": "ersättning",
    "volume": "volym",
    "billing": "timdebitering",
    "fte_allocation": "fördelning av årsarbetare",
    "annual_report": "verksamhetsberättelse",
    "lex_sarah_summary": "lex Sarah, sammanställning",
    "lex_sarah_copy": "lex Sarah, kopia till socialsekreterare",
    "supervision_report": "IVO:s tillsyn",
    "premises": "lokaler",
    "insyn": "insyn",
    "competence": "kompetens och bemanning",
    "insurance": "försäkringar",
    "waiting_time": "väntetider",
    "disputes": "tvist",
    "force_majeure": "befrielsegrunder",
    "expected_results": "förväntat resultat",
    "information_on_request": "uppgifter på begäran",
    "quarterly_reconciliation": "kvartalsvis avstämning",
    "complaint_forwarding": "klagomål som berör förvaltningen",
    "incorporated_documents": "dokument som uppdraget regleras i",
    "renegotiation": "omförhandling",
    "insurance_remedy": "försäkring på utförarens bekostnad",
    "legal_basis": "lagar och föreskrifter",
}
