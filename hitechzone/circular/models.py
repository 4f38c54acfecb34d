"""M5: circular transformation (循环化改造) — materials, the zone's material flows and by-product exchanges,
element balances, the exchange optimiser's runs, yearly resource data for the park indicators, and the circular
transformation projects.

A :class:`Material` has a chemical formula from which ``chemistry.mass_fractions`` computes its elements.
Per enterprise and year, :class:`Flow` rows say what goes in and out (inputs, products, by-products, wastes,
emissions, in t/yr with purity); :class:`Exchange` rows are the by-product exchanges that exist between two
enterprises. :class:`ResourceYear` holds the yearly resource figures of the NDRC park indicators.
:class:`OptimizationRun` stores each optimiser run (who, when, input, output, solver time).
:class:`CircularProject` is a circular transformation project (government or enterprise).

Writes go through ``services``; reads through ``Model.objects.for_user(user)``.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hitechzone.common.scoping import ReferenceQuerySet, ScopedQuerySet
from hitechzone.enterprises.models import FIRST_YEAR, LAST_YEAR, IndicatorQuerySet, officer_enterprise_ids

ZERO = Decimal(0)
ONE = Decimal(1)
YEAR_VALIDATORS = [MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]


def _year(verbose=None, **kwargs):
    return models.PositiveSmallIntegerField(verbose or _("year"), validators=YEAR_VALIDATORS, **kwargs)


def _tonnes(verbose, **kwargs):
    return models.DecimalField(verbose, max_digits=16, decimal_places=3, validators=[MinValueValidator(ZERO)], **kwargs)


def _money(verbose, **kwargs):
    return models.DecimalField(verbose, max_digits=14, decimal_places=2, validators=[MinValueValidator(ZERO)], **kwargs)


class EnterpriseScoped(IndicatorQuerySet):
    """Rows about one enterprise: as its yearly figures (admin, leaders, its officer, itself), and department staff
    all too (the zone's environment and economy bureaus run the circular transformation); experts nothing."""

    scope_dept = IndicatorQuerySet.scope_admin


class Material(models.Model):
    """A material with its formula (``(CH3)2SiCl2``, ``CaSO4·2H2O``; blank for mixtures) and its economics."""

    class Hazard(models.TextChoices):
        NONE = "none", _("Not hazardous")
        CORROSIVE = "corrosive", _("Corrosive")
        TOXIC = "toxic", _("Toxic")
        FLAMMABLE = "flammable", _("Flammable")
        OXIDISING = "oxidising", _("Oxidising")
        ENVIRONMENT = "environment", _("Hazardous to the environment")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=64)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    formula = models.CharField(_("chemical formula"), max_length=60, blank=True)
    hazard = models.CharField(_("hazard class"), max_length=12, choices=Hazard.choices, default=Hazard.NONE)
    hazardous_waste_code = models.CharField(
        _("hazardous waste code"), max_length=16, blank=True, help_text=_("国家危险废物名录, e.g. 900-013-11.")
    )
    disposal_cost_yuan_per_t = _money(_("disposal cost (yuan/t)"), default=ZERO)
    virgin_price_yuan_per_t = _money(_("virgin price (yuan/t)"), default=ZERO)
    transport_cost_yuan_per_t_km = models.DecimalField(
        _("transport cost (yuan/t·km)"),
        max_digits=8,
        decimal_places=3,
        default=ZERO,
        validators=[MinValueValidator(ZERO)],
    )
    co2_avoided_t_per_t = models.DecimalField(
        _("CO₂ avoided per tonne replacing virgin material (t)"),
        max_digits=8,
        decimal_places=3,
        default=ZERO,
        validators=[MinValueValidator(ZERO)],
    )
    chains = models.ManyToManyField(
        "enterprises.IndustryChain", verbose_name=_("industry chains"), blank=True, related_name="+"
    )

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = pgettext_lazy("circular", "material")
        verbose_name_plural = pgettext_lazy("circular", "materials")

    def __str__(self) -> str:
        return f"{self.name} ({self.formula})" if self.formula else self.name


