"""Fixtures of the approval centre's tests: a small catalogue, filing, and a walk to any state.

Built on the root ``zone`` personas. Every item is created through ``services.item_create``, as the UI does.

``catalogue``
    ``catalogue.item_a`` — 企业投资项目备案 of ``zone.dept_a``, a commitment item (承诺件): promised 5 of 20
    statutory working days, pre-reform 30 days, four materials: 申请表 (required), 营业执照 (required, copy),
    项目可行性研究报告 (required, 容缺 tolerable), 授权委托书 (optional).
    ``catalogue.item_b`` — 建设项目环境影响评价文件审批 of ``zone.dept_b``: promised 10 of 60, pre-reform 60,
    materials 环境影响报告书 (required), 公众参与说明 (required, 容缺).
    ``catalogue.immediate_item`` — 特种设备使用登记 of ``zone.dept_a``, an immediate item (即办件): promised 0,
    one material 使用登记表 (required).
    ``catalogue.materials`` — ``{name: Material}`` of every item's current version.
    The fixtures ``item_a``, ``item_b`` and ``immediate_item`` are the same items.
    Both officers' assignments are moved to start on 2020-01-01, so that a frozen clock in 2025 or 2026 finds
    them active (the factory's start date is random within the last two years).

``file_application(item, *, by=None, enterprise=None, on=None, provided="all")``
    A received application (已接件) of enterprise A (or ``enterprise``) filed by its enterprise user (or
    ``by``). ``provided``: ``"all"`` (every material), ``"required"`` (the required ones), ``"none"``, or a
    list of material names or ids.

``walk(application, *, to, accepted_on=None, on=None)``
    Drives an application forwards, as the department's staff would, to one of :data:`TARGETS`:
    ``received``, ``correcting`` (one-time notice before acceptance, clock not started; file the application
    with a required material left out), ``rejected``,
    ``accepted``, ``processing`` (assigned), ``special`` (expert review), ``paused_correction`` (补正 after
    acceptance: the clock paused), ``completed`` (approved, certificate ``CERT-<number>``) and ``refused``
    (completed, refused). Steps up to the acceptance are dated ``accepted_on`` (default: the day received);
    later steps ``on`` (default: the first working day after acceptance). Returns the application re-read.

``freeze(day, hour=10)``
    Stops the clock at ``hour`` o'clock Beijing time on ``day`` for the rest of the test (the services refuse
    dates after "today"). May be called again to move the clock.

Messages are matched in English: every test of this folder runs under ``translation.override("en")``.
"""

from __future__ import annotations

from datetime import date, datetime, time
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import translation

from hitechzone.common.calendar import add_working_days

SHANGHAI = ZoneInfo("Asia/Shanghai")

#: The states ``walk`` reaches, in the order of the usual path.
TARGETS = (
    "received",
    "correcting",
    "rejected",
    "accepted",
    "processing",
    "special",
    "paused_correction",
    "completed",
    "refused",
)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def freeze():
    travellers = []

    def stop_at(day: date, hour: int = 10):
        if travellers:
            travellers.pop().stop()
        traveller = time_machine.travel(datetime.combine(day, time(hour), tzinfo=SHANGHAI), tick=False)
        traveller.start()
        travellers.append(traveller)
        return traveller

    yield stop_at
    while travellers:
        travellers.pop().stop()


@pytest.fixture
def catalogue(zone):
    from hitechzone.approvals import services
    from hitechzone.approvals.models import ItemType, Material, Mode
    from hitechzone.enterprises.models import Assignment

    Assignment.objects.update(started_on=date(2020, 1, 1))
    item_a = services.item_create(
        by=zone.users.dept_a,
        code="330100-A-001",
        department=zone.dept_a,
        name="企业投资项目备案",
        mode=Mode.ENTRUSTED,
        legal_basis="《企业投资项目核准和备案管理条例》",
        item_type=ItemType.COMMITMENT,
        statutory_limit=20,
        promised_limit=5,
        pre_reform_days=30,
        materials=[
            {"name": "申请表", "required": True},
            {"name": "营业执照", "required": True, "original": False},
            {"name": "项目可行性研究报告", "required": True, "tolerable": True},
            {"name": "授权委托书", "required": False},
        ],
    )
    item_b = services.item_create(
        by=zone.users.dept_b,
        code="330100-B-001",
        department=zone.dept_b,
        name="建设项目环境影响评价文件审批",
        mode=Mode.JURISDICTION,
        item_type=ItemType.COMMITMENT,
        statutory_limit=60,
        promised_limit=10,
        pre_reform_days=60,
        materials=[
            {"name": "环境影响报告书", "required": True},
            {"name": "公众参与说明", "required": True, "tolerable": True},
        ],
    )
    immediate_item = services.item_create(
        by=zone.users.dept_a,
        code="330100-A-002",
        department=zone.dept_a,
        name="特种设备使用登记",
        mode=Mode.SEAL_FOLLOW,
        item_type=ItemType.IMMEDIATE,
        statutory_limit=15,
        promised_limit=0,
        pre_reform_days=5,
        materials=[{"name": "使用登记表", "required": True}],
    )
    items = [item_a, item_b, immediate_item]
    materials = {m.name: m for m in Material.objects.filter(version__in=[i.current_id for i in items])}
    return SimpleNamespace(
        zone=zone, item_a=item_a, item_b=item_b, immediate_item=immediate_item, items=items, materials=materials
    )


