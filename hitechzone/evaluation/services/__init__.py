"""Writes of M4's evaluation: schemes and their versions, exemptions, vetoes, runs and their publication.

Every function is keyword-only, runs in one transaction and is audited (the models are registered in
``apps.py``; the results of a run are written in bulk and covered by the run's own audit record). An action the
rules do not allow raises :class:`Refused` with a message for the user and writes nothing.

Who: an administrator edits schemes, exemptions and vetoes and runs evaluations; a leader or an administrator
publishes a run. ``by=None`` is the system (a management command, the demo): it may do all of it.

**A run** (:func:`run_evaluation`) reads, for its year, every enterprise with a row of yearly indicators (only
the brand's when the scheme is a brand's) plus the enterprises exempted for the year without such a row; an
enterprise with neither is not part of the run (it has nothing to be evaluated on, and nothing to be told).
Each of them gets one :class:`~hitechzone.evaluation.models.EvaluationResult`: its group (above / below /
excluded) and why it is excluded (no land, below designated size on less than the minimum land, exempted), its
score, class, rank in the group and in its industry division (the first two digits of GB/T 4754; enterprises
without an industry of division level or deeper get no industry rank), whether it was vetoed, its indicator
values and sub-scores, the figures read (``null`` when blank) and the 亩均税收 it needs for the next class.
The run stores the scheme version it used and a summary (benchmarks, class counts and floors, the indicators
with their labels, weights and units). Runs and results are never changed afterwards: running again (the same
scheme version on the same data) gives a new run with the same numbers.

On PostgreSQL the results go in as numbers only — one binary ``COPY`` built by numpy into a temporary table —
and ``INSERT … SELECT`` writes the rows, the server rendering the JSON (no Python object per row; 100,000
enterprises: see bench/README.md, "M4 end to end"); elsewhere with ``bulk_create``. JSON numbers are the
shortest text that reads back to the same float; NaN (missing) is ``null``.
"""

from __future__ import annotations

from hitechzone.common.rules import Refused as Refused  # re-exported: callers catch services.Refused

from .checks import DEFAULT_SCHEME_NAME, JOB_KIND, STORE_CHUNK, Exclusion, Progress
from .runs import _Input as _Input  # bench/evaluation_end_to_end.py times the read alone
from .runs import run_enqueue, run_evaluation, run_publish
from .schemes import (
    exemption_remove,
    exemption_set,
    scheme_create,
    scheme_revise,
    scheme_version_for,
    veto_remove,
    veto_set,
)

__all__ = [
    "DEFAULT_SCHEME_NAME",
    "JOB_KIND",
    "STORE_CHUNK",
    "Exclusion",
    "Progress",
    "exemption_remove",
    "exemption_set",
    "run_enqueue",
    "run_evaluation",
    "run_publish",
    "scheme_create",
    "scheme_revise",
    "scheme_version_for",
    "veto_remove",
    "veto_set",
]
