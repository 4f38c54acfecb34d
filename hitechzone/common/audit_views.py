"""The auditor page (``/audit/``): the whole trail, filtered by user, object type, object, date and source.

Administrators and leaders only; for everybody else the page does not exist (404, deny by default).
"""

from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.shortcuts import render
from django.urls import path

from .audit import AUDITED_MODELS, entries
from .audit_api import AuditFilter
from .models import AuditEvent, ImportBatch, Source
from .views import paginate


def object_types() -> list[tuple[str, str]]:
    """``[("enterprises.enterprise", "企业"), …]``: the audited models, for the object type filter."""
    content_types = ContentType.objects.get_for_models(*AUDITED_MODELS)
    choices = [(f"{ct.app_label}.{ct.model}", str(model._meta.verbose_name)) for model, ct in content_types.items()]
    return sorted(choices, key=lambda choice: choice[1])


@login_required
def audit_list(request):
    events = AuditEvent.objects.for_user(request.user)
    if events.query.is_empty():
        raise Http404
    events = events.select_related("user", "content_type", "batch")
    filterset = AuditFilter(request.GET, queryset=events)
    page, query = paginate(request, filterset.qs)
    batch = None
    if filterset.form.is_valid() and filterset.form.cleaned_data.get("batch") is not None:
        batch = ImportBatch.objects.filter(pk=filterset.form.cleaned_data["batch"]).first()
    return render(
        request,
        "common/audit_list.html",
        {
            "page": page,
            "query": query,
            "entries": entries(page),
            "form": filterset.form,
            "object_types": object_types(),
            "sources": Source.choices,
            "actions": AuditEvent.Action.choices,
            "batch": batch,
        },
    )


app_name = "audit"
urlpatterns = [
    path("", audit_list, name="list"),
]
