"""M1: service officers (店小二): visits, problems and their loop.

Who serves which enterprise (``Assignment``) is registry data of M0 (``hitechzone.enterprises``): every module
scopes an officer by it (docs/0007-officer-scope.md).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hitechzone.common.choices import Rating
from hitechzone.common.scoping import ScopedQuerySet
from hitechzone.enterprises.models import officer_enterprise_ids


class VisitQuerySet(ScopedQuerySet):
    def scope_admin(self, user):
        return self.all()

    scope_leader = scope_admin

    def scope_officer(self, user):
        return self.filter(officer=user)

    def scope_enterprise(self, user):
        return self.filter(enterprise_id=user.enterprise_id) if user.enterprise_id else self.none()


class Visit(models.Model):
    """An officer's visit to one of their enterprises (the monthly rule: at least one a calendar month)."""

    class Form(models.TextChoices):
        ON_SITE = "on_site", _("On site")
        PHONE = "phone", _("By phone")
        ONLINE = "online", _("Online")

    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("officer"), on_delete=models.PROTECT, related_name="visits"
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="visits"
    )
    visited_on = models.DateField(_("visited on"))
    form = models.CharField(_("form"), max_length=8, choices=Form.choices, default=Form.ON_SITE)
    people_met = models.CharField(_("people met"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    objects = VisitQuerySet.as_manager()

    class Meta:
        ordering = ["-visited_on", "-id"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        indexes = [
            models.Index(fields=["enterprise", "officer", "visited_on"], name="visit_enterprise_officer_on"),
            models.Index(fields=["officer", "visited_on"], name="visit_officer_on"),
            models.Index(fields=["visited_on"], name="visit_on"),
        ]

    def __str__(self) -> str:
        return f"{self.visited_on} {self.officer} → {self.enterprise}"


class Category(models.TextChoices):
    LABOUR = "labour", _("Labour (用工)")
    LAND = "land", _("Land (用地)")
    TECHNOLOGY = "technology", _("Technical problem (技术难题)")
    LIVING = "living", _("Staff living facilities (员工生活配套)")
    TRANSPORT = "transport", _("Public transport (公共交通)")
    APPROVAL = "approval", _("Approval (审批)")
    FINANCE = "finance", _("Financing (融资)")
    POLICY = "policy", _("Policy advice (政策咨询)")
    OTHER = "other", _("Other (其他)")


# Working days a department has, by default, from hand-over to reply (the officer may set another date).
DEFAULT_DUE_WORKING_DAYS = {
    Category.LABOUR: 10,
    Category.LAND: 20,
    Category.TECHNOLOGY: 15,
    Category.LIVING: 15,
    Category.TRANSPORT: 15,
    Category.APPROVAL: 10,
    Category.FINANCE: 10,
    Category.POLICY: 5,
    Category.OTHER: 10,
}


# The six service targets (六最) a rating may also score, 1–5 each.
SERVICE_TARGETS = {
    "attitude": _("Attitude (态度最诚)"),
    "path": _("Path (路径最优)"),
    "timeliness": _("Timeliness (时效最快)"),
    "credit": _("Credit (信用最佳)"),
    "cost": _("Cost (成本最低)"),
    "style": _("Style (作风最硬)"),
}


class ProblemQuerySet(ScopedQuerySet):
    def scope_admin(self, user):
        return self.all()

    scope_leader = scope_admin

    def scope_officer(self, user):
        return self.filter(models.Q(officer=user) | models.Q(enterprise__in=officer_enterprise_ids(user)))

    def scope_dept(self, user):
        return self.filter(department_id=user.department_id) if user.department_id else self.none()

    def scope_enterprise(self, user):
        return self.filter(enterprise_id=user.enterprise_id) if user.enterprise_id else self.none()

    def open(self):
        return self.exclude(status=Problem.Status.CLOSED)

    def overdue(self, today=None):
        today = today or timezone.localdate()
        return self.filter(status__in=Problem.WAITING_ON_HANDLER, due_on__lt=today)


class Problem(models.Model):
    """A problem (诉求) raised by an enterprise or found by its officer, and its closed loop."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("Accepted by the officer")
        HANDED_OVER = "handed_over", _("Handed over to a department")
        REPLIED = "replied", _("Solved, waiting for the rating")
        CLOSED = "closed", _("Closed")

    class Origin(models.TextChoices):
        ENTERPRISE = "enterprise", _("Raised by the enterprise")
        OFFICER = "officer", _("Found by the officer")

    WAITING_ON_HANDLER = (Status.ACCEPTED, Status.HANDED_OVER)

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="problems"
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="problems",
    )
    origin = models.CharField(_("origin"), max_length=12, choices=Origin.choices)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("raised by"), on_delete=models.PROTECT, related_name="+"
    )
    visit = models.ForeignKey(
        Visit, verbose_name=_("visit"), on_delete=models.SET_NULL, null=True, blank=True, related_name="problems"
    )
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    department = models.ForeignKey(
        "zone.Department",
        verbose_name=_("responsible department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="problems",
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    solved_directly = models.BooleanField(_("solved by the officer"), default=False)
    solution = models.TextField(_("solution"), blank=True)
    rating = models.PositiveSmallIntegerField(_("rating"), choices=Rating.choices, null=True, blank=True)
    target_scores = models.JSONField(_("service target scores"), default=dict, blank=True)
    rating_comment = models.TextField(_("rating comment"), blank=True)
    reopened_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    created_at = models.DateTimeField(_("raised at"), default=timezone.now)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    handed_over_at = models.DateTimeField(_("handed over at"), null=True, blank=True)
    solved_at = models.DateTimeField(_("solved at"), null=True, blank=True)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = ProblemQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("problem")
        verbose_name_plural = _("problems")
        indexes = [
            models.Index(fields=["status", "due_on"], name="problem_status_due"),
            models.Index(fields=["department", "status"], name="problem_department_status"),
            models.Index(fields=["officer", "status"], name="problem_officer_status"),
            models.Index(fields=["enterprise", "-created_at"], name="problem_enterprise_created"),
            models.Index(fields=["created_at"], name="problem_created"),
            models.Index(fields=["solved_at"], name="problem_solved"),
            models.Index(fields=["handed_over_at"], name="problem_handed_over"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        return self.status in self.WAITING_ON_HANDLER and self.due_on is not None and self.due_on < timezone.localdate()


class ProblemStep(models.Model):
    """One step of a problem's loop: who did what, when, and the note they left."""

    problem = models.ForeignKey(Problem, verbose_name=_("problem"), on_delete=models.CASCADE, related_name="steps")
    at = models.DateTimeField(_("when"), default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("who"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=16)
    from_status = models.CharField(_("from"), max_length=12, blank=True)
    to_status = models.CharField(_("to"), max_length=12)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("problem step")
        verbose_name_plural = _("problem steps")

    def __str__(self) -> str:
        return f"{self.problem_id} {self.action}"


class VisitMonthQuerySet(ScopedQuerySet):
    """Scoped as the visits it counts (``VisitQuerySet``): an officer's or enterprise's figures filter the same rows."""

    def scope_admin(self, user):
        return self.all()

    scope_leader = scope_admin

    def scope_officer(self, user):
        return self.filter(officer=user)

    def scope_enterprise(self, user):
        return self.filter(enterprise_id=user.enterprise_id) if user.enterprise_id else self.none()


class VisitMonth(models.Model):
    """The visits of one officer to one enterprise in one calendar month (docs/0014-summaries.md).

    Kept current in the transaction that writes a visit (``summaries.py``); a cell without visits has no row.
    ``last_on`` (the month's latest visit) answers the monthly rule exactly: an assignment that starts mid-month is
    visited when ``last_on`` is on or after its start.
    """

    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("month"))  # its first day
    visits = models.PositiveIntegerField(_("visits"))
    last_on = models.DateField(_("latest visit"))

    objects = VisitMonthQuerySet.as_manager()

    class Meta:
        verbose_name = _("visits of a month")
        verbose_name_plural = _("visits of a month")
        constraints = [
            models.UniqueConstraint(fields=["officer", "enterprise", "month"], name="visitmonth_officer_enterprise")
        ]
        indexes = [
            models.Index(fields=["month", "officer"], name="visitmonth_month_officer"),
            models.Index(fields=["enterprise", "month"], name="visitmonth_enterprise_month"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.officer_id} → {self.enterprise_id}: {self.visits}"


class ProblemMonthQuerySet(ScopedQuerySet):
    """Scoped as the problems it counts (``ProblemQuerySet``): every role's figures filter the same rows."""

    def scope_admin(self, user):
        return self.all()

    scope_leader = scope_admin

    def scope_officer(self, user):
        return self.filter(models.Q(officer_key=user.pk) | models.Q(enterprise__in=officer_enterprise_ids(user)))

    def scope_dept(self, user):
        return self.filter(department_key=user.department_id) if user.department_id else self.none()

    def scope_enterprise(self, user):
        return self.filter(enterprise_id=user.enterprise_id) if user.enterprise_id else self.none()


class ProblemMonth(models.Model):
    """What the problems of one enterprise, officer, department, category, status and rating did in one month
    (docs/0014-summaries.md): raised (and of those, reopened since), handed over, solved (directly), rated, and
    the six service-target scores' sums and counts. A problem counts in the month of each of its moments
    (``created_at``, ``handed_over_at``, ``solved_at``, ``rated_at``, in the zone's time zone) under its current
    key; kept current in the transaction that saves it (``summaries.py``).

    The officer, department and rating are plain numbers, 0 for none (a unique key with NULLs would not be one).
    """

    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.CASCADE, related_name="+")
    officer_key = models.IntegerField()  # the officer's id, 0 for none
    department_key = models.IntegerField()  # the department's id, 0 for none
    category = models.CharField(max_length=12)
    status = models.CharField(max_length=12)
    rating = models.PositiveSmallIntegerField()  # 0 for none
    month = models.DateField()  # its first day
    raised = models.IntegerField(default=0)
    reopened = models.IntegerField(default=0)  # raised this month and reopened since
    handed_over = models.IntegerField(default=0)
    solved = models.IntegerField(default=0)
    solved_directly = models.IntegerField(default=0)
    rated = models.IntegerField(default=0)
    attitude_sum = models.IntegerField(default=0)
    attitude_n = models.IntegerField(default=0)
    path_sum = models.IntegerField(default=0)
    path_n = models.IntegerField(default=0)
    timeliness_sum = models.IntegerField(default=0)
    timeliness_n = models.IntegerField(default=0)
    credit_sum = models.IntegerField(default=0)
    credit_n = models.IntegerField(default=0)
    cost_sum = models.IntegerField(default=0)
    cost_n = models.IntegerField(default=0)
    style_sum = models.IntegerField(default=0)
    style_n = models.IntegerField(default=0)

    objects = ProblemMonthQuerySet.as_manager()

    KEY = ("enterprise_id", "officer_key", "department_key", "category", "status", "rating", "month")
    COUNTS = (
        "raised",
        "reopened",
        "handed_over",
        "solved",
        "solved_directly",
        "rated",
        *(f"{k}_{x}" for k in SERVICE_TARGETS for x in ("sum", "n")),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "officer_key", "department_key", "category", "status", "rating", "month"],
                name="problemmonth_key",
            )
        ]
        indexes = [
            models.Index(fields=["month"], name="problemmonth_month"),
            models.Index(fields=["department_key", "month"], name="problemmonth_department_month"),
            models.Index(fields=["officer_key", "month"], name="problemmonth_officer_month"),
            models.Index(fields=["status"], name="problemmonth_status"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.enterprise_id} {self.category} {self.status}"