class Flow(models.Model):
    """One enterprise's yearly input or output of one material (t/yr, with purity)."""

    class Role(models.TextChoices):
        INPUT = "input", _("Input")
        PRODUCT = "product", _("Product")
        BYPRODUCT = "byproduct", _("By-product")
        WASTE = "waste", _("Waste")
        EMISSION = "emission", _("Emission")

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="+"
    )
    year = _year()
    material = models.ForeignKey(
        Material, verbose_name=pgettext_lazy("circular", "material"), on_delete=models.PROTECT, related_name="flows"
    )
    role = models.CharField(_("flow type"), max_length=10, choices=Role.choices)
    quantity_t = _tonnes(_("quantity (t/yr)"))
    purity = models.DecimalField(
        _("purity"),
        max_digits=5,
        decimal_places=4,
        default=ONE,
        validators=[MinValueValidator(ZERO), MaxValueValidator(ONE)],
        help_text=_("Mass fraction of the material, 0–1."),
    )
    process = models.CharField(_("process"), max_length=100, blank=True)

    objects = EnterpriseScoped.as_manager()

    class Meta:
        ordering = ["enterprise", "year", "role", "material"]
        verbose_name = _("material flow")
        verbose_name_plural = _("material flows")
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year", "material", "role"], name="circular_flow_unique")
        ]
        indexes = [models.Index(fields=["year", "material"], name="circular_flow_year_material")]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year} {self.get_role_display()} {self.material}"


class ExchangeQuerySet(ScopedQuerySet):
    """An exchange concerns both ends: each end's enterprise (and its officer) sees it."""

    def scope_admin(self, user):
        return self.all()

    scope_leader = scope_dept = scope_admin

    def scope_officer(self, user):
        ids = officer_enterprise_ids(user)
        return self.filter(models.Q(supplier__in=ids) | models.Q(receiver__in=ids))

    def scope_enterprise(self, user):
        if not user.enterprise_id:
            return self.none()
        return self.filter(models.Q(supplier_id=user.enterprise_id) | models.Q(receiver_id=user.enterprise_id))


class Exchange(models.Model):
    """A by-product exchange that exists in a year: supplier → receiver, material, t/yr, pipeline or truck."""

    class Mode(models.TextChoices):
        PIPELINE = "pipeline", _("Pipeline")
        TRUCK = "truck", _("Truck")

    year = _year()
    supplier = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("supplier"), on_delete=models.CASCADE, related_name="+"
    )
    receiver = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("receiver"), on_delete=models.CASCADE, related_name="+"
    )
    material = models.ForeignKey(
        Material, verbose_name=pgettext_lazy("circular", "material"), on_delete=models.PROTECT, related_name="exchanges"
    )
    quantity_t = _tonnes(_("quantity (t/yr)"))
    mode = models.CharField(_("transport"), max_length=10, choices=Mode.choices)
    distance_km = models.DecimalField(
        _("distance (km)"), max_digits=8, decimal_places=2, validators=[MinValueValidator(ZERO)]
    )

    objects = ExchangeQuerySet.as_manager()

    class Meta:
        ordering = ["year", "material", "supplier", "receiver"]
        verbose_name = _("by-product exchange")
        verbose_name_plural = _("by-product exchanges")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "supplier", "receiver", "material"], name="circular_exchange_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(supplier=models.F("receiver")), name="circular_exchange_two_parties"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supplier} → {self.receiver}: {self.material}"


class ResourceYear(models.Model):
    """An enterprise's yearly resource figures for the park indicators (NDRC circular-economy park system)."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="+"
    )
    year = _year()
    fresh_water_t = _tonnes(_("fresh water taken (t)"), null=True, blank=True)
    reused_water_t = _tonnes(_("water reused (t)"), null=True, blank=True)
    solid_waste_generated_t = _tonnes(_("industrial solid waste generated (t)"), null=True, blank=True)
    solid_waste_used_t = _tonnes(_("industrial solid waste used (t)"), null=True, blank=True)
    solid_waste_stored_t = _tonnes(_("industrial solid waste stored (t)"), null=True, blank=True)
    main_resources_t = _tonnes(_("main resources consumed (t)"), null=True, blank=True)

    objects = EnterpriseScoped.as_manager()

    class Meta:
        ordering = ["enterprise", "year"]
        verbose_name = _("yearly resource data")
        verbose_name_plural = _("yearly resource data")
        constraints = [models.UniqueConstraint(fields=["enterprise", "year"], name="circular_resource_year_unique")]
        indexes = [models.Index(fields=["year", "enterprise"], name="circular_resource_year")]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year}"


class RunQuerySet(ScopedQuerySet):
    """Optimiser runs: the zone's staff (admin, leaders, department staff) see them all; others their own."""

    def scope_admin(self, user):
        return self.all()

    scope_leader = scope_dept = scope_admin

    def scope_officer(self, user):
        return self.filter(created_by=user)

    scope_enterprise = scope_officer


