"""M6, technology finance and partnerships (issue 15, points 7 and 8), and the innovation fund's calls (point 6).

- :class:`FinanceDeal`: a loan, a guarantee or an equity investment for a growing technology firm of the registry,
  with its lender / guarantor / investor, amount (万元), dates and status (the statuses each kind may take are
  ``FinanceDeal.STATUSES``). The talent office, leaders and administrators see every deal; an enterprise its own.

Imported at the end of ``models.py`` (one line), so that Django finds these models in the app ``talent``. Writes go
through ``services_finance``; reads through ``Model.objects.for_user(user)``.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import StaffQuerySet

__all__ = ["FinanceDeal"]


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
        APPROVED = "approved", _("Approved")
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
