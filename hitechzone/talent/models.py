"""M6: innovation and talent (创新驱动、招才引智) — innovation platforms, off-site incubators and the enterprises
that moved from them into the zone, talents (with their ID numbers kept masked), the entrepreneurship park's team
applications and their workflow, the innovation fund with its grants and instalments, and partner institutions.

Who sees what (docs/0012-talent-office.md): administrators, leaders and the talent office (department staff of a
department listed in :class:`TalentOffice`) see every record; the zone's other staff (other departments, service
officers) read the public records (platforms, incubators, partners); an enterprise user its own team applications
and grants, the open funds, and the incubators it came from; experts the team applications and grants whose panels
they sit on (docs/0013).

Writes go through ``services``; reads through ``Model.objects.for_user(user)``.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hitechzone.common.scoping import ScopedQuerySet
from hitechzone.enterprises.models import FIRST_YEAR, LAST_YEAR, officer_enterprise_ids

from .idnumber import mask_id_number, mask_phone

ZERO = Decimal(0)
YEAR_VALIDATORS = [MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]
MONEY = {"max_digits": 14, "decimal_places": 2, "validators": [MinValueValidator(ZERO)]}


def _office(user) -> bool:
    from .roles import is_talent_office

    return is_talent_office(user)


class Level(models.TextChoices):
    """A platform's or a talent programme's level."""

    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    CITY = "city", _("City")


class Degree(models.TextChoices):
    PHD = "phd", _("PhD")
    MASTER = "master", _("Master's")
    BACHELOR = "bachelor", _("Bachelor's")
    OTHER = "other", _("Other")


# --- The talent office ----------------------------------------------------------------------------------------------


class TalentOfficeQuerySet(ScopedQuerySet):
    def scope_admin(self, user):
        return self.all()

    scope_leader = scope_admin


class TalentOffice(models.Model):
    """A department whose staff are the talent office (人才办): they keep M6's records and hold the reveal right."""

    department = models.OneToOneField(
        "zone.Department", verbose_name=_("department"), on_delete=models.PROTECT, related_name="talent_office"
    )
    since = models.DateField(_("since"), default=timezone.localdate)

    objects = TalentOfficeQuerySet.as_manager()

    class Meta:
        verbose_name = _("talent office")
        verbose_name_plural = _("talent offices")

    def __str__(self) -> str:
        return str(self.department)


# --- Platforms and incubators ---------------------------------------------------------------------------------------


class PublicQuerySet(ScopedQuerySet):
    """The zone's public records: its staff and officers read them all."""

    def scope_admin(self, user):
        return self.all()

    scope_leader = scope_dept = scope_officer = scope_admin


class Platform(models.Model):
    """An innovation platform (创新平台) in the zone."""

    class Kind(models.TextChoices):
        ENGINEERING_CENTRE = "engineering_centre", _("National engineering research centre")
        SCIENCE_CITY = "science_city", _("University science city")
        DESIGN_PARK = "design_park", _("Industrial design park")
        INSTITUTE = "institute", _("Research institute")
        POSTDOC = "postdoc", _("Post-doctoral workstation")
        ACADEMICIAN = "academician", _("Academician expert workstation")
        OVERSEAS_BASE = "overseas_base", _("Overseas high-level talent base")
        ENTREPRENEURSHIP_PARK = "entrepreneurship_park", _("Talent entrepreneurship park")
        TRANSFER_CENTRE = "transfer_centre", _("Technology-transfer centre")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ACTIVE = "active", _("Active")
        CLOSED = "closed", _("Closed")

    name = models.CharField(_("name"), max_length=128, unique=True)
    kind = models.CharField(_("type"), max_length=24, choices=Kind.choices)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    host = models.CharField(_("host organisation"), max_length=128, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE)

    objects = PublicQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("innovation platform")
        verbose_name_plural = _("innovation platforms")

    def __str__(self) -> str:
        return self.name


class IncubatorQuerySet(PublicQuerySet):
    def scope_enterprise(self, user):
        """The incubators its enterprise came from."""
        if not user.enterprise_id:
            return self.none()
        return self.filter(
            pk__in=IncubatorEnterprise.objects.filter(enterprise_id=user.enterprise_id).values("incubator")
        )


