"""Pure rules: from terms and history to obligations, deviations and notice (DOMAIN.md §3–§6)."""
