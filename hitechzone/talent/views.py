"""The M6 pages (创新驱动、招才引智): the overview with the year's figures, platforms, incubators, partners, talents
(masked; the talent office's reveal), funds and grants, team applications and their workflow.

Every page starts from the scoped managers (``for_user``) or ``queries``; a page that is not for the user's role
answers 403, another's object 404. Writes go through ``services``; a refusal is shown on the form and nothing is
written.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from hitechzone.common.params import year_from_query
from hitechzone.common.spreadsheets import xlsx_response
from hitechzone.common.views import module_nav, paginate
from hitechzone.enterprises.models import Enterprise

from . import forms as f
from . import queries, roles, services
from .models import (
    Degree,
    Fund,
    FundCall,
    Incubator,
    IncubatorEnterprise,
    Level,
    Partner,
    Platform,
    Talent,
    TeamApplication,
    TeamStep,
)
from .views_links import incubator_projects_context
from .views_review import panel_context
from .views_review import urlpatterns as review_urls

#: The module's pages open to every role of the menu but experts (they only review: the home page and their team
#: applications, docs/0013).
HOME = roles.MENU_ROLES
ALL = roles.MENU_ROLES - {roles.Role.EXPERT}
PUBLIC = roles.PUBLIC_READERS
STAFF = frozenset({roles.ADMIN, roles.LEADER, roles.DEPT})  # the talent office among department staff (checked)
APPLICANTS = frozenset({roles.ADMIN, roles.LEADER, roles.DEPT, roles.ENTERPRISE})
#: The team applications' pages: the applicants, and experts for the applications of the panels they sit on.
TEAM_READERS = APPLICANTS | {roles.Role.EXPERT}
#: The grants' pages likewise: experts see the grant applications of the panels they sit on (docs/0013).
GRANT_READERS = TEAM_READERS

# (key, label, url name, roles, icon); staff-only entries are shown to department staff of the talent office only.
NAV = (
    ("home", gettext_lazy("Overview"), "talent:home", HOME, "bi-speedometer2"),
    ("platforms", gettext_lazy("Platforms"), "talent:platforms", PUBLIC, "bi-building"),
    ("incubators", gettext_lazy("Incubators"), "talent:incubators", PUBLIC, "bi-rocket-takeoff"),
    ("talents", gettext_lazy("Talents"), "talent:talents", STAFF, "bi-person-badge"),
    ("teams", gettext_lazy("Team applications"), "talent:teams", TEAM_READERS, "bi-people"),
    ("funds", gettext_lazy("Innovation fund"), "talent:funds", APPLICANTS, "bi-cash-coin"),
    ("grants", gettext_lazy("Grant reviews"), "talent:grants", frozenset({roles.Role.EXPERT}), "bi-clipboard-check"),
    ("partners", gettext_lazy("Partners"), "talent:partners", PUBLIC, "bi-mortarboard"),
    ("finance", gettext_lazy("Technology finance"), "talent:finance", APPLICANTS, "bi-bank"),
    ("partnerships", gettext_lazy("Partnerships"), "talent:partnerships", ALL, "bi-diagram-3"),
    # The talent office imports M6's workbooks (platforms, talents, team applications, partners) on the common page.
    ("imports", gettext_lazy("Imports"), "imports:list", frozenset({roles.ADMIN, roles.DEPT}), "bi-upload"),
)
OFFICE_ONLY = {"talents", "finance", "imports"}  # department staff outside the talent office do not see these


def nav(request) -> list[dict]:
    items = module_nav(request, NAV, home="talent:home")
    if roles.effective_role(request.user) == roles.DEPT and not roles.is_talent_office(request.user):
        items = [i for i in items if i["key"] not in OFFICE_ONLY and i["key"] not in ("teams", "funds")]
    return items


def render_page(request, template: str, context: dict, status: int = 200):
    return render(request, template, {"talent_nav": nav(request), **context}, status=status)


def _deny_unless(user, allowed, *, scoped: bool = False) -> None:
    """403 unless the user's role is allowed; department staff only when they are the talent office (or the page
    is public). ``scoped``: an object's page, where the scoped queryset answers 404 for another department (the
    office's objects are not admitted to exist)."""
    role = roles.effective_role(user)
    if role not in allowed:
        raise PermissionDenied
    office_only = role == roles.DEPT and not scoped and all(allowed is not s for s in (PUBLIC, ALL, HOME))
    if office_only and not roles.is_talent_office(user):
        raise PermissionDenied


