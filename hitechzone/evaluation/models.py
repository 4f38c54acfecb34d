"""M4: the yearly 亩均 evaluation (亩产论英雄), the energy ranking, differentiated prices and land exit (腾笼换鸟).

A :class:`Scheme` is data: its numbered :class:`SchemeVersion` rows hold the definition (groups, indicators,
weights, benchmark rule, cap, scope and class rules) as JSON, read by ``schemes.scheme_from_dict`` into the
kernel's dataclasses. An :class:`EvaluationRun` stores the version it used and one :class:`EvaluationResult`
per enterprise in scope of the year, with the figures it read: a run is immutable, so what an enterprise
was told stays what it was told, and re-running the same version on the same data gives the same numbers.
A leader publishes a run; only then do enterprises (and their officers) see it.

Every write goes through ``services`` (schemes, runs, exemptions and vetoes), ``energy`` (rankings),
``prices`` and ``land`` (exit cases).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hitechzone.common.scoping import ReferenceQuerySet, ScopedQuerySet
from hitechzone.enterprises.models import FIRST_YEAR, LAST_YEAR, IndicatorQuerySet

ZERO = Decimal(0)
YEAR_VALIDATORS = [MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]


def _year(verbose=None, **kwargs):
    return models.PositiveSmallIntegerField(verbose or _("year"), validators=YEAR_VALIDATORS, **kwargs)


class EnterpriseScoped(IndicatorQuerySet):
    """Rows about one enterprise, seen by whoever sees its yearly figures: admin and leaders all; an officer those
    of the enterprises they serve; an enterprise its own; department staff and experts nothing."""


class Group(models.TextChoices):
    ABOVE = "above", _("Above designated size (规上)")
    BELOW = "below", _("Below designated size (规下)")
    EXCLUDED = "excluded", _("Not evaluated (不参评)")


class Klass(models.TextChoices):
    A = "A", _("A (preferred support)")
    B = "B", _("B (support)")
    C = "C", _("C (upgrade)")
    D = "D", _("D (restrict)")


#: What each class means for the enterprise, in one sentence: the one place a page explains a class from
#: (the zone's policy: resources by 亩产论英雄, differentiated water and electricity prices, the exit of
#: inefficient land by agreement or swap).
KLASS_MEANINGS = {
    Klass.A: _(
        "Leads the zone in benefit per mu: land, energy and other resources are secured first, and the zone's "
        "incentive policies apply."
    ),
    Klass.B: _(
        "A good benefit per mu: resources are allocated as usual, with the zone's support to raise the benefit "
        "per mu further."
    ),
    Klass.C: _(
        "A low benefit per mu: differentiated water and electricity prices apply, and the zone guides the "
        "enterprise to upgrade (machines for labour, space for land)."
    ),
    Klass.D: _(
        "The lowest benefit per mu: the highest differentiated water and electricity prices apply, new land and "
        "energy are restricted, and the enterprise is guided to leave inefficient land by agreed exit or "
        "negotiated swap."
    ),
}


def klass_meanings() -> list[tuple[str, str, str]]:
    """``(class, label, meaning)`` for A to D, in order: what a page lists to explain the classes."""
    return [(k.value, k.label, KLASS_MEANINGS[k]) for k in Klass]


# --- Schemes ------------------------------------------------------------------------------------------------


class Scheme(models.Model):
    """A named evaluation scheme (the zone's default, or one for a brand). Its rules live in its versions."""

    name = models.SlugField(_("name"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=100)
    brand = models.ForeignKey(
        "zone.Brand",
        verbose_name=_("brand"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Leave empty for a scheme that evaluates the whole zone."),
    )
    description = models.TextField(_("description"), blank=True)
    current = models.ForeignKey(
        "SchemeVersion",
        verbose_name=_("current version"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("evaluation scheme")
        verbose_name_plural = _("evaluation schemes")

    def __str__(self) -> str:
        return self.title or self.name


class SchemeVersion(models.Model):
    """One version of a scheme's rules, used for the years from ``effective_from`` on. Never edited."""

    scheme = models.ForeignKey(Scheme, verbose_name=_("scheme"), on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    effective_from = _year(_("used from year"))
    definition = models.JSONField(_("definition"))
    note = models.CharField(_("what changed"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["scheme", "-number"]
        verbose_name = _("scheme version")
        verbose_name_plural = _("scheme versions")
        constraints = [models.UniqueConstraint(fields=["scheme", "number"], name="scheme_version_unique")]

    def __str__(self) -> str:
        return f"{self.scheme} v{self.number}"

    def kernel(self):
        """The kernel's ``Scheme`` for this version."""
        from .schemes import scheme_from_dict

        return scheme_from_dict(self.definition, name=self.scheme.name, version=self.number)


# --- Exemptions and vetoes -------------------------------------------------------------------------------------


class Exemption(models.Model):
    """An enterprise an administrator takes out of a year's evaluation (免评), with the reason."""

    class Reason(models.TextChoices):
        PUBLIC_UTILITY = "public_utility", _("Public utility")
        FIRST_YEAR = "first_year", _("First year of production")
        RELOCATION = "relocation", _("Relocating or rebuilding")
        OTHER = "other", _("Other")

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="+"
    )
    year = _year()
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices)
    details = models.CharField(_("details"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("entered by"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("entered at"), auto_now_add=True)

    objects = EnterpriseScoped.as_manager()

    class Meta:
        ordering = ["-year", "enterprise"]
        verbose_name = _("exemption")
        verbose_name_plural = _("exemptions")
        constraints = [models.UniqueConstraint(fields=["enterprise", "year"], name="exemption_one_per_year")]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year}"


class Veto(models.Model):
    """一票否决: a major safety or environmental accident in the year puts the enterprise in D."""

    class Kind(models.TextChoices):
        SAFETY = "safety", _("Major safety accident")
        ENVIRONMENT = "environment", _("Major environmental accident")
        OTHER = "other", _("Other serious violation")

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="+"
    )
    year = _year()
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    occurred_on = models.DateField(_("occurred on"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("entered by"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("entered at"), auto_now_add=True)

    objects = EnterpriseScoped.as_manager()

    class Meta:
        ordering = ["-year", "enterprise"]
        verbose_name = _("veto")
        verbose_name_plural = _("vetoes")
        constraints = [models.UniqueConstraint(fields=["enterprise", "year"], name="veto_one_per_year")]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year}"


# --- Runs and results ----------------------------------------------------------------------------------------


class RunQuerySet(ScopedQuerySet):
    """Administrators and leaders see every run; officers and enterprises the published ones."""

    def scope_admin(self, user):
        return self.all()

    scope_leader = scope_admin

    def scope_officer(self, user):
        return self.filter(published_at__isnull=False)

    scope_enterprise = scope_officer

    def published(self):
        return self.filter(published_at__isnull=False)


class EvaluationRun(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    year = _year()
    scheme_version = models.ForeignKey(
        SchemeVersion, verbose_name=_("scheme version"), on_delete=models.PROTECT, related_name="runs"
    )
    brand = models.ForeignKey(
        "zone.Brand", verbose_name=_("brand"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.RUNNING)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("run by"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("run at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    seconds = models.FloatField(_("seconds taken"), null=True, blank=True)
    # Counts of the result rows: evaluated above/below designated size, excluded.
    n_above = models.PositiveIntegerField(_("above designated size"), default=0)
    n_below = models.PositiveIntegerField(_("below designated size"), default=0)
    n_excluded = models.PositiveIntegerField(_("not evaluated"), default=0)
    # {"benchmarks": {group: {indicator: value}}, "counts": {group: {"n", "A"…"D"}},
    #  "class_floor": {group: {class: score}}, "indicators": {group: [{"key", "label", "weight", "unit"}]}}
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    job = models.ForeignKey(
        "common.Job", verbose_name=_("job"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = RunQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-created_at", "-id"]
        verbose_name = _("evaluation run")
        verbose_name_plural = _("evaluation runs")
        indexes = [models.Index(fields=["year", "published_at"], name="evaluation_run_year_published")]

    def __str__(self) -> str:
        """The run's name for people, never its internal number: the year, a brand's run its brand, and a run not
        published (one of perhaps several trials of that year) when it was run."""
        name = _("%(year)d evaluation") % {"year": self.year}
        if self.brand_id is not None:
            name = _("%(name)s, %(brand)s") % {"name": name, "brand": self.brand.short_name or self.brand.name}
        if self.published_at is None and self.created_at is not None:
            when = date_format(timezone.localtime(self.created_at), "Y-m-d H:i")
            name = _("%(name)s (run %(when)s)") % {"name": name, "when": when}
        return str(name)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class ResultQuerySet(EnterpriseScoped):
    """A result is seen by whoever sees its enterprise's figures, once its run is published (admin and
    leaders: always)."""

    def scope_officer(self, user):
        return super().scope_officer(user).filter(run__published_at__isnull=False)

    def scope_enterprise(self, user):
        return super().scope_enterprise(user).filter(run__published_at__isnull=False)


class EvaluationResult(models.Model):
    """One enterprise in one run: its group, score, class and ranks, and the figures behind them."""

    class Exclusion(models.TextChoices):
        NO_DATA = "no_data", _("No yearly data")
        NO_LAND = "no_land", _("No land")
        SMALL_LAND = "small_land", _("Below designated size with less than the minimum land")
        EXEMPT = "exempt", _("Exempted")

    # No single-column indexes: (run, enterprise) is unique and (enterprise, run) indexed (fewer indexes, faster runs).
    run = models.ForeignKey(
        EvaluationRun, verbose_name=_("run"), on_delete=models.CASCADE, related_name="results", db_index=False
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    group = models.CharField(_("group"), max_length=8, choices=Group.choices)
    exclusion = models.CharField(_("why not evaluated"), max_length=12, choices=Exclusion.choices, blank=True)
    score = models.FloatField(_("score"), null=True, blank=True)
    klass = models.CharField(pgettext_lazy("evaluation", "class"), max_length=1, choices=Klass.choices, blank=True)
    rank = models.PositiveIntegerField(_("rank in group"), null=True, blank=True)
    industry_rank = models.PositiveIntegerField(_("rank in industry"), null=True, blank=True)
    industry_size = models.PositiveIntegerField(_("firms of the industry in the group"), null=True, blank=True)
    industry_code = models.CharField(_("industry (division)"), max_length=4, blank=True)
    vetoed = models.BooleanField(_("vetoed"), default=False)
    # indicator key → value / sub-score (null: missing); "imputed": keys whose sub-score is the group mean.
    values = models.JSONField(_("indicator values"), default=dict)
    subscores = models.JSONField(_("sub-scores"), default=dict)
    imputed = models.JSONField(_("imputed sub-scores"), default=list)
    # The figures the run read (EnterpriseIndicator.FIGURES names → number or null) and the name at the time.
    inputs = models.JSONField(_("figures used"), default=dict)
    name = models.CharField(_("name"), max_length=128)
    uscc = models.CharField(_("unified social credit code"), max_length=18)
    next_class_gap = models.FloatField(_("亩均税收 needed for the next class (10k yuan/mu)"), null=True, blank=True)

    objects = ResultQuerySet.as_manager()

    class Meta:
        ordering = ["run", "group", "rank", "uscc"]
        verbose_name = _("evaluation result")
        verbose_name_plural = _("evaluation results")
        constraints = [models.UniqueConstraint(fields=["run", "enterprise"], name="evaluation_result_unique")]
        indexes = [
            models.Index(fields=["run", "group", "rank"], name="evaluation_result_rank"),
            models.Index(fields=["enterprise", "run"], name="evaluation_result_enterprise"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.klass or '—'}"


# --- Energy ranking ------------------------------------------------------------------------------------------


class EnergyYear(models.Model):
    """How a year's electricity is converted to standard coal (GB/T 2589): 当量 (calorific, 0.1229 kgce/kWh)
    or 等价 (the year's coal consumption of power supply)."""

    class Basis(models.TextChoices):
        CALORIFIC = "calorific", _("Calorific equivalent (当量值)")
        EQUAL_VALUE = "equal_value", _("Equal-value (等价值)")

    year = _year(unique=True)
    electricity_basis = models.CharField(
        _("electricity conversion"), max_length=12, choices=Basis.choices, default=Basis.CALORIFIC
    )
    equal_value_kgce_per_kwh = models.DecimalField(
        _("equal-value factor (kgce/kWh)"),
        max_digits=6,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(Decimal("0.5"))],
    )

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("energy conversion of a year")
        verbose_name_plural = _("energy conversion of the years")

    def __str__(self) -> str:
        return str(self.year)

    def clean(self) -> None:
        if self.electricity_basis == self.Basis.EQUAL_VALUE and self.equal_value_kgce_per_kwh is None:
            raise ValidationError({"equal_value_kgce_per_kwh": _("The equal-value basis needs the year's factor.")})


class EnergyUse(models.Model):
    """One fuel an enterprise consumed in a year, in the fuel's own unit (see ``energy.FUELS``)."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="+"
    )
    year = _year()
    fuel = models.CharField(_("fuel"), max_length=24)
    quantity = models.DecimalField(_("quantity"), max_digits=16, decimal_places=3, validators=[MinValueValidator(ZERO)])

    objects = EnterpriseScoped.as_manager()

    class Meta:
        ordering = ["enterprise", "year", "fuel"]
        verbose_name = _("energy use")
        verbose_name_plural = _("energy use")
        constraints = [models.UniqueConstraint(fields=["enterprise", "year", "fuel"], name="energy_use_unique")]
        indexes = [models.Index(fields=["year", "enterprise"], name="energy_use_year_enterprise")]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year} {self.fuel}"


class RankingQuerySet(ScopedQuerySet):
    def scope_admin(self, user):
        return self.all()

    scope_leader = scope_officer = scope_enterprise = scope_admin


class EnergyRanking(models.Model):
    """A year's energy ranking (单位工业增加值能耗, lower is better). Re-ranking a year replaces its entries."""

    year = _year(unique=True)
    electricity_basis = models.CharField(_("electricity conversion"), max_length=12, choices=EnergyYear.Basis.choices)
    electricity_kgce_per_kwh = models.DecimalField(_("electricity factor (kgce/kWh)"), max_digits=6, decimal_places=4)
    ranked = models.PositiveIntegerField(_("enterprises ranked"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("ranked by"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("ranked at"), auto_now=True)

    objects = RankingQuerySet.as_manager()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("energy ranking")
        verbose_name_plural = _("energy rankings")

    def __str__(self) -> str:
        return _("%(year)d energy ranking") % {"year": self.year}


class EnergyRankingEntry(models.Model):
    class Source(models.TextChoices):
        FUELS = "fuels", _("Converted from the fuels")
        REPORTED = "reported", _("Comprehensive energy use as reported")

    ranking = models.ForeignKey(
        EnergyRanking, verbose_name=_("ranking"), on_delete=models.CASCADE, related_name="entries", db_index=False
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    energy_tce = models.FloatField(_("energy (tce)"))
    source = models.CharField(_("energy source"), max_length=8, choices=Source.choices)
    value_added_wan_yuan = models.FloatField(_("industrial value added (10k yuan)"))
    intensity = models.FloatField(_("energy per value added (tce/10k yuan)"))
    rank = models.PositiveIntegerField(_("rank in the zone"))
    industry_code = models.CharField(_("industry (division)"), max_length=4, blank=True)
    industry_rank = models.PositiveIntegerField(_("rank in industry"), null=True, blank=True)
    industry_size = models.PositiveIntegerField(_("firms of the industry ranked"), null=True, blank=True)

    objects = EnterpriseScoped.as_manager()

    class Meta:
        ordering = ["ranking", "rank"]
        verbose_name = _("energy ranking entry")
        verbose_name_plural = _("energy ranking entries")
        constraints = [models.UniqueConstraint(fields=["ranking", "enterprise"], name="energy_entry_unique")]
        indexes = [models.Index(fields=["enterprise", "ranking"], name="energy_entry_enterprise")]

    def __str__(self) -> str:
        return f"{self.ranking} #{self.rank}"


# --- Differentiated prices -----------------------------------------------------------------------------------


class PriceTier(models.Model):
    """A year's surcharge for a class: electricity 元/kWh and water 元/t on top of the normal price.

    ``min_years_in_class`` > 1 escalates: the tier applies to an enterprise in the class that many years
    running or more (e.g. D for the third year running); the tier with the highest such count that the
    enterprise reaches applies."""

    year = _year()
    klass = models.CharField(pgettext_lazy("evaluation", "class"), max_length=1, choices=Klass.choices)
    min_years_in_class = models.PositiveSmallIntegerField(
        _("consecutive years in the class"), default=1, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    electricity_yuan_per_kwh = models.DecimalField(
        _("electricity surcharge (yuan/kWh)"), max_digits=6, decimal_places=4, validators=[MinValueValidator(ZERO)]
    )
    water_yuan_per_t = models.DecimalField(
        _("water surcharge (yuan/t)"), max_digits=6, decimal_places=3, validators=[MinValueValidator(ZERO)]
    )

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "klass", "min_years_in_class"]
        verbose_name = _("price tier")
        verbose_name_plural = _("price tiers")
        constraints = [
            models.UniqueConstraint(fields=["year", "klass", "min_years_in_class"], name="price_tier_unique")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.klass} ≥{self.min_years_in_class}"


# --- Land exit (腾笼换鸟) ---------------------------------------------------------------------------------------


class RewardBasis(models.TextChoices):
    PER_MU = "per_mu", _("Per mu of land freed")
    SHARE = "share", _("Share of the compensation")


class ExitPolicy(models.Model):
    """The reward a year's exit cases start from (each case may be negotiated to its own rate)."""

    year = _year(unique=True)
    reward_basis = models.CharField(_("reward basis"), max_length=8, choices=RewardBasis.choices)
    reward_rate = models.DecimalField(
        _("reward rate"),
        max_digits=10,
        decimal_places=4,
        validators=[MinValueValidator(ZERO)],
        help_text=_("10k yuan per mu, or a share of the compensation (0.10 = 10 %)."),
    )

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("exit reward policy")
        verbose_name_plural = _("exit reward policies")

    def __str__(self) -> str:
        return str(self.year)


class ExitCase(models.Model):
    """An inefficient enterprise leaving (协议退出) or swapping (协商置换) its land, with compensation plus a
    reward, and what the freed land is used for afterwards."""

    class Mode(models.TextChoices):
        AGREED_EXIT = "agreed_exit", _("Agreed exit (协议退出)")
        NEGOTIATED_SWAP = "swap", _("Negotiated swap (协商置换)")

    class Trigger(models.TextChoices):
        CLASS_D = "class_d", _("Class D in the evaluation")
        IDLE_LAND = "idle_land", _("Idle or inefficient land")
        VOLUNTARY = "voluntary", _("Applied by the enterprise")

    class Status(models.TextChoices):
        IDENTIFIED = "identified", _("Identified")
        NEGOTIATING = "negotiating", _("Negotiating")
        AGREED = "agreed", _("Agreement signed")
        LAND_RETURNED = "returned", _("Land handed back")
        REUSED = "reused", _("Land re-used")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")

    code = models.CharField(_("case number"), max_length=32, unique=True)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="+"
    )
    mode = models.CharField(_("mode"), max_length=12, choices=Mode.choices)
    trigger = models.CharField(_("why"), max_length=12, choices=Trigger.choices)
    evaluation_result = models.ForeignKey(
        EvaluationResult,
        verbose_name=_("evaluation result"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    parcels = models.ManyToManyField("zone.Parcel", verbose_name=_("parcels given up"), related_name="+")
    swap_parcels = models.ManyToManyField(
        "zone.Parcel", verbose_name=_("parcels received in the swap"), blank=True, related_name="+"
    )
    land_freed_mu = models.DecimalField(
        _("land freed (mu)"), max_digits=12, decimal_places=4, default=ZERO, validators=[MinValueValidator(ZERO)]
    )
    compensation_wan_yuan = models.DecimalField(
        _("assessed compensation (10k yuan)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(ZERO)],
    )
    reward_basis = models.CharField(_("reward basis"), max_length=8, choices=RewardBasis.choices)
    reward_rate = models.DecimalField(
        _("reward rate"),
        max_digits=10,
        decimal_places=4,
        validators=[MinValueValidator(ZERO)],
        help_text=_("10k yuan per mu, or a share of the compensation (0.10 = 10 %)."),
    )
    reward_wan_yuan = models.DecimalField(
        _("reward (10k yuan)"), max_digits=14, decimal_places=2, default=ZERO, validators=[MinValueValidator(ZERO)]
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.IDENTIFIED)
    identified_on = models.DateField(_("identified on"))
    negotiating_on = models.DateField(_("negotiations started on"), null=True, blank=True)
    agreed_on = models.DateField(_("agreement signed on"), null=True, blank=True)
    returned_on = models.DateField(_("land handed back on"), null=True, blank=True)
    reused_on = models.DateField(_("land re-used on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    successor = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("new user of the land"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reuse = models.CharField(_("what is placed on the land"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("opened by"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = EnterpriseScoped.as_manager()

    class Meta:
        ordering = ["-identified_on", "-id"]
        verbose_name = _("land exit case")
        verbose_name_plural = _("land exit cases")

    def __str__(self) -> str:
        return f"{self.code} {self.enterprise}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("evaluation:exit", args=[self.pk])
