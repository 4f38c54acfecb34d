"""The pool as a draw reads it (``projects/pool.py``) and the draw's writes in bulk (issue 14 item 14): whatever
changes an expert — a save, a bulk update, a new expert, a rolled-back change — the next draw reads the pool as the
database holds it, in the same transaction too; a redraw costs the same queries whatever the panel's size, and
leaves the same audit trail as seat-by-seat writes did."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from hitechzone.common import audit
from hitechzone.common.models import AuditEvent
from hitechzone.projects import panel_services, pool
from hitechzone.projects.models import Expert, Panel, PanelMember

from .test_panels_api import review  # noqa: F401 — the fixture

pytestmark = pytest.mark.django_db


def draw(zone, review, **body):  # noqa: F811
    return panel_services.panel_draw(by=zone.users.admin, project=review.project, **body)


def excluded_codes(panel) -> dict[int, str]:
    return {e["expert"]: e["code"] for e in panel.excluded}


def test_the_pool_holds_every_expert_by_id_with_his_name(zone, review):  # noqa: F811
    read = pool.read()
    assert [c.id for c in read.candidates] == sorted(Expert.objects.values_list("pk", flat=True))
    assert read.names[review.experts.a.pk] == "张院士"
    assert pool.read().candidates == read.candidates


def test_a_conflict_declared_by_a_bulk_update_in_the_same_transaction_excludes_at_the_next_draw(zone, review):  # noqa: F811
    first = draw(zone, review, seed=1)
    assert review.experts.b.pk in first.eligible
    with audit.unrecorded(Expert, reason="the test's set-up: a write the pool must notice, however it is made"):
        Expert.objects.filter(pk=review.experts.b.pk).update(declared_conflicts=["示例控股"])
    Expert.objects.create(name="新专家", specialties=["general"])
    second = draw(zone, review, seed=1)
    assert excluded_codes(second)[review.experts.b.pk] == "declared_conflict"
    assert review.experts.b.pk not in second.eligible
    assert Expert.objects.get(name="新专家").pk in second.eligible


def test_an_expert_saved_twice_in_one_transaction_is_read_again_each_time(zone, review):  # noqa: F811
    Expert.objects.create(name="补充专家", specialties=["general"])
    draw(zone, review, seed=1)
    expert = review.experts.c
    expert.active = False
    expert.save()
    assert excluded_codes(draw(zone, review, seed=1))[expert.pk] == "inactive"
    expert.active = True
    expert.save()
    assert expert.pk in draw(zone, review, seed=1).eligible


def test_a_rolled_back_change_leaves_the_pool_as_it_was(zone, review):  # noqa: F811
    before = draw(zone, review, seed=1).excluded
    gone = review.experts.other_chain.pk  # on no panel
    try:
        with transaction.atomic():
            Expert.objects.filter(pk=gone).delete()
            assert gone not in {c.id for c in pool.read().candidates}
            raise RuntimeError("roll back")
    except RuntimeError:
        pass
    assert gone in {c.id for c in pool.read().candidates}
    assert draw(zone, review, seed=1).excluded == before


def test_a_redraw_costs_the_same_queries_whatever_the_panels_size(zone, review):  # noqa: F811
    for n in range(6):
        Expert.objects.create(name=f"专家{n}", specialties=["general"], affiliation=f"单位{n}")

    def queries(size, seed):
        with CaptureQueriesContext(connection) as ctx:
            draw(zone, review, size=size, seed=seed)
        return len(ctx.captured_queries)

    queries(5, 1)
    assert queries(5, 2) == queries(9, 3) == queries(9, 4) == queries(5, 5)


def test_a_redraw_records_the_panel_and_every_seat_removed_and_created_by_whom(zone, review):  # noqa: F811
    with audit.audit_context(user=zone.users.leader, source="api"):
        panel_services.panel_draw(by=zone.users.leader, project=review.project, seed=1)
        old = list(PanelMember.objects.order_by("-seat").values_list("pk", "expert_id"))
        start = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
        panel_services.panel_draw(by=zone.users.leader, project=review.project, seed=2)
    events = list(AuditEvent.objects.filter(pk__gt=start).select_related("content_type").order_by("pk"))
    assert {(e.username, e.source) for e in events} == {(zone.users.leader.username, "api")}
    panel = Panel.objects.get()
    [update] = [e for e in events if e.content_type.model == "panel"]
    assert (update.action, update.object_id, update.changes["seed"]) == ("update", str(panel.pk), [1, 2])
    deleted = [e for e in events if e.content_type.model == "panelmember" and e.action == "delete"]
    assert [(int(e.object_id), e.changes["expert"][0]) for e in deleted] == old  # the latest seats first
    created = [e for e in events if e.content_type.model == "panelmember" and e.action == "create"]
    assert sorted(int(e.object_id) for e in created) == sorted(panel.members.values_list("pk", flat=True))
    assert all(review.project.name in e.object_repr for e in deleted + created)
    assert {e.changes["seat"][1] for e in created} == {1, 2, 3, 4, 5}
