"""The pages of applications: the list, filing, the detail and its actions (the workflow table's)."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hitechzone.accounts.models import Role
from hitechzone.accounts.roles import effective_role
from hitechzone.approvals import exports, queries, services, workflow
from hitechzone.approvals.forms import (
    AnswerForm,
    ApplicationForm,
    AssignForm,
    CheckForm,
    CompleteForm,
    NoteForm,
    PauseForm,
    RateForm,
    ReasonForm,
    SupplyForm,
    item_choices,
)
from hitechzone.approvals.models import (
    Application,
    ApplicationMaterial,
    Pause,
    Rectification,
    Review,
)
from hitechzone.common.deadlines import remaining_working_days
from hitechzone.common.params import year_or
from hitechzone.common.views import deny_unless as _deny_unless
from hitechzone.common.views import int_param as _int_param
from hitechzone.common.views import paginate
from hitechzone.zone.models import Department

from .base import (
    FILE_ROLES,
    LIGHTS,
    PAGE_ROLES,
    M,
    S,
    _deadline_url,
    _person,
    _render,
    light_labels,
    step_labels,
    working_days_after,
)

# --- Applications ---------------------------------------------------------------------------------------------------


def _department_filter(request, queryset, field: str = "department"):
    value = request.GET.get("department", "").strip()
    if value.isdigit():
        return queryset.filter(**{f"{field}_id": int(value)})
    if value:
        return queryset.filter(**{f"{field}__code": value})
    return queryset


def _application_filters(request, applications, today: date):
    state = request.GET.get("state", "")
    if state in S.values:
        applications = applications.filter(state=state)
    light = request.GET.get("light", "")
    if light in LIGHTS:
        applications = applications.filter(queries.light_filter(light, today))
    applications = _department_filter(request, applications)
    item_id = _int_param(request, "item")
    if item_id:
        applications = applications.filter(item_id=item_id)
    enterprise_id = _int_param(request, "enterprise")
    if enterprise_id:
        applications = applications.filter(enterprise_id=enterprise_id)
    year = year_or(request.GET.get("year"), None, last=2100)
    if year:
        applications = applications.filter(received_on__gte=date(year, 1, 1), received_on__lte=date(year, 12, 31))
    if request.GET.get("agent"):
        applications = applications.filter(agent__isnull=False)
    q = request.GET.get("q", "").strip()
    if q:
        applications = applications.filter(
            Q(number__icontains=q) | Q(enterprise__name__icontains=q) | Q(title__icontains=q)
        )
    return applications


# The list's views: the to-do queue (待办) of the window, or every application in scope.
TODO, ALL = "todo", "all"
# The parameters that narrow the list: a link that sets one (a dashboard's figure) means the whole list.
FILTER_PARAMS = ("q", "state", "light", "department", "item", "year", "agent", "enterprise")


def _list_view(request, role: str) -> str | None:
    """``todo`` or ``all`` for the window (admins and department staff), ``None`` for the others (no switch).

    Department staff open their to-do queue by default; a link with a filter opens the whole list."""
    if workflow.side_of(request.user) != workflow.WINDOW:
        return None
    wanted = request.GET.get("view", "")
    if wanted in (TODO, ALL):
        return wanted
    if role == Role.DEPARTMENT and not any(request.GET.get(p) for p in FILTER_PARAMS):
        return TODO
    return ALL


@login_required
def application_list(request):
    user = request.user
    _deny_unless(user, PAGE_ROLES)
    today = timezone.localdate()
    role = effective_role(user)
    view = _list_view(request, role)
    applications = _application_filters(request, Application.objects.for_user(user), today)
    if view == TODO:
        applications = queries.todo(user, applications)
    applications = queries.with_light(applications, today).select_related(
        "version", "department", "enterprise", "assignee"
    )
    if request.GET.get("export") == "xlsx":
        return exports.applications_response(applications)  # the columns of the history import
    page, query = paginate(request, applications)
    return _render(
        request,
        "approvals/applications.html",
        {
            "page": page,
            "query": query,
            "view": view,
            "todo_count": queries.todo(user).count() if view is not None else None,
            "states": S.choices,
            "lights": [(light, light_labels()[light]) for light in LIGHTS],
            "departments": Department.objects.for_user(user) if role != Role.DEPARTMENT else None,
            "items": item_choices(queries.filter_items(user).select_related("department", "current")),
            "years": list(range(today.year, today.year - 6, -1)),
            "can_file": role in FILE_ROLES,
        },
    )


@login_required
def application_new(request):
    user = request.user
    _deny_unless(user, FILE_ROLES)
    if effective_role(user) == Role.ENTERPRISE and not user.enterprise_id:
        raise Http404
    initial = {}
    for name in ("item", "enterprise"):
        value = _int_param(request, name)
        if value:
            initial[name] = value
    form = ApplicationForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        enterprise = user.enterprise if effective_role(user) == Role.ENTERPRISE else data["enterprise"]
        try:
            application = services.application_file(
                by=user, item=data["item"], enterprise=enterprise, title=data["title"], provided=data["provided"]
            )
        except services.Refused as refused:
            form.add_error(None, str(refused))
        else:
            if application.agent_id:
                done = _("Application %(number)s filed as the approval agent (代办).")
            else:
                done = _("Application %(number)s filed: the window checks the materials next.")
            messages.success(request, done % {"number": application.number})
            return redirect("approvals:application", pk=application.pk)
    pick = "enterprise" in form.fields
    return _render(
        request,
        "approvals/application_form.html",
        {
            "form": form,
            "pick_enterprise": pick,
            "is_agent": effective_role(user) == Role.OFFICER,
            "has_enterprises": not pick or form.fields["enterprise"].queryset.exists(),
        },
    )


@login_required
def filing_materials(request):
    """The materials of the chosen item, as checkboxes (htmx swaps them into the filing form)."""
    user = request.user
    _deny_unless(user, FILE_ROLES)
    form = ApplicationForm(user=user, initial={"item": _int_param(request, "item")})
    return render(request, "approvals/_filing_materials.html", {"form": form})


def _scoped_application(user, pk: int) -> Application:
    return get_object_or_404(
        queries.with_light(Application.objects.for_user(user)).select_related(
            "item", "version", "department", "enterprise", "applicant", "agent", "assignee", "bundle"
        ),
        pk=pk,
    )


def _available(user, application: Application, rows: list[ApplicationMaterial], review) -> list[str]:
    """The actions this user may take on this application in its state (the forms to show): the workflow table's."""
    awaited = any(r.status in (M.MISSING, M.PROMISED) for r in rows)
    return workflow.offered(user, application, awaited=awaited, rated=review is not None)


