"""The incubator page's investment projects (issue 15, point 2): the list the viewer may see, and the add and
remove forms (administrators and the talent office; ``links`` refuses a project the user may not see).

``incubator/<pk>/projects/`` and ``…/projects/<link>/remove/`` answer POST only; a refusal is shown on the incubator's
page as a message and nothing is written.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from hitechzone.common.subjects import subject_search

from . import links, roles
from .forms import _date, _select, _text
from .models import Incubator, IncubatorProject


class IncubatorProjectForm(forms.Form):
    project = forms.ChoiceField(label=gettext_lazy("Investment project"), widget=_select())
    moved_on = forms.DateField(label=gettext_lazy("Moved into the zone on"), required=False, widget=_date())
    note = forms.CharField(label=gettext_lazy("Note"), max_length=200, required=False, widget=_text())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(s.key, s.label) for s in subject_search(user, links.PROJECT_KIND)]
        self.fields["project"].choices = [("", "—"), *choices]
        self.has_choices = bool(choices)


def incubator_projects_context(user, incubator) -> dict:
    """What the incubator's page shows of its projects (the viewer's own) and, for a writer, the add form."""
    writer = roles.may_write(user)
    return {
        "project_links": links.incubator_projects(user, incubator),
        "projects_installed": links.projects_installed(),
        "project_form": IncubatorProjectForm(user=user) if writer and links.projects_installed() else None,
    }


def _incubator(user, pk: int) -> Incubator:
    if not roles.may_write(user):
        raise PermissionDenied
    return get_object_or_404(Incubator.objects.for_user(user), pk=pk)


def _refused(request, refusal) -> None:
    errors = getattr(refusal, "errors", None)
    text = " ".join(m for msgs in errors.values() for m in msgs) if errors else str(refusal)
    messages.error(request, text)


@login_required
@require_POST
def project_add(request, pk: int):
    user = request.user
    incubator = _incubator(user, pk)
    form = IncubatorProjectForm(request.POST, user=user)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("talent:incubator", pk=incubator.pk)
    try:
        links.incubator_project_link(by=user, incubator=incubator, **form.cleaned_data)
    except links.Refused as refusal:
        _refused(request, refusal)
    else:
        messages.success(request, _("The investment project is linked to the incubator."))
    return redirect("talent:incubator", pk=incubator.pk)


@login_required
@require_POST
def project_remove(request, pk: int, link: int):
    user = request.user
    incubator = _incubator(user, pk)
    row = get_object_or_404(IncubatorProject.objects.for_user(user), incubator=incubator, pk=link)
    try:
        links.incubator_project_unlink(by=user, link=row)
    except links.Refused as refusal:
        _refused(request, refusal)
    else:
        messages.success(request, _("The link to the investment project is removed."))
    return redirect("talent:incubator", pk=incubator.pk)


urlpatterns = [
    path("incubators/<int:pk>/projects/", project_add, name="incubator-project-add"),
    path("incubators/<int:pk>/projects/<int:link>/remove/", project_remove, name="incubator-project-remove"),
]
