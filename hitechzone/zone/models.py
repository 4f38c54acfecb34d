"""M0: one platform, several brands (一个平台、多块牌子) — brands, blocks, functional areas, parcels, departments."""

from decimal import Decimal

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from hitechzone.common.scoping import ReferenceQuerySet, ScopedQuerySet
from hitechzone.common.units import areas_agree, m2_to_mu, mu_to_m2


class Brand(models.Model):
    """A sub-zone or brand the one platform carries (经济技术开发区, 绿色产业集聚区, 高新区, 综合物流园区)."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=64, unique=True)
    short_name = models.CharField(_("short name"), max_length=16)
    level = models.CharField(_("level"), max_length=32, blank=True, help_text=_("e.g. national, provincial"))
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("brand (sub-zone)")
        verbose_name_plural = _("brands (sub-zones)")

    def __str__(self) -> str:
        return self.name


class Block(models.Model):
    """A spatial block (区块) of the zone."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=64)
    brand = models.ForeignKey(Brand, verbose_name=_("brand"), on_delete=models.PROTECT, related_name="blocks")
    description = models.TextField(_("description"), blank=True)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["brand__sort_order", "code"]
        verbose_name = _("block")
        verbose_name_plural = _("blocks")

    def __str__(self) -> str:
        return self.name


