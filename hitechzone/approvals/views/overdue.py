"""The leaders' overdue list and the rectifications (整改)."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hitechzone.accounts.models import Role
from hitechzone.accounts.roles import effective_role
from hitechzone.approvals import queries, services
from hitechzone.approvals.forms import (
    AnswerForm,
)
from hitechzone.approvals.models import (
    Application,
    Rectification,
)
from hitechzone.common.spreadsheets import xlsx_response
from hitechzone.common.views import deny_unless as _deny_unless
from hitechzone.common.views import paginate
from hitechzone.zone.models import Department

from .applications import _department_filter
from .base import OVERDUE_ROLES, PAGE_ROLES, RECTIFICATION_ROLES, _person, _render, working_days_after

# --- The leaders' list ----------------------------------------------------------------------------------------------


@login_required
def overdue(request):
    """Red applications in scope, the most overdue first, with the working days overdue."""
    user = request.user
    _deny_unless(user, OVERDUE_ROLES)
    today = timezone.localdate()
    applications = _department_filter(request, queries.overdue(Application.objects.for_user(user), today))
    if request.GET.get("export") == "xlsx":
        return _overdue_export(applications, today)
    page, query = paginate(request, applications)
    rows = list(page)
    for a, days in zip(rows, working_days_after([(a.due_on, today) for a in rows]), strict=True):
        a.overdue_days = days
    return _render(
        request,
        "approvals/overdue.html",
        {
            "page": page,
            "rows": rows,
            "query": query,
            "today": today,
            "departments": Department.objects.for_user(user) if effective_role(user) != Role.DEPARTMENT else None,
        },
    )


def _overdue_export(applications, today: date):
    rows = list(applications[:50_000])
    days = working_days_after([(a.due_on, today) for a in rows])
    headers = [
        _("Application number"),
        _("Item"),
        _("Department"),
        _("Enterprise"),
        _("Handled by"),
        _("Accepted on"),
        _("Due on"),
        _("Working days overdue"),
    ]
    title = _("Overdue")
    return xlsx_response(
        f"超期办件-{today:%Y%m%d}.xlsx",
        [
            (
                title,
                headers,
                (
                    [
                        a.number,
                        a.version.name,
                        a.department.short_name or a.department.name,
                        a.enterprise.name,
                        _person(a.assignee),
                        a.accepted_on,
                        a.due_on,
                        n,
                    ]
                    for a, n in zip(rows, days, strict=True)
                ),
            )
        ],
        widths={title: [22, 36, 16, 36, 12, 12, 12, 10]},
    )


# --- Rectifications --------------------------------------------------------------------------------------------------


def _can_answer(user, rectification: Rectification) -> bool:
    role = effective_role(user)
    return role == Role.ADMIN or (role == Role.DEPARTMENT and user.department_id == rectification.department_id)


@login_required
def rectification_list(request):
    user = request.user
    _deny_unless(user, RECTIFICATION_ROLES)
    rectifications = Rectification.objects.for_user(user).select_related(
        "department", "answered_by", "review__application__version", "review__application__enterprise"
    )
    if request.GET.get("open"):
        rectifications = rectifications.filter(answered_on__isnull=True)
    rectifications = _department_filter(request, rectifications)
    page, query = paginate(request, rectifications.order_by(F("answered_on").asc(nulls_first=True), "due_on", "id"))
    rows = list(page)
    for r in rows:
        r.form = AnswerForm(prefix=f"answer-{r.pk}") if r.is_open and _can_answer(user, r) else None
    return _render(
        request,
        "approvals/rectifications.html",
        {"page": page, "rows": rows, "query": query, "today": timezone.localdate()},
    )


@login_required
@require_POST
def rectification_answer(request, pk: int):
    user = request.user
    _deny_unless(user, PAGE_ROLES)
    rectification = get_object_or_404(Rectification.objects.for_user(user), pk=pk)
    form = AnswerForm(request.POST, prefix=request.POST.get("prefix") or "answer")
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = reverse("approvals:rectifications")
    if not form.is_valid():
        messages.error(request, _("Write the answer."))
        return redirect(back)
    try:
        services.rectification_answer(rectification=rectification, by=user, answer=form.cleaned_data["answer"])
    except services.Refused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Answer sent: the applicant sees it with the application."))
    return redirect(back)
