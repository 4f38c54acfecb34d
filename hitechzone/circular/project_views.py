"""The circular transformation projects pages (循环化改造项目): the list with its filters, totals and charts, one
project, and the create and edit forms.

Reads are scoped like the projects (``CircularProject.objects.for_user``: the zone's staff all, an officer those of
the enterprises they serve, an enterprise its own; experts get a 404). Administrators and department staff
create and edit through ``projects``; a ``Refused`` is shown on the form and nothing is written; a save answers
with a redirect to the project.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hitechzone.common.rules import Refused
from hitechzone.common.views import deny_unless, int_param, paginate
from hitechzone.enterprises.models import FIRST_YEAR, LAST_YEAR, Enterprise

from . import projects
from .models import CircularProject
from .views import M5_ROLES, render_page

P = CircularProject


# --- Forms ------------------------------------------------------------------------------------------------------


def _text(**attrs):
    return forms.TextInput(attrs={"class": "form-control", **attrs})


def _number(step: str = "0.01"):
    return forms.NumberInput(attrs={"class": "form-control", "step": step, "min": "0", "inputmode": "decimal"})


def _date():
    return forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")


def _select():
    return forms.Select(attrs={"class": "form-select"})


def _money(label):
    return forms.DecimalField(label=label, required=False, min_value=0, decimal_places=2, widget=_number())


def _tonnes(label):
    return forms.DecimalField(label=label, required=False, min_value=0, decimal_places=3, widget=_number("0.001"))


class ProjectForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Project number"), max_length=32, widget=_text())
    name = forms.CharField(label=gettext_lazy("Name"), max_length=128, widget=_text())
    owner = forms.ChoiceField(label=gettext_lazy("Owner"), choices=P.Owner.choices, widget=_select())
    enterprise = forms.CharField(
        label=gettext_lazy("Enterprise (USCC or exact name)"),
        required=False,
        help_text=gettext_lazy("For an enterprise project; left blank for a government project."),
        widget=_text(),
    )
    category = forms.ChoiceField(label=gettext_lazy("Category"), choices=P.Category.choices, widget=_select())
    batch_year = forms.IntegerField(
        label=gettext_lazy("Pilot batch year"), min_value=FIRST_YEAR, max_value=LAST_YEAR, widget=_number("1")
    )
    total_investment_wan_yuan = forms.DecimalField(
        label=gettext_lazy("Total investment (10k yuan)"), min_value=0, decimal_places=2, widget=_number()
    )
    central_funds_approved_wan_yuan = _money(gettext_lazy("Central funds approved (10k yuan)"))
    central_funds_paid_wan_yuan = _money(gettext_lazy("Central funds paid (10k yuan)"))
    energy_saved_tce = _tonnes(gettext_lazy("Energy saved (tce/yr)"))
    water_saved_t = _tonnes(gettext_lazy("Water saved (t/yr)"))
    co2_cut_t = _tonnes(gettext_lazy("CO₂ cut (t/yr)"))
    waste_cut_t = _tonnes(gettext_lazy("Waste cut (t/yr)"))
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=P.Status.choices, widget=_select())
    started_on = forms.DateField(label=gettext_lazy("Started on"), required=False, widget=_date())
    completed_on = forms.DateField(label=gettext_lazy("Completed on"), required=False, widget=_date())
    accepted_on = forms.DateField(label=gettext_lazy("Accepted on"), required=False, widget=_date())
    grade = forms.ChoiceField(
        label=gettext_lazy("Acceptance grade"),
        required=False,
        choices=[("", "—"), *P.Grade.choices],
        widget=_select(),
    )
    description = forms.CharField(
        label=gettext_lazy("Description"),
        required=False,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
    )


def _enterprise(user, text: str) -> Enterprise | None:
    text = (text or "").strip()
    if not text:
        return None
    found = list(Enterprise.objects.for_user(user).filter(Q(uscc=text.upper()) | Q(name=text))[:2])
    if len(found) != 1:
        raise Refused(_("No single enterprise has the code or name %(text)s.") % {"text": text})
    return found[0]


def _initial(project: P) -> dict:
    data = {name: getattr(project, name) for name in projects.FIELDS if name != "enterprise"}
    data["enterprise"] = project.enterprise.uscc if project.enterprise_id else ""
    return data


def _fields(user, form: ProjectForm) -> dict:
    data = dict(form.cleaned_data)
    data["enterprise"] = _enterprise(user, data["enterprise"])
    for name in ("central_funds_approved_wan_yuan", "central_funds_paid_wan_yuan"):
        if data[name] is None:
            data[name] = 0
    return data


# --- Pages ------------------------------------------------------------------------------------------------------


def _filtered(request):
    qs = projects.projects(request.user)
    chosen = {}
    for name, choices in (("owner", P.Owner), ("category", P.Category), ("status", P.Status), ("grade", P.Grade)):
        value = request.GET.get(name, "")
        if value in choices.values:
            qs = qs.filter(**{name: value})
            chosen[name] = value
    year = int_param(request, "year")
    if year:
        qs = qs.filter(batch_year=year)
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(code__icontains=q) | Q(name__icontains=q) | Q(enterprise__name__icontains=q))
    return qs, year, chosen


def _charts(stats: dict) -> dict:
    rows = stats["by_category"]
    names = [row["label"].split(" (")[0] for row in rows]

    def data(key):
        return [float(row[key]) for row in rows]

    return {
        "investment_chart": {
            "type": "bar",
            "unit": _("10k yuan"),
            "categories": names,
            "series": [{"name": _("Total investment"), "data": data("total_investment_wan_yuan")}],
            "links": [f"{reverse('circular:projects')}?category={row['category']}" for row in rows],
        },
        "funds_chart": {
            "type": "bar",
            "unit": _("10k yuan"),
            "categories": names,
            "series": [
                {"name": _("Central funds approved"), "data": data("central_funds_wan_yuan")},
                {"name": _("Central funds paid"), "data": data("central_funds_paid_wan_yuan")},
            ],
        },
    }


@login_required
def project_list(request):
    user = request.user
    deny_unless(user, M5_ROLES)
    qs, year, chosen = _filtered(request)
    stats = projects.project_stats(user=user, queryset=qs)
    page, query = paginate(request, qs.select_related("enterprise").order_by("batch_year", "code"))
    batch_years = sorted(set(projects.projects(user).values_list("batch_year", flat=True)), reverse=True)
    return render_page(
        request,
        "circular/projects.html",
        {
            "page": page,
            "query": query,
            "stats": stats,
            "year": year,
            "years": batch_years,
            "chosen": chosen,
            "owners": P.Owner.choices,
            "categories": P.Category.choices,
            "statuses": P.Status.choices,
            "grades": P.Grade.choices,
            "can_write": projects.can_write(user),
            **_charts(stats),
        },
    )


@login_required
def project_detail(request, pk: int):
    user = request.user
    deny_unless(user, M5_ROLES)
    project = get_object_or_404(projects.projects(user).select_related("enterprise"), pk=pk)
    approved = project.central_funds_approved_wan_yuan
    paid_share = float(project.central_funds_paid_wan_yuan / approved * 100) if approved else None
    return render_page(
        request,
        "circular/project_detail.html",
        {"project": project, "paid_share": paid_share, "can_write": projects.can_write(user)},
    )


def _form_page(request, project: P | None):
    user = request.user
    initial = _initial(project) if project else {"status": P.Status.PLANNED, "owner": P.Owner.ENTERPRISE}
    form = ProjectForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            fields = _fields(user, form)
            if project is None:
                project = projects.project_create(by=user, **fields)
                text = _("Project %(code)s recorded.")
            else:
                project = projects.project_update(by=user, project=project, **fields)
                text = _("Project %(code)s saved.")
        except Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, text % {"code": project.code})
            return redirect("circular:project", pk=project.pk)
    return render_page(request, "circular/project_form.html", {"form": form, "project": project})


@login_required
def project_new(request):
    deny_unless(request.user, projects.WRITERS)
    return _form_page(request, None)


@login_required
def project_edit(request, pk: int):
    user = request.user
    deny_unless(user, projects.WRITERS)
    project = get_object_or_404(projects.projects(user).select_related("enterprise"), pk=pk)
    return _form_page(request, project)


urlpatterns = [
    path("projects/", project_list, name="projects"),
    path("projects/new/", project_new, name="project-new"),
    path("projects/<int:pk>/", project_detail, name="project"),
    path("projects/<int:pk>/edit/", project_edit, name="project-edit"),
]
