"""Intake in the web UI: download a template, upload, watch the check, preview, confirm, watch the write."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from hitechzone.accounts.models import Role

from . import jobs
from .intake import batch_create, get_kind, importable, template_bytes
from .models import ImportBatch, Job, Source
from .spreadsheets import XLSX_MIME

MAX_UPLOAD_BYTES = 60 * 1024 * 1024
TEMPLATE_ROLES = {Role.ADMIN, Role.LEADER, Role.DEPARTMENT, Role.OFFICER}


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("What the workbook holds"))
    file = forms.FileField(label=gettext_lazy("Workbook (.xlsx)"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.name, k.label) for k in importable(user).values()]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is %(mb)d MB; at most %(max)d MB are accepted.")
                % {"mb": upload.size // 2**20, "max": MAX_UPLOAD_BYTES // 2**20}
            )
        return upload


def _require_importer(user) -> None:
    """Administrators, and whoever a kind admits (``Kind.may_import``: the talent office its M6 kinds)."""
    if user.effective_role != Role.ADMIN and not importable(user):
        raise PermissionDenied  # a page not for the role: 403 (common/error_views.py)


def _batches_for(user):
    """Administrators see every batch; another importer its own, of the kinds it may import."""
    if user.effective_role == Role.ADMIN:
        return ImportBatch.objects.select_related("user")
    kinds = list(importable(user))
    if not kinds:
        return ImportBatch.objects.none()
    return ImportBatch.objects.select_related("user").filter(user=user, kind__in=kinds)


@login_required
def import_index(request):
    _require_importer(request.user)
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        batch = batch_create(
            kind=form.cleaned_data["kind"],
            file_name=upload.name,
            data=b"".join(upload.chunks()),
            user=request.user,
            source=Source.UI,
        )
        jobs.enqueue("import.check", user=request.user, batch=batch)
        return redirect("imports:detail", pk=batch.pk)
    return render(
        request,
        "common/imports.html",
        {"form": form, "batches": _batches_for(request.user)[:30], "kinds": importable(request.user).values()},
    )


@login_required
def import_detail(request, pk: int):
    _require_importer(request.user)
    batch = get_object_or_404(_batches_for(request.user), pk=pk)
    job = batch.jobs.order_by("-created_at", "-id").first()
    context = {"batch": batch, "job": job, "kind": get_kind(batch.kind)}
    if request.headers.get("HX-Request"):
        return render(request, "common/import_status.html", context)
    return render(request, "common/import_detail.html", context)


@login_required
@require_POST
def import_confirm(request, pk: int):
    _require_importer(request.user)
    batch = get_object_or_404(_batches_for(request.user), pk=pk)
    if batch.status != ImportBatch.Status.VALID:
        messages.error(request, _("Only a checked, valid workbook can be written."))
    elif batch.jobs.filter(kind="import.write", status__in=[Job.Status.QUEUED, Job.Status.RUNNING]).exists():
        messages.info(request, _("The workbook is being written already."))
    else:
        jobs.enqueue("import.write", user=request.user, batch=batch)
    return redirect("imports:detail", pk=batch.pk)


@login_required
def import_report(request, pk: int):
    _require_importer(request.user)
    batch = get_object_or_404(_batches_for(request.user), pk=pk)
    if not batch.report:
        raise Http404
    name = f"{batch.file_name.rsplit('.', 1)[0]}-错误报告.xlsx"
    return FileResponse(batch.report.open("rb"), as_attachment=True, filename=name, content_type=XLSX_MIME)


@login_required
def import_template(request, kind: str):
    if request.user.effective_role not in TEMPLATE_ROLES:
        raise Http404
    try:
        k = get_kind(kind)
    except ValueError as exc:
        raise Http404 from exc
    response = HttpResponse(template_bytes(k), content_type=XLSX_MIME)
    from urllib.parse import quote

    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(f'{k.label}-导入模板.xlsx')}"
    return response
