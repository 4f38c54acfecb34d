"""The reads: lights in SQL (agreeing with ``Application.light``), the overdue list, and the year's figures on a
hand-built set — each figure worked out in a comment — with their scoping and a fixed query budget.
"""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hitechzone.approvals import queries, services
from hitechzone.approvals.models import Application, Pause

D = date
TODAY = D(2025, 12, 31)


@pytest.fixture
def year(catalogue, file_application, walk, freeze):
    """Eight applications, seven of them received in 2025 ("today" is 2025-12-31).

    ====  ==============  ========  ==========  =========================================  ====  =======
    name  item            ent.      received    what happened                              days  on time
    ====  ==============  ========  ==========  =========================================  ====  =======
    a1    item_a (5)      A         Mon Mar 3   approved Fri Mar 7 (Tue 4 … Fri 7)            4  yes
    a2    item_a (5)      B         Mon Mar 3   approved Tue Mar 11 (due Mon 10)              6  no
    a3    item_b (10)     A         Tue Apr 1   refused Tue Apr 15 (Apr 2, 3, 7–11, 14, 15)   9  yes (due Apr 16)
    a4    immediate (0)   A         Tue Apr 1   approved the same day                         0  yes
    a5    item_a          A         Tue May 6   not accepted (不予受理)
    a6    item_b          B         Tue Jun 3   expert review Jun 5–8 (2 working days), processing, due Jun 19: red
    a7    item_a          A         Tue Jun 3   in a special procedure since Wed Jun 4: paused
    a8    item_a          A         Mon 2024-12-02  approved Fri 2024-12-06 (another year)    4  yes
    ====  ==============  ========  ==========  =========================================  ====  =======
    """
    freeze(TODAY)
    zone = catalogue.zone
    ent_b = {"enterprise": zone.ent_b}
    apps = {
        "a1": walk(file_application(catalogue.item_a, on=D(2025, 3, 3)), to="completed", on=D(2025, 3, 7)),
        "a2": walk(file_application(catalogue.item_a, on=D(2025, 3, 3), **ent_b), to="completed", on=D(2025, 3, 11)),
        "a3": walk(file_application(catalogue.item_b, on=D(2025, 4, 1)), to="refused", on=D(2025, 4, 15)),
        "a4": walk(file_application(catalogue.immediate_item, on=D(2025, 4, 1)), to="completed", on=D(2025, 4, 1)),
        "a5": walk(file_application(catalogue.item_a, on=D(2025, 5, 6)), to="rejected"),
        "a6": walk(file_application(catalogue.item_b, on=D(2025, 6, 3), **ent_b), to="processing"),
        "a7": walk(file_application(catalogue.item_a, on=D(2025, 6, 3)), to="special"),
        "a8": walk(file_application(catalogue.item_a, on=D(2024, 12, 2)), to="completed", on=D(2024, 12, 6)),
    }
    services.application_pause(
        application=apps["a6"], by=zone.users.dept_b, kind=Pause.Kind.EXPERT_REVIEW, reason="专家评审", on=D(2025, 6, 5)
    )
    apps["a6"] = services.application_resume(application=apps["a6"], by=zone.users.dept_b, on=D(2025, 6, 9))
    for application in apps.values():
        application.refresh_from_db()
    # The hand computations above, checked once here.
    assert [apps[n].working_days_used for n in ("a1", "a2", "a3", "a4", "a8")] == [4, 6, 9, 0, 4]
    assert [apps[n].on_time for n in ("a1", "a2", "a3", "a4", "a8")] == [True, False, True, True, True]
    # a6: 1 Wed Jun 4, (Thu 5, Fri 6 paused), 2 Mon 9, 3 Tue 10, … 7 Mon 16, 8 Tue 17, 9 Wed 18, 10 Thu 19
    assert (apps["a6"].due_on, apps["a6"].paused_working_days) == (D(2025, 6, 19), 2)
    return apps


def by_code(rows, key="department"):
    return {row[key]: row for row in rows}


# --- Lights ---------------------------------------------------------------------------------------------------------


