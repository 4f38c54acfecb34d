"""The approval centre's rules, service by service: the catalogue and its versions, filing (and 代办), the window's
check and its one-time notice, every transition and every refusal, parallel approval, 好差评, the leaders' list.

"Today" is frozen at Monday 2025-03-31 (the services refuse dates after today); the cases run in March 2025, a
month without holidays (Qingming is 4–6 April), so the counts are plain weekdays. The clock across holidays is
in ``test_clock.py``.
"""

from datetime import date

import pytest

from hitechzone.approvals import services
from hitechzone.approvals.models import (
    Application,
    ApplicationMaterial,
    Bundle,
    Item,
    ItemType,
    ItemVersion,
    Level,
    Material,
    Mode,
    Notice,
    Pause,
    Rectification,
    Review,
    Step,
)
from hitechzone.approvals.services import Refused
from hitechzone.common.models import Notification

D = date
S = Application.State
M = ApplicationMaterial.Status
TODAY = D(2025, 3, 31)  # a Monday
MON = D(2025, 3, 3)  # the day most applications are received and accepted


@pytest.fixture(autouse=True)
def today(freeze):
    freeze(TODAY)
    return TODAY


def refused(message: str):
    return pytest.raises(Refused, match=message)


def ids(catalogue, *names) -> list[int]:
    return [catalogue.materials[name].pk for name in names]


def commitment(**overrides) -> dict:
    fields = {
        "name": "建设工程规划许可证",
        "mode": Mode.JURISDICTION,
        "item_type": ItemType.COMMITMENT,
        "statutory_limit": 20,
        "promised_limit": 5,
        "materials": [{"name": "申请表"}],
    }
    return {**fields, **overrides}


def notifications(user, kind: str = "approval") -> list[str]:
    return list(Notification.objects.filter(user=user, kind=kind).values_list("key", flat=True))


# --- The catalogue ----------------------------------------------------------------------------------------------


def test_an_item_is_created_with_version_1_and_its_materials_in_order(catalogue):
    item = Item.objects.select_related("current").get(pk=catalogue.item_a.pk)
    assert item.status == Item.Status.ACTIVE
    assert item.department == catalogue.zone.dept_a
    version = item.current
    assert (version.number, version.name, version.mode, version.item_type) == (
        1,
        "企业投资项目备案",
        Mode.ENTRUSTED,
        ItemType.COMMITMENT,
    )
    assert (version.statutory_limit, version.promised_limit, version.pre_reform_days) == (20, 5, 30)
    assert version.created_by == catalogue.zone.users.dept_a
    materials = [(m.position, m.name, m.required, m.tolerable, m.original) for m in version.materials.all()]
    assert materials == [
        (1, "申请表", True, False, True),
        (2, "营业执照", True, False, False),
        (3, "项目可行性研究报告", True, True, True),
        (4, "授权委托书", False, False, True),
    ]


def test_an_item_code_is_unique_and_required(catalogue):
    zone = catalogue.zone
    with refused("The item code 330100-A-001 is taken"):
        services.item_create(by=zone.users.admin, code="330100-A-001", department=zone.dept_a, **commitment())
    with refused("Give the item a code"):
        services.item_create(by=zone.users.admin, code="  ", department=zone.dept_a, **commitment())


def test_a_revision_makes_version_2_with_the_change_and_the_materials_carried(catalogue):
    zone, item = catalogue.zone, catalogue.item_a
    version = services.item_revise(item=item, by=zone.users.dept_a, promised_limit=3, note="承诺时限压缩")
    item.refresh_from_db()
    assert item.current == version
    assert (version.number, version.promised_limit, version.statutory_limit, version.change_note) == (
        2,
        3,
        20,
        "承诺时限压缩",
    )
    assert version.name == "企业投资项目备案"
    carried = [(m.name, m.required, m.tolerable, m.original) for m in version.materials.all()]
    assert carried == [
        (m.name, m.required, m.tolerable, m.original) for m in item.versions.get(number=1).materials.all()
    ]
    assert catalogue.materials["申请表"].pk not in set(version.materials.values_list("pk", flat=True))  # new rows
    # Version 1 is untouched.
    assert item.versions.get(number=1).promised_limit == 5
    assert list(item.versions.values_list("number", flat=True)) == [2, 1]


def test_a_revision_of_the_materials_keeps_the_files_of_the_materials_it_keeps(catalogue):
    zone, item = catalogue.zone, catalogue.item_a
    Material.objects.filter(pk=catalogue.materials["申请表"].pk).update(
        blank_form="approvals/forms/A-001/v1/申请表.docx"
    )
    version = services.item_revise(
        item=item,
        by=zone.users.admin,
        materials=[{"name": "申请表"}, {"name": "营业执照", "original": False}, {"name": "投资项目信息表"}],
    )
    assert [(m.name, m.blank_form.name) for m in version.materials.all()] == [
        ("申请表", "approvals/forms/A-001/v1/申请表.docx"),
        ("营业执照", ""),
        ("投资项目信息表", ""),
    ]


def test_a_revision_that_changes_nothing_is_refused(catalogue):
    zone, item = catalogue.zone, catalogue.item_a
    with refused("Nothing changed"):
        services.item_revise(item=item, by=zone.users.dept_a)
    with refused("Nothing changed"):
        services.item_revise(item=item, by=zone.users.dept_a, name=" 企业投资项目备案 ", promised_limit=5)
    with refused("Nothing changed"):
        services.item_revise(
            item=item,
            by=zone.users.dept_a,
            materials=[
                {"name": "申请表"},
                {"name": "营业执照", "original": False},
                {"name": "项目可行性研究报告", "tolerable": True},
                {"name": "授权委托书", "required": False},
            ],
        )
    assert ItemVersion.objects.filter(item=item).count() == 1


def test_a_revision_of_an_unknown_field_is_refused(catalogue):
    with refused("Unknown fields: promised"):
        services.item_revise(item=catalogue.item_a, by=catalogue.zone.users.dept_a, promised=3)


def test_the_promised_limit_cannot_exceed_the_statutory_limit(catalogue):
    zone = catalogue.zone
    with refused(r"The promised limit \(25 working days\) cannot exceed the statutory limit \(20\)"):
        services.item_revise(item=catalogue.item_a, by=zone.users.dept_a, promised_limit=25)
    with refused("cannot exceed the statutory limit"):
        services.item_create(
            by=zone.users.dept_a, code="X-1", department=zone.dept_a, **commitment(statutory_limit=5, promised_limit=10)
        )
    assert not Item.objects.filter(code="X-1").exists()


def test_an_immediate_item_promises_0_days_and_a_commitment_item_at_least_1(catalogue):
    zone = catalogue.zone
    with refused("An immediate item .* its promised limit is 0"):
        services.item_create(
            by=zone.users.dept_a,
            code="X-1",
            department=zone.dept_a,
            **commitment(item_type=ItemType.IMMEDIATE, promised_limit=1),
        )
    with refused("A commitment item .* promises at least 1 working day"):
        services.item_create(by=zone.users.dept_a, code="X-2", department=zone.dept_a, **commitment(promised_limit=0))
    with refused("its promised limit is 0"):
        services.item_revise(item=catalogue.item_a, by=zone.users.dept_a, item_type=ItemType.IMMEDIATE)
    version = services.item_revise(
        item=catalogue.item_a, by=zone.users.dept_a, item_type=ItemType.IMMEDIATE, promised_limit=0
    )
    assert (version.item_type, version.promised_limit) == (ItemType.IMMEDIATE, 0)


