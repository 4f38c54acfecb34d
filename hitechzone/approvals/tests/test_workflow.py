"""The workflow table says what the services, the pages and the API used to spell out each on its own."""

from datetime import date
from itertools import product

import numpy as np
import pytest

from hitechzone.accounts.models import Role
from hitechzone.approvals import clock, workflow
from hitechzone.approvals.models import Application

S = Application.State


def _was_allowed(action: str, application: Application) -> bool:
    """The state conditions the services checked before the table (kept here as the table's specification)."""
    state, accepted = application.state, application.accepted_on
    return {
        "check": state == S.RECEIVED,
        "reject": state == S.RECEIVED or (state == S.CORRECTING and accepted is None),
        "supply": state not in Application.DONE_STATES,
        "assign": state in (S.ACCEPTED, S.PROCESSING, S.SPECIAL, S.CORRECTING) and bool(accepted),
        "pause": state in Application.COUNTING_STATES,
        "resume": state == S.SPECIAL,
        "complete": state in Application.COUNTING_STATES,
        "rate": state == S.COMPLETED,
    }[action]


@pytest.mark.parametrize(("state", "accepted"), list(product(S.values, (None, date(2025, 3, 3)))))
def test_the_table_allows_each_action_from_the_states_the_services_allowed(state, accepted):
    application = Application(state=state, accepted_on=accepted)
    for action in workflow.ACTIONS:
        assert workflow.allows(action, application) == _was_allowed(action, application), action


def test_the_api_roles_are_the_window_the_applicant_side_or_both():
    window, applicant = (Role.ADMIN, Role.DEPARTMENT), (Role.ENTERPRISE, Role.OFFICER)
    roles = {name: action.roles for name, action in workflow.ACTIONS.items()}
    assert roles == {
        "check": window,
        "reject": window,
        "supply": window + applicant,
        "assign": window,
        "pause": window,
        "resume": window,
        "complete": window,
        "rate": applicant,
    }


def test_every_action_names_an_existing_service():
    for action in workflow.ACTIONS.values():
        assert callable(action.service), action.name


def test_the_calendar_reach_covers_a_long_limit_and_a_yellow_threshold_before_acceptance():
    accepted = np.array([date(2025, 12, 30).toordinal()])
    assert clock.years_needed(accepted, np.array([5]), np.array([3]), accepted) == (2025, 2026)
    assert clock.years_needed(accepted, np.array([400]), np.array([3]), accepted) == (2025, 2027)
    early = np.array([date(2025, 1, 2).toordinal()])
    assert clock.years_needed(early, np.array([5]), np.array([10]), early) == (2024, 2025)