def test_the_lights_in_sql_agree_with_the_model_on_every_day(catalogue, file_application, walk, freeze):
    freeze(D(2025, 3, 31))
    apps = [
        walk(file_application(catalogue.item_a, on=D(2025, 3, 3)), to="processing"),  # due Mon 10, yellow Fri 7
        walk(file_application(catalogue.item_b, on=D(2025, 3, 3)), to="accepted"),  # due Mon 17, yellow Fri 14
        walk(file_application(catalogue.immediate_item, on=D(2025, 3, 5)), to="accepted"),  # due Wed 5
        walk(file_application(catalogue.item_a, on=D(2025, 3, 3)), to="special"),
        walk(file_application(catalogue.item_a, on=D(2025, 3, 3)), to="paused_correction"),
        walk(file_application(catalogue.item_a, on=D(2025, 3, 3), provided="none"), to="correcting"),  # no clock
        walk(file_application(catalogue.item_a, on=D(2025, 3, 3)), to="received"),
        walk(file_application(catalogue.item_a, on=D(2025, 3, 3)), to="completed"),
        walk(file_application(catalogue.item_a, on=D(2025, 3, 3)), to="rejected"),
    ]
    pks = [a.pk for a in apps]
    for day in range(3, 20):
        today = D(2025, 3, day)
        expected = {a.pk: a.light(today) for a in Application.objects.filter(pk__in=pks)}
        in_sql = dict(queries.with_light(Application.objects.filter(pk__in=pks), today).values_list("pk", "light_now"))
        assert in_sql == expected, today
        for light in queries.LIGHTS:
            chosen = set(Application.objects.filter(queries.light_filter(light, today)).values_list("pk", flat=True))
            assert chosen == {pk for pk, value in expected.items() if value == light}, (today, light)
    assert queries.light_counts(Application.objects.all(), D(2025, 3, 7)) == {
        "green": 1,  # item_b's (yellow from Fri 14)
        "yellow": 1,  # item_a's, due Mon 10
        "red": 1,  # the immediate one, due Wed 5
        "paused": 2,  # special and 补正
    }
    with pytest.raises(ValueError, match="blue"):
        queries.light_filter("blue")


def test_the_overdue_list_is_the_red_applications_most_overdue_first(year):
    red = list(queries.overdue(Application.objects.all(), TODAY))
    assert red == [year["a6"]]
    assert list(queries.overdue(Application.objects.all(), D(2025, 6, 19))) == []  # due that day: yellow
    assert list(queries.overdue(Application.objects.for_user(year["a6"].enterprise.users.first()), TODAY)) == [
        year["a6"]
    ]


# --- The year's figures ---------------------------------------------------------------------------------------------


