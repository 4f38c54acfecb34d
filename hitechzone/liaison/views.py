"""The service officers' pages (M1, 店小二): dashboard, assignments, visits, coverage, problems and their loop.

Every page starts from the scoped managers (``for_user``) or ``queries.py``; a role that has no business on a
page gets a 404 (deny by default). Every write goes through ``services.py``: a ``Refused`` is shown to the user
and nothing is written.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hitechzone.accounts.models import Role, User
from hitechzone.accounts.roles import effective_role
from hitechzone.common.params import year_from_query
from hitechzone.common.spreadsheets import xlsx_response
from hitechzone.common.views import deny_unless as _deny_unless
from hitechzone.common.views import int_param as _int_param
from hitechzone.common.views import paginate
from hitechzone.enterprises.models import Enterprise
from hitechzone.zone.models import Department

from . import queries, services
from .forms import (
    AssignForm,
    HandOverForm,
    NoteForm,
    ProblemForm,
    ProblemRowFormSet,
    RateForm,
    SolutionForm,
    VisitForm,
    officers_enterprises,
)
from .models import SERVICE_TARGETS, Assignment, Category, Problem, Visit

S = Problem.Status

# Who may open which page; everybody else gets a 404.
HOME_ROLES = frozenset({Role.ADMIN, Role.LEADER, Role.DEPARTMENT, Role.OFFICER, Role.ENTERPRISE})
ASSIGNMENT_ROLES = frozenset({Role.ADMIN, Role.LEADER})  # the leader reads, the administrator also writes
VISIT_ROLES = frozenset({Role.ADMIN, Role.LEADER, Role.OFFICER, Role.ENTERPRISE})
COVERAGE_ROLES = frozenset({Role.ADMIN, Role.LEADER, Role.OFFICER})
PROBLEM_ROLES = HOME_ROLES
RAISE_ROLES = services.RAISE_ROLES
ESCALATED_ROLES = frozenset({Role.ADMIN, Role.LEADER})

UNASSIGNED_SHOWN = 50
SUGGEST_LIMIT = 200
OFFICERS_CHARTED = 30
MISSING_SHOWN = 300


def duties() -> list[str]:
    """The three duties every assignment carries (the officer is at once all three), in the current language."""
    return [
        _("Investment helper (招商引资全程帮办员)"),
        _("Approval agent (投资项目审批代办员)"),
        _("Liaison (企业常态服务联络员)"),
    ]


def _parse_month(value) -> tuple[int, int] | None:
    try:
        year, month = (int(part) for part in str(value).split("-"))
        date(year, month, 1)
    except (TypeError, ValueError):
        return None
    return (year, month) if 2000 <= year <= 2100 else None


def _shift_month(year: int, month: int, by: int) -> str:
    index = year * 12 + month - 1 + by
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _percent(share) -> float | None:
    return None if share is None else round(share * 100, 1)


def _person(user) -> str:
    return (user.full_name or user.username) if user else ""


# --- Dashboard ---------------------------------------------------------------------------------------------------


@login_required
def home(request):
    user = request.user
    _deny_unless(user, HOME_ROLES)
    year = year_from_query(request, timezone.localdate().year)
    data = queries.stats(year, user)
    if request.GET.get("export") == "xlsx":
        return _stats_export(data)
    series = data["series"]
    months = [f"{m:02d}" for m in range(1, 13)]
    officers = sorted(data["per_officer"].items(), key=lambda kv: (-kv[1].get("visits", 0), kv[0]))
    shown = officers[:OFFICERS_CHARTED]
    categories = list(data["by_category"].values())
    charts = {
        "month_chart": {
            "type": "bar",
            "unit": _("visits"),
            "unit2": _("problems"),
            "categories": months,
            "series": [
                {"name": _("Visits"), "data": series.get("visits", [0] * 12)},
                {"name": _("Handed over"), "type": "line", "axis": 1, "data": series.get("handed_over", [0] * 12)},
                {"name": _("Solved"), "type": "line", "axis": 1, "data": series.get("solved", [0] * 12)},
            ],
        },
        "officer_chart": {
            "type": "bar",
            "unit": _("visits"),
            "unit2": _("problems"),
            "categories": [o["name"] for _u, o in shown],
            "series": [
                {"name": _("Visits"), "data": [o.get("visits", 0) for _u, o in shown]},
                {"name": _("Solved"), "type": "line", "axis": 1, "data": [o.get("solved", 0) for _u, o in shown]},
            ],
        },
        "category_chart": {
            "type": "bar",
            "unit": _("problems"),
            "categories": [c["label"] for c in categories],
            "series": [
                {"name": _("Raised"), "data": [c["raised"] for c in categories]},
                {"name": _("Handed over"), "data": [c["handed_over"] for c in categories]},
                {"name": _("Solved"), "data": [c["solved"] for c in categories]},
            ],
            "links": [f"{reverse('liaison:problems')}?category={key}" for key in data["by_category"]],
        },
    }
    today = timezone.localdate()
    return _render(
        request,
        "liaison/home.html",
        {
            "stats": data,
            "year": year,
            "years": list(range(today.year, today.year - 6, -1)),
            "satisfied_percent": _percent(data["satisfaction"]["satisfied_share"]),
            "targets": [(SERVICE_TARGETS[k], v) for k, v in data["satisfaction"]["targets"].items()],
            "officers_charted": len(shown),
            "officers_total": len(officers),
            **charts,
        },
    )


def _render(request, template: str, context: dict, status: int = 200):
    """Render a liaison page with the module's own menu (the pages this user may open)."""
    return render(request, template, {"liaison_links": _links(request.user), **context}, status=status)


