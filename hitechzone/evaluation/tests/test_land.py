"""Land exit (腾笼换鸟): the candidates (class D and idle land), an exit case's whole life with the parcels' land
users changing, the reward per mu and as a share, the land freed in a swap, steps out of order and dates going
backwards refused with nothing written, scoping, totals, and the pages with their query budgets.

The ``land`` fixture (also used by ``test_land_api.py``) builds on the root ``zone`` personas:

- 2025's published evaluation: enterprise A in class D (score 41.5, 亩均税收 2.0), enterprise B in class A;
  an unpublished run of 2025 puts enterprise B in D (nobody but its authors may act on it).
- Enterprise A uses ``zone.parcel_a`` (30 mu) and ``parcel_a2`` (12.5 mu), both industrial.
- ``suspended``: a suspended enterprise holding an industrial parcel of 20 mu; ``silent``: an enterprise that
  reported no revenue (0) for 2025, holding 6 mu; ``shop``: no revenue either, but only commercial land.
- ``free_parcel`` (8 mu) and ``free_parcel2`` (50 mu): industrial land nobody uses, for swaps.
- The reward policy of 2026: 2.5 万元 per mu freed.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone, translation

from hitechzone.common.models import AuditEvent
from hitechzone.enterprises.models import Enterprise
from hitechzone.enterprises.tests import factories as f
from hitechzone.evaluation import land
from hitechzone.evaluation.models import (
    EvaluationResult,
    EvaluationRun,
    ExitCase,
    ExitPolicy,
    Scheme,
    SchemeVersion,
)
from hitechzone.zone.models import Parcel

S = ExitCase.Status
MODE = ExitCase.Mode
T = ExitCase.Trigger


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def scheme_version() -> SchemeVersion:
    scheme, _created = Scheme.objects.get_or_create(name="default", defaults={"title": "默认"})
    version = scheme.versions.order_by("number").first()
    if version is None:
        version = SchemeVersion.objects.create(scheme=scheme, number=1, effective_from=2000, definition={})
    return version


def result(run, enterprise, klass, score, tax_per_mu=None, rank=1):
    return EvaluationResult.objects.create(
        run=run,
        enterprise=enterprise,
        group="above",
        score=score,
        klass=klass,
        rank=rank,
        values={"tax_per_mu": tax_per_mu},
        name=enterprise.name,
        uscc=enterprise.uscc,
    )


@pytest.fixture
def land_zone(zone):
    return build_land_zone(zone)


def build_land_zone(zone) -> SimpleNamespace:
    version = scheme_version()
    published = EvaluationRun.objects.create(
        year=2025, scheme_version=version, status="done", published_at=timezone.now(), published_by=zone.users.leader
    )
    draft = EvaluationRun.objects.create(year=2025, scheme_version=version, status="done")
    result_a = result(published, zone.ent_a, "D", 41.5, 2.0, rank=2)
    result(published, zone.ent_b, "A", 120.0, 30.0, rank=1)
    result(draft, zone.ent_b, "D", 10.0, 1.0)
    zone.parcel_a.area_mu, zone.parcel_a.area_m2 = Decimal("30"), None
    zone.parcel_a.land_use = Parcel.LandUse.INDUSTRIAL
    zone.parcel_a.save()
    parcel_a2 = f.ParcelFactory(brand=zone.brand_a, enterprise=zone.ent_a, area_mu=Decimal("12.5"))
    suspended = f.EnterpriseFactory(name="停产企业", brand=zone.brand_a, status=Enterprise.Status.SUSPENDED)
    suspended_parcel = f.ParcelFactory(brand=zone.brand_a, enterprise=suspended, area_mu=Decimal("20"))
    silent = f.EnterpriseFactory(name="零收入企业", brand=zone.brand_a)
    f.IndicatorFactory(enterprise=silent, year=2025, revenue_wan_yuan=Decimal(0), tax_wan_yuan=Decimal(3))
    silent_parcel = f.ParcelFactory(brand=zone.brand_a, enterprise=silent, area_mu=Decimal("6"))
    shop = f.EnterpriseFactory(name="商铺企业", brand=zone.brand_a)
    f.IndicatorFactory(enterprise=shop, year=2025, revenue_wan_yuan=None)
    f.ParcelFactory(brand=zone.brand_a, enterprise=shop, land_use=Parcel.LandUse.COMMERCIAL)
    free_parcel = f.ParcelFactory(brand=zone.brand_a, area_mu=Decimal("8"))
    free_parcel2 = f.ParcelFactory(brand=zone.brand_a, area_mu=Decimal("50"))
    ExitPolicy.objects.create(year=2026, reward_basis="per_mu", reward_rate=Decimal("2.5"))
    return SimpleNamespace(
        zone=zone,
        users=zone.users,
        run=published,
        draft=draft,
        result_a=result_a,
        parcel_a=zone.parcel_a,
        parcel_a2=parcel_a2,
        suspended=suspended,
        suspended_parcel=suspended_parcel,
        silent=silent,
        silent_parcel=silent_parcel,
        shop=shop,
        free_parcel=free_parcel,
        free_parcel2=free_parcel2,
    )


def open_case(lz, *, mode=MODE.AGREED_EXIT, parcels=None, on=date(2026, 3, 2), **kwargs) -> ExitCase:
    return land.case_open(
        by=kwargs.pop("user", lz.users.admin),
        enterprise=kwargs.pop("enterprise", lz.zone.ent_a),
        mode=mode,
        trigger=kwargs.pop("trigger", T.CLASS_D),
        parcels=parcels if parcels is not None else [lz.parcel_a, lz.parcel_a2],
        identified_on=on,
        **kwargs,
    )


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def events(case) -> int:
    return AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(ExitCase), object_id=str(case.pk)
    ).count()


# --- The candidates ---------------------------------------------------------------------------------------------


def test_the_candidates_are_class_d_of_the_published_run_and_idle_industrial_land(land_zone):
    lz = land_zone
    rows = {row.enterprise.pk: row for row in land.inefficient(user=lz.users.admin)}
    assert set(rows) == {lz.zone.ent_a.pk, lz.suspended.pk, lz.silent.pk}  # not B (D only in the draft), not shop
    a = rows[lz.zone.ent_a.pk]
    assert a.reasons == [land.Reason.CLASS_D]
    assert (a.klass, a.score, a.tax_per_mu) == ("D", 41.5, 2.0)
    assert [p.code for p in a.parcels] == sorted([lz.parcel_a.code, lz.parcel_a2.code])
    assert a.total_mu == Decimal("42.5")
    assert a.trigger == T.CLASS_D
    assert rows[lz.suspended.pk].reasons == [land.Reason.SUSPENDED]
    assert rows[lz.suspended.pk].klass == ""
    assert rows[lz.suspended.pk].trigger == T.IDLE_LAND
    silent = rows[lz.silent.pk]
    assert silent.reasons == [land.Reason.NO_REVENUE]
    assert silent.total_mu == Decimal("6")
    assert silent.tax_per_mu == pytest.approx(3 / 50)  # from the yearly figures: 3 万元 on 50 mu (the factory)
    # Class D comes first.
    assert land.inefficient(user=lz.users.admin)[0].enterprise == lz.zone.ent_a


def test_the_candidates_default_to_the_latest_year_with_a_published_run(land_zone):
    lz = land_zone
    assert land.candidates_year() == 2025
    # 2024 has no run: only the idle land of 2024's figures (none reported), and the suspended enterprise.
    assert {row.enterprise.pk for row in land.inefficient(user=lz.users.admin, year=2024)} == {lz.suspended.pk}


def test_a_candidate_shows_its_open_case(land_zone):
    lz = land_zone
    case = open_case(lz)
    row = next(r for r in land.inefficient(user=lz.users.leader) if r.enterprise == lz.zone.ent_a)
    assert row.open_case == case


def test_the_candidates_are_scoped(land_zone):
    lz = land_zone
    u = lz.users
    assert [r.enterprise for r in land.inefficient(user=u.officer_a)] == [lz.zone.ent_a]
    assert [r.enterprise for r in land.inefficient(user=u.ent_a)] == [lz.zone.ent_a]
    assert land.inefficient(user=u.officer_b) == []
    assert land.inefficient(user=u.ent_b) == []
    for user in (u.dept_a, u.expert_a):
        assert land.inefficient(user=user) == []
    assert len(land.inefficient(user=u.leader)) == 3


def test_the_candidates_cost_a_fixed_number_of_queries(land_zone, django_assert_max_num_queries):
    lz = land_zone
    with django_assert_max_num_queries(10) as counted:
        few = land.inefficient(user=lz.users.admin)
    for i in range(15):
        e = f.EnterpriseFactory(brand=lz.zone.brand_a, status=Enterprise.Status.EXITED)
        f.ParcelFactory(brand=lz.zone.brand_a, enterprise=e)
        f.ParcelFactory(brand=lz.zone.brand_a, enterprise=e)
        if i % 3 == 0:
            land.case_open(
                by=lz.users.admin,
                enterprise=e,
                mode=MODE.AGREED_EXIT,
                trigger=T.IDLE_LAND,
                parcels=list(e.parcels.all()),
                identified_on=date(2026, 3, 2),
            )
    with django_assert_max_num_queries(len(counted.captured_queries)):
        many = land.inefficient(user=lz.users.admin)
    assert len(many) == len(few) + 15


# --- The whole flow ---------------------------------------------------------------------------------------------


def test_an_agreed_exit_from_identified_to_closed_frees_the_land_and_gives_it_to_the_successor(land_zone):
    lz = land_zone
    admin, leader = lz.users.admin, lz.users.leader
    case = open_case(lz, notes="约谈企业")
    assert case.code == "TL-2026-001"
    assert (case.status, case.identified_on) == (S.IDENTIFIED, date(2026, 3, 2))
    assert case.evaluation_result == lz.result_a  # the class D behind the case
    assert (case.reward_basis, case.reward_rate) == ("per_mu", Decimal("2.5"))  # the year's policy
    assert case.land_freed_mu == Decimal("42.5")
    assert case.reward_wan_yuan == Decimal("106.25")  # 2.5 × 42.5
    assert set(case.parcels.all()) == {lz.parcel_a, lz.parcel_a2}

    case = land.case_advance(by=leader, case=case, to=S.NEGOTIATING, on=date(2026, 3, 10))
    assert case.status == S.NEGOTIATING
    case = land.case_advance(
        by=leader, case=case, to=S.AGREED, on=date(2026, 4, 1), compensation_wan_yuan=Decimal("900")
    )
    assert (case.status, case.agreed_on, case.compensation_wan_yuan) == (S.AGREED, date(2026, 4, 1), Decimal(900))
    assert fresh(lz.parcel_a).enterprise == lz.zone.ent_a  # still theirs until handed back

    case = land.case_advance(by=admin, case=case, to=S.LAND_RETURNED, on=date(2026, 5, 1))
    assert (case.status, case.returned_on) == (S.LAND_RETURNED, date(2026, 5, 1))
    assert fresh(lz.parcel_a).enterprise is None
    assert fresh(lz.parcel_a2).enterprise is None

    newcomer = f.EnterpriseFactory(name="新引进企业", brand=lz.zone.brand_a)
    case = land.case_advance(
        by=admin, case=case, to=S.REUSED, on=date(2026, 6, 1), reuse="新能源电池项目", successor=newcomer
    )
    assert (case.status, case.reused_on, case.reuse, case.successor) == (
        S.REUSED,
        date(2026, 6, 1),
        "新能源电池项目",
        newcomer,
    )
    assert fresh(lz.parcel_a).enterprise == newcomer
    assert fresh(lz.parcel_a2).enterprise == newcomer

    case = land.case_advance(by=admin, case=case, to=S.CLOSED, on=date(2026, 6, 1))
    assert (case.status, case.closed_on) == (S.CLOSED, date(2026, 6, 1))
    assert land.next_status(case) is None
    # Every step is in the audit trail: the opening and five steps; the parcels' changes too.
    assert events(case) == 6
    parcel_events = AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(Parcel), object_id=str(lz.parcel_a.pk), action="update"
    )
    assert [e.changes["enterprise"][1] for e in parcel_events.order_by("at", "pk")] == [None, newcomer.pk]


def test_a_negotiated_swap_frees_the_difference_and_gives_the_enterprise_the_parcels_received(land_zone):
    lz = land_zone
    case = open_case(lz, mode=MODE.NEGOTIATED_SWAP, swap_parcels=[lz.free_parcel])
    assert case.land_freed_mu == Decimal("34.5")  # 42.5 − 8
    assert case.reward_wan_yuan == Decimal("86.25")
    # Receiving more than given up frees nothing (never below 0).
    case = land.case_update(by=lz.users.admin, case=case, swap_parcels=[lz.free_parcel2])
    assert case.land_freed_mu == Decimal(0)
    assert case.reward_wan_yuan == Decimal(0)
    case = land.case_update(by=lz.users.admin, case=case, swap_parcels=[lz.free_parcel])
    assert case.land_freed_mu == Decimal("34.5")
    for to, on in ((S.NEGOTIATING, date(2026, 3, 3)), (S.AGREED, date(2026, 3, 4))):
        case = land.case_advance(
            by=lz.users.admin, case=case, to=to, on=on, **({"compensation_wan_yuan": 500} if to == S.AGREED else {})
        )
    case = land.case_advance(by=lz.users.admin, case=case, to=S.LAND_RETURNED, on=date(2026, 3, 5))
    assert fresh(lz.free_parcel).enterprise == lz.zone.ent_a
    assert fresh(lz.parcel_a).enterprise is None
    assert case.land_freed_mu == Decimal("34.5")


def test_the_reward_as_a_share_of_the_compensation_follows_the_compensation(land_zone):
    lz = land_zone
    case = open_case(lz, reward_basis="share", reward_rate=Decimal("0.1"))
    assert case.reward_wan_yuan == Decimal(0)  # no compensation yet
    case = land.case_update(by=lz.users.admin, case=case, compensation_wan_yuan=Decimal("1234.5"))
    assert case.reward_wan_yuan == Decimal("123.45")
    case = land.case_update(by=lz.users.admin, case=case, reward_rate=Decimal("0.15"))
    assert case.reward_wan_yuan == Decimal("185.18")  # 185.175 rounded half up
    case = land.case_update(by=lz.users.admin, case=case, reward_basis="per_mu", reward_rate=Decimal(3))
    assert case.reward_wan_yuan == Decimal("127.50")


def test_without_a_policy_for_the_year_the_reward_terms_are_required(land_zone):
    lz = land_zone
    with pytest.raises(land.Refused, match="No reward policy for 2025"):
        open_case(lz, on=date(2025, 12, 1))
    with pytest.raises(land.Refused, match="on this basis"):
        open_case(lz, reward_basis="share")  # 2026's policy is per mu
    case = open_case(lz, on=date(2025, 12, 1), reward_basis="per_mu", reward_rate="1.2")
    assert case.code == "TL-2025-001"
    assert case.reward_wan_yuan == Decimal("51.00")
    assert (
        open_case(
            lz,
            on=date(2025, 12, 2),
            parcels=[lz.suspended_parcel],
            enterprise=lz.suspended,
            reward_basis="share",
            reward_rate="0.2",
        ).code
        == "TL-2025-002"
    )
    with pytest.raises(land.Refused, match="at most 1"):
        land.case_update(by=lz.users.admin, case=case, reward_basis="share", reward_rate="1.5")


def test_cases_are_numbered_per_year(land_zone):
    lz = land_zone
    first = open_case(lz, parcels=[lz.parcel_a])
    second = open_case(lz, parcels=[lz.parcel_a2])
    assert (first.code, second.code) == ("TL-2026-001", "TL-2026-002")


# --- Refusals: nothing written ----------------------------------------------------------------------------------


def test_only_administrators_and_leaders_open_and_move_cases(land_zone):
    lz = land_zone
    for user in (lz.users.officer_a, lz.users.ent_a, lz.users.dept_a, lz.users.expert_a):
        with pytest.raises(land.Refused, match="Only administrators and leaders"):
            open_case(lz, user=user)
    assert not ExitCase.objects.exists()
    case = open_case(lz, user=lz.users.leader)
    with pytest.raises(land.Refused):
        land.case_advance(by=lz.users.officer_a, case=case, to=S.NEGOTIATING, on=date(2026, 3, 3))
    with pytest.raises(land.Refused):
        land.case_cancel(by=lz.users.ent_a, case=case, reason="x")
    assert fresh(case).status == S.IDENTIFIED


def test_the_parcels_must_be_the_enterprises_and_not_in_another_open_case(land_zone):
    lz = land_zone
    with pytest.raises(land.Refused, match="is not used by"):
        open_case(lz, parcels=[lz.parcel_a, lz.zone.parcel_b])
    with pytest.raises(land.Refused, match="Choose the parcels"):
        open_case(lz, parcels=[])
    with pytest.raises(land.Refused, match="Only a negotiated swap"):
        open_case(lz, swap_parcels=[lz.free_parcel])
    with pytest.raises(land.Refused, match="already has a land user"):
        open_case(lz, mode=MODE.NEGOTIATED_SWAP, swap_parcels=[lz.zone.parcel_b])
    assert not ExitCase.objects.exists()
    open_case(lz, parcels=[lz.parcel_a])
    with pytest.raises(land.Refused, match="already in the open case TL-2026-001"):
        open_case(lz, parcels=[lz.parcel_a2, lz.parcel_a])
    assert ExitCase.objects.count() == 1


def test_a_step_out_of_order_is_refused_and_writes_nothing(land_zone):
    lz = land_zone
    case = open_case(lz)
    before = events(case)
    for to in (S.AGREED, S.LAND_RETURNED, S.REUSED, S.CLOSED, S.IDENTIFIED, S.CANCELLED, "nonsense"):
        with pytest.raises(land.Refused, match="the next step is Negotiating"):
            land.case_advance(by=lz.users.admin, case=case, to=to, on=date(2026, 3, 3))
    case = land.case_advance(by=lz.users.admin, case=case, to=S.NEGOTIATING, on=date(2026, 3, 3))
    with pytest.raises(land.Refused, match="Enter the assessed compensation"):
        land.case_advance(by=lz.users.admin, case=case, to=S.AGREED, on=date(2026, 3, 4))
    with pytest.raises(land.Refused, match="does not take: reuse"):
        land.case_advance(by=lz.users.admin, case=case, to=S.AGREED, on=date(2026, 3, 4), reuse="x")
    case = fresh(case)
    assert (case.status, case.agreed_on) == (S.NEGOTIATING, None)
    assert events(case) == before + 1
    assert fresh(lz.parcel_a).enterprise == lz.zone.ent_a


def test_dates_cannot_go_backwards_nor_into_the_future(land_zone):
    lz = land_zone
    case = open_case(lz)
    with pytest.raises(land.Refused, match="dates cannot go backwards"):
        land.case_advance(by=lz.users.admin, case=case, to=S.NEGOTIATING, on=date(2026, 3, 1))
    case = land.case_advance(by=lz.users.admin, case=case, to=S.NEGOTIATING, on=date(2026, 3, 2))  # same day
    case = land.case_advance(by=lz.users.admin, case=case, to=S.AGREED, on=date(2026, 4, 1), compensation_wan_yuan=100)
    before = events(case)
    with pytest.raises(land.Refused, match="before the case's previous step"):
        land.case_advance(by=lz.users.admin, case=case, to=S.LAND_RETURNED, on=date(2026, 3, 31))
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(land.Refused, match="in the future"):
        land.case_advance(by=lz.users.admin, case=case, to=S.LAND_RETURNED, on=tomorrow)
    with pytest.raises(land.Refused, match="dates cannot go backwards"):
        land.case_cancel(by=lz.users.admin, case=case, reason="企业反悔", on=date(2026, 3, 31))
    case = fresh(case)
    assert (case.status, case.returned_on, case.closed_on) == (S.AGREED, None, None)
    assert fresh(lz.parcel_a).enterprise == lz.zone.ent_a
    assert events(case) == before
    with pytest.raises(land.Refused, match="in the future"):
        open_case(lz, parcels=[lz.silent_parcel], enterprise=lz.silent, on=tomorrow)


def test_handing_back_is_refused_when_a_parcel_changed_hands_meanwhile(land_zone):
    lz = land_zone
    case = open_case(lz, mode=MODE.NEGOTIATED_SWAP, swap_parcels=[lz.free_parcel], compensation_wan_yuan=10)
    case = land.case_advance(by=lz.users.admin, case=case, to=S.NEGOTIATING, on=date(2026, 3, 2))
    case = land.case_advance(by=lz.users.admin, case=case, to=S.AGREED, on=date(2026, 3, 2))
    lz.free_parcel.enterprise = lz.zone.ent_b
    lz.free_parcel.save()
    with pytest.raises(land.Refused, match="already has a land user"):
        land.case_advance(by=lz.users.admin, case=case, to=S.LAND_RETURNED, on=date(2026, 3, 3))
    assert fresh(lz.parcel_a).enterprise == lz.zone.ent_a  # nothing freed
    assert fresh(case).status == S.AGREED


def test_reuse_needs_what_is_placed_on_the_land(land_zone):
    lz = land_zone
    case = open_case(lz, compensation_wan_yuan=1)
    for to in (S.NEGOTIATING, S.AGREED, S.LAND_RETURNED):
        case = land.case_advance(by=lz.users.admin, case=case, to=to, on=date(2026, 3, 2))
    with pytest.raises(land.Refused, match="what is placed"):
        land.case_advance(by=lz.users.admin, case=case, to=S.REUSED, on=date(2026, 3, 2), reuse=" ")
    with pytest.raises(land.Refused, match="cannot be the enterprise that gave it up"):
        land.case_advance(
            by=lz.users.admin, case=case, to=S.REUSED, on=date(2026, 3, 2), reuse="x", successor=lz.zone.ent_a
        )
    case = land.case_advance(by=lz.users.admin, case=case, to=S.REUSED, on=date(2026, 3, 2), reuse="收储待出让")
    assert case.successor is None
    assert fresh(lz.parcel_a).enterprise is None


def test_a_case_is_cancelled_before_the_land_is_handed_back_with_a_reason(land_zone):
    lz = land_zone
    case = open_case(lz, notes="首次约谈")
    with pytest.raises(land.Refused, match="reason"):
        land.case_cancel(by=lz.users.leader, case=case, reason="  ")
    case = land.case_cancel(by=lz.users.leader, case=case, reason="企业完成技改，亩均税收达标", on=date(2026, 3, 9))
    assert (case.status, case.closed_on) == (S.CANCELLED, date(2026, 3, 9))
    assert case.notes == "首次约谈\n2026-03-09 Cancelled: 企业完成技改，亩均税收达标"
    with pytest.raises(land.Refused, match="the next step is none"):
        land.case_advance(by=lz.users.admin, case=case, to=S.NEGOTIATING, on=date(2026, 3, 9))
    with pytest.raises(land.Refused, match="can no longer be changed"):
        land.case_update(by=lz.users.admin, case=case, notes="x")
    # The parcels are free for a new case.
    assert open_case(lz).code == "TL-2026-002"

    returned = open_case(lz, parcels=[lz.silent_parcel], enterprise=lz.silent, compensation_wan_yuan=5)
    for to in (S.NEGOTIATING, S.AGREED, S.LAND_RETURNED):
        returned = land.case_advance(by=lz.users.admin, case=returned, to=to, on=date(2026, 3, 9))
    with pytest.raises(land.Refused, match="only a case whose land has not been handed back"):
        land.case_cancel(by=lz.users.admin, case=returned, reason="x")


# --- Scoping and totals -----------------------------------------------------------------------------------------


def test_cases_are_seen_by_the_enterprise_its_officer_leaders_and_admins_only(land_zone):
    lz = land_zone
    u = lz.users
    case_a = open_case(lz)
    assert list(land.cases(u.officer_a)) == [case_a]
    assert list(land.cases(u.ent_a)) == [case_a]
    assert list(land.cases(u.leader)) == [case_a]
    for user in (u.officer_b, u.ent_b, u.dept_a, u.expert_a):
        assert not land.cases(user).exists()


def test_totals_per_year_and_status(land_zone):
    lz = land_zone
    a = open_case(lz, compensation_wan_yuan=900)
    for to in (S.NEGOTIATING, S.AGREED, S.LAND_RETURNED):
        a = land.case_advance(by=lz.users.admin, case=a, to=to, on=date(2026, 3, 9))
    b = open_case(
        lz,
        parcels=[lz.silent_parcel],
        enterprise=lz.silent,
        on=date(2025, 11, 3),
        reward_basis="share",
        reward_rate="0.1",
        compensation_wan_yuan=50,
    )
    land.case_cancel(by=lz.users.admin, case=b, reason="x", on=date(2026, 1, 5))
    t = land.totals(user=lz.users.admin)
    assert t["cases"] == 2
    assert t["land_freed_mu"] == Decimal("42.5")  # handed back only
    assert t["land_planned_mu"] == Decimal("48.5")
    assert t["compensation_wan_yuan"] == Decimal("950")
    assert t["reward_wan_yuan"] == Decimal("106.25") + Decimal("5")
    assert [(r["year"], r["status"], r["cases"]) for r in t["by_year_status"]] == [
        (2025, S.CANCELLED, 1),
        (2026, S.LAND_RETURNED, 1),
    ]
    assert t["freed_by_year"] == [{"year": 2026, "cases": 1, "land_freed_mu": Decimal("42.5")}]
    assert {r["status"]: r["cases"] for r in t["by_status"]}[S.LAND_RETURNED] == 1
    assert land.totals(user=lz.users.officer_a)["cases"] == 1
    assert land.totals(user=lz.users.dept_a)["cases"] == 0


def test_the_reward_policy_is_set_by_administrators(land_zone):
    lz = land_zone
    policy = land.policy_set(by=lz.users.admin, year=2026, reward_basis="share", reward_rate="0.08")
    assert (policy.reward_basis, policy.reward_rate) == ("share", Decimal("0.0800"))
    assert ExitPolicy.objects.filter(year=2026).count() == 1
    with pytest.raises(land.Refused, match="Only administrators"):
        land.policy_set(by=lz.users.leader, year=2027, reward_basis="per_mu", reward_rate=1)
    with pytest.raises(land.Refused, match="cannot be negative"):
        land.policy_set(by=lz.users.admin, year=2027, reward_basis="per_mu", reward_rate=-1)
    land.policy_delete(by=lz.users.admin, policy=policy)
    assert not ExitPolicy.objects.filter(year=2026).exists()


# --- Pages ------------------------------------------------------------------------------------------------------


def page(client, user, name, *args, data=None, method="get"):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # messages are matched in English
    url = reverse(f"evaluation:{name}", args=args)
    return client.post(url, data or {}) if method == "post" else client.get(url, data or {})


def test_the_exit_pages_answer_each_role(client, land_zone):
    lz = land_zone
    u = lz.users
    case = open_case(lz)
    for user in (u.admin, u.leader, u.officer_a, u.ent_a):
        assert page(client, user, "exits").status_code == 200
        assert page(client, user, "inefficient").status_code == 200
        response = page(client, user, "exit", case.pk)
        assert response.status_code == 200
        assert case.code in response.content.decode()
    for user in (u.officer_b, u.ent_b):
        assert case.code not in page(client, user, "exits").content.decode()
        assert page(client, user, "exit", case.pk).status_code == 404
    for user in (u.dept_a, u.expert_a):
        for name, args in (("exits", ()), ("inefficient", ()), ("exit", (case.pk,)), ("exit-policies", ())):
            assert page(client, user, name, *args).status_code == 403
    for user in (u.officer_a, u.ent_a, u.leader):
        assert page(client, user, "exit-new").status_code == (200 if user == u.leader else 403)
    assert page(client, u.admin, "exit-policies").status_code == 200
    assert page(client, u.leader, "exit-policies").status_code == 200  # reads
    assert page(client, u.officer_a, "exit-policies").status_code == 403


def test_a_case_is_opened_and_walked_from_the_pages(client, land_zone):
    lz = land_zone
    u = lz.users
    response = page(client, u.leader, "exit-new", data={"enterprise": lz.zone.ent_a.pk})
    body = response.content.decode()
    assert lz.parcel_a.code in body
    assert lz.parcel_a2.code in body
    response = page(
        client,
        u.leader,
        "exit-new",
        method="post",
        data={
            "enterprise": lz.zone.ent_a.pk,
            "mode": MODE.AGREED_EXIT,
            "trigger": T.CLASS_D,
            "parcels": [lz.parcel_a.pk],
            "identified_on": "2026-03-02",
            "reward_basis": "",
            "reward_rate": "",
            "compensation_wan_yuan": "",
            "notes": "",
        },
    )
    case = ExitCase.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("evaluation:exit", args=[case.pk])
    assert case.land_freed_mu == Decimal(30)
    response = page(client, u.leader, "exit-advance", case.pk, method="post", data={"to": S.AGREED, "on": "2026-03-03"})
    assert response.status_code == 302
    assert fresh(case).status == S.IDENTIFIED  # refused: out of order, shown as a message
    follow = client.get(response["Location"])
    assert "the next step is Negotiating" in follow.content.decode()
    page(client, u.leader, "exit-advance", case.pk, method="post", data={"to": S.NEGOTIATING, "on": "2026-03-03"})
    page(
        client,
        u.leader,
        "exit-advance",
        case.pk,
        method="post",
        data={"to": S.AGREED, "on": "2026-03-04", "compensation_wan_yuan": "300"},
    )
    case = fresh(case)
    assert (case.status, case.compensation_wan_yuan) == (S.AGREED, Decimal(300))
    page(client, u.leader, "exit-update", case.pk, method="post", data={"compensation_wan_yuan": "320", "notes": "n"})
    assert fresh(case).compensation_wan_yuan == Decimal(320)
    body = page(client, u.leader, "exit", case.pk).content.decode()
    assert '<div class="small">2026-03-04 · <span data-testid="exit-step-by">leader</span>' in body
    page(client, u.leader, "exit-cancel", case.pk, method="post", data={"reason": "企业技改达标", "on": "2026-03-05"})
    assert fresh(case).status == S.CANCELLED
    # An officer may read but not act.
    response = page(client, u.officer_a, "exit-cancel", case.pk, method="post", data={"reason": "x"})
    assert response.status_code == 403


def test_the_policy_page_sets_a_years_policy(client, land_zone):
    lz = land_zone
    response = page(
        client,
        lz.users.admin,
        "exit-policies",
        method="post",
        data={"year": "2027", "reward_basis": "share", "reward_rate": "0.12"},
    )
    assert response.status_code == 302
    assert ExitPolicy.objects.get(year=2027).reward_rate == Decimal("0.12")
    assert page(client, lz.users.leader, "exit-policies", method="post", data={"year": "2027"}).status_code == 403


def test_the_list_pages_cost_a_fixed_number_of_queries(client, land_zone, django_assert_max_num_queries):
    lz = land_zone
    client.force_login(lz.users.admin)
    open_case(lz)
    client.get(reverse("evaluation:exits"))  # warm the session and content types
    with django_assert_max_num_queries(20) as few:
        assert client.get(reverse("evaluation:exits")).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(reverse("evaluation:inefficient")).status_code == 200
    for i in range(12):
        e = f.EnterpriseFactory(brand=lz.zone.brand_a, status=Enterprise.Status.EXITED)
        p = f.ParcelFactory(brand=lz.zone.brand_a, enterprise=e)
        land.case_open(
            by=lz.users.admin,
            enterprise=e,
            mode=MODE.AGREED_EXIT,
            trigger=T.IDLE_LAND,
            parcels=[p],
            identified_on=date(2026, 3, 2) - timedelta(days=i),
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("evaluation:exits"))
    assert response.content.decode().count('data-testid="exit-row"') == 13
    with django_assert_max_num_queries(20):
        assert client.get(reverse("evaluation:inefficient")).status_code == 200


def test_a_swap_names_its_parcels_by_code_and_reuse_names_the_successor_on_the_pages(client, land_zone):
    lz = land_zone
    admin = lz.users.admin
    data = {
        "enterprise": lz.zone.ent_a.pk,
        "mode": MODE.NEGOTIATED_SWAP,
        "trigger": T.CLASS_D,
        "parcels": [lz.parcel_a.pk, lz.parcel_a2.pk],
        "swap_parcels": "NO-SUCH",
        "identified_on": "2026-03-02",
    }
    response = page(client, admin, "exit-new", method="post", data=data)
    assert response.status_code == 200
    assert "No parcel has the code NO-SUCH." in response.content.decode()
    page(client, admin, "exit-new", method="post", data={**data, "swap_parcels": f"{lz.free_parcel.code}，"})
    case = ExitCase.objects.get()
    assert list(case.swap_parcels.all()) == [lz.free_parcel]
    assert case.land_freed_mu == Decimal("34.5")
    page(client, admin, "exit-update", case.pk, method="post", data={"swap_parcels": lz.free_parcel2.code})
    assert list(fresh(case).swap_parcels.all()) == [lz.free_parcel2]
    steps = [
        {"to": S.NEGOTIATING},
        {"to": S.AGREED, "compensation_wan_yuan": "50"},
        {"to": S.LAND_RETURNED},
        {"to": S.REUSED, "reuse": "高端装备项目", "successor": lz.zone.ent_b.uscc},
        {"to": S.CLOSED},
    ]
    for step in steps:
        page(client, admin, "exit-advance", case.pk, method="post", data={"on": "2026-04-01", **step})
    case = fresh(case)
    assert (case.status, case.successor) == (S.CLOSED, lz.zone.ent_b)
    assert fresh(lz.parcel_a).enterprise == lz.zone.ent_b
    assert fresh(lz.free_parcel2).enterprise == lz.zone.ent_a
    body = page(client, admin, "exit", case.pk).content.decode()
    assert body.count('data-testid="exit-step"') == 6
    assert case.negotiating_on == case.agreed_on == case.closed_on  # every step dated, negotiations too
    assert "recorded " not in body
