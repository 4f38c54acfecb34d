"""Problems: the lists (all, escalated), raising one, a problem's page and the steps of its loop."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hitechzone.accounts.models import Role
from hitechzone.accounts.roles import effective_role
from hitechzone.common.spreadsheets import xlsx_response
from hitechzone.common.views import deny_unless as _deny_unless
from hitechzone.common.views import int_param as _int_param
from hitechzone.common.views import paginate
from hitechzone.liaison import services
from hitechzone.liaison.forms import HandOverForm, NoteForm, ProblemForm, RateForm, SolutionForm
from hitechzone.liaison.models import SERVICE_TARGETS, Category, Problem
from hitechzone.zone.models import Department

from .base import ESCALATED_ROLES, PROBLEM_ROLES, RAISE_ROLES, S, _person, _render


def _problem_filters(request, problems):
    status = request.GET.get("status", "")
    if status in S.values:
        problems = problems.filter(status=status)
    category = request.GET.get("category", "")
    if category in Category.values:
        problems = problems.filter(category=category)
    if request.GET.get("overdue"):
        problems = problems.overdue()
    if request.GET.get("escalated"):
        problems = problems.filter(escalated_at__isnull=False)
    department_id = _int_param(request, "department")
    if department_id:
        problems = problems.filter(department_id=department_id)
    enterprise_id = _int_param(request, "enterprise")
    if enterprise_id:
        problems = problems.filter(enterprise_id=enterprise_id)
    q = request.GET.get("q", "").strip()
    if q:
        problems = problems.filter(Q(title__icontains=q) | Q(enterprise__name__icontains=q))
    return problems


def _problem_page(request, problems, *, template_title: str, escalated: bool = False):
    user = request.user
    problems = _problem_filters(request, problems).select_related("enterprise", "officer", "department")
    if request.GET.get("export") == "xlsx":
        return _problems_export(problems, escalated=escalated)
    page, query = paginate(request, problems)
    return _render(
        request,
        "liaison/problems.html",
        {
            "page": page,
            "query": query,
            "title": template_title,
            "escalated_list": escalated,
            "statuses": S.choices,
            "categories": Category.choices,
            "departments": Department.objects.for_user(user),
            "can_raise": effective_role(user) in RAISE_ROLES,
            "today": timezone.localdate(),
        },
    )


@login_required
def problem_list(request):
    user = request.user
    _deny_unless(user, PROBLEM_ROLES)
    return _problem_page(request, Problem.objects.for_user(user), template_title=_("Problems"))


@login_required
def escalated(request):
    """The leaders' list: open problems escalated or overdue, the longest overdue first."""
    user = request.user
    _deny_unless(user, ESCALATED_ROLES)
    today = timezone.localdate()
    problems = (
        Problem.objects.for_user(user)
        .open()
        .filter(Q(escalated_at__isnull=False) | Q(status__in=Problem.WAITING_ON_HANDLER, due_on__lt=today))
        .order_by("due_on", "id")
    )
    return _problem_page(request, problems, template_title=_("Escalated problems"), escalated=True)


def _problems_export(problems, *, escalated: bool):
    statuses, categories = dict(S.choices), dict(Category.choices)
    headers = [
        _("Number"),
        _("Problem"),
        _("Enterprise"),
        _("Category"),
        _("Status"),
        _("Service officer"),
        _("Responsible department"),
        _("Raised on"),
        _("Handed over on"),
        _("Due on"),
        _("Solved on"),
        _("Solved directly"),
        _("Rating"),
        _("Times reopened"),
        _("Escalated on"),
    ]

    def day(moment):
        return timezone.localtime(moment).date() if moment else None

    rows = (
        [
            p.pk,
            p.title,
            p.enterprise.name,
            str(categories.get(p.category, p.category)),
            str(statuses.get(p.status, p.status)),
            _person(p.officer),
            p.department.name if p.department else "",
            day(p.created_at),
            day(p.handed_over_at),
            p.due_on,
            day(p.solved_at),
            _("yes") if p.solved_directly else "",
            p.get_rating_display() if p.rating else "",
            p.reopened_count,
            day(p.escalated_at),
        ]
        for p in problems.iterator(chunk_size=2000)
    )
    name = "督办诉求" if escalated else "企业诉求"
    title = _("Escalated problems") if escalated else _("Problems")
    return xlsx_response(
        f"{name}-{timezone.localdate():%Y%m%d}.xlsx",
        [(title, headers, rows)],
        widths={title: [8, 36, 36, 16, 20, 12, 24, 12, 12, 12, 12, 8, 16, 8, 12]},
    )