def test_the_fields_and_materials_of_an_item_are_checked(catalogue):
    zone = catalogue.zone

    def create(**overrides):
        return services.item_create(by=zone.users.dept_a, code="X-1", department=zone.dept_a, **commitment(**overrides))

    with refused("Give the item a name"):
        create(name=" ")
    with refused("Choose one of the four delegation modes"):
        create(mode="delegated")
    with refused("Choose the item type"):
        create(item_type="urgent")
    with refused("whole numbers of working days"):
        create(promised_limit="5")
    with refused("The material 申请表 is listed twice"):
        create(materials=[{"name": "申请表"}, {"name": " 申请表"}])
    with refused("Every material needs a name"):
        create(materials=[{"name": ""}])
    with refused("授权委托书: only a required material can be promised for later"):
        create(materials=[{"name": "授权委托书", "required": False, "tolerable": True}])


def test_the_yellow_threshold_and_the_pre_reform_duration_are_whole_numbers(catalogue):
    zone, item = catalogue.zone, catalogue.item_a
    for change in ({"yellow_threshold": -1}, {"yellow_threshold": "2"}, {"pre_reform_days": -3}):
        with refused("The yellow light threshold and the duration before the reform are whole numbers"):
            services.item_revise(item=item, by=zone.users.dept_a, **change)
    assert services.item_revise(item=item, by=zone.users.dept_a, yellow_threshold=0, pre_reform_days=None).number == 2


def test_only_admins_and_the_items_own_department_edit_it(catalogue):
    zone, item = catalogue.zone, catalogue.item_a
    for user in (zone.users.dept_b, zone.users.leader, zone.users.officer_a, zone.users.ent_a, zone.users.expert_a):
        with refused("You may not edit this department's items"):
            services.item_revise(item=item, by=user, promised_limit=4)
        with refused("You may not edit this department's items"):
            services.item_set_status(item=item, by=user, status=Item.Status.SUSPENDED, reason="系统升级")
        with refused("You may not edit this department's items"):
            services.item_create(by=user, code="X-1", department=zone.dept_a, **commitment())
    assert services.item_revise(item=item, by=zone.users.dept_a, promised_limit=4).number == 2
    assert services.item_revise(item=item, by=zone.users.admin, promised_limit=3).number == 3
    assert services.can_edit_catalogue(zone.users.dept_a, zone.dept_a.pk)
    assert not services.can_edit_catalogue(zone.users.dept_a, zone.dept_b.pk)


def test_a_department_cannot_move_its_item_to_another_department_but_an_admin_can(catalogue):
    zone, item = catalogue.zone, catalogue.item_a
    with refused("You may not move items to that department"):
        services.item_revise(item=item, by=zone.users.dept_a, department=zone.dept_b)
    item.refresh_from_db()
    assert item.department == zone.dept_a
    version = services.item_revise(item=item, by=zone.users.admin, department=zone.dept_b, note="职能划转")
    item.refresh_from_db()
    assert (item.department, version.number) == (zone.dept_b, 2)


def test_an_item_is_suspended_with_a_reason_resumed_and_cancelled_for_good(catalogue, file_application):
    zone, item = catalogue.zone, catalogue.item_a
    with refused("Give the reason for suspending or cancelling"):
        services.item_set_status(item=item, by=zone.users.dept_a, status=Item.Status.SUSPENDED, reason=" ")
    services.item_set_status(item=item, by=zone.users.dept_a, status=Item.Status.SUSPENDED, reason="系统升级")
    item.refresh_from_db()
    assert (item.status, item.status_reason) == (Item.Status.SUSPENDED, "系统升级")
    with refused("The item is Suspended already"):
        services.item_set_status(item=item, by=zone.users.dept_a, status=Item.Status.SUSPENDED, reason="again")
    with refused("企业投资项目备案 is Suspended: it takes no applications"):
        file_application(item, on=MON)
    services.item_set_status(item=item, by=zone.users.dept_a, status=Item.Status.ACTIVE)
    assert file_application(item, on=MON).state == S.RECEIVED
    with refused("Unknown status"):
        services.item_set_status(item=item, by=zone.users.dept_a, status="archived", reason="x")
    services.item_set_status(item=item, by=zone.users.dept_a, status=Item.Status.CANCELLED, reason="上级收回权限")
    item.refresh_from_db()
    assert (item.status, item.status_reason) == (Item.Status.CANCELLED, "上级收回权限")
    with refused("A cancelled item cannot be changed"):
        services.item_set_status(item=item, by=zone.users.admin, status=Item.Status.ACTIVE)
    with refused("A cancelled item cannot be edited"):
        services.item_revise(item=item, by=zone.users.admin, promised_limit=3)
    with refused("is Cancelled: it takes no applications"):
        file_application(item, on=MON)


def test_an_application_filed_before_a_revision_keeps_version_1_and_its_limit(catalogue, file_application, walk):
    zone, item = catalogue.zone, catalogue.item_a
    before = walk(file_application(item, on=MON), to="accepted")
    services.item_revise(item=item, by=zone.users.dept_a, promised_limit=3, materials=[{"name": "申请表"}])
    after = walk(file_application(item, on=MON), to="accepted")
    assert (before.version.number, before.limit_days) == (1, 5)
    assert (after.version.number, after.limit_days) == (2, 3)
    assert before.due_on == D(2025, 3, 10)  # Tue 4, Wed 5, Thu 6, Fri 7, Mon 10: 5 working days
    assert after.due_on == D(2025, 3, 6)  # Tue 4, Wed 5, Thu 6: 3 working days
    assert before.materials.count() == 4
    assert after.materials.count() == 1
    # Completing the old one later still measures it against version 1.
    done = services.application_complete(
        application=before, by=zone.users.dept_a, outcome="approved", certificate_no="备案-1", on=D(2025, 3, 10)
    )
    assert (done.version.number, done.working_days_used, done.on_time) == (1, 5, True)


# --- Filing -----------------------------------------------------------------------------------------------------


def test_an_enterprise_files_for_itself_and_the_department_hears_of_it(catalogue):
    zone = catalogue.zone
    application = services.application_file(
        by=zone.users.ent_a, item=catalogue.item_a, enterprise=zone.ent_a, title=" 年产 5 万吨项目 ", received_on=MON
    )
    assert application.state == S.RECEIVED
    assert (application.applicant, application.agent, application.received_on) == (zone.users.ent_a, None, MON)
    assert (application.department, application.version, application.limit_days) == (
        zone.dept_a,
        catalogue.item_a.current,
        5,
    )
    assert application.title == "年产 5 万吨项目"
    assert application.number == f"SP20250303{application.pk:08d}"
    assert application.accepted_on is None
    assert application.due_on is None
    assert list(application.materials.values_list("status", flat=True)) == [M.PENDING] * 4
    step = application.steps.get()
    assert (step.action, step.from_state, step.to_state, step.by, step.on, step.note) == (
        "file",
        "",
        S.RECEIVED,
        zone.users.ent_a,
        MON,
        "",
    )
    assert notifications(zone.users.dept_a) == [f"approval-received-{application.pk}"]
    assert notifications(zone.users.dept_b) == []