@pytest.fixture
def item_a(catalogue):
    return catalogue.item_a


@pytest.fixture
def item_b(catalogue):
    return catalogue.item_b


@pytest.fixture
def immediate_item(catalogue):
    return catalogue.immediate_item


def _material_ids(version, provided) -> list[int]:
    materials = list(version.materials.all())
    if provided == "all":
        return [m.pk for m in materials]
    if provided == "required":
        return [m.pk for m in materials if m.required]
    if provided == "none":
        return []
    by_name = {m.name: m.pk for m in materials}
    return [by_name[p] if isinstance(p, str) else p for p in provided]


@pytest.fixture
def file_application(catalogue):
    from hitechzone.approvals import services

    zone = catalogue.zone

    def file(item, *, by=None, enterprise=None, on: date | None = None, provided="all", title: str = ""):
        enterprise = enterprise or zone.ent_a
        if by is None:
            by = zone.users.ent_a if enterprise == zone.ent_a else zone.users.ent_b
        item.refresh_from_db()
        return services.application_file(
            by=by,
            item=item,
            enterprise=enterprise,
            title=title,
            received_on=on,
            provided=_material_ids(item.current, provided),
        )

    return file


@pytest.fixture
def walk(catalogue):
    from hitechzone.approvals import services
    from hitechzone.approvals.models import Application, Pause

    zone = catalogue.zone
    state = Application.State

    def staff(application):
        return zone.users.dept_a if application.department_id == zone.dept_a.pk else zone.users.dept_b

    def go(application, *, to: str, accepted_on: date | None = None, on: date | None = None):
        assert to in TARGETS, f"walk() reaches {TARGETS}, not {to!r}"
        application.refresh_from_db()
        by = staff(application)
        accepted_on = accepted_on or application.received_on
        if to == "received":
            return application
        if application.state == state.RECEIVED and to in ("correcting", "rejected"):
            if to == "rejected":
                return services.application_reject(
                    application=application, by=by, reason="不属于开发区受理范围", on=accepted_on
                )
            services.application_check(application=application, by=by, provided=[], on=accepted_on)
            application.refresh_from_db()
            assert application.state == state.CORRECTING, (
                "walk(to='correcting') needs a required material missing: file with provided='none' or a list"
            )
            return application
        if application.state in (state.RECEIVED, state.CORRECTING) and application.accepted_on is None:
            if application.state == state.CORRECTING:
                missing = list(application.materials.filter(status="missing").values_list("material_id", flat=True))
                services.application_supply(application=application, by=by, materials=missing, on=accepted_on)
            every = list(application.version.materials.values_list("pk", flat=True))
            services.application_check(application=application, by=by, provided=every, on=accepted_on)
            application.refresh_from_db()
        assert application.accepted_on is not None, f"cannot walk a {application.state} application to {to}"
        if to == "accepted":
            return application
        later = on or add_working_days(application.accepted_on, 1).value
        if application.state == state.ACCEPTED:
            services.application_assign(application=application, by=by, assignee=by, on=later)
        if to == "processing":
            return Application.objects.get(pk=application.pk)
        if to == "special":
            services.application_pause(
                application=application, by=by, kind=Pause.Kind.EXPERT_REVIEW, reason="专家评审", on=later
            )
        elif to == "paused_correction":
            first = application.materials.order_by("material__position").first()
            services.application_pause(
                application=application,
                by=by,
                kind=Pause.Kind.CORRECTION,
                reason="材料需补正",
                missing=[first.material_id],
                on=later,
            )
        elif to == "completed":
            services.application_complete(
                application=application,
                by=by,
                outcome=Application.Outcome.APPROVED,
                certificate_no=f"CERT-{application.number}",
                on=later,
            )
        elif to == "refused":
            services.application_complete(
                application=application,
                by=by,
                outcome=Application.Outcome.REFUSED,
                reason="不符合产业政策",
                on=later,
            )
        return Application.objects.get(pk=application.pk)

    return go
