"""The M6 pages of technology finance (issue 15, point 7) and partnerships (point 8).

- Finance: the deals with a bar chart of the amounts per year and kind and the totals table; a deal's page
  (changed there by the talent office); the form of a new deal. Administrators, leaders and the talent office see
  every deal; an enterprise user its own; anyone else is refused (403; another's deal 404).
- Partnerships: the transfers, licences and cooperation projects with a bar chart of the contract value per year
  and kind and the totals table (the zone's staff and officers, an enterprise its own); the agreements with partner
  institutions (the zone's staff and officers); the forms of new ones (administrators and the talent office).
- Fund calls: the innovation fund's calls with the applications under each and the amount granted (the staff; an
  enterprise the open ones and those it applied under), and the form that opens one (the talent office).

Writes go through ``services_finance``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.translation import gettext as _

from hitechzone.common.params import year_from_query
from hitechzone.common.views import paginate
from hitechzone.enterprises.models import Enterprise

from . import forms_finance as f
from . import queries_finance, roles, services_finance
from .models import Cooperation, FinanceDeal, Fund, FundCall, Partner, PartnerAgreement, Platform
from .views import ALL, APPLICANTS, PUBLIC, REFUSED, _attempt, _deny_unless, render_page


def _of_enterprise(request, qs):
    """``?enterprise=<id>`` (the enterprise page's "more" link): that enterprise's rows; anything else is ignored."""
    enterprise = request.GET.get("enterprise", "")
    if enterprise.isascii() and enterprise.isdecimal() and len(enterprise) < 10:
        qs = qs.filter(enterprise_id=int(enterprise))
    return qs


def _deals(user):
    return FinanceDeal.objects.for_user(user).select_related("enterprise")


@login_required
def finance(request):
    user = request.user
    _deny_unless(user, APPLICANTS)
    qs = _deals(user).order_by("-signed_on", "-pk")
    kind = request.GET.get("kind", "")
    if kind in FinanceDeal.Kind.values:
        qs = qs.filter(kind=kind)
    status = request.GET.get("status", "")
    if status in FinanceDeal.Status.values:
        qs = qs.filter(status=status)
    year = year_from_query(request, None)
    if year is not None:
        qs = qs.filter(signed_on__year=year)
    qs = _of_enterprise(request, qs)
    years = queries_finance.finance_years(user)
    page, query = paginate(request, qs)
    return render_page(
        request,
        "talent/finance.html",
        {
            "page": page,
            "query": query,
            "years": years,
            "chart": queries_finance.finance_chart(years),
            "kinds": FinanceDeal.Kind.choices,
            "statuses": FinanceDeal.Status.choices,
            "chosen": {"kind": kind, "status": status, "year": year},
            "can_write": roles.may_write(user),
        },
    )


def _form(request, user, deal=None):
    initial = None
    if deal is not None:
        initial = {name: getattr(deal, name) for name in services_finance.DEAL_FIELDS}
    return f.FinanceDealForm(
        request.POST or None, initial=initial, enterprises=Enterprise.objects.for_user(user).order_by("name")
    )


@login_required
def finance_new(request):
    user = request.user
    if not roles.may_write(user):
        raise PermissionDenied
    form = _form(request, user)
    if request.method == "POST" and form.is_valid():
        deal = _attempt(form, lambda: services_finance.finance_deal_save(by=user, **form.cleaned_data))
        if deal is not REFUSED:
            messages.success(request, _("The deal is recorded."))
            return redirect("talent:finance-deal", pk=deal.pk)
    return render_page(
        request, "talent/form.html", {"form": form, "title": _("New technology finance deal"), "back": "talent:finance"}
    )


@login_required
def finance_deal(request, pk: int):
    user = request.user
    _deny_unless(user, APPLICANTS, scoped=True)
    deal = get_object_or_404(_deals(user), pk=pk)
    form = _form(request, user, deal) if roles.may_write(user) else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            saved = _attempt(form, lambda: services_finance.finance_deal_save(by=user, deal=deal, **form.cleaned_data))
            if saved is not REFUSED:
                messages.success(request, _("Saved."))
                return redirect("talent:finance-deal", pk=deal.pk)
    return render_page(request, "talent/finance_deal.html", {"deal": deal, "form": form})


# --- Partnerships ---------------------------------------------------------------------------------------------------


@login_required
def partnerships(request):
    user = request.user
    _deny_unless(user, ALL)
    qs = Cooperation.objects.for_user(user).select_related("partner", "enterprise").order_by("-signed_on", "-pk")
    kind = request.GET.get("kind", "")
    if kind in Cooperation.Kind.values:
        qs = qs.filter(kind=kind)
    year = year_from_query(request, None)
    if year is not None:
        qs = qs.filter(signed_on__year=year)
    qs = _of_enterprise(request, qs)
    years = queries_finance.cooperation_years(user)
    page, query = paginate(request, qs)
    return render_page(
        request,
        "talent/partnerships.html",
        {
            "page": page,
            "query": query,
            "years": years,
            "chart": queries_finance.cooperation_chart(years),
            "kinds": Cooperation.Kind.choices,
            "chosen": {"kind": kind, "year": year},
            "can_write": roles.may_write(user),
            "reads_agreements": roles.effective_role(user) in PUBLIC,
        },
    )


@login_required
def agreements(request):
    user = request.user
    _deny_unless(user, PUBLIC)
    qs = PartnerAgreement.objects.for_user(user).select_related("partner").order_by("-signed_on", "-pk")
    page, query = paginate(request, qs)
    return render_page(
        request, "talent/agreements.html", {"page": page, "query": query, "can_write": roles.may_write(user)}
    )


@login_required
def agreement_new(request):
    user = request.user
    if not roles.may_write(user):
        raise PermissionDenied
    form = f.AgreementForm(request.POST or None, partners=Partner.objects.for_user(user).order_by("name"))
    if request.method == "POST" and form.is_valid():
        made = _attempt(form, lambda: services_finance.agreement_save(by=user, **form.cleaned_data))
        if made is not REFUSED:
            messages.success(request, _("The agreement is recorded."))
            return redirect("talent:agreements")
    return render_page(
        request, "talent/form.html", {"form": form, "title": _("New partner agreement"), "back": "talent:agreements"}
    )


@login_required
def cooperation_new(request):
    user = request.user
    if not roles.may_write(user):
        raise PermissionDenied
    form = f.CooperationForm(
        request.POST or None,
        partners=Partner.objects.for_user(user).order_by("name"),
        enterprises=Enterprise.objects.for_user(user).order_by("name"),
        platforms=Platform.objects.for_user(user).filter(kind=Platform.Kind.TRANSFER_CENTRE).order_by("name"),
    )
    if request.method == "POST" and form.is_valid():
        made = _attempt(form, lambda: services_finance.cooperation_save(by=user, **form.cleaned_data))
        if made is not REFUSED:
            messages.success(request, _("The transfer or cooperation project is recorded."))
            return redirect("talent:partnerships")
    return render_page(
        request,
        "talent/form.html",
        {"form": form, "title": _("New technology transfer or cooperation project"), "back": "talent:partnerships"},
    )


# --- The innovation fund's calls ------------------------------------------------------------------------------------


@login_required
def calls(request):
    user = request.user
    _deny_unless(user, APPLICANTS)
    qs = queries_finance.calls_with_figures(user).order_by("-opens_on", "-pk")
    fund = request.GET.get("fund", "")
    if fund.isdecimal() and len(fund) < 10:
        qs = qs.filter(fund_id=int(fund))
    status = request.GET.get("status", "")
    if status in FundCall.Status.values:
        qs = qs.filter(status=status)
    form = None
    if roles.may_write(user):
        form = f.FundCallForm(request.POST or None, funds=Fund.objects.for_user(user).order_by("-year", "name"))
        if request.method == "POST" and form.is_valid():
            made = _attempt(form, lambda: services_finance.fund_call_save(by=user, **form.cleaned_data))
            if made is not REFUSED:
                messages.success(request, _("The call %(c)s is recorded.") % {"c": made.title})
                return redirect("talent:calls")
    elif request.method == "POST":
        raise PermissionDenied
    page, query = paginate(request, qs)
    return render_page(
        request,
        "talent/calls.html",
        {
            "page": page,
            "query": query,
            "form": form,
            "statuses": FundCall.Status.choices,
            "status": status,
            "may_apply": roles.may_write(user) or roles.effective_role(user) == roles.ENTERPRISE,
        },
    )


urlpatterns = [
    path("finance/", finance, name="finance"),
    path("finance/new/", finance_new, name="finance-new"),
    path("finance/<int:pk>/", finance_deal, name="finance-deal"),
    path("partnerships/", partnerships, name="partnerships"),
    path("partnerships/new/", cooperation_new, name="cooperation-new"),
    path("agreements/", agreements, name="agreements"),
    path("agreements/new/", agreement_new, name="agreement-new"),
    path("calls/", calls, name="calls"),
]