def test_an_enterprise_cannot_file_for_another_enterprise(catalogue):
    zone = catalogue.zone
    with refused("only for your own enterprise"):
        services.application_file(by=zone.users.ent_a, item=catalogue.item_a, enterprise=zone.ent_b, received_on=MON)
    assert not Application.objects.exists()


def test_an_officer_files_as_agent_for_an_assigned_enterprise_only(catalogue):
    zone = catalogue.zone
    application = services.application_file(
        by=zone.users.officer_a, item=catalogue.item_a, enterprise=zone.ent_a, received_on=MON
    )
    assert (application.applicant, application.agent, application.is_agent_filing) == (
        zone.users.officer_a,
        zone.users.officer_a,
        True,
    )
    assert application.steps.get().note == "Filed by the approval agent (代办)"
    with refused("is not assigned to you: only its own officer files as its agent"):
        services.application_file(
            by=zone.users.officer_a, item=catalogue.item_a, enterprise=zone.ent_b, received_on=MON
        )


def test_an_officer_cannot_file_for_an_enterprise_before_the_assignment_began(catalogue):
    from hitechzone.enterprises.models import Assignment

    zone = catalogue.zone
    Assignment.objects.filter(officer=zone.users.officer_a).update(started_on=D(2025, 3, 10))
    with refused("is not assigned to you"):
        services.application_file(
            by=zone.users.officer_a, item=catalogue.item_a, enterprise=zone.ent_a, received_on=MON
        )
    assert (
        services.application_file(
            by=zone.users.officer_a, item=catalogue.item_a, enterprise=zone.ent_a, received_on=D(2025, 3, 10)
        ).agent
        == zone.users.officer_a
    )


def test_an_admin_files_without_being_an_agent(catalogue):
    zone = catalogue.zone
    application = services.application_file(
        by=zone.users.admin, item=catalogue.item_b, enterprise=zone.ent_b, received_on=MON
    )
    assert (application.applicant, application.agent, application.department) == (zone.users.admin, None, zone.dept_b)


def test_experts_leaders_and_departments_do_not_file(catalogue):
    zone = catalogue.zone
    for user in (zone.users.expert_a, zone.users.leader, zone.users.dept_a):
        with refused("Only the enterprise or its service officer"):
            services.application_file(by=user, item=catalogue.item_a, enterprise=zone.ent_a, received_on=MON)
    assert not Application.objects.exists()


def test_filing_checks_the_materials_handed_in_and_the_date(catalogue):
    zone = catalogue.zone
    with refused("Some materials handed in are not materials of this item"):
        services.application_file(
            by=zone.users.ent_a,
            item=catalogue.item_a,
            enterprise=zone.ent_a,
            received_on=MON,
            provided=ids(catalogue, "环境影响报告书"),
        )
    with refused("A step cannot be dated in the future"):
        services.application_file(
            by=zone.users.ent_a, item=catalogue.item_a, enterprise=zone.ent_a, received_on=D(2025, 4, 1)
        )
    assert not Application.objects.exists()
    application = services.application_file(
        by=zone.users.ent_a,
        item=catalogue.item_a,
        enterprise=zone.ent_a,
        provided=ids(catalogue, "申请表", "营业执照"),
    )
    assert application.received_on == TODAY
    assert dict(application.materials.values_list("material__name", "status")) == {
        "申请表": M.PROVIDED,
        "营业执照": M.PROVIDED,
        "项目可行性研究报告": M.PENDING,
        "授权委托书": M.PENDING,
    }


# --- The window's check ----------------------------------------------------------------------------------------


def test_an_application_with_every_material_is_accepted_and_its_clock_starts(catalogue, file_application):
    zone = catalogue.zone
    application = file_application(catalogue.item_a, on=MON, provided="none")
    application = services.application_check(
        application=application,
        by=zone.users.dept_a,
        provided=ids(catalogue, "申请表", "营业执照", "项目可行性研究报告"),
    )
    assert application.state == S.ACCEPTED
    assert application.accepted_on == TODAY
    assert application.due_on == D(2025, 4, 8)  # Tue 1, Wed 2, Thu 3, (Qingming Fri 4 – Sun 6), Mon 7, Tue 8
    assert application.yellow_on == D(2025, 4, 7)  # one working day before the due date
    assert not Notice.objects.exists()
    assert dict(application.materials.values_list("material__name", "status")) == {
        "申请表": M.PROVIDED,
        "营业执照": M.PROVIDED,
        "项目可行性研究报告": M.PROVIDED,
        "授权委托书": M.PENDING,  # optional, not handed in
    }
    step = application.steps.last()
    assert (step.action, step.from_state, step.to_state, step.by) == (
        "accept",
        S.RECEIVED,
        S.ACCEPTED,
        zone.users.dept_a,
    )


def test_missing_materials_are_listed_in_one_notice_and_the_clock_does_not_start(catalogue, file_application):
    zone = catalogue.zone
    application = file_application(catalogue.item_a, on=MON, provided=["申请表"])
    application = services.application_check(
        application=application, by=zone.users.dept_a, on=MON, note="请于五日内补齐"
    )
    assert application.state == S.CORRECTING
    assert (application.accepted_on, application.due_on) == (None, None)
    assert application.light(TODAY) == ""
    notice = Notice.objects.get()
    assert (notice.application, notice.issued_on, notice.issued_by, notice.after_acceptance) == (
        application,
        MON,
        zone.users.dept_a,
        False,
    )
    assert notice.text == (
        "Please supply, all at once, the following materials:\n"
        "1. 营业执照（copy）\n"
        "2. 项目可行性研究报告（original）\n"
        "请于五日内补齐"
    )
    missing = application.materials.filter(status=M.MISSING)
    assert list(missing.values_list("material__name", flat=True)) == ["营业执照", "项目可行性研究报告"]
    assert all(row.notice_id == notice.pk for row in missing)
    assert not Pause.objects.exists()
    assert notifications(zone.users.ent_a) == [f"approval-notice-{notice.pk}"]


def test_supplying_everything_sends_the_application_back_to_the_window_which_accepts_it(catalogue, file_application):
    zone = catalogue.zone
    application = file_application(catalogue.item_a, on=MON, provided=["申请表"])
    services.application_check(application=application, by=zone.users.dept_a, on=MON)
    application = services.application_supply(
        application=application, by=zone.users.ent_a, materials=ids(catalogue, "营业执照"), on=D(2025, 3, 4)
    )
    assert application.state == S.CORRECTING  # one of the two still missing
    application = services.application_supply(
        application=application, by=zone.users.ent_a, materials=ids(catalogue, "项目可行性研究报告"), on=D(2025, 3, 5)
    )
    assert application.state == S.RECEIVED
    assert application.accepted_on is None
    application = services.application_check(application=application, by=zone.users.dept_a, on=D(2025, 3, 5))
    assert (application.state, application.accepted_on) == (S.ACCEPTED, D(2025, 3, 5))
    assert application.due_on == D(2025, 3, 12)  # Thu 6, Fri 7, Mon 10, Tue 11, Wed 12
    assert application.paused_working_days == 0  # the days before acceptance are not a pause
    assert Notice.objects.count() == 1
    assert list(application.steps.values_list("action", "from_state", "to_state")) == [
        ("file", "", S.RECEIVED),
        ("notice", S.RECEIVED, S.CORRECTING),
        ("supply", S.CORRECTING, S.CORRECTING),
        ("supply", S.CORRECTING, S.RECEIVED),
        ("accept", S.RECEIVED, S.ACCEPTED),
    ]


