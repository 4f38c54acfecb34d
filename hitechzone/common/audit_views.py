"""The auditor page (``/audit/``): the whole trail, filtered by user, object type, object, date and source.

Administrators and leaders only; everybody else is refused (403, deny by default: the framed error page).
"""

from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from .audit import AUDITED_MODELS, entries
from .audit_api import AuditFilter
from .models import AuditEvent, ImportBatch, Source
from .spreadsheets import xlsx_response
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
        raise PermissionDenied
    events = events.select_related("user", "content_type", "batch")
    filterset = AuditFilter(request.GET, queryset=events)
    if request.GET.get("export") == "xlsx":
        return _export(filterset.qs)
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


EXPORT_LIMIT = 100_000


def _export(events):
    """What the page shows (filters applied), one row per changed field, at most EXPORT_LIMIT records."""
    headers = [_("When"), _("Who"), _("Source"), _("Action"), _("Object type"), _("Object"), _("Field"), _("Before"),
               _("After"), _("Import batch")]  # fmt: skip

    def rows():
        for chunk_start in range(0, EXPORT_LIMIT, 2000):
            chunk = list(events[chunk_start : chunk_start + 2000])
            for entry in entries(chunk):
                e = entry.event
                common = [timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"), e.username or "—",
                          e.get_source_display(), e.get_action_display(), entry.type_label, e.object_repr]  # fmt: skip
                batch = f"#{e.batch_id} {e.batch.file_name}" if e.batch_id else ""
                for change in entry.changes or [None]:
                    yield [*common, *((change.label, change.before, change.after) if change else ("", "", "")), batch]
            if len(chunk) < 2000:
                return

    return xlsx_response(f"审计记录-{timezone.localdate():%Y%m%d}.xlsx", [(_("Audit trail"), headers, rows())])


app_name = "audit"
urlpatterns = [
    path("", audit_list, name="list"),
]