# --- Overview -------------------------------------------------------------------------------------------------------


@login_required
def home(request):
    user = request.user
    _deny_unless(user, HOME)
    year = year_from_query(request, timezone.localdate().year)
    context = {"year": year, "is_staff": roles.is_staff(user)}
    if context["is_staff"]:
        context["stats"] = queries.stats(user=user, year=year)
    context["platform_count"] = Platform.objects.for_user(user).count()
    context["incubator_count"] = Incubator.objects.for_user(user).count()
    context["teams"] = list(queries.team_applications(user).order_by("-submitted_on", "-pk")[:5])
    context["grants"] = list(queries.grants_with_paid(user).order_by("-applied_on", "-pk")[:5])
    context["may_apply"] = roles.may_write(user) or roles.effective_role(user) == roles.ENTERPRISE
    return render_page(request, "talent/home.html", context)


# --- Platforms, incubators, partners --------------------------------------------------------------------------------


@login_required
def platforms(request):
    user = request.user
    _deny_unless(user, PUBLIC)
    qs = Platform.objects.for_user(user).order_by("name")
    kind = request.GET.get("kind", "")
    if kind in Platform.Kind.values:
        qs = qs.filter(kind=kind)
    by_kind = dict(Platform.objects.for_user(user).values_list("kind").annotate(n=Count("pk")))
    page, query = paginate(request, qs)
    kinds = [(value, label, by_kind.get(value, 0)) for value, label in Platform.Kind.choices]
    return render_page(
        request,
        "talent/platforms.html",
        {"page": page, "query": query, "kinds": kinds, "kind": kind, "can_write": roles.may_write(user)},
    )


@login_required
def incubators(request):
    user = request.user
    _deny_unless(user, PUBLIC)
    qs = Incubator.objects.for_user(user).annotate(moved=Count("enterprise_links")).order_by("name")
    page, query = paginate(request, qs)
    return render_page(
        request, "talent/incubators.html", {"page": page, "query": query, "can_write": roles.may_write(user)}
    )


@login_required
def incubator(request, pk: int):
    user = request.user
    _deny_unless(user, ALL)
    obj = get_object_or_404(Incubator.objects.for_user(user), pk=pk)
    links = IncubatorEnterprise.objects.for_user(user).filter(incubator=obj).select_related("enterprise")
    form = None
    if roles.may_write(user):
        form = f.IncubatorLinkForm(request.POST or None, enterprises=Enterprise.objects.for_user(user).order_by("name"))
        if request.method == "POST" and form.is_valid():
            try:
                services.incubator_link(by=user, incubator=obj, **form.cleaned_data)
            except services.Refused as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(request, _("The enterprise is linked to the incubator."))
                return redirect("talent:incubator", pk=obj.pk)
    elif request.method == "POST":
        raise PermissionDenied
    # The teams incubated there: those of the viewer's team applications (an enterprise its own; staff all).
    teams = TeamApplication.objects.for_user(user).filter(incubator=obj).order_by("-submitted_on", "-pk")
    context = {"incubator": obj, "links": links, "teams": teams, "form": form, **incubator_projects_context(user, obj)}
    return render_page(request, "talent/incubator.html", context)


@login_required
def partners(request):
    user = request.user
    _deny_unless(user, PUBLIC)
    page, query = paginate(request, Partner.objects.for_user(user).order_by("name"))
    return render_page(
        request, "talent/partners.html", {"page": page, "query": query, "can_write": roles.may_write(user)}
    )


NEW_TITLES = {
    "platform": gettext_lazy("New innovation platform"),
    "incubator": gettext_lazy("New off-site incubator"),
    "partner": gettext_lazy("New partner institution"),
}
BACK = {"platform": "talent:platforms", "incubator": "talent:incubators", "partner": "talent:partners"}


#: What :func:`_attempt` returns when the service refused (the form then holds why).
REFUSED = object()


def _attempt(form, write):
    """Run a service's write for a valid form; its refusals become the form's errors (each named field on its field,
    the rest above the form) and the answer is :data:`REFUSED`. Otherwise the write's result."""
    try:
        return write()
    except services.FieldErrors as refusal:
        for name, errors in refusal.errors.items():
            form.add_error(name if name in form.fields else None, errors)
    except services.Refused as refusal:
        form.add_error(None, str(refusal))
    return REFUSED