def test_a_tolerable_material_promised_by_a_date_lets_the_window_accept(catalogue, file_application):
    zone = catalogue.zone
    application = file_application(catalogue.item_a, on=MON, provided=["申请表", "营业执照"])
    report = catalogue.materials["项目可行性研究报告"].pk
    application = services.application_check(
        application=application, by=zone.users.dept_a, promised={report: D(2025, 3, 7)}, on=MON
    )
    assert (application.state, application.accepted_on) == (S.ACCEPTED, MON)
    row = application.materials.get(material_id=report)
    assert (row.status, row.promised_by) == (M.PROMISED, D(2025, 3, 7))
    assert not Notice.objects.exists()


def test_approval_waits_for_a_promised_material_but_a_refusal_does_not(catalogue, file_application):
    zone = catalogue.zone
    report = catalogue.materials["项目可行性研究报告"].pk
    application = file_application(catalogue.item_a, on=MON, provided=["申请表", "营业执照"])
    services.application_check(application=application, by=zone.users.dept_a, promised={report: D(2025, 3, 7)}, on=MON)
    with refused("Promised materials are still awaited: 项目可行性研究报告"):
        services.application_complete(
            application=application, by=zone.users.dept_a, outcome="approved", certificate_no="备案-1", on=D(2025, 3, 6)
        )
    application = services.application_supply(
        application=application, by=zone.users.officer_a, materials=[report], on=D(2025, 3, 6)
    )
    assert application.state == S.ACCEPTED  # supplying a promised material does not touch the clock
    row = application.materials.get(material_id=report)
    assert (row.status, row.supplied_on) == (M.SUPPLIED, D(2025, 3, 6))
    done = services.application_complete(
        application=application, by=zone.users.dept_a, outcome="approved", certificate_no="备案-1", on=D(2025, 3, 6)
    )
    assert (done.state, done.outcome, done.working_days_used, done.on_time) == (S.COMPLETED, "approved", 3, True)

    other = file_application(catalogue.item_a, on=MON, provided=["申请表", "营业执照"])
    services.application_check(application=other, by=zone.users.dept_a, promised={report: D(2025, 3, 7)}, on=MON)
    done = services.application_complete(
        application=other, by=zone.users.dept_a, outcome="refused", reason="不符合产业政策", on=D(2025, 3, 4)
    )
    assert (done.outcome, done.reason) == ("refused", "不符合产业政策")


def test_a_promise_survives_a_notice_for_other_materials(catalogue, file_application):
    zone = catalogue.zone
    report = catalogue.materials["项目可行性研究报告"].pk
    application = file_application(catalogue.item_a, on=MON, provided=["申请表"])
    services.application_check(application=application, by=zone.users.dept_a, promised={report: D(2025, 3, 14)}, on=MON)
    assert application.materials.get(material_id=report).status == M.PROMISED
    services.application_supply(
        application=application, by=zone.users.ent_a, materials=ids(catalogue, "营业执照"), on=D(2025, 3, 4)
    )
    # The window checks again without repeating the promise: it stands, and the application is accepted.
    application = services.application_check(application=application, by=zone.users.dept_a, on=D(2025, 3, 4))
    assert application.state == S.ACCEPTED
    row = application.materials.get(material_id=report)
    assert (row.status, row.promised_by) == (M.PROMISED, D(2025, 3, 14))


def test_a_material_that_is_not_tolerable_cannot_be_promised(catalogue, file_application):
    zone = catalogue.zone
    application = file_application(catalogue.item_a, on=MON, provided=["申请表"])
    licence = catalogue.materials["营业执照"].pk
    with refused("营业执照 cannot be promised for later: it is not on the list of tolerable"):
        services.application_check(application=application, by=zone.users.dept_a, promised={licence: D(2025, 3, 7)})
    report = catalogue.materials["项目可行性研究报告"].pk
    with refused("项目可行性研究报告: the promised date must be after today"):
        services.application_check(application=application, by=zone.users.dept_a, promised={report: MON}, on=MON)
    with refused("Some materials checked are not materials of this item"):
        services.application_check(
            application=application, by=zone.users.dept_a, provided=ids(catalogue, "公众参与说明")
        )
    application.refresh_from_db()
    assert application.state == S.RECEIVED
    assert not application.materials.filter(status__in=[M.PROMISED, M.MISSING]).exists()


def test_the_window_rejects_a_received_application_with_a_reason(catalogue, file_application):
    zone = catalogue.zone
    application = file_application(catalogue.item_a, on=MON)
    with refused("Give the reason for not accepting"):
        services.application_reject(application=application, by=zone.users.dept_a, reason=" ", on=MON)
    application = services.application_reject(
        application=application, by=zone.users.dept_a, reason="不属于开发区受理范围", on=MON
    )
    assert (application.state, application.reason, application.completed_on) == (
        S.REJECTED,
        "不属于开发区受理范围",
        MON,
    )
    assert application.light(TODAY) == ""
    assert notifications(zone.users.ent_a) == [f"approval-rejected-{application.pk}"]
    with refused("Only an application not yet accepted can be declined"):
        services.application_reject(application=application, by=zone.users.dept_a, reason="again")


def test_an_application_waiting_for_materials_can_be_rejected_but_an_accepted_one_cannot(
    catalogue, file_application, walk
):
    zone = catalogue.zone
    waiting = walk(file_application(catalogue.item_a, on=MON, provided="none"), to="correcting")
    assert (
        services.application_reject(application=waiting, by=zone.users.dept_a, reason="逾期未补正").state == S.REJECTED
    )
    for to in ("accepted", "processing", "special", "paused_correction", "completed"):
        application = walk(file_application(catalogue.item_a, on=MON), to=to)
        with refused("Only an application not yet accepted can be declined"):
            services.application_reject(application=application, by=zone.users.dept_a, reason="不予受理")


def test_only_the_departments_window_checks_and_rejects(catalogue, file_application):
    zone = catalogue.zone
    application = file_application(catalogue.item_a, on=MON)
    for user in (zone.users.dept_b, zone.users.officer_a, zone.users.ent_a, zone.users.leader, zone.users.expert_a):
        with refused("Only the staff of"):
            services.application_check(application=application, by=user)
        with refused("Only the staff of"):
            services.application_reject(application=application, by=user, reason="x")
    assert services.application_check(application=application, by=zone.users.admin).state == S.ACCEPTED


