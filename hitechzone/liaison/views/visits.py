"""Visits: recording one (with the problems found) and the visit log."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hitechzone.accounts.models import Role
from hitechzone.accounts.roles import effective_role
from hitechzone.common.spreadsheets import xlsx_response
from hitechzone.common.views import deny_unless as _deny_unless
from hitechzone.common.views import int_param as _int_param
from hitechzone.common.views import paginate
from hitechzone.liaison import services
from hitechzone.liaison.forms import ProblemRowFormSet, VisitForm, officers_enterprises
from hitechzone.liaison.models import Problem, Visit

from .base import VISIT_ROLES, _parse_month, _person, _render


@login_required
def visit_new(request):
    user = request.user
    _deny_unless(user, {Role.OFFICER})
    initial = {}
    mine = officers_enterprises(user)
    wanted = _int_param(request, "enterprise")
    if wanted and mine.filter(pk=wanted).exists():
        initial["enterprise"] = wanted
    elif request.method == "GET":
        only = list(mine.values_list("pk", flat=True)[:2])
        if len(only) == 1:
            initial["enterprise"] = only[0]  # one enterprise: nothing to choose
    form = VisitForm(request.POST or None, user=user, initial=initial)
    problems = ProblemRowFormSet(request.POST or None, prefix="problems")
    if request.method == "POST" and form.is_valid() and problems.is_valid():
        found = [p for p in (row.problem() for row in problems.forms) if p]
        data = form.cleaned_data
        try:
            visit = services.visit_record(
                officer=user,
                enterprise=data["enterprise"],
                visited_on=data["visited_on"],
                form=data["form"],
                people_met=data["people_met"],
                notes=data["notes"],
                problems=found,
            )
        except services.Refused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request,
                _("Visit to %(enterprise)s on %(d)s recorded, with %(n)d problems.")
                % {"enterprise": visit.enterprise.name, "d": visit.visited_on, "n": len(found)},
            )
            return redirect(f"{reverse('liaison:visits')}?highlight={visit.pk}")
    return _render(
        request,
        "liaison/visit_form.html",
        {"form": form, "problems": problems, "has_enterprises": form.fields["enterprise"].queryset.exists()},
    )


def _visit_list(request):
    user = request.user
    visits = Visit.objects.for_user(user).select_related("enterprise", "officer")
    month = _parse_month(request.GET.get("month"))
    if month:
        first, last = services.month_bounds(*month)
        visits = visits.filter(visited_on__gte=first, visited_on__lte=last)
    enterprise_id = _int_param(request, "enterprise")
    if enterprise_id:
        visits = visits.filter(enterprise_id=enterprise_id)
    q = request.GET.get("q", "").strip()
    if q:
        visits = visits.filter(enterprise__name__icontains=q)
    officer_id = _int_param(request, "officer")
    if officer_id:
        visits = visits.filter(officer_id=officer_id)
    return visits


@login_required
def visit_list(request):
    user = request.user
    _deny_unless(user, VISIT_ROLES)
    visits = _visit_list(request)
    if request.GET.get("export") == "xlsx":
        return _visits_export(visits)
    visits = visits.prefetch_related(
        Prefetch("problems", queryset=Problem.objects.for_user(user).only("id", "title", "status", "visit_id"))
    )
    page, query = paginate(request, visits)
    return _render(
        request,
        "liaison/visits.html",
        {
            "page": page,
            "query": query,
            "enterprises": officers_enterprises(user) if effective_role(user) == Role.OFFICER else None,
            "can_record": effective_role(user) == Role.OFFICER,
            "highlight": _int_param(request, "highlight"),
        },
    )


def _visits_export(visits):
    forms = dict(Visit.Form.choices)
    headers = [
        _("Date"),
        _("Enterprise"),
        _("Unified social credit code"),
        _("Service officer"),
        _("Form"),
        _("People met"),
        _("Notes"),
        _("Problems found"),
    ]
    rows = (
        [
            v.visited_on,
            v.enterprise.name,
            v.enterprise.uscc,
            _person(v.officer),
            str(forms.get(v.form, v.form)),
            v.people_met,
            v.notes,
            v.n_problems,
        ]
        for v in visits.annotate(n_problems=Count("problems")).iterator(chunk_size=2000)
    )
    return xlsx_response(
        f"走访记录-{timezone.localdate():%Y%m%d}.xlsx",
        [(_("Visit log"), headers, rows)],
        widths={_("Visit log"): [12, 36, 22, 14, 10, 24, 60, 10]},
    )
