"""One sample object of every kind a URL takes, beside the conftest's ``zone`` personas: A's and B's where scoped.

Built through the modules' services where they have one (the objects are the ones the UI would make), else
directly. Enterprise C (``ent_c``) is nobody's: A's circular exchange goes to it, so that nothing A's side may see
names B. Kinds with no sample here are opened with an id no row has (``M`` in role_matrix.SAMPLES).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from . import role_matrix_talent_finance


def build_world(zone):
    from hitechzone.common.models import AuditEvent, Job, Notification
    from hitechzone.enterprises.tests import factories as f

    Assignment = f.AssignmentFactory._meta.model
    users = zone.users
    Assignment.objects.update(started_on=date(2020, 1, 1))
    zone.assignment_a = Assignment.objects.get(officer=users.officer_a)
    zone.block = f.BlockFactory(code="gaoxin-core", name="高新核心区", brand=zone.brand_a)
    zone.area = f.FunctionalAreaFactory(code="biochemical", name="生物化工功能区", brand=zone.brand_a)
    zone.notification_a = Notification.objects.create(user=users.ent_a, kind="test", text="甲方通知", key="matrix-a")
    _talent(zone)  # first: the newest audit event (the audit URLs' sample) stays the other modules'
    role_matrix_talent_finance.build(zone)
    _team_under_review(zone)  # likewise; its panel is drawn after _projects, where the one expert pool is filled
    _liaison(zone)
    _approvals(zone)
    _circular(zone)
    _projects(zone)
    _incubator_project(zone)
    _team_panel(zone)
    _grant_panel(zone)
    _evaluation(zone)
    _evaluation_runs(zone)
    zone.job_a = Job.objects.create(kind="test", user=users.ent_a)
    zone.audit_event = AuditEvent.objects.order_by("-pk").first()  # the newest: on the list's first page
    return zone


def _liaison(zone):
    from hitechzone.liaison import services
    from hitechzone.liaison.models import DEFAULT_DUE_WORKING_DAYS, Visit

    users = zone.users
    zone.visit_a = Visit.objects.create(
        officer=users.officer_a, enterprise=zone.ent_a, visited_on=timezone.localdate() - timedelta(days=1)
    )
    category = next(iter(DEFAULT_DUE_WORKING_DAYS))
    zone.problem_a = services.problem_raise(by=users.ent_a, enterprise=zone.ent_a, category=category, title="甲方问题")


def _approvals(zone):
    from hitechzone.approvals import services
    from hitechzone.approvals.models import ItemType, Mode

    users = zone.users
    zone.item_a = services.item_create(
        by=users.dept_a,
        code="330100-A-001",
        department=zone.dept_a,
        name="企业投资项目备案",
        mode=Mode.ENTRUSTED,
        item_type=ItemType.COMMITMENT,
        statutory_limit=20,
        promised_limit=5,
        pre_reform_days=30,
        materials=[{"name": "申请表", "required": True}],
    )
    zone.item_a.refresh_from_db()
    zone.material_a = zone.item_a.current.materials.get()
    zone.item_b = services.item_create(
        by=users.dept_b,
        code="330100-B-001",
        department=zone.dept_b,
        name="建设项目环境影响评价文件审批",
        mode=Mode.JURISDICTION,
        item_type=ItemType.COMMITMENT,
        statutory_limit=60,
        promised_limit=10,
        pre_reform_days=60,
        materials=[{"name": "环境影响报告书", "required": True}],
    )
    items = [zone.item_a, zone.item_b]
    zone.bundle_a = services.bundle_create(by=users.ent_a, enterprise=zone.ent_a, name="甲方并联项目", items=items)
    zone.application_a = services.application_file(
        by=users.ent_a, item=zone.item_a, enterprise=zone.ent_a, title="甲方申请", provided=[zone.material_a.pk]
    )
    # A second application of A, checked with its material missing: its one-time notice (一次性告知书).
    noticed = services.application_file(by=users.ent_a, item=zone.item_a, enterprise=zone.ent_a, title="甲方补正")
    services.application_check(application=noticed, by=users.dept_a)
    zone.notice_a = noticed.notices.get()


def _circular(zone):
    from hitechzone.circular.models import CircularProject, Exchange, Flow, Material, OptimizationRun, ResourceYear
    from hitechzone.enterprises.tests import factories as f

    # A's exchange goes to a third enterprise C, no persona's: whatever names B to A's side is a leak.
    zone.ent_c = f.EnterpriseFactory(name="浙江丙方化工有限公司", brand=zone.brand_a)
    zone.cmaterial = Material.objects.create(code="hcl", name="氯化氢", formula="HCl")
    zone.flow_a = Flow.objects.create(
        enterprise=zone.ent_a, material=zone.cmaterial, role="byproduct", quantity_t=Decimal(843), year=2024
    )
    zone.exchange_a = Exchange.objects.create(
        year=2024, supplier=zone.ent_a, receiver=zone.ent_c, material=zone.cmaterial, quantity_t=Decimal(700),
        mode="pipeline", distance_km=Decimal("1.5"),
    )  # fmt: skip
    zone.project_a = CircularProject.objects.create(
        code="XH-2024-001",
        name="甲方副产氯化氢回收",
        owner="enterprise",
        enterprise=zone.ent_a,
        category="byproduct",
        batch_year=2024,
        total_investment_wan_yuan=Decimal(100),
    )
    zone.resource_year_a = ResourceYear.objects.create(enterprise=zone.ent_a, year=2024, fresh_water_t=Decimal(1000))
    zone.optimization = OptimizationRun.objects.create(scenario={}, status="invalid", created_by=zone.users.admin)


def _projects(zone):
    from hitechzone.projects import services

    users = zone.users
    # A's investor is enterprise A's login; its project was brought by officer A (officer B sees it, may not edit it).
    zone.investor_a = services.investor_create(by=users.admin, name="甲方投资集团", enterprise=zone.ent_a)
    zone.invproject_a = services.project_create(
        by=users.officer_a, name="甲方新材料项目", investor=zone.investor_a, industry_code="C2614",
        land_mu=Decimal(40), fixed_asset_investment_wan_yuan=Decimal(16000), functional_area=zone.area,
        annual_value_added_wan_yuan=Decimal(20000), annual_energy_tce=Decimal(5000), annual_tax_wan_yuan=Decimal(1500),
    )  # fmt: skip
    # Its review panel: five general experts, expert A's own among them; expert B's works for the investor (excluded).
    from hitechzone.projects import panel_services

    zone.expert_pool_a = panel_services.expert_create(
        by=users.admin, name="甲评审专家", academician=True, specialties=["general"], user=users.expert_a
    )
    for n in range(4):
        panel_services.expert_create(by=users.admin, name=f"评审专家{n}", specialties=["general"])
    panel_services.expert_create(
        by=users.admin, name="乙评审专家", specialties=["general"], affiliation="甲方投资集团", user=users.expert_b
    )
    zone.panel_a = panel_services.panel_draw(by=users.admin, project=zone.invproject_a, seed=1)


def _team_under_review(zone):
    """M6's expert review (docs/0013): A's second team application, accepted by the formal check (under review);
    the team's talent works at a platform hosted by expert B's employer."""
    from hitechzone.talent import services

    users, office = zone.users, zone.users.dept_a
    zone.team_review_a = services.team_apply(
        by=users.ent_a, team_name="甲方评审团队", leader_name="甲方评审带头人", project="氟膜", enterprise=zone.ent_a,
        registered_capital_wan_yuan=Decimal(300), planned_investment_wan_yuan=Decimal(1000), members=[],
    )  # fmt: skip
    services.team_step(by=office, application=zone.team_review_a, action="accept")
    platform = services.platform_save(
        by=office, name="甲方集团研究院", kind="institute", level="city", host="甲方投资集团"
    )
    services.talent_save(by=office, name="甲方评审人才", team="甲方评审团队", platform=platform)


def _team_panel(zone):
    """Its panel, drawn from the one pool: expert A sits on it; expert B is excluded (his affiliation hosts the
    platform of the team's talent)."""
    from hitechzone.talent import review

    zone.team_panel_a = review.panel_draw(by=zone.users.admin, application=zone.team_review_a, seed=1)


def _grant_panel(zone):
    """M6's fund review (docs/0013): A's second grant application, its panel drawn from the one pool: expert A sits on
    it; expert B is excluded (his affiliation hosts the platform where a talent of enterprise A works)."""
    from hitechzone.talent import review, services
    from hitechzone.talent.models import Platform

    users, office = zone.users, zone.users.dept_a
    zone.grant_review_a = services.grant_apply(
        by=users.ent_a, fund=zone.fund, recipient_enterprise=zone.ent_a, amount_wan_yuan=Decimal(50), purpose="评审"
    )
    platform = Platform.objects.get(name="甲方集团研究院")
    services.talent_save(by=office, name="甲方基金人才", enterprise=zone.ent_a, platform=platform)
    zone.grant_panel_a = review.GRANTS.panel_draw(by=users.admin, subject=zone.grant_review_a, seed=1)


def _evaluation(zone):
    from hitechzone.evaluation import services
    from hitechzone.evaluation.models import Exemption, Veto

    admin = zone.users.admin
    zone.exemption_a = services.exemption_set(
        by=admin, enterprise=zone.ent_a, year=2023, reason=Exemption.Reason.OTHER, details="搬迁"
    )
    zone.veto_a = services.veto_set(
        by=admin, enterprise=zone.ent_a, year=2023, kind=Veto.Kind.ENVIRONMENT, reason="环境事故"
    )


def _evaluation_runs(zone):
    from hitechzone.evaluation import land, prices, services
    from hitechzone.evaluation.models import EvaluationResult, ExitCase, ExitPolicy, Scheme

    admin = zone.users.admin
    zone.scheme = Scheme.objects.order_by("pk").first()
    zone.run = services.run_evaluation(by=admin, year=2025)
    services.run_publish(by=zone.users.leader, run=zone.run)
    zone.result_a = EvaluationResult.objects.get(run=zone.run, enterprise=zone.ent_a)
    zone.price_tier = prices.tiers_load_defaults(by=admin, year=2025)[0]
    zone.exit_case_a = land.case_open(
        by=admin,
        enterprise=zone.ent_a,
        mode=ExitCase.Mode.values[0],
        trigger=ExitCase.Trigger.values[0],
        parcels=[zone.parcel_a],
        reward_basis="share",
        reward_rate=Decimal("0.10"),
    )
    zone.exit_policy = ExitPolicy.objects.create(year=2025, reward_basis="share", reward_rate=Decimal("0.10"))


def _incubator_project(zone):
    """M6 ↔ M3: project A moved from the off-site incubator (linked by the administrator: the talent office, as
    department staff, sees no project)."""
    from hitechzone.common.subjects import subject_key
    from hitechzone.talent import links

    zone.incubator_project = links.incubator_project_link(
        by=zone.users.admin, incubator=zone.incubator, project=subject_key(zone.invproject_a)
    )


def _talent(zone):
    """M6: department A is the talent office; A's talent, grant and team application belong to enterprise A."""
    from hitechzone.talent import services

    users = zone.users
    services.talent_office_set(by=users.admin, department=zone.dept_a)
    office = users.dept_a
    zone.platform = services.platform_save(
        by=office, name="国家氟材料工程技术研究中心", kind="engineering_centre", level="national"
    )
    zone.incubator = services.incubator_save(
        by=office, name="上海张江飞地孵化器", city="上海", location="张江药谷", floor_area_m2=Decimal(3000),
        investment_wan_yuan=Decimal(2000), teams_incubated=6,
    )  # fmt: skip
    services.incubator_link(by=office, incubator=zone.incubator, enterprise=zone.ent_a)
    zone.partner = services.partner_save(
        by=office, name="浙江某理工大学", kind="university", agreement_signed_on=date(2020, 5, 1)
    )
    zone.talent_a = services.talent_save(
        by=office, name="甲方人才", level="provincial", enterprise=zone.ent_a, id_number="11010519491231002X",
        phone="13812345678",
    )  # fmt: skip
    zone.fund = services.fund_save(by=office, name="创新基金", year=2025, budget_wan_yuan=Decimal(1000))
    zone.grant_a = services.grant_apply(
        by=users.ent_a, fund=zone.fund, recipient_enterprise=zone.ent_a, amount_wan_yuan=Decimal(100), purpose="研发"
    )
    zone.team_a = services.team_apply(
        by=users.ent_a, team_name="甲方团队", leader_name="甲方带头人", project="氟材料", enterprise=zone.ent_a,
        registered_capital_wan_yuan=Decimal(500), planned_investment_wan_yuan=Decimal(2000),
        members=[{"name": "甲方博士", "degree": "phd", "programme": ""}],
    )  # fmt: skip