def test_only_a_received_application_is_checked(catalogue, file_application, walk):
    zone = catalogue.zone
    for to in ("correcting", "accepted", "processing", "rejected"):
        application = walk(file_application(catalogue.item_a, on=MON, provided="none"), to=to)
        with refused("Only a received application is checked"):
            services.application_check(application=application, by=zone.users.dept_a)


# --- Supplying ------------------------------------------------------------------------------------------------------


def test_only_the_applicant_side_or_the_window_supplies_and_only_awaited_materials(catalogue, file_application, walk):
    zone = catalogue.zone
    application = walk(file_application(catalogue.item_a, on=MON, provided=["申请表"]), to="correcting")
    licence = ids(catalogue, "营业执照")
    for user in (zone.users.ent_b, zone.users.officer_b, zone.users.dept_b, zone.users.expert_a, zone.users.leader):
        with refused("Only the applicant, its agent or the window can supply materials"):
            services.application_supply(application=application, by=user, materials=licence)
    with refused("申请表 is not awaited"):
        services.application_supply(application=application, by=zone.users.ent_a, materials=ids(catalogue, "申请表"))
    with refused("Choose the materials supplied"):
        services.application_supply(application=application, by=zone.users.ent_a, materials=[])
    with refused("Some materials are not materials of this application"):
        services.application_supply(
            application=application, by=zone.users.ent_a, materials=ids(catalogue, "使用登记表")
        )
    assert services.application_supply(application=application, by=zone.users.dept_a, materials=licence).state == (
        S.CORRECTING
    )
    rejected = walk(file_application(catalogue.item_a, on=MON, provided="none"), to="rejected")
    with refused("The application is closed"):
        services.application_supply(application=rejected, by=zone.users.ent_a, materials=licence)


# --- Processing: assign, pause, resume, complete ------------------------------------------------------------------


def test_assigning_an_accepted_application_starts_processing(catalogue, file_application, walk):
    zone = catalogue.zone
    application = walk(file_application(catalogue.item_a, on=MON), to="accepted")
    application = services.application_assign(
        application=application, by=zone.users.dept_a, assignee=zone.users.dept_a, on=D(2025, 3, 4), note="请审核"
    )
    assert (application.state, application.assignee) == (S.PROCESSING, zone.users.dept_a)
    step = application.steps.last()
    assert (step.action, step.from_state, step.to_state, step.assignee, step.note) == (
        "assign",
        S.ACCEPTED,
        S.PROCESSING,
        zone.users.dept_a,
        "请审核",
    )
    assert f"approval-assigned-{application.pk}-{zone.users.dept_a.pk}-2025-03-04" in notifications(zone.users.dept_a)
    # Re-assigning keeps it processing.
    application = services.application_assign(
        application=application, by=zone.users.admin, assignee=zone.users.dept_a, on=D(2025, 3, 5)
    )
    assert application.state == S.PROCESSING


def test_an_application_is_assigned_only_to_the_departments_staff_and_by_them(catalogue, file_application, walk):
    zone = catalogue.zone
    application = walk(file_application(catalogue.item_a, on=MON), to="accepted")
    for assignee in (zone.users.dept_b, zone.users.officer_a, zone.users.admin):
        with refused("is not on the staff of"):
            services.application_assign(application=application, by=zone.users.dept_a, assignee=assignee)
    with refused("Choose who handles the application"):
        services.application_assign(application=application, by=zone.users.dept_a, assignee=None)
    for user in (zone.users.dept_b, zone.users.officer_a, zone.users.ent_a, zone.users.leader):
        with refused("Only the staff of .* assign this application"):
            services.application_assign(application=application, by=user, assignee=zone.users.dept_a)
    application.refresh_from_db()
    assert (application.state, application.assignee) == (S.ACCEPTED, None)


def test_only_an_accepted_application_is_assigned(catalogue, file_application, walk):
    zone = catalogue.zone
    for to in ("received", "correcting", "rejected", "completed"):
        application = walk(file_application(catalogue.item_a, on=MON, provided="none"), to=to)
        with refused("Only an accepted application can be assigned"):
            services.application_assign(application=application, by=zone.users.dept_a, assignee=zone.users.dept_a)


@pytest.mark.parametrize(
    "kind", [Pause.Kind.EXPERT_REVIEW, Pause.Kind.HEARING, Pause.Kind.TESTING, Pause.Kind.SITE_SURVEY]
)
def test_a_special_procedure_stops_the_clock_and_resuming_moves_the_due_date(catalogue, file_application, walk, kind):
    zone = catalogue.zone
    application = walk(file_application(catalogue.item_a, on=MON), to="processing")
    assert application.due_on == D(2025, 3, 10)  # Tue 4, Wed 5, Thu 6, Fri 7, Mon 10
    application = services.application_pause(
        application=application, by=zone.users.dept_a, kind=kind, reason="需专门程序", on=D(2025, 3, 5)
    )
    assert application.state == S.SPECIAL
    assert application.light(D(2025, 3, 20)) == "paused"
    pause = application.pauses.get()
    assert (pause.kind, pause.started_on, pause.ended_on) == (kind, D(2025, 3, 5), None)
    step = application.steps.last()
    assert (step.action, step.from_state, step.to_state) == ("pause", S.PROCESSING, S.SPECIAL)
    assert step.note.endswith(": 需专门程序")
    application = services.application_resume(application=application, by=zone.users.dept_a, on=D(2025, 3, 12))
    assert application.state == S.PROCESSING
    pause.refresh_from_db()
    assert pause.ended_on == D(2025, 3, 11)  # the clock runs again on the 12th
    # Counted: Tue 4; paused Wed 5 – Tue 11 (5 working days); Wed 12, Thu 13, Fri 14, Mon 17.
    assert (application.due_on, application.paused_working_days) == (D(2025, 3, 17), 5)
    step = application.steps.last()
    assert (step.action, step.from_state, step.to_state) == ("resume", S.SPECIAL, S.PROCESSING)


def test_a_pause_needs_a_kind_a_reason_and_a_day_after_acceptance(catalogue, file_application, walk):
    zone = catalogue.zone
    application = walk(file_application(catalogue.item_a, on=MON), to="processing", on=MON)

    def pause(**kwargs):
        fields = {"kind": Pause.Kind.EXPERT_REVIEW, "reason": "专家评审", "on": D(2025, 3, 4), **kwargs}
        return services.application_pause(application=application, by=zone.users.dept_a, **fields)

    with refused("Choose the kind of pause"):
        pause(kind="holiday")
    with refused("Give the reason for stopping the clock"):
        pause(reason=" ")
    with refused("The clock starts the day after acceptance"):
        pause(on=MON)
    with refused("List the materials to supply"):
        pause(kind=Pause.Kind.CORRECTION)
    with refused("Some materials are not materials of this application"):
        pause(kind=Pause.Kind.CORRECTION, missing=ids(catalogue, "使用登记表"))
    for user in (zone.users.dept_b, zone.users.ent_a, zone.users.officer_a, zone.users.expert_a):
        with refused("Only the staff of .* can stop the clock"):
            services.application_pause(application=application, by=user, kind="hearing", reason="听证")
    assert not Pause.objects.exists()