class Incubator(models.Model):
    """An off-site incubator (飞地孵化器): research elsewhere, production in the zone."""

    name = models.CharField(_("name"), max_length=128, unique=True)
    city = models.CharField(_("city"), max_length=32)
    location = models.CharField(_("location"), max_length=128, help_text=_("e.g. a pharma valley, a sci-tech city"))
    floor_area_m2 = models.DecimalField(_("floor area (m²)"), **MONEY)
    investment_wan_yuan = models.DecimalField(_("investment (10k yuan)"), **MONEY)
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    teams_incubated = models.PositiveIntegerField(_("teams incubated there"), default=0)

    objects = IncubatorQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("off-site incubator")
        verbose_name_plural = _("off-site incubators")

    def __str__(self) -> str:
        return self.name


class IncubatorEnterpriseQuerySet(ScopedQuerySet):
    def scope_admin(self, user):
        return self.all()

    scope_leader = scope_dept = scope_admin

    def scope_officer(self, user):
        return self.filter(enterprise__in=officer_enterprise_ids(user))

    def scope_enterprise(self, user):
        return self.filter(enterprise_id=user.enterprise_id) if user.enterprise_id else self.none()


class IncubatorEnterprise(models.Model):
    """An enterprise that moved from an off-site incubator into the zone (shown on both sides)."""

    incubator = models.ForeignKey(
        Incubator, verbose_name=_("incubator"), on_delete=models.PROTECT, related_name="enterprise_links"
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="incubator_links"
    )
    moved_on = models.DateField(_("moved into the zone on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = IncubatorEnterpriseQuerySet.as_manager()

    class Meta:
        ordering = ["incubator", "enterprise"]
        verbose_name = _("enterprise from an incubator")
        verbose_name_plural = _("enterprises from incubators")
        constraints = [models.UniqueConstraint(fields=["incubator", "enterprise"], name="talent_incubator_enterprise")]

    def __str__(self) -> str:
        return f"{self.incubator} → {self.enterprise}"


# --- Talents --------------------------------------------------------------------------------------------------------


class StaffQuerySet(ScopedQuerySet):
    """The module's own records: administrators, leaders and the talent office."""

    def scope_admin(self, user):
        return self.all()

    scope_leader = scope_admin

    def scope_dept(self, user):
        return self.all() if _office(user) else self.none()


class Talent(models.Model):
    """A talent in the zone: only what the programmes need. The ID number is optional, checked (GB 11643) by the
    service and shown masked everywhere (``id_number_masked``) but through the audited reveal."""

    name = models.CharField(_("name"), max_length=64)
    programme = models.CharField(_("programme"), max_length=64, blank=True, help_text=_("e.g. 省千人计划"))
    level = models.CharField(_("programme level"), max_length=16, choices=Level.choices, blank=True)
    academician = models.BooleanField(_("academician"), default=False)
    degree = models.CharField(_("degree"), max_length=16, choices=Degree.choices, blank=True)
    field = models.CharField(_("field"), max_length=64, blank=True)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("employer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="talents",
    )
    platform = models.ForeignKey(
        Platform, verbose_name=_("platform"), on_delete=models.PROTECT, null=True, blank=True, related_name="talents"
    )
    team = models.CharField(_("team"), max_length=128, blank=True)
    id_number = models.CharField(_("ID number"), max_length=18, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)

    objects = StaffQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("talent")
        verbose_name_plural = _("talents")
        indexes = [models.Index(fields=["level"], name="talent_level")]

    def __str__(self) -> str:
        return self.name

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)


class Disclosure(models.Model):
    """Who saw a talent's ID number unmasked, when, and how (the reveal action or an unmasked export). Written by
    ``services`` only, and audited as a creation."""

    class How(models.TextChoices):
        REVEAL = "reveal", _("Revealed on request")
        EXPORT = "export", _("Unmasked export")

    talent = models.ForeignKey(Talent, verbose_name=_("talent"), on_delete=models.CASCADE, related_name="disclosures")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("who"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    how = models.CharField(_("how"), max_length=8, choices=How.choices)

    objects = StaffQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("ID number disclosure")
        verbose_name_plural = _("ID number disclosures")

    def __str__(self) -> str:
        return f"{self.talent} · {self.user} · {self.get_how_display()}"


# --- The innovation fund --------------------------------------------------------------------------------------------


class FundQuerySet(StaffQuerySet):
    def scope_enterprise(self, user):
        """The funds it may apply to (open) and those it holds a grant of."""
        if not user.enterprise_id:
            return self.none()
        return self.filter(
            models.Q(status=Fund.Status.OPEN) | models.Q(grants__recipient_enterprise_id=user.enterprise_id)
        ).distinct()


class Fund(models.Model):
    """The innovation fund of a year (创新基金): its budget is never overdrawn by the grants approved."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open for applications")
        CLOSED = "closed", _("Closed")

    name = models.CharField(_("name"), max_length=128)
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    budget_wan_yuan = models.DecimalField(_("budget (10k yuan)"), **MONEY)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)

    objects = FundQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "name"]
        verbose_name = _("innovation fund")
        verbose_name_plural = _("innovation funds")
        constraints = [models.UniqueConstraint(fields=["year", "name"], name="talent_fund_year_name")]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"


class GrantQuerySet(StaffQuerySet):
    def scope_expert(self, user):
        """The applications of the panels he sits on (docs/0013; not once he declined)."""
        return self.filter(panel__members__expert__user=user, panel__members__status="sitting")

    def scope_enterprise(self, user):
        return self.filter(recipient_enterprise_id=user.enterprise_id) if user.enterprise_id else self.none()


class Grant(models.Model):
    """An application for, then a grant of, money from a fund to an enterprise."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    fund = models.ForeignKey(Fund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="grants")
    recipient_enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("recipient"), on_delete=models.PROTECT, related_name="talent_grants"
    )
    amount_wan_yuan = models.DecimalField(
        _("amount (10k yuan)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    purpose = models.CharField(_("purpose"), max_length=200)
    call = models.ForeignKey(
        "talent.FundCall",
        verbose_name=_("call"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="grants",
        help_text=_("The fund's call applied under (open on the day of the application)"),
    )
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.APPLIED)
    applied_on = models.DateField(_("applied on"), default=timezone.localdate)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    objects = GrantQuerySet.as_manager()

    class Meta:
        ordering = ["-applied_on", "-pk"]
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        indexes = [models.Index(fields=["fund", "status"], name="talent_grant_fund_status")]

    def __str__(self) -> str:
        return f"{self.fund} → {self.recipient_enterprise}"


class InstalmentQuerySet(StaffQuerySet):
    def scope_enterprise(self, user):
        return self.filter(grant__recipient_enterprise_id=user.enterprise_id) if user.enterprise_id else self.none()


class Instalment(models.Model):
    """A payment of an approved grant against a milestone."""

    grant = models.ForeignKey(Grant, verbose_name=_("grant"), on_delete=models.PROTECT, related_name="instalments")
    milestone = models.CharField(_("milestone"), max_length=200)
    amount_wan_yuan = models.DecimalField(
        _("amount (10k yuan)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    paid_on = models.DateField(_("paid on"))

    objects = InstalmentQuerySet.as_manager()

    class Meta:
        ordering = ["paid_on", "pk"]
        verbose_name = _("instalment")
        verbose_name_plural = _("instalments")

    def __str__(self) -> str:
        return f"{self.grant} · {self.milestone}"


# --- Team applications ----------------------------------------------------------------------------------------------


class TeamApplicationQuerySet(StaffQuerySet):
    def scope_expert(self, user):
        """The applications of the panels he sits on (docs/0013; not once he declined)."""
        return self.filter(panel__members__expert__user=user, panel__members__status="sitting")

    def scope_enterprise(self, user):
        """The applications its users submitted, and those whose team is (or joined) the enterprise."""
        if not user.enterprise_id:
            return self.none()
        return self.filter(
            models.Q(enterprise_id=user.enterprise_id) | models.Q(submitted_by__enterprise_id=user.enterprise_id)
        )


class TeamApplication(models.Model):
    """A team's application to the entrepreneurship park (创业园), and where its workflow stands (``workflow``)."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        SENT_BACK = "sent_back", _("Sent back for missing items")
        REVIEW = "review", _("Under review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        AGREEMENT = "agreement", _("Agreement signed")
        INCUBATING = "incubating", _("Incubating")
        GRADUATED = "graduated", _("Graduated")
        LEFT = "left", _("Left")

    team_name = models.CharField(_("team"), max_length=128)
    leader_name = models.CharField(_("team leader"), max_length=64)
    project = models.CharField(_("project"), max_length=200)
    field = models.CharField(_("field"), max_length=64, blank=True)
    registered_capital_wan_yuan = models.DecimalField(_("proposed registered capital (10k yuan)"), **MONEY)
    planned_investment_wan_yuan = models.DecimalField(_("planned total investment (10k yuan)"), **MONEY)
    needs_space = models.BooleanField(_("asks for space"), default=False)
    needs_funds = models.BooleanField(_("asks for funds"), default=False)
    needs_housing = models.BooleanField(_("asks for housing"), default=False)
    support_note = models.CharField(_("support asked"), max_length=200, blank=True)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="team_applications",
        help_text=_("The enterprise the team set up or joined"),
    )
    incubator = models.ForeignKey(
        Incubator,
        verbose_name=_("off-site incubator"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="teams",
        help_text=_("The off-site incubator the team is incubated at, if any."),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_on = models.DateField(_("submitted on"), default=timezone.localdate)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    missing_items = models.TextField(_("missing items"), blank=True)
    reason = models.TextField(_("reasons"), blank=True)

    objects = TeamApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_on", "-pk"]
        verbose_name = _("team application")
        verbose_name_plural = _("team applications")
        indexes = [models.Index(fields=["submitted_on"], name="talent_team_submitted")]

    def __str__(self) -> str:
        return self.team_name

    @property
    def sent_back_before(self) -> bool:
        """Whether the formal check has sent it back already (it may do so once)."""
        return any(step.action == "send_back" for step in self.steps.all())


class TeamMemberQuerySet(ScopedQuerySet):
    def for_user(self, user):
        return self.filter(application__in=TeamApplication.objects.for_user(user))


class TeamMember(models.Model):
    application = models.ForeignKey(
        TeamApplication, verbose_name=_("team application"), on_delete=models.CASCADE, related_name="members"
    )
    name = models.CharField(_("name"), max_length=64)
    degree = models.CharField(_("degree"), max_length=16, choices=Degree.choices, blank=True)
    programme = models.CharField(_("programme title"), max_length=64, blank=True)
    programme_level = models.CharField(_("programme level"), max_length=16, choices=Level.choices, blank=True)

    objects = TeamMemberQuerySet.as_manager()

    class Meta:
        ordering = ["application", "pk"]
        verbose_name = _("team member")
        verbose_name_plural = _("team members")

    def __str__(self) -> str:
        return self.name


class TeamStepQuerySet(ScopedQuerySet):
    def for_user(self, user):
        return self.filter(application__in=TeamApplication.objects.for_user(user))


class TeamStep(models.Model):
    """One step of a team application's workflow: dated, by whom, from which state to which, with its note."""

    application = models.ForeignKey(
        TeamApplication, verbose_name=_("team application"), on_delete=models.CASCADE, related_name="steps"
    )
    action = models.CharField(_("action"), max_length=16)
    from_status = models.CharField(_("from"), max_length=12, choices=TeamApplication.Status.choices)
    to_status = models.CharField(_("to"), max_length=12, choices=TeamApplication.Status.choices)
    on = models.DateField(_("on"), default=timezone.localdate)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("note"), blank=True)

    objects = TeamStepQuerySet.as_manager()

    class Meta:
        ordering = ["application", "on", "pk"]
        verbose_name = _("team application step")
        verbose_name_plural = _("team application steps")

    def __str__(self) -> str:
        return f"{self.application} · {self.action}"


# --- Partnerships ---------------------------------------------------------------------------------------------------


class Partner(models.Model):
    """A partner university or institute, with its cooperation agreement."""

    class Kind(models.TextChoices):
        UNIVERSITY = "university", _("University")
        INSTITUTE = "institute", _("Research institute")

    name = models.CharField(_("name"), max_length=128, unique=True)
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    city = models.CharField(_("city"), max_length=32, blank=True)
    agreement_signed_on = models.DateField(_("agreement signed on"))
    agreement_ends_on = models.DateField(_("agreement ends on"), null=True, blank=True)
    scope = models.CharField(_("scope of the agreement"), max_length=200, blank=True)

    objects = PublicQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner institution")
        verbose_name_plural = _("partner institutions")

    def __str__(self) -> str:
        return self.name


from .models_finance import *  # noqa: E402, F403  (technology finance, partnerships, fund calls: their own module)

# The investment projects that moved from an off-site incubator (issue 15, point 2): their own file.
from .models_links import IncubatorProject  # noqa: E402, F401

# The review panels (docs/0013) live in their own file; imported here so that Django finds them.
from .models_review import (  # noqa: E402, F401
    GrantPanel,
    GrantPanelMember,
    GrantScore,
    TeamPanel,
    TeamPanelMember,
    TeamScore,
)
