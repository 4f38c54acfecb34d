"""A project's links over the API (issue 14, items 10-11), as actions of the projects viewset (``ProjectLinksMixin``):

- ``GET projects/available-land/``: freed land on offer (parcels handed back by M4's exit cases, no land user, no
  project yet) that the user may see; administrators, leaders and officers;
- ``GET|POST projects/{id}/parcels/``: where the project stands; ``POST {"parcels": [codes or ids]}`` places it;
- ``GET|POST projects/{id}/bundle/``: its parallel approvals (M2) with their progress; ``POST {"items": [ids],
  "name"}`` opens one, filed by the project's officer as agent (代办);
- ``GET|POST projects/{id}/enterprise/``: 投产, the registry enterprise it became; ``POST {"enterprise": id|null}``
  links it (null: the investor's, created if needed) and makes the project's officer its 店小二.

Writes: the project's own officer or an administrator (another officer's project: 404).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from hitechzone.common.api import CodeOrIdRelatedField
from hitechzone.enterprises.models import Enterprise
from hitechzone.zone.models import Parcel

from . import links
from .roles import LAND_ROLES, WRITERS


class ReleaseSerializer(serializers.Serializer):
    former_enterprise = serializers.IntegerField(source="former_enterprise_id")
    former_enterprise_name = serializers.CharField(source="former_enterprise.name")
    released_on = serializers.DateField()
    reference = serializers.CharField(help_text=_("what freed the parcel, e.g. the exit case's number"))


class LandSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    brand = serializers.CharField(source="brand.code")
    functional_area = serializers.CharField(source="functional_area.code", allow_null=True, default=None)
    land_use = serializers.CharField()
    area_mu = serializers.DecimalField(max_digits=12, decimal_places=4, coerce_to_string=False)
    releases = ReleaseSerializer(many=True, source="releases.all")


class PlacementSerializer(serializers.Serializer):
    parcel = serializers.IntegerField(source="parcel_id")
    code = serializers.CharField(source="parcel.code")
    area_mu = serializers.DecimalField(source="parcel.area_mu", max_digits=12, decimal_places=4, coerce_to_string=False)
    placed_on = serializers.DateField()
    releases = ReleaseSerializer(many=True, source="parcel.releases.all")


class VisibleParcelField(CodeOrIdRelatedField):
    """A parcel looked up among those the requesting user may see (``Parcel.objects.for_user``): another is "not
    found", like every related object a user sets."""

    def get_queryset(self):
        request = self.root.context.get("request")
        return Parcel.objects.for_user(getattr(request, "user", None))


class PlaceSerializer(serializers.Serializer):
    parcels = VisibleParcelField(many=True, queryset=Parcel.objects.all(), help_text=_("parcel codes or ids"))


class BundleProgressSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    url = serializers.CharField()
    started_on = serializers.DateField()
    completed_on = serializers.DateField(allow_null=True)
    total = serializers.IntegerField(help_text=_("applications (one per department's item)"))
    done = serializers.IntegerField()
    overdue = serializers.IntegerField()
    lights = serializers.DictField(child=serializers.IntegerField(), help_text=_("green, yellow, red, paused"))


class BundleOpenSerializer(serializers.Serializer):
    items = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=2)
    name = serializers.CharField(required=False, allow_blank=True, max_length=120)


class EnterpriseLinkSerializer(serializers.Serializer):
    """Every field null while the project is not linked yet."""

    enterprise = serializers.IntegerField(source="enterprise_id", allow_null=True)
    enterprise_name = serializers.CharField(source="enterprise.name", allow_null=True)
    created_enterprise = serializers.BooleanField(allow_null=True)
    linked_on = serializers.DateField(allow_null=True)


NOT_LINKED = {"enterprise": None, "enterprise_name": None, "created_enterprise": None, "linked_on": None}


class EnterpriseLinkInputSerializer(serializers.Serializer):
    enterprise = serializers.IntegerField(
        required=False, allow_null=True, help_text=_("an enterprise you may see; empty: the investor's (created)")
    )


class ProjectLinksMixin:
    """The actions above; mixed into ``api.ProjectViewSet``."""

    def _changeable(self, request):
        project = self.get_object()
        if not links.can_change(request.user, project):
            raise NotFound  # another officer's project is not his to change
        return project

    @extend_schema(summary=_("Freed land on offer (from M4's land-exit cases)."), responses=LandSerializer(many=True))
    @action(detail=False, methods=["get"], url_path="available-land", filterset_class=None)
    def available_land(self, request):
        if request.user.effective_role not in LAND_ROLES:
            return Response(status=status.HTTP_403_FORBIDDEN)
        qs = links.available_parcels(request.user)
        page = self.paginate_queryset(qs)
        if page is not None:
            return self.get_paginated_response(LandSerializer(page, many=True).data)
        return Response(LandSerializer(qs, many=True).data)

    @extend_schema(
        summary=_("The parcels the project stands on; POST places it (freed land on offer you may see)."),
        request=PlaceSerializer,
        responses=PlacementSerializer(many=True),
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="parcels",
        write_roles=WRITERS,
        pagination_class=None,
        filterset_class=None,
    )
    def parcels(self, request, pk=None):
        if request.method == "GET":
            project = self.get_object()
        else:
            project = self._changeable(request)
            body = PlaceSerializer(data=request.data, context=self.get_serializer_context())
            body.is_valid(raise_exception=True)
            links.project_place(by=request.user, project=project, parcels=body.validated_data["parcels"])
        return Response(PlacementSerializer(links.project_placements(request.user, project), many=True).data)

    @extend_schema(
        summary=_("The project's parallel approvals (M2) and their progress; POST opens one as its agent (代办)."),
        request=BundleOpenSerializer,
        responses=BundleProgressSerializer(many=True),
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="bundle",
        write_roles=WRITERS,
        pagination_class=None,
        filterset_class=None,
    )
    def bundle(self, request, pk=None):
        if request.method == "GET":
            project = self.get_object()
            return Response(BundleProgressSerializer(links.project_bundles(request.user, project), many=True).data)
        project = self._changeable(request)
        body = BundleOpenSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        opened = links.project_open_bundle(by=request.user, project=project, **body.validated_data)
        return Response(BundleProgressSerializer(opened).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("投产: the enterprise the project became; POST links it and makes its officer the 店小二."),
        request=EnterpriseLinkInputSerializer,
        responses=EnterpriseLinkSerializer,
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="enterprise",
        write_roles=WRITERS,
        pagination_class=None,
        filterset_class=None,
    )
    def enterprise(self, request, pk=None):
        if request.method == "GET":
            project = self.get_object()
            link = links.project_enterprise(request.user, project)
            return Response(EnterpriseLinkSerializer(link).data if link else NOT_LINKED)
        project = self._changeable(request)
        body = EnterpriseLinkInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        enterprise = None
        if body.validated_data.get("enterprise"):
            enterprise = Enterprise.objects.for_user(request.user).filter(pk=body.validated_data["enterprise"]).first()
            if enterprise is None:
                raise serializers.ValidationError({"enterprise": [_("No enterprise you may see has this id.")]})
        link = links.project_link_enterprise(project=project, enterprise=enterprise, by=request.user)
        return Response(EnterpriseLinkSerializer(link).data, status=status.HTTP_201_CREATED)