def test_a_correction_after_acceptance_pauses_the_clock_with_a_notice_until_the_material_arrives(
    catalogue, file_application, walk
):
    zone = catalogue.zone
    application = walk(file_application(catalogue.item_a, on=MON, by=zone.users.officer_a), to="processing")
    licence = ids(catalogue, "营业执照")
    application = services.application_pause(
        application=application,
        by=zone.users.dept_a,
        kind=Pause.Kind.CORRECTION,
        reason="营业执照已过期",
        missing=licence,
        on=D(2025, 3, 6),
    )
    assert application.state == S.CORRECTING
    assert application.light(D(2025, 3, 6)) == "paused"
    notice = Notice.objects.get()
    assert notice.after_acceptance
    assert notice.text == "Please supply, all at once, the following materials:\n1. 营业执照（copy）\n营业执照已过期"
    assert (application.pauses.get().kind, application.pauses.get().started_on) == (
        Pause.Kind.CORRECTION,
        D(2025, 3, 6),
    )
    # The enterprise and its agent both hear of the notice.
    key = f"approval-notice-{notice.pk}"
    assert key in notifications(zone.users.ent_a)
    assert key in notifications(zone.users.officer_a)
    with refused("Only an application in a special procedure is resumed this way"):
        services.application_resume(application=application, by=zone.users.dept_a, on=D(2025, 3, 7))
    application = services.application_supply(
        application=application, by=zone.users.ent_a, materials=licence, on=D(2025, 3, 11)
    )
    assert application.state == S.PROCESSING
    assert application.pauses.get().ended_on == D(2025, 3, 10)
    # Counted: Tue 4, Wed 5; paused Thu 6 – Mon 10 (3 working days); Tue 11, Wed 12, Thu 13.
    assert (application.due_on, application.paused_working_days) == (D(2025, 3, 13), 3)


def test_an_unassigned_application_paused_and_resumed_is_accepted_again_not_processing(
    catalogue, file_application, walk
):
    zone = catalogue.zone
    form = ids(catalogue, "申请表")
    application = walk(file_application(catalogue.item_a, on=MON), to="accepted")
    services.application_pause(
        application=application,
        by=zone.users.dept_a,
        kind="correction",
        reason="签章不全",
        missing=form,
        on=D(2025, 3, 4),
    )
    application = services.application_supply(
        application=application, by=zone.users.ent_a, materials=form, on=D(2025, 3, 5)
    )
    assert (application.state, application.assignee) == (S.ACCEPTED, None)
    services.application_pause(
        application=application, by=zone.users.dept_a, kind="site_survey", reason="现场勘查", on=D(2025, 3, 6)
    )
    application = services.application_resume(application=application, by=zone.users.dept_a, on=D(2025, 3, 7))
    assert application.state == S.ACCEPTED
    # Paused Tue 4 and Thu 6: 1 Wed 5, 2 Fri 7, 3 Mon 10, 4 Tue 11, 5 Wed 12
    assert (application.due_on, application.paused_working_days) == (D(2025, 3, 12), 2)
    application = services.application_assign(
        application=application, by=zone.users.dept_a, assignee=zone.users.dept_a, on=D(2025, 3, 7)
    )
    assert application.state == S.PROCESSING


def test_an_approval_needs_a_certificate_and_a_refusal_a_reason(catalogue, file_application, walk):
    zone = catalogue.zone
    application = walk(file_application(catalogue.item_a, by=zone.users.officer_a, on=MON), to="processing")

    def complete(**kwargs):
        return services.application_complete(application=application, by=zone.users.dept_a, on=D(2025, 3, 7), **kwargs)

    with refused("Give the number of the certificate"):
        complete(outcome="approved", certificate_no=" ")
    with refused("Give the reason for the refusal"):
        complete(outcome="refused", reason="")
    with refused("Choose approved or refused"):
        complete(outcome="withdrawn", reason="撤回")
    done = complete(outcome="approved", certificate_no=" 备案号2025-001 ", reason="ignored")
    assert (done.state, done.outcome, done.certificate_no, done.reason, done.completed_on) == (
        S.COMPLETED,
        "approved",
        "备案号2025-001",
        "",
        D(2025, 3, 7),
    )
    assert (done.working_days_used, done.on_time) == (4, True)  # Tue 4, Wed 5, Thu 6, Fri 7
    assert done.light(D(2025, 3, 20)) == ""
    step = done.steps.last()
    assert (step.action, step.from_state, step.to_state, step.note) == (
        "complete",
        S.PROCESSING,
        S.COMPLETED,
        "备案号2025-001",
    )
    key = f"approval-completed-{done.pk}"
    assert key in notifications(zone.users.ent_a)
    assert key in notifications(zone.users.officer_a)

    other = walk(file_application(catalogue.item_a, on=MON), to="accepted")
    done = services.application_complete(
        application=other,
        by=zone.users.admin,
        outcome="refused",
        certificate_no="X",
        reason="不符合条件",
        on=D(2025, 3, 11),
    )
    assert (done.outcome, done.certificate_no, done.reason) == ("refused", "", "不符合条件")
    assert (done.working_days_used, done.on_time) == (6, False)  # Tue 4 … Mon 10, Tue 11: one day late


@pytest.mark.parametrize("to", ["received", "correcting", "special", "paused_correction", "rejected", "completed"])
def test_only_an_application_being_processed_can_be_completed(catalogue, file_application, walk, to):
    zone = catalogue.zone
    application = walk(file_application(catalogue.item_a, on=MON, provided="none"), to=to)
    with refused("Only an accepted application being processed can be completed"):
        services.application_complete(
            application=application, by=zone.users.dept_a, outcome="refused", reason="x", on=D(2025, 3, 20)
        )


@pytest.mark.parametrize("to", ["received", "correcting", "special", "paused_correction", "rejected", "completed"])
def test_only_an_application_being_processed_can_be_paused(catalogue, file_application, walk, to):
    zone = catalogue.zone
    application = walk(file_application(catalogue.item_a, on=MON, provided="none"), to=to)
    with refused("Only an application being processed can be paused"):
        services.application_pause(
            application=application, by=zone.users.dept_a, kind="hearing", reason="听证", on=D(2025, 3, 20)
        )


@pytest.mark.parametrize("to", ["received", "accepted", "processing", "paused_correction", "completed"])
def test_only_a_special_procedure_is_resumed(catalogue, file_application, walk, to):
    zone = catalogue.zone
    application = walk(file_application(catalogue.item_a, on=MON), to=to)
    with refused("Only an application in a special procedure is resumed this way"):
        services.application_resume(application=application, by=zone.users.dept_a, on=D(2025, 3, 20))


def test_only_the_departments_staff_decide_and_restart_the_clock(catalogue, file_application, walk):
    zone = catalogue.zone
    special = walk(file_application(catalogue.item_a, on=MON), to="special")
    processing = walk(file_application(catalogue.item_a, on=MON), to="processing")
    for user in (zone.users.dept_b, zone.users.officer_a, zone.users.ent_a, zone.users.leader, zone.users.expert_a):
        with refused("Only the staff of .* can restart the clock"):
            services.application_resume(application=special, by=user)
        with refused("Only the staff of .* decide on this application"):
            services.application_complete(application=processing, by=user, outcome="approved", certificate_no="X")


