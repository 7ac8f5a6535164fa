"""Read models of the ledger (DOMAIN.md §6): one module per read model, one path that writes them.

* ``source``       the ledger as the read models read it: contract entries after a position
* ``catchup``      ``step`` and ``catch_up``: the one path by which events reach a view
* ``runner``       ``ReadModelRunner``: catches up, then steps as events arrive (API or worker)
* ``worker``       ``ledger project``: the projector lock; ``ExternalProjection`` for API processes
* ``rebuild``      ``rebuild``: a fresh view caught up from zero beside the live one, promoted atomically
* ``views``        ``ReadModelView``: the tracking recorder composed of the read models below;
                   ``engines`` its SQLite and PostgreSQL classes and ``open_view``
* ``audit_trail``, ``contracts``, ``obligations``, ``deviations``: each its tables, writer, readers
* ``judged``       rows of judged contracts written across contracts, obligations, deviations
* ``judgement``    ``judge``: a contract's entries → its rows, by the pure rules (``domain.rules``)
* ``rows``         codecs: rule values and entries ↔ table rows; GET /obligations' stored document
* ``reads``        ``ReadModels``: every read, as of a date and as known at an instant
* ``audit``        ``verify --read-models``: the view judged again from the entries

Event → view update (STYLE.md #7): ``Contract.Registered`` and ``Contract.Recorded`` each add an
audit row and the running head, and (re)judge their contract; any other event (an idempotency
record) only moves the tracking position. Rows and position in one transaction.

The walk of one stored event to ``GET /obligations`` (the imports form no cycle)::

    stored_events row
      → source.read_batch          decoded to an Entry (plain JSON, or the ledger's mapper)
      → catchup.step               one batch after the view's position (worker, catch-up, rebuild)
      → views.ReadModelView.process   lock the tracking row, record the new position
          → audit_trail._append         rm_entries row (rows.entry_row), rm_head
          → audit_trail._entries_for    the contract's entries (memo, else read back)
          → judgement.judge → domain.rules.evaluate
          → judged._replace → contracts / obligations / deviations writers
                                        rm_obligations row with its served document (rows.open_doc)
      commit; runner settles the position (read-your-writes)
    GET /obligations → api.http.routes.reads → reads.ReadModels.open_obligation_docs
      → obligations.open_obligation_docs   the stored documents, one indexed query
      → contracts.refs_beyond_horizon      contracts whose rows stop before as_of

Rooms entered twice: two, both by design. ``rows`` (its ``open_doc`` written with the row,
its status mark rewritten as served) and the rules (``judge`` at write; at read only for a
contract past its horizon, ``ReadModels._late_open``). Before this shape the walk went
runner → views → runner and rebuild → runner → views → rebuild.
"""
