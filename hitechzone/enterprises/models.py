"""M0: enterprises, their contacts and yearly indicators; the industry code table and industry chains."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connections, models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hitechzone.common.scoping import ReferenceQuerySet, ScopedQuerySet

from .uscc import normalise, validate_uscc

ZERO = Decimal(0)
FIRST_YEAR = 1949
LAST_YEAR = 2100


class Industry(models.Model):
    """A code of GB/T 4754-2017 国民经济行业分类: 门类 (section), 大类, 中类, 小类."""

    class Level(models.TextChoices):
        SECTION = "section", _("Section (门类)")
        DIVISION = "division", _("Division (大类)")
        GROUP = "group", _("Group (中类)")
        CLASS = "class", _("Class (小类)")

    code = models.CharField(_("code"), max_length=4, primary_key=True)
    level = models.CharField(_("level"), max_length=8, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    name_zh = models.CharField(_("Chinese name"), max_length=128)
    name_en = models.CharField(_("English name"), max_length=160, blank=True)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("industry (GB/T 4754-2017)")
        verbose_name_plural = _("industries (GB/T 4754-2017)")

    def __str__(self) -> str:
        return f"{self.code} {self.name_zh}"

    @property
    def section_code(self) -> str:
        return self.code if self.level == self.Level.SECTION else ""


class IndustryChain(models.Model):
    """An industry chain the zone builds (氟化工, 有机硅, 无机硅 …)."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=32, unique=True)
    name_en = models.CharField(_("English name"), max_length=64, blank=True)
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("industry chain")
        verbose_name_plural = _("industry chains")

    def __str__(self) -> str:
        return self.name


def officer_enterprise_ids(user, *, on=None):
    """The enterprises a service officer serves today (or on the day ``on``), as a subquery: the one officer scope
    every module uses."""
    return Assignment.objects.active(on).filter(officer=user).values("enterprise")


def officer_enterprise_id_list(user, *, on=None) -> list[int]:
    """The same, as a list of ids (for queries that plan better with constants than with a subquery)."""
    return [row["enterprise"] for row in officer_enterprise_ids(user, on=on)]


def officer_serves(user, enterprise_id, *, on=None) -> bool:
    """Whether the officer serves that enterprise today (or on the day ``on``)."""
    return officer_enterprise_ids(user, on=on).filter(enterprise_id=enterprise_id).exists()


class EnterpriseQuerySet(ScopedQuerySet):
    def scope_admin(self, user):
        return self.all()

    # Department staff read the registry: identifying an applicant is part of every department's work.
    scope_leader = scope_dept = scope_admin

    def scope_officer(self, user):
        return self.filter(pk__in=officer_enterprise_ids(user))

    def scope_enterprise(self, user):
        return self.filter(pk=user.enterprise_id) if user.enterprise_id else self.none()

    def search(self, q: str):
        q = (q or "").strip()
        if not q:
            return self
        code = normalise(q)
        if len(code) == 18:
            return self.filter(uscc=code)
        name = models.Q(name__icontains=q)
        if len(q) == 2 and connections[self.db].vendor == "postgresql":
            # Two characters have no trigram: the bigram index finds them (migration 0008), icontains decides. From
            # three on, the trigram index of 0004 serves icontains itself, and better for a common fragment.
            name &= models.Q(name__bigrams=q)
        return self.filter(name | models.Q(uscc__startswith=code))


class NameBigrams(models.Lookup):
    """``name__bigrams="衡图"``: every two-character substring of the fragment is one of the name's, both upper-cased
    — what the GIN index of migration 0008 answers (PostgreSQL only). Necessary, not sufficient, for the fragment to
    be in the name: :meth:`EnterpriseQuerySet.search` puts it beside ``icontains``."""

    lookup_name = "bigrams"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"hz_bigrams(UPPER({lhs})) @> hz_bigrams(UPPER({rhs}))", [*lhs_params, *rhs_params]