class FunctionalArea(models.Model):
    """A functional area (功能区) such as 氟硅化工, 精细化工, 生物化工."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=64, unique=True)
    brand = models.ForeignKey(
        Brand, verbose_name=_("brand"), on_delete=models.PROTECT, null=True, blank=True, related_name="functional_areas"
    )
    description = models.TextField(_("description"), blank=True)
    is_chemical = models.BooleanField(
        _("chemical area"), default=False, help_text=_("A project handling hazardous chemicals must be placed here.")
    )
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("functional area")
        verbose_name_plural = _("functional areas")

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    """A municipal department (市级职能部门) or a department of the management committee."""

    class Level(models.TextChoices):
        MUNICIPAL = "municipal", _("Municipal department")
        COMMITTEE = "committee", _("Management committee department")

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=64, unique=True)
    short_name = models.CharField(_("short name"), max_length=32, blank=True)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices, default=Level.MUNICIPAL)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.name


class ParcelQuerySet(ScopedQuerySet):
    def scope_admin(self, user):
        return self.all()

    scope_leader = scope_dept = scope_admin

    def scope_officer(self, user):
        """The parcels of the enterprises he serves, and the freed land on offer (an investment officer places his
        projects there, issue 14 item 10)."""
        from hitechzone.enterprises.models import officer_enterprise_ids

        return self.filter(models.Q(enterprise__in=officer_enterprise_ids(user)) | self._freed_q())

    def scope_enterprise(self, user):
        return self.filter(enterprise_id=user.enterprise_id) if user.enterprise_id else self.none()

    @staticmethod
    def _freed_q():
        return models.Q(enterprise__isnull=True) & models.Exists(
            ParcelRelease.objects.filter(parcel=models.OuterRef("pk"))
        )

    def freed(self):
        """Freed land on offer: parcels handed back to the zone (a :class:`ParcelRelease`) that have no land user
        now."""
        return self.filter(self._freed_q())


class Parcel(models.Model):
    """A land parcel (地块). Its area is kept in both 亩 and m², consistent with each other."""

    class LandUse(models.TextChoices):
        INDUSTRIAL = "industrial", _("Industrial")
        WAREHOUSE = "warehouse", _("Warehousing and logistics")
        COMMERCIAL = "commercial", _("Commercial")
        RESEARCH = "research", _("Research and development")
        RESIDENTIAL = "residential", _("Residential and living")
        PUBLIC = "public", _("Public facilities")
        RESERVE = "reserve", _("Reserve land")

    code = models.CharField(_("parcel code"), max_length=40, unique=True)
    name = models.CharField(_("location"), max_length=128, blank=True)
    brand = models.ForeignKey(Brand, verbose_name=_("brand"), on_delete=models.PROTECT, related_name="parcels")
    block = models.ForeignKey(
        Block, verbose_name=_("block"), on_delete=models.PROTECT, null=True, blank=True, related_name="parcels"
    )
    functional_area = models.ForeignKey(
        FunctionalArea,
        verbose_name=_("functional area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="parcels",
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("land user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="parcels",
    )
    land_use = models.CharField(_("land use"), max_length=16, choices=LandUse.choices, default=LandUse.INDUSTRIAL)
    area_mu = models.DecimalField(
        _("area (mu)"), max_digits=12, decimal_places=4, validators=[MinValueValidator(Decimal("0.0001"))]
    )
    area_m2 = models.DecimalField(
        _("area (m²)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    acquired_on = models.DateField(_("acquired on"), null=True, blank=True)

    objects = ParcelQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("parcel")
        verbose_name_plural = _("parcels")
        constraints = [
            models.CheckConstraint(condition=models.Q(area_mu__gt=0), name="parcel_area_mu_positive"),
            models.CheckConstraint(condition=models.Q(area_m2__gt=0), name="parcel_area_m2_positive"),
        ]

    def __str__(self) -> str:
        return self.code

    def save(self, *args, **kwargs) -> None:
        self.fill_areas()
        super().save(*args, **kwargs)

    def fill_areas(self) -> None:
        """Derive the missing unit from the one given."""
        if self.area_mu is None and self.area_m2 is not None:
            self.area_mu = m2_to_mu(self.area_m2)
        elif self.area_m2 is None and self.area_mu is not None:
            self.area_m2 = mu_to_m2(self.area_mu)

    def clean_fields(self, exclude=None) -> None:
        # One of the two areas is enough: fill the other before the fields are checked for null.
        self.fill_areas()
        super().clean_fields(exclude=exclude)

    def clean(self) -> None:
        super().clean()
        self.fill_areas()
        if self.area_mu is None:
            raise ValidationError({"area_mu": _("Give the area in mu or in square metres.")})
        if not areas_agree(area_mu=self.area_mu, area_m2=self.area_m2):
            raise ValidationError(
                {
                    "area_m2": _("%(m2)s m² is %(mu)s mu, not %(given)s mu (1 mu = 666.67 m²).")
                    % {"m2": self.area_m2, "mu": m2_to_mu(self.area_m2), "given": self.area_mu}
                }
            )
        if self.block_id and self.brand_id and self.block.brand_id != self.brand_id:
            raise ValidationError({"block": _("The block belongs to another brand.")})


class ParcelReleaseQuerySet(ScopedQuerySet):
    def scope_admin(self, user):
        return self.all()

    scope_leader = scope_dept = scope_admin

    def scope_officer(self, user):
        from hitechzone.enterprises.models import officer_enterprise_ids

        return self.filter(
            models.Q(parcel__in=Parcel.objects.for_user(user))
            | models.Q(former_enterprise__in=officer_enterprise_ids(user))
        )

    def scope_enterprise(self, user):
        if not user.enterprise_id:
            return self.none()
        return self.filter(
            models.Q(former_enterprise_id=user.enterprise_id) | models.Q(parcel__enterprise_id=user.enterprise_id)
        )


class ParcelRelease(models.Model):
    """A parcel handed back to the zone (freed land, 腾笼换鸟), published by the module that freed it (M4's land-exit
    case, referenced generically by ``source``) and read by the modules that offer land (M3): a parcel with a release
    and no land user is *freed land on offer* (:meth:`ParcelQuerySet.freed`)."""

    parcel = models.ForeignKey(Parcel, verbose_name=_("parcel"), on_delete=models.CASCADE, related_name="releases")
    former_enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("former land user"),
        on_delete=models.PROTECT,
        related_name="released_parcels",
    )
    released_on = models.DateField(_("handed back on"))
    source_type = models.ForeignKey(
        ContentType,
        verbose_name=_("freed by (kind)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    source_id = models.PositiveBigIntegerField(_("freed by (id)"), null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    reference = models.CharField(_("freed by"), max_length=64, blank=True, help_text=_("e.g. the exit case's number"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = ParcelReleaseQuerySet.as_manager()

    class Meta:
        ordering = ["-released_on", "-id"]
        verbose_name = _("parcel handed back")
        verbose_name_plural = _("parcels handed back")
        constraints = [
            models.UniqueConstraint(fields=["parcel", "source_type", "source_id"], name="parcel_release_once"),
        ]
        indexes = [models.Index(fields=["former_enterprise", "-released_on"], name="parcel_release_former")]

    def __str__(self) -> str:
        return f"{self.parcel} ← {self.former_enterprise} {self.released_on}"

    @property
    def source_url(self) -> str:
        """The page of what freed the parcel (the exit case), if any; read after ``prefetch_related("source")``."""
        found = getattr(self.source, "get_absolute_url", None)
        return found() if found else ""
