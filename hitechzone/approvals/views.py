"""The approval centre's pages (M2, 一站式行政服务中心): dashboard, catalogue, applications and their window,
parallel approvals, the leaders' overdue list, rectification tasks.

Every page starts from the scoped managers (``for_user``) or ``queries.py``; a role that has no business on a
page gets a 404 (deny by default; experts have none here). Every write goes through ``services.py``: a
``Refused`` is shown to the user and nothing is written. Writes answer with a redirect (POST-redirect-GET).
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, F, Max, Min, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hitechzone.accounts.models import Role
from hitechzone.accounts.roles import effective_role
from hitechzone.common.deadlines import BulkClock, remaining_working_days, to_ordinals
from hitechzone.common.params import year_from_query
from hitechzone.common.spreadsheets import xlsx_response
from hitechzone.common.views import deny_unless as _deny_unless
from hitechzone.common.views import int_param as _int_param
from hitechzone.common.views import paginate
from hitechzone.zone.models import Department

from . import exports, queries, services, workflow
from .forms import (
    AnswerForm,
    ApplicationForm,
    AssignForm,
    BundleForm,
    CheckForm,
    CompleteForm,
    ItemForm,
    ItemStatusForm,
    MaterialFilesForm,
    NoteForm,
    PauseForm,
    RateForm,
    ReasonForm,
    SupplyForm,
    item_choices,
)
from .models import (
    Application,
    ApplicationMaterial,
    Bundle,
    Item,
    ItemType,
    ItemVersion,
    Material,
    Mode,
    Pause,
    Rectification,
    Review,
)

S = Application.State
M = ApplicationMaterial.Status

# Who may open which page; everybody else gets a 404.
PAGE_ROLES = frozenset({Role.ADMIN, Role.LEADER, Role.DEPARTMENT, Role.OFFICER, Role.ENTERPRISE})
FILE_ROLES = frozenset({Role.ADMIN, Role.OFFICER, Role.ENTERPRISE})  # file applications and parallel approvals
OVERDUE_ROLES = frozenset({Role.ADMIN, Role.LEADER, Role.DEPARTMENT})
RECTIFICATION_ROLES = frozenset({Role.ADMIN, Role.LEADER, Role.DEPARTMENT})

LIGHTS = ("green", "yellow", "red", "paused")


def light_labels() -> dict[str, str]:
    return {"green": _("On track"), "yellow": _("Due soon"), "red": _("Overdue"), "paused": _("Clock stopped")}


def mode_short_labels() -> dict[str, str]:
    """The delegation modes in a word or two, for a chart's axis on a phone."""
    return {
        Mode.ENTRUSTED: _("Entrusted"),
        Mode.JURISDICTION: _("Jurisdiction"),
        Mode.SEAL_FOLLOW: _("Seal follows seal"),
        Mode.AGENCY: _("Handling on behalf"),
    }


def step_labels() -> dict[str, str]:
    return {
        "file": _("Filed"),
        "notice": _("One-time notice issued"),
        "accept": _("Accepted"),
        "reject": _("Not accepted"),
        "supply": _("Materials supplied"),
        "assign": _("Assigned"),
        "pause": _("Clock stopped"),
        "resume": _("Clock restarted"),
        "complete": _("Completed"),
    }


def _percent(share) -> float | None:
    return None if share is None else round(share * 100, 1)


def _person(user) -> str:
    return (user.full_name or user.username) if user else ""


def _deadline_url() -> str | None:
    try:
        return reverse("calendar:deadline")
    except NoReverseMatch:
        return None


def _render(request, template: str, context: dict, status: int = 200):
    """Render a page of the approval centre with the module's own menu (the pages this user may open)."""
    return render(
        request,
        template,
        {"approvals_links": _links(request.user), "light_labels": light_labels(), **context},
        status=status,
    )


