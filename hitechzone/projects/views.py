"""M3 pages: the projects list (``?stage=``), one project with its 标准地 admission checks (green and red, value
against threshold, the rules version used), and the create and edit form.

Reads start from ``Project.objects.for_user`` (department staff: 403; another's object: 404). Administrators and
officers create; an officer edits only the projects he brought (``Project.objects.editable``; another's: 404).
Writes go through ``services``; a ``Refused`` is shown on the form and nothing is written.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hitechzone.accounts.models import Role, User
from hitechzone.accounts.roles import effective_role
from hitechzone.common.rules import Refused
from hitechzone.common.views import deny_unless, paginate
from hitechzone.enterprises.models import IndustryChain
from hitechzone.zone.models import FunctionalArea

from . import admission, exports, services
from .models import Investor, Project
from .nav import render_page as _render
from .roles import PAGE_ROLES, WRITERS
from .views_panels import panel_context
from .views_pipeline import detail_context

# --- Form -----------------------------------------------------------------------------------------------------------


def _number(step: str = "0.01"):
    return forms.NumberInput(attrs={"class": "form-control", "step": step, "min": "0", "inputmode": "decimal"})


class ProjectForm(forms.ModelForm):
    new_investor = forms.CharField(
        label=gettext_lazy("Or a new investor's name"),
        required=False,
        max_length=128,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )

    class Meta:
        model = Project
        fields = list(services.PROJECT_FIELDS)
        widgets = {
            "name": forms.TextInput(attrs={"class": "form-control"}),
            "industry_code": forms.TextInput(attrs={"class": "form-control", "placeholder": "C2614"}),
            "pollutants": forms.Textarea(attrs={"class": "form-control", "rows": 2}),
            "jobs": _number("1"),
            "land_mu": _number("0.0001"),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["investor"].queryset = Investor.objects.for_user(user)
        self.fields["investor"].required = False
        self.fields["chain"].queryset = IndustryChain.objects.for_user(user)
        self.fields["functional_area"].queryset = FunctionalArea.objects.for_user(user)
        if effective_role(user) == Role.ADMIN:
            self.fields["officer"].queryset = User.objects.filter(role=Role.OFFICER, is_active=True)
        else:
            del self.fields["officer"]  # an officer's project is his own
        for field in self.fields.values():
            if isinstance(field.widget, forms.Select):
                field.widget.attrs.setdefault("class", "form-select")
            elif isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(field, forms.DecimalField):
                field.widget = _number(field.widget.attrs.get("step", "0.01"))
            field.widget.attrs.setdefault("class", "form-control")
        if "land_mu" in self.fields:
            self.fields["land_mu"].widget = _number("0.0001")

    def clean_industry_code(self):
        text = self.cleaned_data.get("industry_code", "")
        if not text:
            return ""
        code = admission.normalise_industry_code(text)
        if code is None:
            raise forms.ValidationError(_("No GB/T 4754 industry has the code “%(code)s”.") % {"code": text})
        return code

    def clean_land_mu(self):
        value = self.cleaned_data.get("land_mu")
        if value is not None and value <= 0:
            raise forms.ValidationError(_("The land must be more than 0 mu."))
        return value

    def clean(self):
        data = super().clean()
        if not data.get("investor") and not data.get("new_investor", "").strip():
            self.add_error("investor", _("Choose the investor, or give a new investor's name."))
        return data

    def _post_clean(self):  # the service checks and saves the model, not the form
        pass


# --- Pages ----------------------------------------------------------------------------------------------------------


@login_required
def project_list(request):
    user = request.user
    deny_unless(user, PAGE_ROLES)
    qs = Project.objects.for_user(user).select_related("investor", "officer")
    stage = request.GET.get("stage", "")
    if stage not in Project.Stage.values:
        stage = ""
    if stage:
        qs = qs.filter(stage=stage)
    if request.GET.get("export") == "xlsx":
        return exports.projects_response(qs)
    page, query = paginate(request, qs.order_by("-created_at", "-pk"))
    return _render(
        request,
        "projects/list.html",
        {"page": page, "query": query, "stage": stage, "stages": Project.Stage.choices, "can_write": _writer(user)},
    )


def _writer(user) -> bool:
    return effective_role(user) in WRITERS


@login_required
def project_detail(request, pk: int):
    user = request.user
    deny_unless(user, PAGE_ROLES)
    qs = Project.objects.for_user(user).select_related("investor", "chain", "functional_area", "officer")
    project = get_object_or_404(qs, pk=pk)
    rules = services.current_rules()
    checks = services.project_checks(project, rules) if rules else []
    return _render(
        request,
        "projects/detail.html",
        {
            "project": project,
            "rules": rules,
            "checks": checks,
            "passed": admission.passed(checks) if checks else None,
            "can_edit": Project.objects.editable(user).filter(pk=project.pk).exists(),
            **panel_context(user, project),
            **detail_context(user, project),
        },
    )


def _form_page(request, project: Project | None):
    user = request.user
    form = ProjectForm(request.POST or None, instance=project, user=user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        new_investor = data.pop("new_investor", "").strip()
        try:
            with transaction.atomic():
                if not data.get("investor"):
                    data["investor"] = services.investor_create(by=user, name=new_investor)
                if project is None:
                    project = services.project_create(by=user, **data)
                    text = _("Project %(name)s recorded.")
                else:
                    project = services.project_update(by=user, project=project, **data)
                    text = _("Project %(name)s saved.")
        except Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, text % {"name": project.name})
            return redirect("projects:detail", pk=project.pk)
    return _render(request, "projects/form.html", {"form": form, "project": project})


@login_required
def project_new(request):
    deny_unless(request.user, WRITERS)
    return _form_page(request, None)


@login_required
def project_edit(request, pk: int):
    user = request.user
    deny_unless(user, WRITERS)
    project = get_object_or_404(Project.objects.editable(user), pk=pk)
    return _form_page(request, project)


app_name = "projects"
urlpatterns = [
    path("", project_list, name="list"),
    path("new/", project_new, name="new"),
    path("<int:pk>/", project_detail, name="detail"),
    path("<int:pk>/edit/", project_edit, name="edit"),
]