ACTIONS = tuple(workflow.ACTIONS)


def _form(action: str, application: Application, rows: list[ApplicationMaterial], data=None):
    kwargs = {"prefix": action}
    if action == "check":
        return CheckForm(data, application=application, rows=rows, **kwargs)
    if action == "supply":
        return SupplyForm(data, rows=rows, **kwargs)
    if action == "assign":
        return AssignForm(data, application=application, **kwargs)
    if action == "pause":
        return PauseForm(data, rows=rows, **kwargs)
    if action == "complete":
        return CompleteForm(data, **kwargs)
    if action == "rate":
        return RateForm(data, **kwargs)
    if action == "reject":
        return ReasonForm(data, **kwargs)
    return NoteForm(data, **kwargs)


def _material_rows(application: Application) -> list[ApplicationMaterial]:
    return list(application.materials.select_related("material", "notice"))


def _deadline_link(application: Application) -> str | None:
    base = _deadline_url()
    if base is None or application.accepted_on is None:
        return None
    pauses = ",".join(
        f"{p.started_on.isoformat()}:{p.ended_on.isoformat()}" for p in application.pauses.all() if p.ended_on
    )
    link = f"{base}?start={application.accepted_on.isoformat()}&days={application.limit_days}"
    return f"{link}&pauses={pauses}" if pauses else link


def _application_detail(request, application: Application, bound=None, status: int = 200):
    user = request.user
    today = timezone.localdate()
    rows = _material_rows(application)
    review = Review.objects.filter(application=application).select_related("rated_by").first()
    rectification = (
        Rectification.objects.filter(review=review).select_related("answered_by").first() if review else None
    )
    forms = {action: _form(action, application, rows) for action in _available(user, application, rows, review)}
    if bound is not None and bound[0] in forms:
        forms[bound[0]] = bound[1]
    labels, states = step_labels(), dict(S.choices)
    steps = list(application.steps.select_related("by", "assignee"))
    for step in steps:
        step.label = labels.get(step.action, step.action)
        step.from_label = states.get(step.from_state, step.from_state)
        step.to_label = states.get(step.to_state, step.to_state)
    remaining = None
    if application.due_on and application.state in Application.CLOCK_STATES:
        try:
            remaining = remaining_working_days(application.due_on, today)
        except ValueError:
            remaining = None
    can_answer = (
        rectification is not None
        and rectification.is_open
        and (
            effective_role(user) == Role.ADMIN
            or (effective_role(user) == Role.DEPARTMENT and user.department_id == rectification.department_id)
        )
    )
    return _render(
        request,
        "approvals/application_detail.html",
        {
            "a": application,
            "rows": rows,
            "notices": list(application.notices.select_related("issued_by")),
            "pauses": list(application.pauses.all()),
            "steps": steps,
            "review": review,
            "rectification": rectification,
            "answer_form": AnswerForm(prefix="answer") if can_answer else None,
            "forms": forms,
            "remaining": remaining,
            "overdue_days": working_days_after([(application.due_on, today)])[0]
            if application.light_now == "red"
            else None,
            "deadline_link": _deadline_link(application),
            "clock_running": application.state in Application.COUNTING_STATES,
        },
        status=status,
    )