class Enterprise(models.Model):
    class Size(models.TextChoices):
        LARGE = "large", _("Large")
        MEDIUM = "medium", _("Medium")
        SMALL = "small", _("Small")
        MICRO = "micro", _("Micro")

    class Status(models.TextChoices):
        OPERATING = "operating", _("Operating")
        UNDER_CONSTRUCTION = "construction", _("Under construction")
        SUSPENDED = "suspended", _("Suspended")
        EXITED = "exited", _("Exited")

    uscc = models.CharField(_("unified social credit code"), max_length=18, unique=True, validators=[validate_uscc])
    name = models.CharField(_("name"), max_length=128)
    legal_representative = models.CharField(_("legal representative"), max_length=64, blank=True)
    industry = models.ForeignKey(
        Industry, verbose_name=_("industry"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    chains = models.ManyToManyField(
        IndustryChain, verbose_name=_("industry chains"), blank=True, related_name="enterprises"
    )
    brand = models.ForeignKey(
        "zone.Brand", verbose_name=_("brand"), on_delete=models.PROTECT, related_name="enterprises"
    )
    block = models.ForeignKey(
        "zone.Block", verbose_name=_("block"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    functional_area = models.ForeignKey(
        "zone.FunctionalArea",
        verbose_name=_("functional area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enterprises",
    )
    is_industrial = models.BooleanField(_("industrial enterprise"), default=True)
    is_above_scale = models.BooleanField(_("above designated size (规上)"), default=False)
    size = models.CharField(_("size"), max_length=8, choices=Size.choices, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPERATING)
    established_on = models.DateField(_("established on"), null=True, blank=True)
    registered_capital_wan_yuan = models.DecimalField(
        _("registered capital (10k yuan)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(ZERO)],
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = EnterpriseQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        indexes = [
            # The registry's order: a deep page reads its ids from this index alone (common/paging.py).
            models.Index(fields=["name", "id"], name="enterprise_name_id"),
            models.Index(fields=["brand", "name"], name="enterprise_brand_name"),
            models.Index(fields=["functional_area", "name"], name="enterprise_area_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.uscc = normalise(self.uscc)
        super().save(*args, **kwargs)


Enterprise._meta.get_field("name").register_lookup(NameBigrams)


class ContactQuerySet(ScopedQuerySet):
    def scope_admin(self, user):
        return self.all()

    scope_leader = scope_admin

    def scope_officer(self, user):
        return self.filter(enterprise__in=officer_enterprise_ids(user))

    def scope_enterprise(self, user):
        return self.filter(enterprise_id=user.enterprise_id) if user.enterprise_id else self.none()


class Contact(models.Model):
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=64)
    title = models.CharField(_("title"), max_length=64, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("email"), blank=True)
    is_primary = models.BooleanField(_("primary contact"), default=False)

    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["enterprise", "-is_primary", "name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return f"{self.name} ({self.enterprise})"


class IndicatorQuerySet(ContactQuerySet):
    """Yearly figures are confidential: the enterprise, its officer, leaders and administrators."""


def _money(verbose: str):
    return models.DecimalField(
        verbose, max_digits=16, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(ZERO)]
    )


def _quantity(verbose: str, places: int = 3):
    return models.DecimalField(
        verbose, max_digits=16, decimal_places=places, null=True, blank=True, validators=[MinValueValidator(ZERO)]
    )


class EnterpriseIndicator(models.Model):
    """One enterprise's figures for one year (the inputs of the 亩均 evaluation and the cockpit)."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="indicators"
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]
    )
    is_above_scale = models.BooleanField(_("above designated size (规上)"), default=False)
    land_mu = _quantity(_("land used (mu)"), places=4)
    gross_output_wan_yuan = _money(_("gross industrial output (10k yuan)"))
    revenue_wan_yuan = _money(_("revenue (10k yuan)"))
    tax_wan_yuan = _money(_("tax paid (10k yuan)"))
    value_added_wan_yuan = _money(_("industrial value added (10k yuan)"))
    rd_spending_wan_yuan = _money(_("R&D spending (10k yuan)"))
    energy_tce = _quantity(_("comprehensive energy use (tce)"))
    electricity_wan_kwh = _quantity(_("electricity (10k kWh)"))
    cod_t = _quantity(_("COD (t)"))
    ammonia_nitrogen_t = _quantity(_("ammonia nitrogen (t)"))
    so2_t = _quantity(_("SO₂ (t)"))
    nox_t = _quantity(_("NOx (t)"))
    employees_avg = models.PositiveIntegerField(_("average employees"), null=True, blank=True)
    water_wan_t = _quantity(_("water used (10k t)"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = IndicatorQuerySet.as_manager()

    # The figures, in the order of the import template (used by the API, exports and charts).
    FIGURES = (
        "land_mu",
        "gross_output_wan_yuan",
        "revenue_wan_yuan",
        "tax_wan_yuan",
        "value_added_wan_yuan",
        "rd_spending_wan_yuan",
        "energy_tce",
        "electricity_wan_kwh",
        "cod_t",
        "ammonia_nitrogen_t",
        "so2_t",
        "nox_t",
        "employees_avg",
        "water_wan_t",
    )

    class Meta:
        ordering = ["enterprise", "year"]
        verbose_name = _("yearly indicators")
        verbose_name_plural = _("yearly indicators")
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year"], name="indicator_one_per_enterprise_year"),
        ]
        indexes = [models.Index(fields=["year", "enterprise"], name="indicator_year_enterprise")]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year}"


# --- Officer assignments (店小二) ------------------------------------------------------------------------------


class AssignmentQuerySet(ScopedQuerySet):
    def active(self, on=None):
        on = on or timezone.localdate()
        return self.filter(started_on__lte=on).filter(models.Q(ended_on__isnull=True) | models.Q(ended_on__gt=on))

    def scope_admin(self, user):
        return self.all()

    scope_leader = scope_admin

    def scope_officer(self, user):
        return self.filter(officer=user)

    def scope_enterprise(self, user):
        return self.filter(enterprise_id=user.enterprise_id) if user.enterprise_id else self.none()


class Assignment(models.Model):
    """One officer serving one enterprise, at once investment helper, approval agent and liaison."""

    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("officer"), on_delete=models.PROTECT, related_name="assignments"
    )
    enterprise = models.ForeignKey(
        "Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on"]
        verbose_name = _("officer assignment")
        verbose_name_plural = _("officer assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise"],
                condition=models.Q(ended_on__isnull=True),
                name="one_open_assignment_per_enterprise",
            ),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=models.F("started_on")),
                name="assignment_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["officer", "ended_on"], name="assignment_officer_open")]

    def __str__(self) -> str:
        return f"{self.officer} → {self.enterprise}"

    def clean(self) -> None:
        super().clean()
        if self.officer_id and self.officer.effective_role != "officer":
            raise ValidationError({"officer": _("Only a service officer can be assigned to an enterprise.")})