@login_required
def problem_new(request):
    user = request.user
    _deny_unless(user, RAISE_ROLES)
    if effective_role(user) == Role.ENTERPRISE and not user.enterprise_id:
        raise Http404
    initial = {}
    wanted = _int_param(request, "enterprise")
    if wanted:
        initial["enterprise"] = wanted
    form = ProblemForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        enterprise = user.enterprise if effective_role(user) == Role.ENTERPRISE else data["enterprise"]
        try:
            problem = services.problem_raise(
                by=user,
                enterprise=enterprise,
                category=data["category"],
                title=data["title"],
                description=data["description"],
            )
        except services.Refused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("The problem has been raised."))
            return redirect("liaison:problem", pk=problem.pk)
    pick = "enterprise" in form.fields
    return _render(
        request,
        "liaison/problem_form.html",
        {
            "form": form,
            "pick_enterprise": pick,
            "has_enterprises": not pick or form.fields["enterprise"].queryset.exists(),
        },
    )


# The form each step of the loop shows, by the step's name in the URL. Who may take which step, from which
# state, is ``services.LOOP``.
FORMS = {
    "accept": NoteForm,
    "hand-over": HandOverForm,
    "solve": SolutionForm,
    "close": NoteForm,
    "reply": SolutionForm,
    "rate": RateForm,
}


def _available(user, problem: Problem) -> list[str]:
    """The steps this user may take on this problem in its current state (the forms to show)."""
    return [step.slug for step in services.available(user, problem)]


def _form(action: str, user, problem: Problem, data=None):
    form_class = FORMS[action]
    kwargs = {"prefix": action}
    if form_class is HandOverForm:
        kwargs["user"] = user
        kwargs["initial"] = {"due_on": services.default_due_on(problem.category)}
    return form_class(data, **kwargs)


def _scoped_problem(user, pk: int) -> Problem:
    return get_object_or_404(
        Problem.objects.for_user(user).select_related("enterprise", "officer", "department", "raised_by", "visit"),
        pk=pk,
    )


def _problem_detail(request, problem: Problem, bound=None, status: int = 200):
    user = request.user
    forms = {action: _form(action, user, problem) for action in _available(user, problem)}
    if bound is not None and bound[0] in forms:
        forms[bound[0]] = bound[1]
    labels, statuses = step_labels(), dict(S.choices)
    steps = list(problem.steps.select_related("user"))
    for step in steps:
        step.label = labels.get(step.action, step.action)
        step.to_label = statuses.get(step.to_status, step.to_status)
    return _render(
        request,
        "liaison/problem_detail.html",
        {
            "problem": problem,
            "steps": steps,
            "forms": forms,
            "targets": [
                (SERVICE_TARGETS[k], v) for k, v in (problem.target_scores or {}).items() if k in SERVICE_TARGETS
            ],
        },
        status=status,
    )


def step_labels() -> dict[str, str]:
    return {
        "raise": _("Raised"),
        "accept": _("Accepted"),
        "hand_over": _("Handed over"),
        "reply": _("Replied"),
        "solve": _("Solved directly"),
        "rate_close": _("Rated and closed"),
        "rate_reopen": _("Rated and reopened for rectification"),
        "close": _("Closed without a rating"),
    }


@login_required
def problem_detail(request, pk: int):
    user = request.user
    _deny_unless(user, PROBLEM_ROLES)
    return _problem_detail(request, _scoped_problem(user, pk))


@login_required
@require_POST
def problem_act(request, pk: int, action: str):
    user = request.user
    _deny_unless(user, PROBLEM_ROLES)
    step = services.transition(action)
    if step is None or step.role != effective_role(user):
        raise Http404
    problem = _scoped_problem(user, pk)
    form = _form(action, user, problem, request.POST)
    if not form.is_valid():
        return _problem_detail(request, problem, bound=(action, form), status=400)
    try:
        after = step.service(problem=problem, by=user, **_arguments(form))
    except services.Refused as refused:
        messages.error(request, str(refused))
        problem.refresh_from_db()
        return _problem_detail(request, problem, bound=(action, form), status=400)
    messages.success(request, DONE[step.action](after, form.cleaned_data))
    return redirect("liaison:problem", pk=pk)


def _arguments(form) -> dict:
    """The service's arguments from a step's valid form (the forms' fields are named as the arguments)."""
    if isinstance(form, RateForm):
        data = form.cleaned_data
        return {"rating": data["rating"], "target_scores": form.target_scores(), "comment": data["comment"]}
    return dict(form.cleaned_data)


# What the user is told once a step is taken: (the problem after it, the form's data) → message.
DONE = {
    "accept": lambda problem, data: _("Problem accepted."),
    "hand_over": lambda problem, data: (
        _("Handed over to %(department)s, due on %(d)s.") % {"department": data["department"].name, "d": problem.due_on}
    ),
    "solve": lambda problem, data: _("Recorded as solved; the enterprise can now rate it."),
    "close": lambda problem, data: _("Problem closed."),
    "reply": lambda problem, data: _("Reply sent: the problem goes back to the enterprise for its rating."),
    "rate": lambda problem, data: (
        _("Thank you: the problem is closed.")
        if problem.status == S.CLOSED
        else _("The problem has been reopened for rectification.")
    ),
}
