"""M3: investors, investment projects, and the yearly 标准地 admission rules (项目决策专家咨询制度).

Scoping (docs/0001, issue 14 item 2): administrators, leaders and the investment officers see every investor and
project; an officer edits only the projects he brought (``ProjectQuerySet.editable``); an enterprise user sees only
the projects whose investor is linked to its own enterprise; department staff see nothing. An expert sees only the
projects (and their investors) of the panels he sits on (docs/0009; any other project: 404).

The expert pool, the panels drawn for a project and their sealed scores are at the end of the file (issue 14, items
5-7; the rules are in ``panels.py``, the writes in ``panel_services.py``).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hitechzone.accounts.models import Role
from hitechzone.accounts.roles import effective_role
from hitechzone.common.scoping import ReferenceQuerySet, ScopedQuerySet

MONEY = {"max_digits": 14, "decimal_places": 2, "null": True, "blank": True, "validators": [MinValueValidator(0)]}
RANK = [MinValueValidator(1), MaxValueValidator(500)]
YEAR = [MinValueValidator(1949), MaxValueValidator(2100)]


class InvestorQuerySet(ScopedQuerySet):
    def scope_admin(self, user):
        return self.all()

    scope_leader = scope_officer = scope_admin

    def scope_enterprise(self, user):
        return self.filter(enterprise_id=user.enterprise_id) if user.enterprise_id else self.none()

    def scope_expert(self, user):  # the investors of the projects of the panels he sits on
        return self.filter(pk__in=Project.objects.scope_expert(user).values("investor"))

    # Department staff: none.


class Investor(models.Model):
    """A company that brings a project (投资方), with its place in the Fortune Global 500 and China's top 500."""

    name = models.CharField(_("name"), max_length=128)
    uscc = models.CharField(_("USCC"), max_length=18, blank=True, db_index=True)
    foreign_registration = models.CharField(
        _("foreign registration"), max_length=64, blank=True, help_text=_("For an investor registered abroad.")
    )
    parent_group = models.CharField(_("parent group"), max_length=128, blank=True)
    fortune_global_500_rank = models.PositiveSmallIntegerField(
        _("Fortune Global 500 rank"), null=True, blank=True, validators=RANK
    )
    fortune_global_500_year = models.PositiveSmallIntegerField(
        _("Fortune Global 500 year"), null=True, blank=True, validators=YEAR
    )
    china_top500_rank = models.PositiveSmallIntegerField(
        _("China top 500 rank"), null=True, blank=True, validators=RANK
    )
    china_top500_year = models.PositiveSmallIntegerField(
        _("China top 500 year"), null=True, blank=True, validators=YEAR
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise login"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The registry enterprise whose users may see this investor's projects."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = InvestorQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("investor")
        verbose_name_plural = _("investors")

    def __str__(self) -> str:
        return self.name


class ProjectQuerySet(ScopedQuerySet):
    def scope_admin(self, user):
        return self.all()

    scope_leader = scope_officer = scope_admin

    def scope_enterprise(self, user):
        return self.filter(investor__enterprise_id=user.enterprise_id) if user.enterprise_id else self.none()

    def scope_expert(self, user):  # only the projects of the panels he sits on (any other: 404); not once declined
        return self.filter(pk__in=PanelMember.objects.sitting().filter(expert__user=user).values("panel__project"))

    # Department staff: none.

    def editable(self, user):
        """The projects ``user`` may change: an administrator any, an officer those he brought, anybody else none."""
        role = effective_role(user)
        if role == Role.ADMIN:
            return self.all()
        if role == Role.OFFICER:
            return self.filter(officer=user)
        return self.none()


class Project(models.Model):
    """An investment project that wants to enter the zone, with the figures its 标准地 admission checks read."""

    class Stage(models.TextChoices):
        LEAD = "lead", _("Lead")
        NEGOTIATION = "negotiation", _("Negotiation")
        REVIEW = "review", _("Review")
        SIGNED = "signed", _("Signed")
        LAND = "land", _("Land supplied")
        APPROVAL = "approval", _("Approval")
        CONSTRUCTION = "construction", _("Construction")
        PRODUCTION = "production", _("In production")
        PAUSED = "paused", pgettext_lazy("project stage", "Paused")
        TERMINATED = "terminated", _("Terminated")

    name = models.CharField(_("name"), max_length=128)
    investor = models.ForeignKey(
        Investor, verbose_name=_("investor"), on_delete=models.PROTECT, related_name="projects"
    )
    industry_code = models.CharField(
        _("industry code (GB/T 4754)"), max_length=5, blank=True, help_text=_("e.g. C2614")
    )
    chain = models.ForeignKey(
        "enterprises.IndustryChain",
        verbose_name=_("industry chain"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    functional_area = models.ForeignKey(
        "zone.FunctionalArea",
        verbose_name=_("functional area wanted"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    total_investment_wan_yuan = models.DecimalField(_("total investment (10k yuan)"), **MONEY)
    fixed_asset_investment_wan_yuan = models.DecimalField(_("fixed-asset investment (10k yuan)"), **MONEY)
    land_mu = models.DecimalField(
        _("land (mu)"), max_digits=12, decimal_places=4, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    floor_area_m2 = models.DecimalField(_("floor area counted for the plot ratio (m²)"), **MONEY)
    footprint_m2 = models.DecimalField(_("footprint of buildings, structures and yards (m²)"), **MONEY)
    admin_land_m2 = models.DecimalField(_("office and living-service land (m²)"), **MONEY)
    green_area_m2 = models.DecimalField(_("green area (m²)"), **MONEY)
    annual_output_wan_yuan = models.DecimalField(_("annual output at full production (10k yuan)"), **MONEY)
    annual_tax_wan_yuan = models.DecimalField(_("annual tax at full production (10k yuan)"), **MONEY)
    annual_value_added_wan_yuan = models.DecimalField(_("annual value added at full production (10k yuan)"), **MONEY)
    annual_energy_tce = models.DecimalField(_("annual energy use (tce)"), **MONEY)
    pollutants = models.TextField(_("pollutants"), blank=True)
    jobs = models.PositiveIntegerField(_("jobs"), null=True, blank=True)
    rd_share = models.DecimalField(
        _("R&D share (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    hazardous_chemicals = models.BooleanField(_("hazardous chemicals"), default=False)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("investment officer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The officer who brought the project (招商引资全程帮办员)."),
    )
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices, default=Stage.LEAD, db_index=True)
    created_on = models.DateField(_("created on"), auto_now_add=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("investment project")
        verbose_name_plural = _("investment projects")

    def __str__(self) -> str:
        return self.name


class AdmissionRules(models.Model):
    """The 标准地 admission thresholds of a year, versioned: a check names the version it used.

    ``thresholds`` (decimal strings; the admin edits them in the Django admin)::

        {"investment_intensity": {"default": "300", "by_class": {"C26": "350", …}},   # 万元/亩, ≥
         "plot_ratio": {"default": "0.8", "by_class": {"C26": "0.6", …}},            # ≥
         "building_coverage": "30", "admin_land_share": "7", "green_ratio": "20",    # %, ≥ / ≤ / ≤
         "tax_per_mu": "30", "energy_per_value_added": "0.52",                       # 万元/亩 ≥, tce/万元 ≤
         "catalogue": {"": "allowed", "C2614": "encouraged", "C31": "restricted", …}}  # longest prefix wins
    """

    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    thresholds = models.JSONField(_("thresholds"))
    is_demo_default = models.BooleanField(
        _("demo default"), default=False, help_text=_("The demo's default values, not an adopted policy.")
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ReferenceQuerySet.as_manager()  # every signed-in role may read the published thresholds

    class Meta:
        ordering = ["-year", "-version"]
        constraints = [models.UniqueConstraint(fields=["year", "version"], name="projects_rules_year_version")]
        verbose_name = _("admission rules")
        verbose_name_plural = _("admission rules")

    def __str__(self) -> str:
        return f"{self.year} v{self.version}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from .admission import thresholds_problems

        problems = thresholds_problems(self.thresholds)
        if problems:
            raise ValidationError(
                {"thresholds": _("These thresholds cannot be read: %(where)s") % {"where": "; ".join(problems)}}
            )

    @classmethod
    def current(cls, year: int) -> AdmissionRules | None:
        """The newest version of ``year``'s rules, else the newest of the latest earlier year (else of the earliest
        year there is: a demo dated before the rules' first year still checks against them)."""
        found = cls.objects.filter(year__lte=year).order_by("-year", "-version").first()
        return found or cls.objects.order_by("year", "-version").first()


# --- Expert panels (项目决策专家咨询制度, issue 14 items 5-7; docs/0009) ----------------------------------------------

# The expert pool and the scoring weights are the shared review's (docs/0013): one pool for M3 and M6.
from hitechzone.review.models import (  # noqa: E402, F401 — M3's code and tests keep their names
    GENERAL,
    Expert,
    ExpertQuerySet,
    MemberBase,
    MemberQuerySet,
    PanelBase,
    ScoreBase,
    ScoreQuerySet,
    ScoringWeights,
)


class PanelQuerySet(ScopedQuerySet):
    def scope_admin(self, user):
        return self.all()

    scope_leader = scope_officer = scope_admin

    def scope_expert(self, user):  # the panels he sits on
        return self.filter(pk__in=PanelMember.objects.sitting().filter(expert__user=user).values("panel"))

    # Department staff and enterprises (the investor's own login included): none, the panel is the committee's.


class Panel(PanelBase):
    """The review panel drawn for a project (what an auditor replays the draw with: ``review.models.PanelBase``)."""

    project = models.OneToOneField(
        Project, verbose_name=_("investment project"), on_delete=models.CASCADE, related_name="panel"
    )

    objects = PanelQuerySet.as_manager()

    class Meta:
        verbose_name = _("review panel")
        verbose_name_plural = _("review panels")

    def __str__(self) -> str:
        return str(self.project)


class PanelMemberQuerySet(MemberQuerySet):
    def scope_admin(self, user):
        return self.all()

    scope_leader = scope_officer = scope_admin

    def scope_expert(self, user):
        return self.filter(panel__in=Panel.objects.scope_expert(user))


class PanelMember(MemberBase):
    """A seat on a project's panel (``review.models.MemberBase``)."""

    panel = models.ForeignKey(Panel, verbose_name=_("review panel"), on_delete=models.CASCADE, related_name="members")
    expert = models.ForeignKey(Expert, verbose_name=_("expert"), on_delete=models.PROTECT, related_name="seats")

    objects = PanelMemberQuerySet.as_manager()

    class Meta:
        ordering = ["panel", "seat"]
        constraints = [models.UniqueConstraint(fields=["panel", "expert"], name="projects_panel_member_once")]
        indexes = [models.Index(fields=["expert", "status"], name="projects_member_expert_idx")]
        verbose_name = _("panel member")
        verbose_name_plural = _("panel members")


class Score(ScoreBase):
    """A member's sealed score on a project's panel (``review.models.ScoreBase``; read only through
    ``panel_services.scores_view``)."""

    member = models.OneToOneField(
        PanelMember, verbose_name=_("panel member"), on_delete=models.PROTECT, related_name="score"
    )

    objects = ScoreQuerySet.as_manager()

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")


# --- The leader's decision and the pipeline (issue 14, items 8-9; docs/0010) ---------------------------------------


class ProjectRowQuerySet(ScopedQuerySet):
    """Rows that belong to a project: a user sees those of the projects he sees (``Project.objects.for_user``), so
    the project's scope is written once (deny by default follows from it)."""

    def for_user(self, user):
        return self.filter(project__in=Project.objects.for_user(user))


class ProjectDecision(models.Model):
    """The leader's decision on a project's admission (项目准入决策): final, one per project, with what he saw."""

    class Outcome(models.TextChoices):
        ADMIT = "admit", _("Admit")
        CONDITIONAL = "conditional", _("Admit with conditions")
        REJECT = "reject", _("Reject")

    project = models.OneToOneField(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="decision"
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    reasons = models.TextField(_("reasons"))
    conditions = models.TextField(_("conditions"), blank=True, help_text=_("For an admission with conditions."))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField(_("decided on"), db_index=True)
    rules = models.ForeignKey(
        AdmissionRules,
        verbose_name=_("admission rules"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The rules version the admission checks used when the decision was made."),
    )
    checks = models.JSONField(
        _("admission checks seen"), default=list, blank=True, help_text=_("The check results the leader saw.")
    )
    checks_passed = models.BooleanField(_("every check passed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ProjectRowQuerySet.as_manager()

    class Meta:
        ordering = ["-decided_on", "-pk"]
        verbose_name = _("project decision")
        verbose_name_plural = _("project decisions")

    def __str__(self) -> str:
        return f"{self.project}: {self.get_outcome_display()}"

    @property
    def admits(self) -> bool:
        return self.outcome in (self.Outcome.ADMIT, self.Outcome.CONDITIONAL)


class ProjectStageEvent(models.Model):
    """One move of a project along the pipeline (one row per move): the stage it left, the stage it entered, on
    which date, by whom, why. A stage's date is the date of the move into it (``projects/stages.py``). ``until`` is
    the date of the project's next move (set by that move, the row's only change): the row says where the project
    stood from ``on`` to ``until``, so its stage on any day is one indexed read for 10,000 projects."""

    class Kind(models.TextChoices):
        ADVANCE = "advance", _("Advance")
        PAUSE = "pause", _("Pause")
        RESUME = "resume", _("Resume")
        TERMINATE = "terminate", _("Terminate")

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="stage_events"
    )
    kind = models.CharField(_("kind of move"), max_length=16, choices=Kind.choices)
    from_stage = models.CharField(_("from stage"), max_length=16, choices=Project.Stage.choices)
    to_stage = models.CharField(_("to stage"), max_length=16, choices=Project.Stage.choices)
    on = models.DateField(_("on"))
    until = models.DateField(
        _("until"), null=True, blank=True, help_text=_("The date of the project's next move; empty on its latest.")
    )
    reason = models.TextField(_("reason"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ProjectRowQuerySet.as_manager()

    class Meta:
        ordering = ["on", "pk"]
        verbose_name = _("stage move")
        verbose_name_plural = _("stage moves")
        indexes = [
            # The stats read "the projects that entered stage S in year Y" (landed, the funnel) …
            models.Index(fields=["to_stage", "on"], name="projects_move_stage_on"),
            # … and a project's own moves (its page, its stage dates, its latest move).
            models.Index(fields=["project", "on"], name="projects_move_project_on"),
            # … and where each project stands now (the board: the row without an ``until``).
            models.Index(fields=["project"], condition=models.Q(until__isnull=True), name="projects_move_current"),
        ]
        constraints = [
            # A stage is entered forward once (no move goes back): its date is that move's.
            models.UniqueConstraint(
                fields=["project", "to_stage"],
                condition=models.Q(kind="advance"),
                name="projects_move_advance_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.project}: {self.get_from_stage_display()} → {self.get_to_stage_display()} ({self.on})"


# --- Links to the zone's land, the registry and the approval centre (issue 14, items 10-11) ---------------------------


class ProjectLinkQuerySet(ScopedQuerySet):
    """A project's parcels are read with the project: who may see the project sees where it is placed."""

    def scope_admin(self, user):
        return self.all()

    scope_leader = scope_officer = scope_admin

    def scope_enterprise(self, user):
        return self.filter(project__in=Project.objects.for_user(user))

    scope_expert = scope_enterprise  # the projects of the panels he sits on


class ProjectParcel(models.Model):
    """A project placed on a parcel (freed land on offer, zone.Parcel.objects.freed()): one project per parcel."""

    project = models.ForeignKey(
        Project, verbose_name=_("investment project"), on_delete=models.CASCADE, related_name="parcel_links"
    )
    parcel = models.OneToOneField(
        "zone.Parcel", verbose_name=_("parcel"), on_delete=models.PROTECT, related_name="project_link"
    )
    placed_on = models.DateField(_("placed on"))
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("placed by"), on_delete=models.PROTECT, related_name="+"
    )

    objects = ProjectLinkQuerySet.as_manager()

    class Meta:
        ordering = ["parcel__code"]
        verbose_name = _("project's parcel")
        verbose_name_plural = _("projects' parcels")

    def __str__(self) -> str:
        return f"{self.project} @ {self.parcel}"


class ProjectEnterprise(models.Model):
    """投产: the registry enterprise a project became (created from its investor) or was linked to."""

    project = models.OneToOneField(
        Project, verbose_name=_("investment project"), on_delete=models.CASCADE, related_name="enterprise_link"
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="+"
    )
    created_enterprise = models.BooleanField(
        _("enterprise created from the project"), default=False, help_text=_("Off: an existing enterprise was linked.")
    )
    linked_on = models.DateField(_("linked on"))
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("linked by"), on_delete=models.PROTECT, related_name="+"
    )

    objects = ProjectLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-linked_on", "-pk"]
        verbose_name = _("project's enterprise")
        verbose_name_plural = _("projects' enterprises")

    def __str__(self) -> str:
        return f"{self.project} → {self.enterprise}"
