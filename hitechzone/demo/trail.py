"""The demo's audit trail: what the generator writes in bulk is, on purpose, not recorded.

The demo zone is generated: the same seed gives the same rows, so a record per generated row would only say "the
generator made it" (tens of thousands of them, doubling the load). The rows the generator writes one by one
(``save()``) are recorded as ``system`` like any other write outside a request, as before.
"""

from hitechzone.common import audit

REASON = "generated demo data, reproducible from its seed: a record per generated row would say nothing more"

#: Decorates each loader: its bulk writes to audited models pass the audit guard, unrecorded.
unrecorded = audit.unrecorded(reason=REASON)
