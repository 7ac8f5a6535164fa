"""The pure rules the read models apply (``domain.rules``), named in one place."""

from __future__ import annotations

from domain.rules import evaluate
from domain.rules.billing import billing
from domain.rules.compensation import compensation
from domain.rules.notice import READS as NOTICE_READS
from domain.rules.notice import contract_status as status
from domain.rules.notice import notice_position as notice

__all__ = ["NOTICE_READS", "billing", "compensation", "evaluate", "notice", "status"]
