"""M6, technology finance and partnerships (issue 15, points 7 and 8), and the innovation fund's calls (point 6).

- :class:`FinanceDeal`: a loan, a guarantee or an equity investment for a growing technology firm of the registry,
  with its lender / guarantor / investor, amount (万元), dates and status (the statuses each kind may take are
  ``FinanceDeal.STATUSES``). The talent office, leaders and administrators see every deal; an enterprise its own.
- :class:`PartnerAgreement`: an agreement with a partner institution (signed, in force from / until, scope,
  status) — a public record, like the partners.
- :class:`Cooperation`: a technology transfer, a licence or a cooperation project between a partner institution
  and an enterprise of the registry (contract value 万元, signed on), optionally through a technology-transfer
  centre (a platform). The zone's staff see them all, an officer those of its enterprises, an enterprise its own.
- :class:`FundCall`: a call of the innovation fund (申报通知): title, open from / until, the amount offered. A grant
  application may name its call (``Grant.call``): one of the same fund, open on the day of the application.

Imported at the end of ``models.py`` (one line), so that Django finds these models in the app ``talent``. Writes go
through ``services_finance``; reads through ``Model.objects.for_user(user)``.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import Fund, Grant, IncubatorEnterpriseQuerySet, Partner, Platform, PublicQuerySet, StaffQuerySet

__all__ = ["Cooperation", "FinanceDeal", "FundCall", "PartnerAgreement"]


class FinanceDealQuerySet(StaffQuerySet):
    def scope_enterprise(self, user):
        """Its own deals."""
        return self.filter(enterprise_id=user.enterprise_id) if user.enterprise_id else self.none()


class FinanceDeal(models.Model):
    """A loan, guarantee or equity investment for a technology firm (科技金融)."""

    class Kind(models.TextChoices):
        LOAN = "loan", _("Loan")
        GUARANTEE = "guarantee", _("Guarantee")
        EQUITY = "equity", _("Equity investment")

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        APPROVED = "approved", pgettext_lazy("finance deal", "Approved")
        DISBURSED = "disbursed", _("Disbursed")
        REPAID = "repaid", _("Repaid")
        DEFAULTED = "defaulted", _("Defaulted")
        EXITED = "exited", _("Exited")

    #: The statuses each kind may take: a guarantee is released (``repaid``) or called (``defaulted``); an equity
    #: investment is paid in (``disbursed``) and later ``exited`` (or written off, ``defaulted``).
    STATUSES = {
        Kind.LOAN: (Status.APPLIED, Status.APPROVED, Status.DISBURSED, Status.REPAID, Status.DEFAULTED),
        Kind.GUARANTEE: (Status.APPLIED, Status.APPROVED, Status.REPAID, Status.DEFAULTED),
        Kind.EQUITY: (Status.APPLIED, Status.APPROVED, Status.DISBURSED, Status.EXITED, Status.DEFAULTED),
    }

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="finance_deals"
    )
    counterparty = models.CharField(
        _("lender, guarantor or investor"), max_length=128, help_text=_("e.g. a bank, a guarantee company, a fund")
    )
    amount_wan_yuan = models.DecimalField(
        _("amount (10k yuan)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    signed_on = models.DateField(
        _("signed on"), null=True, blank=True, help_text=_("Required once the deal is beyond “applied”")
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("matures or exits on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.APPLIED)
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = FinanceDealQuerySet.as_manager()

    class Meta:
        ordering = ["-signed_on", "-pk"]
        verbose_name = _("technology finance deal")
        verbose_name_plural = _("technology finance deals")
        indexes = [models.Index(fields=["signed_on", "kind"], name="talent_finance_signed_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.enterprise} · {self.counterparty}"


# --- Partnerships ---------------------------------------------------------------------------------------------------


class PartnerAgreement(models.Model):
    """A cooperation agreement with a partner university or institute (合作协议)."""

    class Status(models.TextChoices):
        IN_FORCE = "in_force", _("In force")
        ENDED = "ended", _("Ended")
        TERMINATED = "terminated", _("Terminated early")

    partner = models.ForeignKey(
        Partner, verbose_name=_("partner institution"), on_delete=models.PROTECT, related_name="agreements"
    )
    title = models.CharField(_("agreement title"), max_length=128)
    signed_on = models.DateField(_("signed on"))
    valid_from = models.DateField(_("in force from"), null=True, blank=True)
    valid_until = models.DateField(_("in force until"), null=True, blank=True)
    scope = models.CharField(_("scope of cooperation"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.IN_FORCE)

    objects = PublicQuerySet.as_manager()

    class Meta:
        ordering = ["-signed_on", "-pk"]
        verbose_name = _("partner agreement")
        verbose_name_plural = _("partner agreements")

    def __str__(self) -> str:
        return f"{self.partner} · {self.title}"


class CooperationQuerySet(IncubatorEnterpriseQuerySet):
    """Scoped by the enterprise, as an incubator's links are: staff all, an officer its enterprises', an enterprise
    its own."""


class Cooperation(models.Model):
    """A technology transfer, licence or cooperation project (技术转移、产学研合作) of a partner with an enterprise."""

    class Kind(models.TextChoices):
        TRANSFER = "transfer", _("Technology transfer")
        LICENCE = "licence", _("Licence")
        COOPERATION = "cooperation", _("Cooperation project")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("project title"), max_length=200)
    partner = models.ForeignKey(
        Partner, verbose_name=_("partner institution"), on_delete=models.PROTECT, related_name="cooperations"
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="cooperations"
    )
    contract_value_wan_yuan = models.DecimalField(
        _("contract value (10k yuan)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    signed_on = models.DateField(_("signed on"))
    platform = models.ForeignKey(
        Platform,
        verbose_name=_("technology-transfer centre"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cooperations",
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = CooperationQuerySet.as_manager()

    class Meta:
        ordering = ["-signed_on", "-pk"]
        verbose_name = _("technology transfer or cooperation project")
        verbose_name_plural = _("technology transfers and cooperation projects")
        indexes = [models.Index(fields=["signed_on", "kind"], name="talent_cooperation_signed_kind")]

    def __str__(self) -> str:
        return self.title


# --- The innovation fund's calls ------------------------------------------------------------------------------------


class FundCallQuerySet(StaffQuerySet):
    def scope_enterprise(self, user):
        """The open calls of open funds, and the calls it applied under."""
        if not user.enterprise_id:
            return self.none()
        return self.filter(
            Q(status=FundCall.Status.OPEN, fund__status=Fund.Status.OPEN)
            | Q(pk__in=Grant.objects.filter(recipient_enterprise_id=user.enterprise_id).values("call"))
        )


class FundCall(models.Model):
    """A call for applications to the innovation fund (申报通知): enterprises and teams apply while it is open."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        OPEN = "open", _("Open for applications")
        CLOSED = "closed", _("Closed for applications")

    fund = models.ForeignKey(Fund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="calls")
    title = models.CharField(_("call title"), max_length=128)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    offered_wan_yuan = models.DecimalField(
        _("amount offered (10k yuan)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)

    objects = FundCallQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_on", "-pk"]
        verbose_name = _("fund call")
        verbose_name_plural = _("fund calls")

    def __str__(self) -> str:
        return f"{self.fund} · {self.title}"

    def is_open_on(self, day) -> bool:
        return self.status == self.Status.OPEN and self.opens_on <= day <= self.closes_on
