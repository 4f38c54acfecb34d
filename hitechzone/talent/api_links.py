"""The API of an incubator's investment projects (issue 15, point 2), nested under the incubator:

- ``GET talent/incubators/{id}/projects/``: the links whose project the caller may see (the project module's scope),
  with its label and URL; who may see the incubator (another: 404);
- ``POST`` the same (administrators and the talent office): ``{"project": "projects.project:42", "moved_on", "note"}``
  — a project the caller may not see, or already linked, answers 400 and nothing is written;
- ``DELETE talent/incubators/{id}/projects/{link}/``: removes the link (204).
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from hitechzone.common.api import RefusalsAnswer400

from . import links, roles
from .models import Incubator, IncubatorProject


class IncubatorProjectSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="link.pk")
    project = serializers.CharField(source="link.project", help_text='The subject key, e.g. "projects.project:42".')
    project_name = serializers.CharField(source="subject.label")
    project_url = serializers.CharField(source="subject.url")
    moved_on = serializers.DateField(source="link.moved_on", allow_null=True)
    note = serializers.CharField(source="link.note")


class IncubatorProjectWriteSerializer(serializers.Serializer):
    project = serializers.CharField(max_length=64, help_text='The subject key, e.g. "projects.project:42".')
    moved_on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=200)


class _Base(RefusalsAnswer400, APIView):
    write_roles = frozenset({roles.ADMIN, roles.DEPT})  # department staff: the talent office only (checked below)

    def handle_exception(self, exc):
        if isinstance(exc, links.FieldErrors):
            exc = ValidationError(exc.errors)
        return super().handle_exception(exc)

    def incubator(self, request, pk: int, *, write: bool) -> Incubator:
        if write and not roles.may_write(request.user):
            raise PermissionDenied
        return get_object_or_404(Incubator.objects.for_user(request.user), pk=pk)


class IncubatorProjectsView(_Base):
    """The investment projects that moved from the incubator into the zone (those the caller may see)."""

    @extend_schema(responses={200: IncubatorProjectSerializer(many=True)})
    def get(self, request, pk):
        incubator = self.incubator(request, pk, write=False)
        return Response(IncubatorProjectSerializer(links.incubator_projects(request.user, incubator), many=True).data)

    @extend_schema(request=IncubatorProjectWriteSerializer, responses={201: IncubatorProjectSerializer})
    def post(self, request, pk):
        incubator = self.incubator(request, pk, write=True)
        body = IncubatorProjectWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        link = links.incubator_project_link(by=request.user, incubator=incubator, **body.validated_data)
        shown = next(s for s in links.incubator_projects(request.user, incubator) if s.link.pk == link.pk)
        return Response(IncubatorProjectSerializer(shown).data, status=status.HTTP_201_CREATED)


class IncubatorProjectView(_Base):
    """One link: removed by administrators and the talent office (a link to a project the caller sees)."""

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, pk, link):
        incubator = self.incubator(request, pk, write=True)
        row = get_object_or_404(IncubatorProject.objects.for_user(request.user), incubator=incubator, pk=link)
        links.incubator_project_unlink(by=request.user, link=row)
        return Response(status=status.HTTP_204_NO_CONTENT)


PATHS = [
    path("talent/incubators/<int:pk>/projects/", IncubatorProjectsView.as_view(), name="api-incubator-projects"),
    path(
        "talent/incubators/<int:pk>/projects/<int:link>/",
        IncubatorProjectView.as_view(),
        name="api-incubator-project",
    ),
]
