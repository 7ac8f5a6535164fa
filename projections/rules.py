"""The pure rules the read models apply (``domain.rules``), named in one place."""

from __future__ import annotations

from domain.rules import agreement, evaluate
from domain.rules.billing import READS as BILLING_READS
from domain.rules.billing import billing, month_billing
from domain.rules.compensation import READS as COMPENSATION_READS
from domain.rules.compensation import compensation
from domain.rules.history import entry_types
from domain.rules.notice import READS as NOTICE_READS
from domain.rules.notice import contract_status as status
from domain.rules.notice import notice_position as notice

# The entries each of these reads needs (``entry_types``): the rest of a history need not be loaded.
NOTICE_ENTRIES = entry_types(NOTICE_READS)
COMPENSATION_ENTRIES = entry_types(COMPENSATION_READS)
BILLING_ENTRIES = entry_types(BILLING_READS)
ACCEPTANCE_ENTRIES = entry_types(agreement.PROPOSALS | agreement.READS)

__all__ = [
           "ACCEPTANCE_ENTRIES",
           "BILLING_ENTRIES",
           "COMPENSATION_ENTRIES",
           "NOTICE_ENTRIES",
           "NOTICE_READS",
           "agreement",
           "billing",
           "compensation",
           "evaluate",
           "month_billing",
           "notice",
           "status",
]
