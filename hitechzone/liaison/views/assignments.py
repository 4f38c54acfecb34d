"""Assignments: the active list, the proposals to confirm, an enterprise's officer history."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hitechzone.accounts.models import Role, User
from hitechzone.accounts.roles import effective_role
from hitechzone.common.spreadsheets import xlsx_response
from hitechzone.common.views import deny_unless as _deny_unless
from hitechzone.common.views import int_param as _int_param
from hitechzone.common.views import paginate
from hitechzone.enterprises.models import Assignment, Enterprise
from hitechzone.liaison import queries, services
from hitechzone.liaison.forms import AssignForm

from .base import ASSIGNMENT_ROLES, SUGGEST_LIMIT, UNASSIGNED_SHOWN, _person, _render, duties


@login_required
def assignments(request):
    user = request.user
    _deny_unless(user, ASSIGNMENT_ROLES)
    can_write = effective_role(user) == Role.ADMIN
    active = Assignment.objects.for_user(user).active().select_related("officer", "enterprise")
    q = request.GET.get("q", "").strip()
    if q:
        active = active.filter(
            Q(enterprise__name__icontains=q) | Q(officer__username__icontains=q) | Q(officer__full_name__icontains=q)
        )
    officer_id = _int_param(request, "officer")
    if officer_id:
        active = active.filter(officer_id=officer_id)
    active = active.order_by("enterprise__name", "id")
    if request.GET.get("export") == "xlsx":
        return _assignments_export(active)
    page, query = paginate(request, active)
    unassigned = queries.unassigned_eligible().order_by("name")
    proposals = None
    if can_write and request.GET.get("suggest"):
        proposals = queries.suggest_assignments(limit=SUGGEST_LIMIT)
    return _render(
        request,
        "liaison/assignments.html",
        {
            "page": page,
            "query": query,
            "can_write": can_write,
            "unassigned": list(unassigned[:UNASSIGNED_SHOWN]),
            "unassigned_count": unassigned.count(),
            "officers": list(queries.officers_with_load()),
            "proposals": proposals,
            "duties": duties(),
            "today": timezone.localdate(),
        },
    )


def _assignments_export(active):
    headers = [
        _("Enterprise"),
        _("Unified social credit code"),
        _("Username"),
        _("Service officer"),
        _("Phone"),
        _("Started on"),
        _("Duties"),
    ]
    joined = " / ".join(duties())
    rows = (
        [
            a.enterprise.name,
            a.enterprise.uscc,
            a.officer.username,
            _person(a.officer),
            a.officer.phone,
            a.started_on,
            joined,
        ]
        for a in active.iterator(chunk_size=2000)
    )
    return xlsx_response(
        f"店小二分配-{timezone.localdate():%Y%m%d}.xlsx",
        [(_("Active assignments"), headers, rows)],
        widths={_("Active assignments"): [36, 22, 14, 14, 14, 12, 60]},
    )


@login_required
@require_POST
def assignments_confirm(request):
    """Create the checked proposals (``enterprise_id:officer_id``), all or none, starting today."""
    user = request.user
    _deny_unless(user, {Role.ADMIN})
    pairs = []
    for value in request.POST.getlist("pair"):
        enterprise_id, _sep, officer_id = value.partition(":")
        if enterprise_id.isdigit() and officer_id.isdigit():
            pairs.append((int(enterprise_id), int(officer_id)))
    if not pairs:
        messages.warning(request, _("Check at least one proposal."))
        return redirect(f"{reverse('liaison:assignments')}?suggest=1")
    still_open = set(queries.unassigned_eligible().filter(pk__in=[e for e, _o in pairs]).values_list("pk", flat=True))
    enterprises = Enterprise.objects.in_bulk([e for e, _o in pairs])
    officers = User.objects.in_bulk([o for _e, o in pairs])
    today = timezone.localdate()
    skipped = sum(1 for e, _o in pairs if e not in still_open)
    try:
        with transaction.atomic():
            created = 0
            for enterprise_id, officer_id in pairs:
                if enterprise_id not in still_open or officer_id not in officers:
                    continue
                services.assignment_start(
                    officer=officers[officer_id], enterprise=enterprises[enterprise_id], started_on=today, by=user
                )
                still_open.discard(enterprise_id)
                created += 1
    except services.Refused as refused:
        messages.error(request, str(refused))
        return redirect(f"{reverse('liaison:assignments')}?suggest=1")
    messages.success(request, _("%(n)d assignments created.") % {"n": created})
    if skipped:
        messages.info(request, _("%(n)d enterprises had an officer already and were skipped.") % {"n": skipped})
    return redirect("liaison:assignments")


@login_required
def enterprise_assignments(request, pk: int):
    """An enterprise's officer history, and (administrator) the form that assigns or reassigns it."""
    user = request.user
    _deny_unless(user, ASSIGNMENT_ROLES)
    can_write = effective_role(user) == Role.ADMIN
    if request.method == "POST" and not can_write:
        raise Http404
    enterprise = get_object_or_404(queries.with_latest_output(Enterprise.objects.for_user(user)), pk=pk)
    history = list(
        Assignment.objects.for_user(user)
        .filter(enterprise=enterprise)
        .select_related("officer", "officer__department")
        .order_by("-started_on", "-id")
    )
    today = timezone.localdate()
    current = next(
        (a for a in history if a.started_on <= today and (a.ended_on is None or a.ended_on > today)),
        None,
    )
    form = AssignForm(request.POST or None, officers=queries.officers_with_load()) if can_write else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            services.assignment_start(
                officer=form.cleaned_data["officer"],
                enterprise=enterprise,
                started_on=form.cleaned_data["started_on"],
                by=user,
            )
        except services.Refused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request,
                _("%(officer)s now serves %(enterprise)s.")
                % {"officer": _person(form.cleaned_data["officer"]), "enterprise": enterprise.name},
            )
            return redirect("liaison:enterprise-assignments", pk=enterprise.pk)
    return _render(
        request,
        "liaison/enterprise_assignments.html",
        {
            "enterprise": enterprise,
            "history": history,
            "current": current,
            "form": form,
            "duties": duties(),
            "eligible": (enterprise.latest_output or 0) >= queries.ELIGIBLE_OUTPUT_WAN_YUAN
            and enterprise.is_industrial,
        },
    )
