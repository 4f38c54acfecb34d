"""The reference year does not move with the day the demo is loaded on: what depends on today draws from the year
under way's stream, never from the reference stream the later modules draw their reference year from."""

import random
from datetime import date
from types import SimpleNamespace

from hitechzone.demo import liaison


def test_the_visits_of_the_month_under_way_leave_the_reference_stream_as_it_was_whatever_the_day():
    assignments = [SimpleNamespace(officer_id=1, enterprise_id=n) for n in range(1, 40)]
    states = set()
    for today in (date(2026, 12, 7), date(2026, 12, 8), date(2026, 6, 30)):
        reference = random.Random(42)
        liaison._visits(reference, assignments, today, under_way=random.Random("under way"))
        states.add(reference.random())
    assert len(states) == 1
