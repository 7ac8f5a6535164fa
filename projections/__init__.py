"""Read models of the ledger (DOMAIN.md §6), kept by ``eventsourcing``'s projection machinery.

* ``views``      the materialised view: tables + tracking row, one transaction per update (SQLite, PostgreSQL)
* ``judgement``  a contract's entries → its view rows, by the pure rules (``domain.rules``)
* ``projection`` the live projection: one handler per event type
* ``runner``     ``ReadModelRunner`` (follows the ledger, retries every error) and the batched ``catch_up``
* ``rebuild``    every read model again from the events
* ``reads``      ``ReadModels``: every read, as of a date and as known at an instant
"""
