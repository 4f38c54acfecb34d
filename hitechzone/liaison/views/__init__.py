"""The service officers' pages (M1, 店小二): dashboard, assignments, visits, coverage, problems and their loop —
one module each.

Every page starts from the scoped managers (``for_user``) or ``queries.py``; a role that has no business on a
page gets a 404 (deny by default). Every write goes through ``services.py``: a ``Refused`` is shown to the user
and nothing is written.
"""

from .assignments import assignments, assignments_confirm, enterprise_assignments
from .base import duties
from .coverage import coverage
from .dashboard import home
from .problems import escalated, problem_act, problem_detail, problem_list, problem_new, step_labels
from .visits import visit_list, visit_new

__all__ = [
    "assignments",
    "assignments_confirm",
    "coverage",
    "duties",
    "enterprise_assignments",
    "escalated",
    "home",
    "problem_act",
    "problem_detail",
    "problem_list",
    "problem_new",
    "step_labels",
    "visit_list",
    "visit_new",
]