class OptimizationRun(models.Model):
    class Status(models.TextChoices):
        OPTIMAL = "optimal", _("Optimal")
        INFEASIBLE = "infeasible", _("Infeasible")
        INVALID = "invalid", _("Invalid scenario")
        ERROR = "error", _("Solver error")

    name = models.CharField(_("name"), max_length=100, blank=True)
    year = _year(null=True, blank=True, help_text=_("The year of the zone's data the scenario was built from."))
    scenario = models.JSONField(_("scenario"))
    result = models.JSONField(_("result"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    solver = models.CharField(_("solver"), max_length=40, blank=True)
    solve_seconds = models.FloatField(_("solver time (s)"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("run by"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("run at"), auto_now_add=True)

    objects = RunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("exchange optimisation")
        verbose_name_plural = _("exchange optimisations")

    def __str__(self) -> str:
        return self.name or f"#{self.pk}"


class ProjectQuerySet(EnterpriseScoped):
    """Projects: the zone's staff all; an officer those of the enterprises they serve; an enterprise its own
    (a government project has no enterprise: only the zone's staff see it)."""


class CircularProject(models.Model):
    """A circular transformation project (循环化改造项目) of the national pilot."""

    class Owner(models.TextChoices):
        GOVERNMENT = "government", _("Government investment")
        ENTERPRISE = "enterprise", _("Enterprise")

    class Category(models.TextChoices):
        BYPRODUCT = "byproduct", _("By-product exchange and use (副产物交换利用)")
        CHAIN = "chain", _("Linking or extending circular chains (循环产业链接延伸)")
        ZERO_DISCHARGE = "zero_discharge", _("Zero-discharge systems (污染物零排放系统)")
        RESEARCH = "research", _("Circular-economy R&D and incubation (循环经济技术研发及孵化)")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        APPROVED = "approved", _("Funds approved")
        BUILDING = "building", _("Under construction")
        COMPLETED = "completed", _("Completed")
        ACCEPTED = "accepted", _("Accepted")

    class Grade(models.TextChoices):
        EXCELLENT = "excellent", _("Excellent (优秀)")
        GOOD = "good", _("Good (良好)")
        FAILED = "failed", _("Failed (不通过)")

    code = models.CharField(_("project number"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=128)
    owner = models.CharField(_("owner"), max_length=12, choices=Owner.choices)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    batch_year = _year(_("pilot batch year"))
    total_investment_wan_yuan = _money(_("total investment (10k yuan)"))
    central_funds_approved_wan_yuan = _money(_("central funds approved (10k yuan)"), default=ZERO)
    central_funds_paid_wan_yuan = _money(_("central funds paid (10k yuan)"), default=ZERO)
    energy_saved_tce = _tonnes(_("energy saved (tce/yr)"), null=True, blank=True)
    water_saved_t = _tonnes(_("water saved (t/yr)"), null=True, blank=True)
    co2_cut_t = _tonnes(_("CO₂ cut (t/yr)"), null=True, blank=True)
    waste_cut_t = _tonnes(_("waste cut (t/yr)"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    grade = models.CharField(_("acceptance grade"), max_length=10, choices=Grade.choices, blank=True)
    description = models.TextField(_("description"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["batch_year", "code"]
        verbose_name = _("circular transformation project")
        verbose_name_plural = _("circular transformation projects")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(owner="government", enterprise__isnull=True)
                | models.Q(owner="enterprise", enterprise__isnull=False),
                name="circular_project_owner_matches",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