def test_a_step_cannot_be_dated_in_the_future_nor_before_the_last_step(catalogue, file_application, walk):
    zone = catalogue.zone
    application = file_application(catalogue.item_a, on=D(2025, 3, 5))
    with refused("A step cannot be dated in the future"):
        services.application_check(application=application, by=zone.users.dept_a, on=D(2025, 4, 1))
    with refused(r"The date 2025-03-04 is before the application's last step \(2025-03-05\)"):
        services.application_check(application=application, by=zone.users.dept_a, on=D(2025, 3, 4))
    application = walk(application, to="processing", on=D(2025, 3, 10))
    with refused(r"before the application's last step \(2025-03-10\)"):
        services.application_pause(
            application=application, by=zone.users.dept_a, kind="hearing", reason="听证", on=D(2025, 3, 7)
        )
    with refused(r"before the application's last step \(2025-03-10\)"):
        services.application_complete(
            application=application, by=zone.users.dept_a, outcome="approved", certificate_no="X", on=D(2025, 3, 6)
        )
    with refused("A step cannot be dated in the future"):
        services.application_complete(
            application=application, by=zone.users.dept_a, outcome="approved", certificate_no="X", on=D(2025, 4, 1)
        )
    application.refresh_from_db()
    assert application.state == S.PROCESSING


def test_a_refused_action_writes_nothing(catalogue, file_application, walk):
    zone = catalogue.zone
    application = walk(file_application(catalogue.item_a, on=MON), to="processing")
    steps = Step.objects.count()
    with refused("Give the reason for the refusal"):
        services.application_complete(application=application, by=zone.users.dept_a, outcome="refused")
    assert Step.objects.count() == steps
    application.refresh_from_db()
    assert (application.state, application.completed_on, application.outcome) == (S.PROCESSING, None, "")


def test_an_immediate_item_is_due_the_day_it_is_accepted(catalogue, file_application, walk):
    zone = catalogue.zone
    application = walk(file_application(catalogue.immediate_item, on=MON), to="accepted")
    assert (application.limit_days, application.due_on, application.due_provisional) == (0, MON, False)
    done = services.application_complete(
        application=application, by=zone.users.dept_a, outcome="approved", certificate_no="登记-1", on=MON
    )
    assert (done.working_days_used, done.on_time) == (0, True)
    late = walk(file_application(catalogue.immediate_item, on=MON), to="completed")  # completed on Tue 4
    assert (late.working_days_used, late.on_time) == (1, False)


# --- Parallel approval ----------------------------------------------------------------------------------------------


def test_a_bundle_files_one_application_per_item_and_is_done_when_all_are(catalogue, walk):
    zone = catalogue.zone
    bundle = services.bundle_create(
        by=zone.users.officer_a,
        enterprise=zone.ent_a,
        name="年产5万吨氟材料项目",
        items=[catalogue.item_a, catalogue.item_b],
        started_on=MON,
    )
    first, second = bundle.applications.order_by("department__name")
    assert {first.department, second.department} == {zone.dept_a, zone.dept_b}
    assert all(a.agent == zone.users.officer_a and a.title == "年产5万吨氟材料项目" for a in (first, second))
    a = bundle.applications.get(item=catalogue.item_a)
    b = bundle.applications.get(item=catalogue.item_b)
    walk(a, to="completed", accepted_on=MON, on=D(2025, 3, 7))
    bundle.refresh_from_db()
    assert (bundle.completed_on, bundle.total_working_days) == (None, None)
    walk(b, to="completed", accepted_on=D(2025, 3, 4), on=D(2025, 3, 14))
    bundle.refresh_from_db()
    # From the first acceptance (Mon 3) to the last completion (Fri 14): Tue 4 … Fri 7, Mon 10 … Fri 14.
    assert (bundle.completed_on, bundle.total_working_days) == (D(2025, 3, 14), 9)


def test_a_bundle_with_a_rejected_application_is_done_when_the_others_are(catalogue, walk):
    zone = catalogue.zone
    bundle = services.bundle_create(
        by=zone.users.ent_a,
        enterprise=zone.ent_a,
        name="扩建项目",
        items=[catalogue.item_a, catalogue.item_b],
        started_on=MON,
    )
    walk(bundle.applications.get(item=catalogue.item_a), to="completed", on=D(2025, 3, 6))
    walk(bundle.applications.get(item=catalogue.item_b), to="rejected", accepted_on=D(2025, 3, 7))
    bundle.refresh_from_db()
    # The last one done is rejected on Fri 7; the first acceptance was Mon 3: Tue 4 … Fri 7.
    assert (bundle.completed_on, bundle.total_working_days) == (D(2025, 3, 7), 4)


def test_a_bundle_needs_two_different_items_and_a_name_and_its_enterprise(catalogue, file_application):
    zone = catalogue.zone
    with refused("Name the project"):
        services.bundle_create(by=zone.users.ent_a, enterprise=zone.ent_a, name=" ", items=catalogue.items)
    with refused("at least two items"):
        services.bundle_create(by=zone.users.ent_a, enterprise=zone.ent_a, name="P", items=[catalogue.item_a])
    with refused("An item is listed twice"):
        services.bundle_create(
            by=zone.users.ent_a, enterprise=zone.ent_a, name="P", items=[catalogue.item_a, catalogue.item_a]
        )
    with refused("only for your own enterprise"):
        services.bundle_create(by=zone.users.ent_a, enterprise=zone.ent_b, name="P", items=catalogue.items)
    services.item_set_status(item=catalogue.item_b, by=zone.users.dept_b, status="suspended", reason="系统升级")
    with refused("it takes no applications"):
        services.bundle_create(by=zone.users.ent_a, enterprise=zone.ent_a, name="P", items=catalogue.items)
    assert not Bundle.objects.exists()
    assert not Application.objects.exists()
    bundle = services.bundle_create(
        by=zone.users.ent_b, enterprise=zone.ent_b, name="P", items=[catalogue.item_a, catalogue.immediate_item]
    )
    with refused("The parallel approval belongs to another enterprise"):
        services.application_file(by=zone.users.ent_a, item=catalogue.item_a, enterprise=zone.ent_a, bundle=bundle)


# --- 好差评 -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("level", [Level.VERY_SATISFIED, Level.SATISFIED, Level.BASICALLY_SATISFIED])
def test_a_satisfied_rating_needs_no_comment_and_no_rectification(catalogue, file_application, walk, level):
    zone = catalogue.zone
    application = walk(file_application(catalogue.item_a, on=MON), to="completed")
    review = services.application_rate(application=application, by=zone.users.ent_a, level=level, on=D(2025, 3, 5))
    assert (review.level, review.comment, review.rated_by, review.rated_on) == (
        level,
        "",
        zone.users.ent_a,
        D(2025, 3, 5),
    )
    assert not Rectification.objects.exists()
    assert not [key for key in notifications(zone.users.dept_a) if key.startswith("approval-rectify")]