def _saved(form, write) -> bool:
    """:func:`_attempt` for a write whose result the view does not need: whether it was made."""
    return _attempt(form, write) is not REFUSED


@login_required
def record_new(request, kind: str):
    """The form of a platform, an incubator or a partner (administrators and the talent office)."""
    user = request.user
    if not roles.may_write(user):
        raise PermissionDenied
    form = f.FORMS[kind](request.POST or None)
    save = getattr(services, f"{kind}_save")
    if request.method == "POST" and form.is_valid() and _saved(form, lambda: save(by=user, **form.cleaned_data)):
        messages.success(request, _("Saved."))
        return redirect(BACK[kind])
    return render_page(request, "talent/form.html", {"form": form, "title": NEW_TITLES[kind], "back": BACK[kind]})


# --- Talents --------------------------------------------------------------------------------------------------------


def _talents(request):
    qs = Talent.objects.for_user(request.user).select_related("enterprise", "platform").order_by("name", "pk")
    level = request.GET.get("level", "")
    if level in Level.values:
        qs = qs.filter(level=level)
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(programme__icontains=q) | Q(field__icontains=q))
    return qs, level


def _export_talents(request, qs):
    """The list as xlsx: masked unless the exporter has the reveal right (then each disclosure is recorded)."""
    user = request.user
    rows = list(qs)
    unmasked = request.GET.get("unmasked") == "1" and roles.may_reveal(user)
    if unmasked:
        services.talents_disclosed(by=user, talents=rows)
    headers = [
        _("Name"),
        _("Programme"),
        _("Programme level"),
        _("Academician"),
        _("Degree"),
        _("Field"),
        _("Employer"),
        _("ID number"),
        _("Phone"),
    ]
    data = [
        (
            t.name,
            t.programme,
            t.get_level_display(),
            _("yes") if t.academician else "",
            t.get_degree_display(),
            t.field,
            t.enterprise.name if t.enterprise_id else "",
            t.id_number if unmasked else t.id_number_masked,
            t.phone if unmasked else t.phone_masked,
        )
        for t in rows
    ]
    return xlsx_response(_("talents.xlsx"), [(_("Talents"), headers, data)])


@login_required
def talents(request):
    user = request.user
    _deny_unless(user, STAFF)
    qs, level = _talents(request)
    if request.GET.get("export") == "xlsx":
        return _export_talents(request, qs)
    page, query = paginate(request, qs)
    return render_page(
        request,
        "talent/talents.html",
        {
            "page": page,
            "query": query,
            "level": level,
            "levels": Level.choices,
            "can_write": roles.may_write(user),
            "may_reveal": roles.may_reveal(user),
        },
    )


@login_required
def talent_new(request):
    user = request.user
    if not roles.may_write(user):
        raise PermissionDenied
    form = f.TalentForm(request.POST or None, enterprises=Enterprise.objects.for_user(user).order_by("name"))
    if request.method == "POST" and form.is_valid():
        talent = _attempt(form, lambda: services.talent_save(by=user, **form.cleaned_data))
        if talent is not REFUSED:
            messages.success(request, _("Talent %(n)s recorded.") % {"n": talent.name})
            return redirect("talent:talent", pk=talent.pk)
    return render_page(request, "talent/form.html", {"form": form, "title": _("New talent"), "back": "talent:talents"})


@login_required
def talent(request, pk: int):
    user = request.user
    _deny_unless(user, STAFF, scoped=True)
    obj = get_object_or_404(Talent.objects.for_user(user).select_related("enterprise", "platform"), pk=pk)
    revealed = ""
    if request.method == "POST":
        if not roles.may_reveal(user):
            raise PermissionDenied
        try:
            revealed = services.talent_reveal(by=user, talent=obj)
        except services.Refused as refusal:
            messages.error(request, str(refusal))
    disclosures = obj.disclosures.select_related("user")[:10] if roles.is_staff(user) else []
    return render_page(
        request,
        "talent/talent.html",
        {"talent": obj, "revealed": revealed, "may_reveal": roles.may_reveal(user), "disclosures": disclosures},
    )


# --- Funds and grants -----------------------------------------------------------------------------------------------