def _links(user) -> list[tuple[str, str, str]]:
    """(url, label, icon) of the approval centre's pages this user may open (the dashboard comes first)."""
    role = effective_role(user)
    links = [
        (reverse("approvals:applications"), _("Applications"), "bi-folder2-open"),
        (reverse("approvals:items"), _("Catalogue"), "bi-journal-text"),
        (reverse("approvals:bundles"), _("Parallel approvals"), "bi-diagram-3"),
    ]
    if role in FILE_ROLES:
        links.insert(1, (reverse("approvals:application-new"), _("New application"), "bi-plus-circle"))
    if role in OVERDUE_ROLES:
        links.append((reverse("approvals:overdue"), _("Overdue"), "bi-alarm"))
    if role in RECTIFICATION_ROLES:
        links.append((reverse("approvals:rectifications"), _("Rectifications"), "bi-tools"))
    deadline = _deadline_url()
    if deadline and role in (Role.ADMIN, Role.DEPARTMENT):
        links.append((deadline, _("Deadline calculator"), "bi-calculator"))
    return links


def working_days_after(pairs: list[tuple[date, date]]) -> list[int | None]:
    """The working days after ``a`` up to and including ``b`` for each ``(a, b)``, ``a <= b``: one calendar load
    for the lot (never a query per row)."""
    if not pairs:
        return []
    years = [d.year for pair in pairs for d in pair]
    try:
        clock = BulkClock(min(years), max(years))
        counted, _provisional = clock.counted(to_ordinals(a for a, _b in pairs), to_ordinals(b for _a, b in pairs))
    except ValueError:  # a date outside the calendar's years
        return [None] * len(pairs)
    return [int(n) for n in counted]


# --- Dashboard -----------------------------------------------------------------------------------------------------


def _years_with_data(user) -> list[int]:
    span = Application.objects.for_user(user).aggregate(first=Min("received_on"), last=Max("received_on"))
    if span["first"] is None:
        return []
    return list(range(span["last"].year, span["first"].year - 1, -1))


@login_required
def home(request):
    user = request.user
    _deny_unless(user, PAGE_ROLES)
    today = timezone.localdate()
    year = year_from_query(request, today.year)
    data = queries.year_stats(user=user, year=year, today=today)
    if request.GET.get("export") == "xlsx":
        return _stats_export(data)
    data_years = _years_with_data(user)
    departments = data["by_department"]
    modes = dict(Mode.choices)
    labels = light_labels()
    applications_url = reverse("approvals:applications")
    charts = {
        "department_chart": {
            "type": "bar",
            "unit": _("working days"),
            "categories": [d["short_name"] for d in departments],
            "series": [
                {"name": _("Average now"), "data": [d["average_working_days"] for d in departments]},
                {"name": _("Before the reform"), "data": [d["pre_reform_average_days"] for d in departments]},
            ],
            "links": [f"{applications_url}?department={d['department']}&year={year}" for d in departments],
        },
        "month_chart": {
            "type": "bar",
            "unit": _("applications"),
            "categories": [f"{m['month']:02d}" for m in data["by_month"]],
            "series": [
                {"name": _("Received"), "data": [m["applications"] for m in data["by_month"]]},
                {"name": _("Completed"), "type": "line", "data": [m["completed"] for m in data["by_month"]]},
            ],
        },
        "ontime_chart": {
            "type": "bar",
            "unit": "%",
            "categories": [d["short_name"] for d in departments],
            "series": [{"name": _("On time"), "data": [_percent(d["on_time_rate"]) for d in departments]}],
        },
        "light_chart": {
            "type": "bar",
            "unit": _("applications"),
            "categories": [labels[light] for light in LIGHTS],
            "series": [{"name": _("Running now"), "data": [data["lights"][light] for light in LIGHTS]}],
            "links": [f"{applications_url}?light={light}" for light in LIGHTS],
        },
        "mode_chart": {
            "type": "bar",
            "unit": _("items"),
            "categories": [str(mode_short_labels().get(k, k)) for k in data["by_mode"]],
            "series": [{"name": _("Items"), "data": list(data["by_mode"].values())}],
            "links": [f"{reverse('approvals:items')}?mode={k}" for k in data["by_mode"]],
        },
    }
    for row in departments:
        row["on_time_percent"] = _percent(row["on_time_rate"])
    for row in data["by_item"]:
        row["on_time_percent"] = _percent(row["on_time_rate"])
    return _render(
        request,
        "approvals/home.html",
        {
            "stats": data,
            "year": year,
            "years": sorted({*range(today.year, today.year - 5, -1), *data_years, year}, reverse=True),
            "data_years": [y for y in data_years if y != year],
            "on_time_percent": _percent(data["on_time_rate"]),
            "modes": [(modes.get(k, k), n) for k, n in data["by_mode"].items()],
            "lights": [(light, labels[light], data["lights"][light]) for light in LIGHTS],
            "can_see_overdue": effective_role(user) in OVERDUE_ROLES,
            # A phone scrolls a chart of many departments sideways rather than squeezing its labels.
            "department_chart_rem": 2 * len(departments),
            "deadline_url": _deadline_url(),
            **charts,
        },
    )


