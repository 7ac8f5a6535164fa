"""Clause families of the contract's term and money: termination, amendments, compensation,
volume, hourly billing and the FTE allocation."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from domain.drafting import phrases as ph
from domain.drafting.cite import Reading
from domain.drafting.text import amounts, first_quantity, number
from domain.drafting.text import decimal_text as _plain

Found = dict[str, Any] | None
_ANY = re.compile(r".")


def termination(r: Reading) -> Found:
    """Ordinary notice: "Uppsägningstiden är tolv månader", and whether it must be written."""
    for s in r.find(ph.NOTICE, unless=ph.BREACH):
        months = first_quantity(s.text, "months")
        if months is None:
            continue
        last = s
        written = bool(ph.NOTICE_WRITTEN.search(s.text)) or "skriftlig" in s.text.lower()
        nxt = r.doc.next(s)
        if not written and nxt is not None and ph.NOTICE_WRITTEN.search(nxt.text):
            written, last = True, nxt
        return {"citation": r.cite(s, last), "notice_months": months, "written_required": written,
                "parties_may_agree_otherwise": bool(ph.AGREE_OTHERWISE.search(s.text))}
    return None


def early_termination(r: Reading) -> Found:
    """A written breach notice, days to cure, then notice: "inom trettio (30) dagar … tre (3) månader"."""
    for s in r.find(ph.BREACH, ph.NOTICE):
        cure, months = first_quantity(s.text, "days"), first_quantity(s.text, "months")
        if cure and months:
            return {"citation": r.cite(s), "cure_days": cure, "notice_months": months}
    return None


def amendments(r: Reading) -> dict[str, Any]:
    """Written amendments: an explicit clause, else inferred from the right to give notice for
    new terms; the terms model always has this clause (general contract law)."""
    s = r.first(ph.AMENDMENT_EXPLICIT)
    if s is not None:
        return {"citation": r.cite(s), "explicit": True}
    s = r.first(ph.AMENDMENT_BY_NOTICE)
    if s is not None:
        return {"citation": r.cite(s, inferred=True), "explicit": False}
    return {"citation": {"document": r.name, "section": "", "quote": "", "inferred": True}, "explicit": False}


def compensation(r: Reading) -> Found:
    """The amount and its basis (per year, per hour, for N FTE), price year, payment and index."""
    heading = re.compile(r"ersättning", re.IGNORECASE)
    for s in r.doc.sentences:
        if ph.NOT_COMPENSATION.search(s.text) or not (ph.COMPENSATION.search(s.text)
                                                       or heading.search(s.section)):
            continue
        found = amounts(s.text)
        if not found:
            continue
        fte = ph.FTE.search(s.text)
        basis = "hourly" if ph.PER_HOUR.search(s.text) else "fte" if fte else "annual"
        year = ph.PRICE_YEAR.search(s.text) or next(
            (m for x in r.doc.sentences
             if x.section == s.section and (m := ph.PRICE_YEAR.search(x.text))), None)
        if year is None:
            continue
        clause: dict[str, Any] = {"citation": r.cite(s), "basis": basis, "amount": _plain(found[0].kronor),
                                  "price_year": int(year["y"])}
        if fte:
            clause["fte"] = _plain(number(fte["n"]) or Decimal(0))
        clause.update(_payment(r, s.section, basis))
        index = indexation(r)
        if index is not None:
            clause["indexation"] = index
        return clause
    return None


def _payment(r: Reading, section: str, basis: str) -> dict[str, Any]:
    first = next((x for x in r.doc.sentences if x.section == section and ph.PAYMENT.search(x.text)), None)
    if first is None:
        return {}
    last = r.run(first, ph.PAYMENT)
    text = r.doc.span(first, last)
    if ph.PAYMENT_TWELFTH.search(text):
        payment = "1/12 per månad i efterskott"
    elif basis == "hourly":
        payment = "månadsvis i efterskott för utförda timmar"
    elif basis == "fte":
        payment = "månadsvis i efterskott för avtalat antal årsarbetare"
    else:
        payment = "månadsvis i efterskott" if ph.IN_ARREARS.search(text) else text
    reconciliation = ph.RECONCILIATION.search(text)
    return {"payment": payment, "payment_citation": r.cite(first, last),
            "reconciliation": reconciliation["v"].lower() if reconciliation else None}


def indexation(r: Reading) -> Found:
    """The index named ("omsorgsprisindex (OPI)", "kommunens uppräkningsmodell"), from which year."""
    for s in r.doc.sentences:
        named = next((label for pattern, label in ph.INDEX_NAMES if pattern.search(s.text)), None)
        other = ph.INDEX_ABBREVIATED.search(s.text)
        name = named or (other["v"] if other else None)
        if name is None or ph.INDEX_RENEGOTIATE.search(s.text):
            continue
        start = ph.FROM_YEAR.search(s.text)
        nxt = r.doc.next(s)
        renegotiate = nxt is not None and bool(ph.INDEX_RENEGOTIATE.search(nxt.text))
        return {"citation": r.cite(s, nxt if renegotiate else s), "index": name,
                "from_year": int(start["y"]) if start else None, "renegotiate_if_discontinued": renegotiate}
    return None


def volume(r: Reading) -> Found:
    """The yearly cap in hours ("Maximal beställningsvolym är 2 590 timmar per år") and avrop."""
    cap = r.first(ph.VOLUME_CAP)
    if cap is None:
        return None
    cases = r.first(ph.VOLUME_CASES)
    near = cases is not None and cases.section == cap.section and cases.index <= cap.index
    first = cases if near and cases is not None else cap
    avrop = r.first(ph.WRITTEN_CALL_OFF)
    after = avrop is not None and avrop.section == cap.section and 0 < avrop.index - cap.index <= 2
    last = avrop if after and avrop is not None else cap
    hours = ph.VOLUME_CAP.search(cap.text)
    clause: dict[str, Any] = {"citation": r.cite(first, last),
                              "max_hours_per_year": _plain(number(hours["n"]) or Decimal(0)),
                              "raised_by_written_avrop": avrop is not None}
    if cases is not None:
        m = ph.VOLUME_CASES.search(cases.text)
        clause["expected_cases_per_year"] = int(number(m["n"]) or 0)
    return clause


def billing(r: Reading) -> Found:
    """Hour length, started-quarter rounding, the group-hour rule and a visitor fee."""
    hour = r.first(ph.HOUR_MINUTES)
    group = r.first(ph.GROUP_RULE)
    if hour is None or group is None:
        return None  # without the group rule no hourly billing is proposed (nothing to bill groups by)
    quarter = r.first(ph.STARTED_QUARTER)
    last = quarter if quarter is not None and quarter.index == hour.index + 1 else hour
    g = ph.GROUP_RULE.search(group.text)
    nxt = r.doc.next(group)
    span_sentence = group if ph.GROUP_RANGE.search(group.text) else nxt
    span = ph.GROUP_RANGE.search(span_sentence.text) if span_sentence is not None else None
    clause: dict[str, Any] = {
        "citation": r.cite(hour, last),
        "minutes_per_hour": int(ph.HOUR_MINUTES.search(hour.text)["n"]),
        "started_quarter_rounding": quarter is not None,
        "group_min_participants": int(number(g["min"]) or 0),
        "group_client_hours_per_hour": _plain(number(g["hours"]) or Decimal(0)),
        "group_citation": r.cite(group, span_sentence if span and span_sentence is nxt else group),
    }
    if span is not None:
        clause["group_min_minutes"] = int(span["lo"]) * 60
        clause["group_max_minutes"] = int(span["hi"]) * 60
    fee = r.first(ph.VISITOR_FEE)
    if fee is not None and (fee_amount := amounts(fee.text)):
        year = ph.PRICE_YEAR.search(fee.text)
        clause["visitor_fee"] = _plain(fee_amount[0].kronor)
        clause["visitor_fee_price_year"] = int(year["y"]) if year else None
        clause["visitor_fee_citation"] = r.cite(fee, r.run(fee, ph.FEE_FOLLOW_ON))
    return clause


def fte_allocation(r: Reading) -> Found:
    """FTE per unit from a list "Enhet: 1,0 årsarbetare" after "fördelas enligt följande"."""
    intro = r.first(ph.FTE_LIST_INTRO)
    if intro is None:
        return None
    items = []
    for s in r.doc.sentences[intro.index + 1:]:
        m = ph.FTE_LIST_ITEM.match(s.text)
        if not m:
            break
        items.append((m["unit"].strip(), number(m["fte"]), s))
    if not items:
        return None
    names = [name.split() for name, _, _ in items]
    # "Skäggetorp Familjecentral", "Berga Familjecentral": a shared capitalised last word is the
    # kind of unit, not its name ("Norra skolan", "Södra skolan" keep theirs).
    if all(len(n) > 1 for n in names) and len({n[-1] for n in names}) == 1 and names[0][-1][0].isupper():
        names = [n[:-1] for n in names]
    clause: dict[str, Any] = {
        "citation": r.cite(intro, items[-1][2]),
        "units": {" ".join(n): _plain(fte or Decimal(0))
                  for n, (_, fte, _) in zip(names, items, strict=True)},
    }
    change = r.first(ph.FTE_CHANGE_AGREED)
    clause["change_requires_agreement"] = True
    if change is not None:
        clause["change_citation"] = r.cite(change)
    return clause
