"""M3 pages for a project's links (issue 14, items 10-11): the freed land on offer, placing a project on it, opening
its parallel approval (M2) as its agent, and 投产 (the enterprise it becomes, with its officer as 店小二).

The land list is for administrators, leaders and officers (others: 403). The three forms are the project's own
officer's or an administrator's (others: 403 for the role, 404 for another officer's project). Writes go through
``links``; a ``Refused`` is shown on the form and nothing is written.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hitechzone.common.bundles import bundle_provider
from hitechzone.common.rules import Refused
from hitechzone.common.views import deny_unless, paginate
from hitechzone.enterprises.models import Enterprise
from hitechzone.zone.models import Parcel

from . import links
from .models import Project
from .nav import render_page as _render
from .roles import LAND_ROLES, WRITERS


@login_required
def available_land(request):
    """Freed land on offer: parcels M4's exit cases handed back, with no land user and no project yet."""
    user = request.user
    deny_unless(user, LAND_ROLES)
    page, query = paginate(request, links.available_parcels(user))
    return _render(request, "projects/land.html", {"page": page, "query": query})


def _own_project(request, pk: int) -> Project:
    deny_unless(request.user, WRITERS)
    return get_object_or_404(Project.objects.editable(request.user).select_related("investor"), pk=pk)


class PlaceForm(forms.Form):
    parcels = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Parcels"), queryset=Parcel.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, user, project, **kwargs):
        super().__init__(*args, **kwargs)
        # Freed land on offer, plus the parcels the project already stands on (kept when ticked).
        offered = links.available_parcels(user).values("pk")
        placed = project.parcel_links.values("parcel")
        self.fields["parcels"].queryset = Parcel.objects.filter(Q(pk__in=offered) | Q(pk__in=placed)).order_by("code")
        self.fields["parcels"].label_from_instance = lambda p: f"{p.code} · {p.name or '—'} · {p.area_mu:.2f} 亩"


@login_required
def project_parcels(request, pk: int):
    project = _own_project(request, pk)
    placed = list(project.parcel_links.values_list("parcel", flat=True))
    form = PlaceForm(request.POST or None, user=request.user, project=project, initial={"parcels": placed})
    if request.method == "POST" and form.is_valid():
        try:
            links.project_place(by=request.user, project=project, parcels=form.cleaned_data["parcels"])
        except Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Project %(name)s placed on its parcels.") % {"name": project.name})
            return redirect("projects:detail", pk=project.pk)
    return _render(request, "projects/place.html", {"form": form, "project": project})


class BundleForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name of the parallel approval"),
        max_length=120,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    items = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Items"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("At least two, usually of several departments."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        provider = bundle_provider()
        self.fields["items"].choices = list(provider.items(user)) if provider else []


@login_required
def project_bundle(request, pk: int):
    project = _own_project(request, pk)
    form = BundleForm(request.POST or None, user=request.user, initial={"name": project.name})
    if request.method == "POST" and form.is_valid():
        try:
            opened = links.project_open_bundle(
                by=request.user, project=project, items=form.cleaned_data["items"], name=form.cleaned_data["name"]
            )
        except Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(
                request,
                _("Parallel approval %(name)s filed: %(n)d applications.") % {"name": opened.name, "n": opened.total},
            )
            return redirect("projects:detail", pk=project.pk)
    linked = links.project_enterprise(request.user, project)
    return _render(request, "projects/bundle_form.html", {"form": form, "project": project, "linked": linked})


class EnterpriseForm(forms.Form):
    enterprise = forms.ModelChoiceField(
        label=gettext_lazy("An enterprise of the registry"),
        queryset=Enterprise.objects.none(),
        required=False,
        empty_label=gettext_lazy("— the investor's (created in the registry if needed) —"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = Enterprise.objects.for_user(user).order_by("name")


@login_required
def project_enterprise(request, pk: int):
    project = _own_project(request, pk)
    form = EnterpriseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            link = links.project_link_enterprise(
                project=project, enterprise=form.cleaned_data["enterprise"], by=request.user
            )
        except Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(
                request,
                _("Project %(project)s is linked to %(enterprise)s; its officer serves the enterprise.")
                % {"project": project.name, "enterprise": link.enterprise.name},
            )
            return redirect("projects:detail", pk=project.pk)
    linked = links.project_enterprise(request.user, project)
    return _render(request, "projects/enterprise_form.html", {"form": form, "project": project, "linked": linked})


urlpatterns = [
    path("land/", available_land, name="land"),
    path("<int:pk>/parcels/", project_parcels, name="parcels"),
    path("<int:pk>/bundle/", project_bundle, name="bundle"),
    path("<int:pk>/enterprise/", project_enterprise, name="enterprise"),
]