def _stats_export(data):
    modes, types = dict(Mode.choices), dict(ItemType.choices)
    comparison, bundles = data["comparison"], data["bundles"]
    summary = [
        [_("Year"), data["year"]],
        [_("Items in the catalogue"), data["items"]],
        [_("Departments"), data["departments"]],
        *([str(modes.get(k, k)), n] for k, n in data["by_mode"].items()),
        [_("Applications received"), data["applications"]],
        [_("Completed"), data["completed"]],
        [_("Approved"), data["approved"]],
        [_("Refused"), data["refused"]],
        [_("Not accepted"), data["rejected"]],
        [_("Immediate items completed"), data["immediate_completed"]],
        [_("Average processing time (working days)"), data["average_working_days"]],
        [_("Fastest (working days)"), data["fastest_working_days"]],
        [_("Slowest (working days)"), data["slowest_working_days"]],
        [_("On time (%)"), _percent(data["on_time_rate"])],
        [_("Paused at least one working day"), data["paused"]],
        *([str(label), data["lights"][light]] for light, label in light_labels().items()),
        [_("Before the reform: shortest (working days)"), comparison["pre_reform_min_days"]],
        [_("Before the reform: longest (working days)"), comparison["pre_reform_max_days"]],
        [_("Before the reform: average, same items (working days)"), comparison["pre_reform_average_days"]],
        [_("Now: average, same items (working days)"), comparison["average_working_days"]],
        [_("Parallel approvals"), bundles["count"]],
        [_("Parallel approvals completed"), bundles["completed"]],
        [_("Parallel approvals: average (working days)"), bundles["average_working_days"]],
        [_("Fastest project (working days)"), bundles["fastest_working_days"]],
    ]
    departments = (
        [
            d["department"],
            d["name"],
            d["items"],
            d["applications"],
            d["completed"],
            d["approved"],
            d["refused"],
            d["rejected"],
            d["average_working_days"],
            d["fastest_working_days"],
            d["slowest_working_days"],
            _percent(d["on_time_rate"]),
            d["pre_reform_average_days"],
        ]
        for d in data["by_department"]
    )
    items = (
        [
            i["code"],
            i["name"],
            i["department_name"],
            str(modes.get(i["mode"], i["mode"])),
            str(types.get(i["item_type"], i["item_type"])),
            i["statutory_limit"],
            i["promised_limit"],
            i["pre_reform_days"],
            i["applications"],
            i["completed"],
            i["average_working_days"],
            i["fastest_working_days"],
            i["slowest_working_days"],
            _percent(i["on_time_rate"]),
        ]
        for i in data["by_item"]
    )
    months = (
        [m["month"], m["applications"], m["completed"], m["average_working_days"], _percent(m["on_time_rate"])]
        for m in data["by_month"]
    )
    average, fastest, on_time = _("Average (working days)"), _("Fastest (working days)"), _("On time (%)")
    return xlsx_response(
        f"审批统计-{data['year']}.xlsx",
        [
            (_("Figures"), [_("Figure"), _("Value")], summary),
            (
                _("Departments"),
                [
                    _("Code"),
                    _("Department"),
                    _("Items"),
                    _("Applications"),
                    _("Completed"),
                    _("Approved"),
                    _("Refused"),
                    _("Not accepted"),
                    average,
                    fastest,
                    _("Slowest (working days)"),
                    on_time,
                    _("Before the reform: average (working days)"),
                ],
                departments,
            ),
            (
                _("Items"),
                [
                    _("Item code"),
                    _("Item"),
                    _("Department"),
                    _("Delegation mode"),
                    _("Item type"),
                    _("Statutory limit"),
                    _("Promised limit"),
                    _("Before the reform (working days)"),
                    _("Applications"),
                    _("Completed"),
                    average,
                    fastest,
                    _("Slowest (working days)"),
                    on_time,
                ],
                items,
            ),
            (_("Months"), [_("Month"), _("Received"), _("Completed"), average, on_time], months),
        ],
        widths={_("Figures"): [48, 14], _("Departments"): [14, 30], _("Items"): [16, 36, 20, 24, 18]},
    )