@login_required
def funds(request):
    user = request.user
    _deny_unless(user, APPLICANTS)
    rows = list(queries.funds_with_figures(user).order_by("-year", "name"))
    for row in rows:
        row.left_wan_yuan = row.budget_wan_yuan - row.granted_wan_yuan
    form = None
    if roles.may_write(user):
        form = f.FundForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            fund = _attempt(form, lambda: services.fund_save(by=user, **form.cleaned_data))
            if fund is not REFUSED:
                messages.success(request, _("Fund %(f)s opened.") % {"f": fund})
                return redirect("talent:fund", pk=fund.pk)
    elif request.method == "POST":
        raise PermissionDenied
    return render_page(request, "talent/funds.html", {"funds": rows, "form": form})


@login_required
def fund(request, pk: int):
    user = request.user
    _deny_unless(user, APPLICANTS, scoped=True)
    obj = get_object_or_404(queries.funds_with_figures(user), pk=pk)
    grants = queries.grants_with_paid(user).filter(fund=obj).order_by("-applied_on", "-pk")
    page, query = paginate(request, grants)
    may_apply = obj.status == Fund.Status.OPEN and (
        roles.may_write(user) or roles.effective_role(user) == roles.ENTERPRISE
    )
    return render_page(
        request,
        "talent/fund.html",
        {
            "fund": obj,
            "left": obj.budget_wan_yuan - obj.granted_wan_yuan,
            "page": page,
            "query": query,
            "may_apply": may_apply,
            "may_approve": roles.may_approve_grants(user),
        },
    )


@login_required
def grants(request):
    user = request.user
    _deny_unless(user, GRANT_READERS)
    qs = queries.grants_with_paid(user).order_by("-applied_on", "-pk")
    enterprise = request.GET.get("enterprise", "")
    if enterprise.isdecimal() and len(enterprise) < 10:
        qs = qs.filter(recipient_enterprise_id=int(enterprise))
    page, query = paginate(request, qs)
    return render_page(
        request,
        "talent/grants.html",
        {"page": page, "query": query, "may_approve": roles.may_approve_grants(user)},
    )


@login_required
def grant_new(request):
    user = request.user
    if not (roles.may_write(user) or roles.effective_role(user) == roles.ENTERPRISE):
        raise PermissionDenied
    form = f.GrantForm(
        request.POST or None,
        initial={"fund": request.GET.get("fund"), "call": request.GET.get("call")},
        funds=Fund.objects.for_user(user).filter(status=Fund.Status.OPEN),
        enterprises=Enterprise.objects.for_user(user).order_by("name"),
        calls=FundCall.objects.for_user(user).filter(status=FundCall.Status.OPEN).select_related("fund"),
    )
    if request.method == "POST" and form.is_valid():
        grant = _attempt(form, lambda: services.grant_apply(by=user, **form.cleaned_data))
        if grant is not REFUSED:
            messages.success(request, _("The application for a grant is recorded."))
            return redirect("talent:fund", pk=grant.fund_id)
    return render_page(
        request, "talent/form.html", {"form": form, "title": _("Apply for a grant"), "back": "talent:funds"}
    )


@login_required
def grant(request, pk: int):
    user = request.user
    _deny_unless(user, GRANT_READERS, scoped=True)
    obj = get_object_or_404(queries.grants_with_paid(user), pk=pk)
    instalments = obj.instalments.all()
    form = f.InstalmentForm(request.POST or None) if roles.may_write(user) else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid() and _saved(form, lambda: services.instalment_pay(by=user, grant=obj, **form.cleaned_data)):
            messages.success(request, _("The instalment is recorded."))
            return redirect("talent:grant", pk=obj.pk)
    return render_page(
        request,
        "talent/grant.html",
        {
            "grant": obj,
            "instalments": instalments,
            "form": form,
            "may_approve": roles.may_approve_grants(user),
            "fund_link": roles.effective_role(user) != roles.Role.EXPERT,
            **panel_context(user, obj, subject="grant"),
        },
    )


@login_required
@require_POST
def grant_decide(request, pk: int, decision: str):
    """A leader approves (never beyond what is left of the fund) or refuses (with the reason)."""
    user = request.user
    if not roles.may_approve_grants(user) or decision not in ("approve", "refuse"):
        raise PermissionDenied
    obj = get_object_or_404(queries.Grant.objects.for_user(user), pk=pk)
    try:
        if decision == "approve":
            services.grant_approve(by=user, grant=obj)
            messages.success(request, _("The grant is approved."))
        else:
            services.grant_refuse(by=user, grant=obj, reason=request.POST.get("reason", ""))
            messages.success(request, _("The grant is refused."))
    except services.Refused as refusal:
        messages.error(request, str(refusal))
    return redirect("talent:grant", pk=obj.pk)


