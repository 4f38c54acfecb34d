"""Writes of M6's technology finance (issue 15, point 7: loans, guarantees and equity investments) and partnerships
(point 8: agreements with partner institutions, technology transfers, licences and cooperation projects), and the
innovation fund's calls (point 6; :func:`call_errors` is what ``services.grant_apply`` asks of a grant's call).

Like ``services``: keyword-only, one transaction, audited (the models are registered in ``apps.py``); a broken rule
raises ``Refused`` / ``FieldErrors`` and nothing is written. Administrators and the talent office keep the records;
every enterprise, partner and platform a record names must be one the user sees.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from .models import Cooperation, FinanceDeal, Fund, FundCall, Partner, PartnerAgreement, Platform
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


# --- Partnerships ---------------------------------------------------------------------------------------------------

AGREEMENT_FIELDS = ("partner", "title", "signed_on", "valid_from", "valid_until", "scope", "status")
COOPERATION_FIELDS = ("kind", "title", "partner", "enterprise", "contract_value_wan_yuan", "signed_on", "platform",
                      "note")  # fmt: skip


def _sees(by, model, obj, field: str, message: str, errors: dict) -> None:
    if obj is not None and not model.objects.for_user(by).filter(pk=obj.pk).exists():
        errors[field] = [message]


@transaction.atomic
def agreement_save(*, by, agreement: PartnerAgreement | None = None, **fields) -> PartnerAgreement:
    """Record an agreement with a partner institution, or change the given fields of one."""
    _writer(by)
    errors: dict[str, list[str]] = {}
    _sees(by, Partner, fields.get("partner"), "partner", _("You may not name this partner."), errors)
    if errors:
        raise FieldErrors(errors)
    agreement = (
        PartnerAgreement() if agreement is None else PartnerAgreement.objects.select_for_update().get(pk=agreement.pk)
    )
    _apply(agreement, fields, AGREEMENT_FIELDS)
    _clean(agreement)
    start = agreement.valid_from or agreement.signed_on
    if agreement.valid_until and start and agreement.valid_until < start:
        raise FieldErrors({"valid_until": [_("The agreement cannot end before it is in force.")]})
    agreement.save()
    return agreement


@transaction.atomic
def cooperation_save(*, by, cooperation: Cooperation | None = None, **fields) -> Cooperation:
    """Record a technology transfer, licence or cooperation project (partner, enterprise, contract value, signed
    on; optionally the technology-transfer centre it went through), or change the given fields of one."""
    _writer(by)
    errors: dict[str, list[str]] = {}
    _sees(by, Partner, fields.get("partner"), "partner", _("You may not name this partner."), errors)
    _sees(by, Platform, fields.get("platform"), "platform", _("You may not name this platform."), errors)
    platform = fields.get("platform")
    if platform is not None and "platform" not in errors and platform.kind != Platform.Kind.TRANSFER_CENTRE:
        errors["platform"] = [_("%(p)s is not a technology-transfer centre.") % {"p": platform}]
    if errors:
        raise FieldErrors(errors)
    if "enterprise" in fields:
        _sees_enterprise(by, fields["enterprise"], "enterprise")
    cooperation = (
        Cooperation() if cooperation is None else Cooperation.objects.select_for_update().get(pk=cooperation.pk)
    )
    _apply(cooperation, fields, COOPERATION_FIELDS)
    _clean(cooperation)
    cooperation.save()
    return cooperation


# --- The innovation fund's calls ------------------------------------------------------------------------------------

CALL_FIELDS = ("fund", "title", "opens_on", "closes_on", "offered_wan_yuan", "status")


@transaction.atomic
def fund_call_save(*, by, call: FundCall | None = None, **fields) -> FundCall:
    """Open a call of a fund (title, open from / until, the amount offered), or change the given fields of one. The
    amount offered is within the fund's budget; an open call needs an open fund."""
    _writer(by)
    errors: dict[str, list[str]] = {}
    _sees(by, Fund, fields.get("fund"), "fund", _("You may not name this fund."), errors)
    if errors:
        raise FieldErrors(errors)
    call = FundCall() if call is None else FundCall.objects.select_for_update().get(pk=call.pk)
    _apply(call, fields, CALL_FIELDS)
    _clean(call)
    fund = call.fund
    if call.closes_on < call.opens_on:
        errors["closes_on"] = [_("A call cannot close before it opens.")]
    if call.offered_wan_yuan > fund.budget_wan_yuan:
        errors["offered_wan_yuan"] = [
            _("The fund's budget is %(b)s 万元: a call cannot offer more.") % {"b": fund.budget_wan_yuan}
        ]
    if call.status == FundCall.Status.OPEN and fund.status != Fund.Status.OPEN:
        errors["status"] = [_("%(f)s is closed: its calls cannot be open.") % {"f": fund}]
    if errors:
        raise FieldErrors(errors)
    call.save()
    return call


def call_errors(*, by, fund: Fund, call: FundCall, on) -> list[str]:
    """Why a grant application of ``fund`` made ``on`` may not name ``call`` (empty: it may): the call must be one
    ``by`` sees, of the same fund, and open on that day."""
    if not FundCall.objects.for_user(by).filter(pk=call.pk).exists():
        return [_("You may not name this call.")]
    if call.fund_id != fund.pk:
        return [_("This call is of another fund (%(f)s).") % {"f": call.fund}]
    if not call.is_open_on(on):
        return [
            _("This call is not open on %(day)s (it is “%(s)s”, from %(a)s to %(b)s).")
            % {"day": on, "s": call.get_status_display(), "a": call.opens_on, "b": call.closes_on}
        ]
    return []