# --- The catalogue -------------------------------------------------------------------------------------------------


@login_required
def item_list(request):
    user = request.user
    _deny_unless(user, PAGE_ROLES)
    items = Item.objects.for_user(user).select_related("department", "current")
    department_id = _int_param(request, "department")
    if department_id:
        items = items.filter(department_id=department_id)
    mode = request.GET.get("mode", "")
    if mode in Mode.values:
        items = items.filter(current__mode=mode)
    item_type = request.GET.get("type", "")
    if item_type in ItemType.values:
        items = items.filter(current__item_type=item_type)
    status = request.GET.get("status", "")
    if status in Item.Status.values:
        items = items.filter(status=status)
    q = request.GET.get("q", "").strip()
    if q:
        items = items.filter(Q(code__icontains=q) | Q(current__name__icontains=q))
    if request.GET.get("export") == "xlsx":
        return exports.catalogue_response(items)  # the columns of the catalogue import
    items = items.annotate(n_materials=Count("current__materials")).order_by("department__sort_order", "code")
    page, query = paginate(request, items)
    return _render(
        request,
        "approvals/items.html",
        {
            "page": page,
            "query": query,
            "departments": Department.objects.for_user(user),
            "modes": Mode.choices,
            "types": ItemType.choices,
            "statuses": Item.Status.choices,
            "can_create": effective_role(user) == Role.ADMIN,
        },
    )


def _display(version: ItemVersion, field: str) -> str:
    value = getattr(version, field)
    if field in ("mode", "item_type"):
        return str(getattr(version, f"get_{field}_display")())
    if value in (None, ""):
        return "—"
    text = str(value)
    return text if len(text) <= 40 else f"{text[:40]}…"


def version_changes(before: ItemVersion, after: ItemVersion) -> list[str]:
    """What changed from one version to the next, in words (fields, then materials added, removed, changed)."""
    changes = []
    for field in services.VERSION_FIELDS:
        if getattr(before, field) != getattr(after, field):
            label = capfirst(ItemVersion._meta.get_field(field).verbose_name)
            changes.append(f"{label}: {_display(before, field)} → {_display(after, field)}")
    old = {m.name: m for m in before.materials.all()}
    new = {m.name: m for m in after.materials.all()}
    for name in new:
        if name not in old:
            changes.append(_("Material added: %(m)s") % {"m": name})
        elif any(getattr(old[name], f) != getattr(new[name], f) for f in services.MATERIAL_FIELDS):
            changes.append(_("Material changed: %(m)s") % {"m": name})
    changes += [_("Material removed: %(m)s") % {"m": name} for name in old if name not in new]
    if [n for n in old if n in new] != [n for n in new if n in old]:
        changes.append(_("Materials reordered"))
    return changes


def _scoped_item(user, pk: int) -> Item:
    return get_object_or_404(Item.objects.for_user(user).select_related("department", "current"), pk=pk)