@login_required
def application_detail(request, pk: int):
    user = request.user
    _deny_unless(user, PAGE_ROLES)
    return _application_detail(request, _scoped_application(user, pk))


@login_required
def notice_print(request, pk: int, notice: int):
    """A one-time notice (一次性告知书) as a page to print and hand to the applicant: whoever sees the application."""
    user = request.user
    _deny_unless(user, PAGE_ROLES)
    application = get_object_or_404(
        Application.objects.for_user(user).select_related("version", "department", "enterprise", "item"), pk=pk
    )
    notice = get_object_or_404(application.notices.select_related("issued_by"), pk=notice)
    return render(request, "approvals/notice_print.html", {"a": application, "notice": notice})


def _due(application: Application) -> str:
    due = application.due_on.isoformat() if application.due_on else "—"
    return f"{due} ({_('provisional')})" if application.due_provisional else due


@login_required
@require_POST
def application_act(request, pk: int, action: str):
    user = request.user
    _deny_unless(user, PAGE_ROLES)
    if action not in ACTIONS:
        raise Http404
    application = _scoped_application(user, pk)
    form = _form(action, application, _material_rows(application), request.POST)
    if not form.is_valid():
        return _application_detail(request, application, bound=(action, form), status=400)
    data = form.cleaned_data
    try:
        done = _act(action, application, user, form, data)
    except services.Refused as refused:
        messages.error(request, str(refused))
        return _application_detail(request, _scoped_application(user, pk), bound=(action, form), status=400)
    messages.success(request, done)
    return redirect("approvals:application", pk=pk)


def _act(action: str, application: Application, user, form, data) -> str:
    """Take ``action`` through its service; the message to show."""
    if action == "check":
        application = services.application_check(
            application=application, by=user, provided=form.provided(), promised=form.promised(), note=data["note"]
        )
        if application.state == S.ACCEPTED:
            return _("Accepted: the clock starts tomorrow; due on %(due)s.") % {"due": _due(application)}
        missing = application.materials.filter(status=M.MISSING).count()
        return _("One-time notice issued: %(n)d materials to supply.") % {"n": missing}
    if action == "reject":
        services.application_reject(application=application, by=user, reason=data["reason"])
        return _("Not accepted; the applicant is told the reason.")
    if action == "supply":
        application = services.application_supply(application=application, by=user, materials=data["materials"])
        if application.state == S.RECEIVED:
            return _("Materials supplied: the window checks the application again.")
        if application.state in Application.COUNTING_STATES:
            return _("Materials supplied: the clock runs again; due on %(due)s.") % {"due": _due(application)}
        return _("Materials recorded as supplied.")
    if action == "assign":
        services.application_assign(application=application, by=user, assignee=data["assignee"], note=data["note"])
        return _("Assigned to %(user)s.") % {"user": _person(data["assignee"])}
    if action == "pause":
        services.application_pause(
            application=application, by=user, kind=data["kind"], reason=data["reason"], missing=data["missing"]
        )
        if data["kind"] == Pause.Kind.CORRECTION:
            return _("The clock is stopped: a one-time notice lists the materials to supply.")
        return _("The clock is stopped for the special procedure.")
    if action == "resume":
        application = services.application_resume(application=application, by=user, note=data["note"])
        return _("The clock runs again; due on %(due)s.") % {"due": _due(application)}
    if action == "complete":
        application = services.application_complete(
            application=application,
            by=user,
            outcome=data["outcome"],
            certificate_no=data["certificate_no"],
            reason=data["reason"],
        )
        return _("Completed (%(outcome)s) in %(n)s working days.") % {
            "outcome": application.get_outcome_display(),
            "n": application.working_days_used,
        }
    review = services.application_rate(application=application, by=user, level=data["level"], comment=data["comment"])
    if hasattr(review, "rectification"):
        return _("Thank you: the department must answer your rating by %(due)s.") % {"due": review.rectification.due_on}
    return _("Thank you for your rating.")
