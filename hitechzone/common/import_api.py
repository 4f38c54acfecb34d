"""Intake over the API: ``POST /api/v1/imports/`` (multipart ``kind`` + ``file``) answers with a job to poll."""

from django.http import FileResponse, Http404, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from hitechzone.accounts.models import Role

from . import jobs
from .api import Pagination
from .import_views import MAX_UPLOAD_BYTES, TEMPLATE_ROLES, _batches_for
from .intake import batch_create, get_kind, importable, registry, template_bytes
from .models import ImportBatch, Job, Source
from .spreadsheets import XLSX_MIME


class JobSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "status",
            "progress",
            "stage",
            "log",
            "result",
            "batch",
            "created_at",
            "started_at",
            "finished_at",
            "url",
        ]

    def get_url(self, obj) -> str:
        return reverse("job-detail", args=[obj.pk])


class ImportBatchSerializer(serializers.ModelSerializer):
    user = serializers.CharField(source="user.username", read_only=True, default=None)
    report_url = serializers.SerializerMethodField()

    class Meta:
        model = ImportBatch
        fields = [
            "id",
            "kind",
            "file_name",
            "sha256",
            "size_bytes",
            "user",
            "source",
            "status",
            "message",
            "rows_total",
            "rows_bad",
            "rows_created",
            "rows_updated",
            "rows_unchanged",
            "created_at",
            "finished_at",
            "report_url",
        ]

    def get_report_url(self, obj) -> str | None:
        return reverse("import-batch-report", args=[obj.pk]) if obj.report else None


class ImportRequestSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[])
    file = serializers.FileField()

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = sorted(importable(user) if user is not None else registry())

    def validate_file(self, upload):
        if upload.size > MAX_UPLOAD_BYTES:
            raise serializers.ValidationError(_("The file is too large."))
        return upload


class ImportViewSet(viewsets.ReadOnlyModelViewSet):
    """Import batches. Administrators import (and whoever a kind admits: the talent office its M6 kinds, seeing its
    own batches); a POST checks every row and writes all of them or none."""

    serializer_class = ImportBatchSerializer
    pagination_class = Pagination
    parser_classes = [MultiPartParser, FormParser]
    filterset_fields = ["kind", "status", "sha256"]
    write_roles = (Role.ADMIN, Role.DEPARTMENT)  # a department's staff when a kind admits them (``create``)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ImportBatch.objects.none()
        return _batches_for(self.request.user).order_by("-created_at", "-id")

    @extend_schema(request={"multipart/form-data": ImportRequestSerializer}, responses={202: JobSerializer})
    def create(self, request):
        if request.user.effective_role != Role.ADMIN and not importable(request.user):
            raise PermissionDenied
        serializer = ImportRequestSerializer(data=request.data, user=request.user)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["file"]
        batch = batch_create(
            kind=serializer.validated_data["kind"],
            file_name=upload.name,
            data=b"".join(upload.chunks()),
            user=request.user,
            source=Source.API,
        )
        job = jobs.enqueue("import.run", user=request.user, batch=batch)
        body = JobSerializer(job).data
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": body["url"]})

    @extend_schema(responses={(200, XLSX_MIME): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path="report", url_name="report")
    def report(self, request, pk=None):
        batch = self.get_object()
        if not batch.report:
            raise Http404
        return FileResponse(
            batch.report.open("rb"), as_attachment=True, filename=f"report-{batch.pk}.xlsx", content_type=XLSX_MIME
        )

    @extend_schema(
        parameters=[OpenApiParameter("kind", str, OpenApiParameter.PATH, enum=sorted(registry()))],
        responses={(200, XLSX_MIME): OpenApiTypes.BINARY},
    )
    @action(detail=False, methods=["get"], url_path=r"templates/(?P<kind>[a-z-]+)", url_name="template")
    def template(self, request, kind=None):
        if request.user.effective_role not in TEMPLATE_ROLES:
            raise Http404
        try:
            k = get_kind(kind)
        except ValueError as exc:
            raise Http404 from exc
        response = HttpResponse(template_bytes(k), content_type=XLSX_MIME)
        response["Content-Disposition"] = f'attachment; filename="{k.name}-template.xlsx"'
        return response


class JobViewSet(viewsets.ReadOnlyModelViewSet):
    """Background jobs: poll one until its status is succeeded or failed."""

    serializer_class = JobSerializer
    pagination_class = Pagination
    filterset_fields = ["status", "kind", "batch"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Job.objects.none()
        return Job.objects.for_user(self.request.user).order_by("-created_at", "-id")