@login_required
def item_detail(request, pk: int):
    user = request.user
    _deny_unless(user, PAGE_ROLES)
    item = _scoped_item(user, pk)
    versions = list(item.versions.select_related("created_by").prefetch_related("materials").order_by("number"))
    wanted = _int_param(request, "version")
    shown = next((v for v in versions if v.number == wanted), None) or next(
        (v for v in versions if v.pk == item.current_id), versions[-1] if versions else None
    )
    history = []
    for i, version in enumerate(versions):
        history.append(
            {"version": version, "changes": version_changes(versions[i - 1], version) if i else [_("Created")]}
        )
    history.reverse()
    can_edit = services.can_edit_catalogue(user, item.department_id) and item.status != Item.Status.CANCELLED
    status_forms = []
    if can_edit:
        for status, label in (
            (Item.Status.ACTIVE, _("Resume")),
            (Item.Status.SUSPENDED, _("Suspend")),
            (Item.Status.CANCELLED, _("Cancel the item")),
        ):
            if status != item.status:
                status_forms.append((status, label))
    return _render(
        request,
        "approvals/item_detail.html",
        {
            "item": item,
            "version": shown,
            "is_current": shown is not None and shown.pk == item.current_id,
            "history": history,
            "can_edit": can_edit,
            # Files go on the materials of the current version only (an earlier version's are history).
            "can_attach": can_edit and shown is not None and shown.pk == item.current_id,
            "attachment_types": MaterialFilesForm.ACCEPT,
            "attachment_max_mb": services.ATTACHMENT_MAX_BYTES // (1024 * 1024),
            "status_forms": status_forms,
            "can_file": effective_role(user) in FILE_ROLES and item.status == Item.Status.ACTIVE,
        },
    )


@login_required
def item_new(request):
    user = request.user
    _deny_unless(user, {Role.ADMIN})
    form = ItemForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.item_create(
                by=user,
                code=data["code"],
                department=data["department"],
                materials=data["materials"],
                **form.version_fields(),
            )
        except services.Refused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("%(item)s added to the catalogue.") % {"item": item})
            return redirect("approvals:item", pk=item.pk)
    return _render(request, "approvals/item_form.html", {"form": form, "item": None})


@login_required
def item_edit(request, pk: int):
    user = request.user
    _deny_unless(user, PAGE_ROLES)
    item = _scoped_item(user, pk)
    if not services.can_edit_catalogue(user, item.department_id):
        raise Http404
    form = ItemForm(request.POST or None, item=item, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            version = services.item_revise(
                item=item,
                by=user,
                note=data["note"],
                department=data.get("department"),
                materials=data["materials"],
                **form.version_fields(),
            )
        except services.Refused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request,
                _("Version %(n)d saved; applications filed earlier keep the version they were filed under.")
                % {"n": version.number},
            )
            return redirect("approvals:item", pk=item.pk)
    return _render(request, "approvals/item_form.html", {"form": form, "item": item})


@login_required
@require_POST
def item_status(request, pk: int):
    user = request.user
    _deny_unless(user, PAGE_ROLES)
    item = _scoped_item(user, pk)
    form = ItemStatusForm(request.POST)
    if not form.is_valid():
        raise Http404
    try:
        services.item_set_status(
            item=item, by=user, status=form.cleaned_data["status"], reason=form.cleaned_data["reason"]
        )
    except services.Refused as refused:
        messages.error(request, str(refused))
    else:
        item.refresh_from_db()
        messages.success(request, _("The item is now %(status)s.") % {"status": item.get_status_display()})
    return redirect("approvals:item", pk=item.pk)


@login_required
@require_POST
def material_files(request, pk: int):
    """Attach, replace or remove the blank form and the sample of a material (the item's catalogue editors)."""
    user = request.user
    _deny_unless(user, PAGE_ROLES)
    material = get_object_or_404(
        Material.objects.filter(version__item__in=Item.objects.for_user(user)).select_related("version"), pk=pk
    )
    back = f"{reverse('approvals:item', args=[material.version.item_id])}#material-{material.pk}"
    form = MaterialFilesForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(back)
    try:
        services.material_attach(material=material, by=user, **form.cleaned_data)
    except services.Refused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("The files of %(material)s are saved.") % {"material": material.name})
    return redirect(back)


@login_required
def material_file(request, pk: int, kind: str):
    """The blank form or the filled-in sample of a material: every signed-in user reads the catalogue."""
    user = request.user
    if kind not in ("form", "sample"):
        raise Http404
    material = get_object_or_404(Material.objects.filter(version__item__in=Item.objects.for_user(user)), pk=pk)
    field = material.blank_form if kind == "form" else material.sample
    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=field.name.rsplit("/", 1)[-1])


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
    year = _int_param(request, "year")
    if year and 2000 <= year <= 2100:
        applications = applications.filter(received_on__gte=date(year, 1, 1), received_on__lte=date(year, 12, 31))
    if request.GET.get("agent"):
        applications = applications.filter(agent__isnull=False)
    q = request.GET.get("q", "").strip()
    if q:
        applications = applications.filter(
            Q(number__icontains=q) | Q(enterprise__name__icontains=q) | Q(title__icontains=q)
        )
    return applications