def test_the_figures_of_the_year(catalogue, year):
    zone = catalogue.zone
    stats = queries.year_stats(user=zone.users.admin, year=2025, today=TODAY)
    expected = {
        "year": 2025,
        "items": 3,
        "departments": 2,
        "by_mode": {"entrusted": 1, "jurisdiction": 1, "seal_follow": 1, "agency": 0},
        "applications": 7,  # a1 … a7 (a8 was received in 2024)
        "completed": 4,  # a1, a2, a3, a4
        "approved": 3,  # a1, a2, a4
        "refused": 1,  # a3
        "rejected": 1,  # a5
        "immediate_completed": 1,  # a4, counted apart
        "timed": 3,  # a1, a2, a3: the completed commitment items
        "average_working_days": 6.3,  # (4 + 6 + 9) / 3 = 6.33
        "fastest_working_days": 4,  # a1
        "slowest_working_days": 9,  # a3
        "on_time": 3,  # a1, a3, a4
        "on_time_rate": 0.75,  # 3 of the 4 completed
        "paused": 1,  # a6 (a7's pause is still open: no working day stored yet)
        "lights": {"green": 0, "yellow": 0, "red": 1, "paused": 1},  # a6 red, a7 paused
        "overdue": 1,
    }
    assert {key: stats[key] for key in expected} == expected
    assert stats["comparison"] == {
        "pre_reform_average_days": 40.0,  # item_a 30 days × 2 timed + item_b 60 × 1, over 3
        "average_working_days": 6.3,  # (4 + 6 + 9) / 3 over the same cases
        "pre_reform_min_days": 5,  # the immediate item
        "pre_reform_max_days": 60,  # item_b
        "fastest_working_days": 4,
        "fastest_project_working_days": None,  # no parallel approval
    }
    assert stats["bundles"] == {"count": 0, "completed": 0, "average_working_days": None, "fastest_working_days": None}

    departments = by_code(stats["by_department"])
    assert set(departments) == {zone.dept_a.code, zone.dept_b.code}
    a, b = departments[zone.dept_a.code], departments[zone.dept_b.code]
    # Department A: a1, a2, a4, a5, a7; timed a1 (4) and a2 (6); on time a1 and a4 of the completed a1, a2, a4.
    assert (a["items"], a["applications"], a["completed"], a["rejected"], a["immediate_completed"]) == (2, 5, 3, 1, 1)
    assert (a["average_working_days"], a["fastest_working_days"], a["on_time"], a["on_time_rate"]) == (
        5.0,
        4,
        2,
        0.6667,
    )
    assert a["pre_reform_average_days"] == 17.5  # (30 + 5) / 2
    # Department B: a3 (refused, 9 days, on time) and a6 (running, paused 2 days).
    assert (b["items"], b["applications"], b["completed"], b["refused"], b["paused"]) == (1, 2, 1, 1, 1)
    assert (b["average_working_days"], b["fastest_working_days"], b["on_time_rate"]) == (9.0, 9, 1.0)
    assert b["pre_reform_average_days"] == 60.0

    items = stats["by_item"]
    assert [(row["code"], row["applications"], row["completed"]) for row in items] == [
        ("330100-A-001", 4, 2),  # a1, a2, a5, a7
        ("330100-B-001", 2, 1),  # a3, a6
        ("330100-A-002", 1, 1),  # a4
    ]
    immediate = items[2]
    assert (immediate["item_type"], immediate["timed"], immediate["average_working_days"]) == ("immediate", 0, None)
    assert (immediate["immediate_completed"], immediate["on_time_rate"]) == (1, 1.0)
    assert (items[0]["pre_reform_days"], items[0]["promised_limit"], items[0]["average_working_days"]) == (30, 5, 5.0)

    months = {row["month"]: row for row in stats["by_month"]}
    assert list(months) == list(range(1, 13))
    assert {m: (row["applications"], row["completed"]) for m, row in months.items() if row["applications"]} == {
        3: (2, 2),  # a1, a2
        4: (2, 2),  # a3, a4
        5: (1, 0),  # a5, rejected
        6: (2, 0),  # a6, a7
    }
    assert months[3]["average_working_days"] == 5.0  # (4 + 6) / 2

    previous = queries.year_stats(user=zone.users.admin, year=2024, today=TODAY)
    assert (previous["applications"], previous["completed"], previous["average_working_days"]) == (1, 1, 4.0)


def test_a_cancelled_item_leaves_the_catalogue_figures_but_its_applications_stay(catalogue, year):
    zone = catalogue.zone
    services.item_set_status(item=catalogue.item_b, by=zone.users.dept_b, status="cancelled", reason="权限收回")
    stats = queries.year_stats(user=zone.users.admin, year=2025, today=TODAY)
    assert (stats["items"], stats["departments"], stats["by_mode"]["jurisdiction"]) == (2, 1, 0)
    assert stats["applications"] == 7
    assert {row["code"] for row in stats["by_item"]} == {"330100-A-001", "330100-B-001", "330100-A-002"}
    assert by_code(stats["by_department"])[zone.dept_b.code]["applications"] == 2


def test_a_department_sees_only_its_own_figures(catalogue, year):
    zone = catalogue.zone
    a = queries.year_stats(user=zone.users.dept_a, year=2025, today=TODAY)
    assert (a["applications"], a["completed"], a["average_working_days"], a["on_time_rate"]) == (5, 3, 5.0, 0.6667)
    assert a["lights"] == {"green": 0, "yellow": 0, "red": 0, "paused": 1}  # a7
    assert [row["department"] for row in a["by_department"]] == [zone.dept_a.code]
    assert {row["code"] for row in a["by_item"]} == {"330100-A-001", "330100-A-002"}
    b = queries.year_stats(user=zone.users.dept_b, year=2025, today=TODAY)
    assert (b["applications"], b["completed"], b["overdue"]) == (2, 1, 1)
    assert [row["department"] for row in b["by_department"]] == [zone.dept_b.code]
    # The catalogue is reference data: everyone counts the same items.
    assert (a["items"], b["items"], a["by_mode"]) == (3, 3, b["by_mode"])


