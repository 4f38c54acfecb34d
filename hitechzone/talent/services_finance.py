"""Writes of M6's technology finance (issue 15, point 7): loans, guarantees and equity investments.

Like ``services``: keyword-only, one transaction, audited (the models are registered in ``apps.py``); a broken rule
raises ``Refused`` / ``FieldErrors`` and nothing is written. Administrators and the talent office keep the records;
the enterprise a deal names must be one the user sees.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from .models import FinanceDeal
from .services import FieldErrors, _apply, _clean, _sees_enterprise, _writer

DEAL_FIELDS = ("kind", "enterprise", "counterparty", "amount_wan_yuan", "signed_on", "starts_on", "ends_on", "status",
               "note")  # fmt: skip


def _deal_rules(deal: FinanceDeal) -> None:
    """The status the kind may take, the signing date once beyond “applied”, and dates in their order."""
    errors: dict[str, list[str]] = {}
    allowed = FinanceDeal.STATUSES.get(deal.kind, ())
    if deal.kind and deal.status not in allowed:
        labels = "、".join(str(FinanceDeal.Status(s).label) for s in allowed)
        errors["status"] = [
            _("A %(kind)s is one of: %(labels)s.") % {"kind": deal.get_kind_display(), "labels": labels}
        ]
    if deal.status != FinanceDeal.Status.APPLIED and deal.signed_on is None:
        errors["signed_on"] = [_("Give the date the deal was signed.")]
    if deal.signed_on and deal.starts_on and deal.starts_on < deal.signed_on:
        errors["starts_on"] = [_("It cannot start before it is signed.")]
    first = deal.starts_on or deal.signed_on
    if first and deal.ends_on and deal.ends_on < first:
        errors["ends_on"] = [_("It cannot mature or exit before it starts.")]
    if errors:
        raise FieldErrors(errors)


@transaction.atomic
def finance_deal_save(*, by, deal: FinanceDeal | None = None, **fields) -> FinanceDeal:
    """Record a loan, guarantee or equity investment, or change the given fields of one (its status among them)."""
    _writer(by)
    if "enterprise" in fields:
        _sees_enterprise(by, fields["enterprise"], "enterprise")
    deal = FinanceDeal() if deal is None else FinanceDeal.objects.select_for_update().get(pk=deal.pk)
    _apply(deal, fields, DEAL_FIELDS)
    if isinstance(deal.counterparty, str):
        deal.counterparty = deal.counterparty.strip()
    _clean(deal)
    _deal_rules(deal)
    deal.save()
    return deal