# --- Team applications ----------------------------------------------------------------------------------------------


@login_required
def teams(request):
    user = request.user
    _deny_unless(user, TEAM_READERS)
    qs = queries.team_applications(user).order_by("-submitted_on", "-pk")
    status = request.GET.get("status", "")
    if status in queries.TeamApplication.Status.values:
        qs = qs.filter(status=status)
    page, query = paginate(request, qs)
    return render_page(
        request,
        "talent/teams.html",
        {
            "page": page,
            "query": query,
            "status": status,
            "statuses": queries.TeamApplication.Status.choices,
            "may_apply": roles.may_write(user) or roles.effective_role(user) == roles.ENTERPRISE,
        },
    )


@login_required
def team_new(request):
    user = request.user
    if not (roles.may_write(user) or roles.effective_role(user) == roles.ENTERPRISE):
        raise PermissionDenied
    form = f.TeamApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        members = data.pop("members")
        if roles.effective_role(user) == roles.ENTERPRISE:
            data["enterprise"] = user.enterprise
        application = _attempt(form, lambda: services.team_apply(by=user, members=members, **data))
        if application is not REFUSED:
            messages.success(request, _("The team's application is submitted."))
            return redirect("talent:team", pk=application.pk)
    return render_page(
        request, "talent/form.html", {"form": form, "title": _("New team application"), "back": "talent:teams"}
    )


@login_required
def team(request, pk: int):
    user = request.user
    _deny_unless(user, TEAM_READERS, scoped=True)
    application = get_object_or_404(
        queries.team_applications(user)
        .select_related("incubator")
        .prefetch_related("members", Prefetch("steps", queryset=TeamStep.objects.select_related("by"))),
        pk=pk,
    )
    form = f.StepForm(request.POST or None, enterprises=Enterprise.objects.for_user(user).order_by("name"))
    actions = services.available(user, application)
    if request.method == "POST":
        if not actions:
            raise PermissionDenied
        action = request.POST.get("action", "")
        if form.is_valid() and action not in {t.action for t in actions}:
            form.add_error(None, _("Choose one of the steps offered."))
        step = {"by": user, "application": application, "action": action}
        if form.is_valid() and _saved(form, lambda: services.team_step(**step, **form.cleaned_data)):
            messages.success(request, _("The step is recorded."))
            return redirect("talent:team", pk=application.pk)
    members = list(application.members.all())
    return render_page(
        request,
        "talent/team.html",
        {
            "application": application,
            "members": members,
            "phds": sum(1 for m in members if m.degree == Degree.PHD),
            "steps": application.steps.all(),
            "actions": actions,
            "form": form,
            **panel_context(user, application),
        },
    )


app_name = "talent"
urlpatterns = [
    path("", home, name="home"),
    path("platforms/", platforms, name="platforms"),
    path("incubators/", incubators, name="incubators"),
    path("incubators/<int:pk>/", incubator, name="incubator"),
    path("partners/", partners, name="partners"),
    path("platforms/new/", record_new, {"kind": "platform"}, name="platform-new"),
    path("incubators/new/", record_new, {"kind": "incubator"}, name="incubator-new"),
    path("partners/new/", record_new, {"kind": "partner"}, name="partner-new"),
    path("talents/", talents, name="talents"),
    path("talents/new/", talent_new, name="talent-new"),
    path("talents/<int:pk>/", talent, name="talent"),
    path("funds/", funds, name="funds"),
    path("funds/<int:pk>/", fund, name="fund"),
    path("grants/", grants, name="grants"),
    path("grants/new/", grant_new, name="grant-new"),
    path("grants/<int:pk>/", grant, name="grant"),
    path("grants/<int:pk>/<str:decision>/", grant_decide, name="grant-decide"),
    path("teams/", teams, name="teams"),
    path("teams/new/", team_new, name="team-new"),
    path("teams/<int:pk>/", team, name="team"),
    *review_urls,  # the team's expert review (docs/0013)
]