def test_an_enterprise_its_officer_and_an_expert_see_their_own_figures(catalogue, year):
    users = catalogue.zone.users
    ent_b = queries.year_stats(user=users.ent_b, year=2025, today=TODAY)
    assert (ent_b["applications"], ent_b["completed"], ent_b["overdue"]) == (2, 1, 1)  # a2, a6
    assert [row["applications"] for row in ent_b["by_department"]] == [1, 1]  # one in each department
    officer_a = queries.year_stats(user=users.officer_a, year=2025, today=TODAY)
    assert (officer_a["applications"], officer_a["completed"]) == (5, 3)  # a1, a3, a4, a5, a7
    expert = queries.year_stats(user=users.expert_a, year=2025, today=TODAY)
    assert (expert["applications"], expert["completed"], expert["by_department"], expert["by_item"]) == (0, 0, [], [])
    assert expert["lights"] == {"green": 0, "yellow": 0, "red": 0, "paused": 0}
    assert expert["items"] == 3


def test_parallel_approvals_in_the_figures(catalogue, walk, freeze):
    freeze(TODAY)
    zone = catalogue.zone
    fast = services.bundle_create(
        by=zone.users.ent_a,
        enterprise=zone.ent_a,
        name="快",
        items=[catalogue.item_a, catalogue.item_b],
        started_on=D(2025, 3, 3),
    )
    for application in fast.applications.all():
        walk(application, to="completed", on=D(2025, 3, 7))  # Mon 3 → Fri 7: 4 working days
    slow = services.bundle_create(
        by=zone.users.ent_b,
        enterprise=zone.ent_b,
        name="慢",
        items=[catalogue.item_a, catalogue.item_b],
        started_on=D(2025, 3, 3),
    )
    for application in slow.applications.all():
        walk(application, to="completed", on=D(2025, 3, 14))  # Mon 3 → Fri 14: 9 working days
    services.bundle_create(
        by=zone.users.ent_b, enterprise=zone.ent_b, name="在办", items=[catalogue.item_a, catalogue.immediate_item]
    )
    stats = queries.year_stats(user=zone.users.admin, year=2025, today=TODAY)
    assert stats["bundles"] == {"count": 3, "completed": 2, "average_working_days": 6.5, "fastest_working_days": 4}
    assert stats["comparison"]["fastest_project_working_days"] == 4
    assert queries.bundle_stats(user=zone.users.ent_b, year=2025) == {
        "count": 2,
        "completed": 1,
        "average_working_days": 9.0,
        "fastest_working_days": 9,
    }
    # Department B has an application in each of the three.
    assert queries.bundle_stats(user=zone.users.dept_b, year=2025)["count"] == 2  # 在办 has none of B's items
    assert queries.bundle_stats(user=zone.users.dept_a, year=2025)["count"] == 3
    assert queries.bundle_stats(user=zone.users.expert_a, year=2025)["count"] == 0


# --- The query budget -------------------------------------------------------------------------------------------------


def year_stats_queries(user) -> int:
    with CaptureQueriesContext(connection) as context:
        queries.year_stats(user=user, year=2025, today=TODAY)
    return len(context.captured_queries)


def test_year_stats_runs_the_same_few_queries_for_3_or_30_applications(catalogue, file_application, walk, freeze):
    freeze(TODAY)
    zone = catalogue.zone

    def add(count):
        for n in range(count):
            item = catalogue.items[n % 3]
            enterprise = zone.ent_a if n % 2 else zone.ent_b
            walk(file_application(item, on=D(2025, 1 + n % 12, 3), enterprise=enterprise), to="completed")

    add(3)
    few = {role: year_stats_queries(getattr(zone.users, role)) for role in ("admin", "dept_a", "officer_a", "ent_b")}
    add(27)
    assert queries.year_stats(user=zone.users.admin, year=2025, today=TODAY)["applications"] == 30
    many = {role: year_stats_queries(getattr(zone.users, role)) for role in ("admin", "dept_a", "officer_a", "ent_b")}
    assert few == many
    # The catalogue, the grouped year, the items of the year's rows, the lights, the bundles.
    assert many["admin"] == 5
