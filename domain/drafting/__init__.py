"""Drafting a contract's terms from its Swedish text (issue 17): ``draft_contract``.

``text`` reads the document's sections and sentences and the values in them, ``phrases`` is
the one table of Swedish contract phrasing, ``money`` and ``duties`` read the clause families,
``reader`` assembles the proposal, ``score``, ``evaluate`` and ``report`` compare it with
registered terms and score the reader on the seed texts.
"""