@login_required
def application_list(request):
    user = request.user
    _deny_unless(user, PAGE_ROLES)
    today = timezone.localdate()
    applications = _application_filters(request, Application.objects.for_user(user), today)
    applications = queries.with_light(applications, today).select_related(
        "version", "department", "enterprise", "assignee"
    )
    if request.GET.get("export") == "xlsx":
        return exports.applications_response(applications)  # the columns of the history import
    page, query = paginate(request, applications)
    role = effective_role(user)
    return _render(
        request,
        "approvals/applications.html",
        {
            "page": page,
            "query": query,
            "states": S.choices,
            "lights": [(light, light_labels()[light]) for light in LIGHTS],
            "departments": Department.objects.for_user(user) if role != Role.DEPARTMENT else None,
            "items": item_choices(Item.objects.for_user(user).select_related("department", "current")),
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


# --- Parallel approvals -----------------------------------------------------------------------------------------------


@login_required
def bundle_list(request):
    user = request.user
    _deny_unless(user, PAGE_ROLES)
    done = Q(applications__state__in=Application.DONE_STATES)
    bundles = (
        Bundle.objects.filter(pk__in=Bundle.objects.for_user(user).values("pk"))
        .select_related("enterprise")
        .annotate(n_applications=Count("applications"), n_done=Count("applications", filter=done))
        .order_by("-started_on", "-id")
    )
    if request.GET.get("open"):
        bundles = bundles.filter(completed_on__isnull=True)
    q = request.GET.get("q", "").strip()
    if q:
        bundles = bundles.filter(Q(name__icontains=q) | Q(enterprise__name__icontains=q))
    page, query = paginate(request, bundles)
    return _render(
        request,
        "approvals/bundles.html",
        {"page": page, "query": query, "can_create": effective_role(user) in FILE_ROLES},
    )


@login_required
def bundle_detail(request, pk: int):
    """A parallel approval: every department's application and state (the other departments' without a link)."""
    user = request.user
    _deny_unless(user, PAGE_ROLES)
    bundle = get_object_or_404(Bundle.objects.for_user(user).select_related("enterprise", "created_by"), pk=pk)
    applications = list(
        queries.with_light(bundle.applications.all())
        .select_related("version", "department", "assignee")
        .order_by("department__sort_order", "id")
    )
    mine = set(Application.objects.for_user(user).filter(bundle=bundle).values_list("pk", flat=True))
    for a in applications:
        a.visible = a.pk in mine
        a.done = a.state in Application.DONE_STATES
    return _render(
        request,
        "approvals/bundle_detail.html",
        {
            "bundle": bundle,
            "applications": applications,
            "done_count": sum(a.done for a in applications),
        },
    )


@login_required
def bundle_new(request):
    user = request.user
    _deny_unless(user, FILE_ROLES)
    if effective_role(user) == Role.ENTERPRISE and not user.enterprise_id:
        raise Http404
    initial = {}
    enterprise_id = _int_param(request, "enterprise")
    if enterprise_id:
        initial["enterprise"] = enterprise_id
    form = BundleForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        enterprise = user.enterprise if effective_role(user) == Role.ENTERPRISE else data["enterprise"]
        try:
            bundle = services.bundle_create(by=user, enterprise=enterprise, name=data["name"], items=data["items"])
        except services.Refused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request,
                _("Parallel approval %(name)s filed: %(n)d applications.")
                % {"name": bundle.name, "n": len(data["items"])},
            )
            return redirect("approvals:bundle", pk=bundle.pk)
    pick = "enterprise" in form.fields
    return _render(
        request,
        "approvals/bundle_form.html",
        {
            "form": form,
            "pick_enterprise": pick,
            "has_enterprises": not pick or form.fields["enterprise"].queryset.exists(),
        },
    )


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
