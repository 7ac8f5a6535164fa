"""Tvist (F 8, C 7; V 5.2, S): dialogue or negotiation first, then kommunstyrelsen.

* ``DisputeRaised`` where ``dialogue_first``: ``dispute_dialogue`` on the
  raising party's counterpart (**policy**: the party the dispute is raised
  against must take up the dialogue). The contracts set no time, so it has no
  due date (``due`` None); ``DisputeDialogueHeld`` fulfils it, and it becomes
  void when the dispute is decided or withdrawn first.
* ``DisputeReferredToKommunstyrelsen`` with no ``DisputeDialogueHeld`` on or
  before it where ``dialogue_first`` → ``referral_without_dialogue``.
"""

from __future__ import annotations

from domain.contract import Entry
from domain.rules.history import History, counterpart
from domain.rules.model import Deviation, Obligation

READS = frozenset({
    "DisputeDecided",
    "DisputeDialogueHeld",
    "DisputeRaised",
    "DisputeReferredToKommunstyrelsen",
    "DisputeWithdrawn",
})
"""The entry types these rules read (``History.reading`` holds them to it)."""

_WHO = {"bestallare": "beställaren", "utforare": "utföraren"}


def rules(history: History) -> tuple[list[Obligation], list[Deviation]]:
    dialogues = history.first_reference("DisputeDialogueHeld", "dispute_seq")
    closings: dict[int, Entry] = {}
    for entry in history.in_time_order("DisputeDecided", "DisputeWithdrawn"):
        closings.setdefault(entry.data["dispute_seq"], entry)
    raised: dict[int, Entry] = {}
    obligations = []
    for entry in history.triggers("DisputeRaised"):
        raised[entry.seq] = entry
        clause = history.terms_at(entry.effective_date).disputes
        if clause is None or not clause.dialogue_first:
            continue
        by = entry.data["by"]
        dialogue, closing = dialogues.get(entry.seq), closings.get(entry.seq)
        if dialogue is not None and closing is not None and closing.effective_date < dialogue.effective_date:
            dialogue = None
        void = closing if dialogue is None else None
        obligations.append(Obligation(
            id=f"dispute_dialogue:{entry.seq}", kind="dispute_dialogue", holder=counterpart(by),
            clause=clause.citation, due=None, due_working_day=None, arises_on=entry.effective_date,
            created_by_seq=entry.seq,
            explanation=(f"tvisten som {_WHO[by]} väckte {entry.effective_date} "
                         f"({entry.data['subject']}) ska först hanteras i dialog mellan parterna "
                         f"innan den lämnas till {clause.forum}; uppdraget anger ingen tidsfrist"),
            fulfilled_by_seq=dialogue.seq if dialogue else None,
            fulfilled_on=dialogue.effective_date if dialogue else None,
            void_on=void.effective_date if void else None,
            void_reason=(("tvisten avgjord" if void.type == "DisputeDecided" else "tvisten återkallad")
                         + f" {void.effective_date} (post {void.seq})") if void else None,
        ))
    deviations = []
    for entry in history.of("DisputeReferredToKommunstyrelsen"):
        dispute = raised.get(entry.data["dispute_seq"])
        if dispute is None:
            continue
        clause = history.terms_at(entry.effective_date).disputes
        if clause is None or not clause.dialogue_first:
            continue
        dialogue = dialogues.get(dispute.seq)
        if dialogue is not None and dialogue.effective_date <= entry.effective_date:
            continue
        deviations.append(Deviation(
            kind="referral_without_dialogue", clause=clause.citation, since=entry.effective_date,
            seqs=(dispute.seq, entry.seq),
            explanation=(f"tvisten (post {dispute.seq}) lämnades till {clause.forum} "
                         f"{entry.effective_date} utan att dialog först förts mellan parterna"),
        ))
    return obligations, deviations