@pytest.mark.parametrize("level", [Level.DISSATISFIED, Level.VERY_DISSATISFIED])
def test_a_dissatisfied_rating_needs_a_comment_and_gives_the_department_10_working_days(
    catalogue, file_application, walk, level
):
    zone = catalogue.zone
    application = walk(file_application(catalogue.item_a, on=MON), to="completed", on=D(2025, 3, 14))
    with refused("Tell the department what went wrong"):
        services.application_rate(application=application, by=zone.users.ent_a, level=level, comment=" ")
    review = services.application_rate(
        application=application, by=zone.users.ent_a, level=level, comment="窗口多次要求重复提交材料", on=D(2025, 3, 17)
    )
    rectification = review.rectification
    assert rectification.department == zone.dept_a
    # Rated Mon 17: Tue 18 … Fri 21 (4), Mon 24 … Fri 28 (9), Mon 31 (10).
    assert rectification.due_on == D(2025, 3, 31)
    assert rectification.is_open
    assert f"approval-rectify-{rectification.pk}" in notifications(zone.users.dept_a)
    assert f"approval-rectify-{rectification.pk}" not in notifications(zone.users.dept_b)


def test_the_department_answers_a_rectification_and_the_applicant_and_agent_hear_of_it(
    catalogue, file_application, walk
):
    zone = catalogue.zone
    application = walk(file_application(catalogue.item_a, by=zone.users.officer_a, on=MON), to="completed")
    review = services.application_rate(
        application=application, by=zone.users.officer_a, level=Level.DISSATISFIED, comment="超时", on=D(2025, 3, 5)
    )
    rectification = review.rectification
    for user in (zone.users.dept_b, zone.users.ent_a, zone.users.officer_a, zone.users.leader):
        with refused("Only the department concerned answers"):
            services.rectification_answer(rectification=rectification, by=user, answer="已整改")
    with refused("Write the answer"):
        services.rectification_answer(rectification=rectification, by=zone.users.dept_a, answer=" ")
    with refused("A step cannot be dated in the future"):
        services.rectification_answer(
            rectification=rectification, by=zone.users.dept_a, answer="已整改", on=D(2025, 4, 1)
        )
    with refused(r"The answer cannot be dated before the rating \(2025-03-05\)"):
        services.rectification_answer(
            rectification=rectification, by=zone.users.dept_a, answer="已整改", on=D(2025, 3, 4)
        )
    rectification = services.rectification_answer(
        rectification=rectification, by=zone.users.dept_a, answer=" 已对窗口人员开展培训 ", on=D(2025, 3, 12)
    )
    assert (rectification.answer, rectification.answered_on, rectification.answered_by) == (
        "已对窗口人员开展培训",
        D(2025, 3, 12),
        zone.users.dept_a,
    )
    assert not rectification.is_open
    key = f"approval-rectified-{rectification.pk}"
    assert key in notifications(zone.users.ent_a)
    assert key in notifications(zone.users.officer_a)
    assert key not in notifications(zone.users.ent_b)
    with refused("has been answered already"):
        services.rectification_answer(rectification=rectification, by=zone.users.admin, answer="再次")


def test_a_rating_comes_once_from_the_applicant_side_after_completion(catalogue, file_application, walk):
    zone = catalogue.zone
    processing = walk(file_application(catalogue.item_a, on=MON), to="processing")
    with refused("Only a completed application can be rated"):
        services.application_rate(application=processing, by=zone.users.ent_a, level=Level.SATISFIED)
    rejected = walk(file_application(catalogue.item_a, on=MON), to="rejected")
    with refused("Only a completed application can be rated"):
        services.application_rate(application=rejected, by=zone.users.ent_a, level=Level.SATISFIED)
    done = walk(file_application(catalogue.item_a, on=MON), to="completed", on=D(2025, 3, 7))
    for user in (zone.users.ent_b, zone.users.officer_b, zone.users.dept_a, zone.users.admin, zone.users.leader):
        with refused("Only the applicant or its agent rates the service"):
            services.application_rate(application=done, by=user, level=Level.SATISFIED)
    with refused("Choose one of the five levels"):
        services.application_rate(application=done, by=zone.users.ent_a, level=6)
    with refused("A rating comes after completion"):
        services.application_rate(application=done, by=zone.users.ent_a, level=Level.SATISFIED, on=D(2025, 3, 6))
    with refused("A step cannot be dated in the future"):
        services.application_rate(application=done, by=zone.users.ent_a, level=Level.SATISFIED, on=D(2025, 4, 1))
    # The officer serving the enterprise may rate on its behalf, once.
    services.application_rate(application=done, by=zone.users.officer_a, level=Level.SATISFIED)
    with refused("This application has been rated already"):
        services.application_rate(application=done, by=zone.users.ent_a, level=Level.VERY_SATISFIED)
    assert Review.objects.get().rated_on == TODAY


# --- The leaders' list and the yellow warning -----------------------------------------------------------------------


def test_report_overdue_tells_the_leaders_and_the_handler_once_per_red_application(catalogue, file_application, walk):
    zone = catalogue.zone
    red = walk(file_application(catalogue.item_a, on=MON), to="processing")  # due Mon 10
    walk(file_application(catalogue.item_b, on=MON), to="processing")  # due Mon 17 (10 working days)
    special = walk(file_application(catalogue.item_a, on=MON), to="special")  # paused: never red
    assert services.report_overdue(today=D(2025, 3, 10)) == 0  # due today is not overdue
    assert services.report_overdue(today=D(2025, 3, 11)) == 1
    key = f"approval-overdue-{red.pk}-{red.due_on}"
    assert notifications(zone.users.leader, "approval_overdue") == [key]
    assert notifications(zone.users.dept_a, "approval_overdue") == [key]  # the handler
    red.refresh_from_db()
    assert red.red_notified
    special.refresh_from_db()
    assert not special.red_notified
    # A second run (the next day) tells nobody again.
    assert services.report_overdue(today=D(2025, 3, 12)) == 0
    assert Notification.objects.filter(kind="approval_overdue").count() == 2
    # The other one turns red a week later: reported then, once.
    assert services.report_overdue(today=D(2025, 3, 18)) == 1
    assert services.report_overdue(today=D(2025, 3, 18)) == 0
    assert Notification.objects.filter(user=zone.users.leader, kind="approval_overdue").count() == 2


def test_warn_yellow_warns_the_handler_or_else_the_departments_staff_once_per_due_date(
    catalogue, file_application, walk
):
    zone = catalogue.zone
    assigned = walk(file_application(catalogue.item_a, on=MON), to="processing")  # due Mon 10, yellow from Fri 7
    unassigned = walk(file_application(catalogue.item_b, on=MON), to="accepted")  # due Mon 17, yellow from Fri 14
    assert services.warn_yellow(today=D(2025, 3, 6)) == 0
    assert services.warn_yellow(today=D(2025, 3, 7)) == 1
    assert services.warn_yellow(today=D(2025, 3, 10)) == 1  # still yellow on the due date; no second notification
    assert notifications(zone.users.dept_a, "approval_due") == [f"approval-yellow-{assigned.pk}-2025-03-10"]
    assert services.warn_yellow(today=D(2025, 3, 11)) == 0  # red now: the leaders' list takes over
    assert services.warn_yellow(today=D(2025, 3, 14)) == 1
    assert notifications(zone.users.dept_b, "approval_due") == [f"approval-yellow-{unassigned.pk}-2025-03-17"]