def _links(user) -> list[tuple[str, str, str]]:
    """(url, label, icon) of the other liaison pages this user may open."""
    role = effective_role(user)
    links = []
    if role == Role.OFFICER:
        links.append((reverse("liaison:visit-new"), _("Record a visit"), "bi-plus-circle"))
    if role in RAISE_ROLES:
        links.append((reverse("liaison:problem-new"), _("Raise a problem"), "bi-exclamation-circle"))
    if role in VISIT_ROLES:
        links.append((reverse("liaison:visits"), _("Visit log"), "bi-journal-text"))
    if role in COVERAGE_ROLES:
        links.append((reverse("liaison:coverage"), _("Monthly coverage"), "bi-calendar-check"))
    links.append((reverse("liaison:problems"), _("Problems"), "bi-list-check"))
    if role in ESCALATED_ROLES:
        links.append((reverse("liaison:escalated"), _("Escalated problems"), "bi-alarm"))
    if role in ASSIGNMENT_ROLES:
        links.append((reverse("liaison:assignments"), _("Assignments"), "bi-people"))
    return links


def _stats_export(data):
    series = data["series"]
    month_rows = (
        [
            month,
            series.get("visits", [0] * 12)[i],
            series.get("raised", [0] * 12)[i],
            series.get("handed_over", [0] * 12)[i],
            series.get("solved", [0] * 12)[i],
        ]
        for i, month in enumerate(data["months"])
    )
    officer_rows = (
        [username, o["name"], o.get("visits", 0), o.get("handed_over", 0), o.get("solved", 0)]
        for username, o in sorted(data["per_officer"].items())
    )
    category_rows = ([c["label"], c["raised"], c["handed_over"], c["solved"]] for c in data["by_category"].values())
    satisfaction = data["satisfaction"]
    summary = [
        [_("Year"), data["year"]],
        [_("Visits"), data["visits"]],
        [_("Enterprises served"), data["enterprises_served"]],
        [_("Problems raised"), data["problems_raised"]],
        [_("Problems handed over"), data["problems_handed_over"]],
        [_("Problems solved"), data["problems_solved"]],
        [_("Solved directly by the officer"), data["problems_solved_directly"]],
        [_("Overdue now"), data["problems_overdue"]],
        [_("Reopened"), data["problems_reopened"]],
        [_("Rated"), satisfaction["rated"]],
        [_("Satisfied share (%)"), _percent(satisfaction["satisfied_share"])],
        *([label, n] for label, n in satisfaction["by_rating"].items()),
        *([str(SERVICE_TARGETS[k]), v] for k, v in satisfaction["targets"].items()),
    ]
    return xlsx_response(
        f"店小二统计-{data['year']}.xlsx",
        [
            (_("Figures"), [_("Figure"), _("Value")], summary),
            (_("Per month"), [_("Month"), _("Visits"), _("Raised"), _("Handed over"), _("Solved")], month_rows),
            (
                _("Per officer"),
                [_("Username"), _("Officer"), _("Visits"), _("Handed over"), _("Solved")],
                officer_rows,
            ),
            (_("Per category"), [_("Category"), _("Raised"), _("Handed over"), _("Solved")], category_rows),
        ],
        widths={_("Figures"): [36, 14]},
    )


# --- Assignments ---------------------------------------------------------------------------------------------------


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


# --- Visits --------------------------------------------------------------------------------------------------------


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


# --- Coverage ------------------------------------------------------------------------------------------------------


@login_required
def coverage(request):
    user = request.user
    _deny_unless(user, COVERAGE_ROLES)
    today = timezone.localdate()
    year, month = _parse_month(request.GET.get("month")) or (today.year, today.month)
    data = queries.coverage(year, month, user)
    if request.GET.get("export") == "xlsx":
        return _coverage_export(data)
    missing_by_officer = defaultdict(list)
    for m in data["missing"][:MISSING_SHOWN]:
        missing_by_officer[m["officer"]].append(m)
    for o in data["officers"]:
        o["percent"] = _percent(o["share"])
        o["missing"] = missing_by_officer.get(o["officer"], [])
        o["missing_count"] = o["assignments"] - o["visited"]
    return _render(
        request,
        "liaison/coverage.html",
        {
            "data": data,
            "month": f"{year:04d}-{month:02d}",
            "previous_month": _shift_month(year, month, -1),
            "next_month": _shift_month(year, month, 1) if (year, month) < (today.year, today.month) else None,
            "percent": _percent(data["share"]),
            "missing_truncated": len(data["missing"]) > MISSING_SHOWN,
            "missing_shown": MISSING_SHOWN,
            "is_officer": effective_role(user) == Role.OFFICER,
        },
    )


def _coverage_export(data):
    officers = (
        [o["officer"], o["officer_name"], o["assignments"], o["visited"], _percent(o["share"])]
        for o in data["officers"]
    )
    missing = ([m["officer"], m["officer_name"], m["enterprise"]] for m in data["missing"])
    return xlsx_response(
        f"走访覆盖-{data['month']}.xlsx",
        [
            (
                _("Per officer"),
                [_("Username"), _("Service officer"), _("Enterprises"), _("Visited"), _("Share (%)")],
                officers,
            ),
            (_("Not visited"), [_("Username"), _("Service officer"), _("Enterprise")], missing),
        ],
    )


# --- Problems ------------------------------------------------------------------------------------------------------


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
