"""The M6 API (``/api/v1/talent/…``).

- ``talent/platforms/``, ``talent/incubators/`` (``{id}/enterprises/`` links an enterprise that moved into the
  zone), ``talent/partners/``: the zone's staff and officers read them; administrators and the talent office write.
- ``talent/talents/``: administrators, leaders and the talent office; ``id_number`` answered masked (first 6 and
  last 4 characters), ``phone`` masked in the list; ``{id}/reveal/`` (POST, the talent office) answers the number
  and records the disclosure.
- ``talent/funds/`` (figures: budget, granted, paid, left), ``talent/grants/`` (an enterprise applies for itself;
  ``{id}/approve/`` and ``{id}/refuse/`` by a leader; ``{id}/instalments/`` pays against a milestone).
- ``talent/team-applications/`` and ``{id}/step/`` (the workflow, ``services.WORKFLOW``).
- ``talent/stats/?year=``: the year's figures (issue 15, point 5).

A refusal answers 400: ``{"detail": …}`` for a rule, ``{field: [messages]}`` for bad fields; nothing is written.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers as drf
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response
from rest_framework.views import APIView

from hitechzone.common.api import RefusalsAnswer400, ScopedModelViewSet
from hitechzone.common.params import api_year

from . import queries, roles, services
from . import serializers as s
from .models import Incubator, Partner, Platform, Talent, TeamApplication, TeamStep

#: Who may send writes to the records the talent office keeps (the service checks for the office).
KEEPERS = frozenset({roles.ADMIN, roles.DEPT})
#: Who applies for grants and submits team applications (an enterprise for itself).
APPLICANTS = frozenset({roles.ADMIN, roles.DEPT, roles.ENTERPRISE})


class FieldErrorsAnswer400(RefusalsAnswer400):
    """``FieldErrors`` answer 400 naming each field; any other ``Refused`` ``{"detail": …}``."""

    def handle_exception(self, exc):
        if isinstance(exc, services.FieldErrors):
            exc = ValidationError(exc.errors)
        return super().handle_exception(exc)


def _office_or_403(user) -> None:
    if not roles.is_talent_office(user):
        raise PermissionDenied


class Base(FieldErrorsAnswer400, ScopedModelViewSet):
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    write_roles = KEEPERS

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "list": self.action == "list"}

    def initial(self, request, *args, **kwargs):
        """Department staff write only when they are the talent office (403 for any other department)."""
        super().initial(request, *args, **kwargs)
        user = request.user
        if request.method not in SAFE_METHODS and roles.effective_role(user) == roles.DEPT:
            _office_or_403(user)


class PlatformViewSet(Base):
    """Innovation platforms: type, level, host organisation, address, founded, status."""

    queryset = Platform.objects.order_by("name")
    serializer_class = s.PlatformSerializer


class IncubatorViewSet(Base):
    """Off-site incubators (研发在外地、转化在园区) and the enterprises that moved from them into the zone."""

    queryset = Incubator.objects.order_by("name")
    serializer_class = s.IncubatorSerializer

    @extend_schema(request=s.IncubatorLinkWriteSerializer, responses={201: s.IncubatorLinkSerializer})
    @action(detail=True, methods=["post"])
    def enterprises(self, request, pk=None):
        """Link an enterprise that moved from this incubator into the zone (shown on the enterprise's page too)."""
        incubator = self.get_object()
        body = s.IncubatorLinkWriteSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        link = services.incubator_link(by=request.user, incubator=incubator, **body.validated_data)
        return Response(s.IncubatorLinkSerializer(link).data, status=status.HTTP_201_CREATED)


class PartnerViewSet(Base):
    """Partner universities and institutes, with their agreements."""

    queryset = Partner.objects.order_by("name")
    serializer_class = s.PartnerSerializer


class TalentViewSet(Base):
    """Talents: programme and level, degree, field, employer. ``id_number`` is answered masked everywhere."""

    queryset = Talent.objects.order_by("name", "pk")
    serializer_class = s.TalentSerializer
    select_related = ("enterprise",)

    @extend_schema(request=None, responses={200: inline_serializer("Revealed", {"id_number": drf.CharField()})})
    @action(detail=True, methods=["post"], write_roles=frozenset({roles.DEPT}))
    def reveal(self, request, pk=None):
        """The ID number unmasked (the talent office only); the disclosure is recorded: who, whose, when."""
        talent = self.get_object()
        return Response({"id_number": services.talent_reveal(by=request.user, talent=talent)})


class FundViewSet(Base):
    """Innovation funds, each with ``granted_wan_yuan`` (approved grants), ``paid_wan_yuan`` and ``left_wan_yuan``."""

    queryset = queries.Fund.objects.order_by("-year", "name")
    serializer_class = s.FundSerializer

    def get_queryset(self):
        return queries.funds_with_figures(self.request.user).order_by("-year", "name")


class GrantViewSet(Base):
    """Grants from a fund: applied (the talent office, or an enterprise for itself), approved or refused by a
    leader (never beyond what is left of the fund), paid in instalments against milestones."""

    http_method_names = ["get", "post", "head", "options"]
    write_roles = APPLICANTS
    queryset = queries.Grant.objects.order_by("-applied_on", "-pk")
    serializer_class = s.GrantSerializer

    def get_queryset(self):
        qs = queries.grants_with_paid(self.request.user).order_by("-applied_on", "-pk")
        enterprise = self.request.query_params.get("enterprise", "")
        if enterprise.isdecimal() and len(enterprise) < 19:
            qs = qs.filter(recipient_enterprise_id=int(enterprise))
        return qs

    @extend_schema(request=None, responses={200: s.GrantSerializer})
    @action(detail=True, methods=["post"], write_roles=frozenset({roles.LEADER}))
    def approve(self, request, pk=None):
        """Approve (a leader): 400 stating what is left when the fund cannot cover the amount."""
        grant = services.grant_approve(by=request.user, grant=self.get_object())
        return Response(s.GrantSerializer(self.get_queryset().get(pk=grant.pk)).data)

    @extend_schema(request=s.GrantRefuseSerializer, responses={200: s.GrantSerializer})
    @action(detail=True, methods=["post"], write_roles=frozenset({roles.LEADER}))
    def refuse(self, request, pk=None):
        grant = self.get_object()
        body = s.GrantRefuseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        grant = services.grant_refuse(by=request.user, grant=grant, reason=body.validated_data["reason"])
        return Response(s.GrantSerializer(self.get_queryset().get(pk=grant.pk)).data)

    @extend_schema(request=s.InstalmentWriteSerializer, responses={201: s.InstalmentSerializer})
    @action(detail=True, methods=["post"], write_roles=KEEPERS)
    def instalments(self, request, pk=None):
        """Pay an instalment against a milestone (administrators and the talent office)."""
        grant = self.get_object()
        body = s.InstalmentWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        instalment = services.instalment_pay(by=request.user, grant=grant, **body.validated_data)
        return Response(s.InstalmentSerializer(instalment).data, status=status.HTTP_201_CREATED)


class TeamApplicationViewSet(Base):
    """The entrepreneurship park's team applications and their workflow (``step``)."""

    http_method_names = ["get", "post", "head", "options"]
    write_roles = APPLICANTS
    queryset = TeamApplication.objects.order_by("-submitted_on", "-pk")
    serializer_class = s.TeamApplicationSerializer
    prefetch_related = ("members", Prefetch("steps", queryset=TeamStep.objects.select_related("by")))

    @extend_schema(request=s.TeamStepWriteSerializer, responses={200: s.TeamApplicationSerializer})
    @action(
        detail=True, methods=["post"], write_roles=frozenset({roles.ADMIN, roles.DEPT, roles.LEADER, roles.ENTERPRISE})
    )
    def step(self, request, pk=None):
        """Take one step: accept, send_back (once, ``note`` = the missing items), resubmit, approve/reject (``note``
        = the reasons), sign, incubate, graduate (``enterprise``), leave (``note``)."""
        application = self.get_object()
        body = s.TeamStepWriteSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        services.team_step(by=request.user, application=application, **body.validated_data)
        return Response(s.TeamApplicationSerializer(self.get_queryset().get(pk=application.pk)).data)


class StatsView(APIView):
    """The year's figures (default: this year), from the rows: team applications submitted in the year, the PhD
    holders and programme talents among their members, their proposed registered capital and planned investment
    (万元); national and provincial programme talents and academicians in the zone; partner institutions with an
    agreement running in the year; the budget of the year's innovation funds."""

    @extend_schema(responses={200: s.TalentStatsSerializer})
    def get(self, request):
        if not roles.is_staff(request.user):
            raise PermissionDenied
        year = api_year(request, timezone.localdate().year)
        return Response(s.TalentStatsSerializer(queries.stats(user=request.user, year=year)).data)


ROUTES = [
    ("talent/platforms", PlatformViewSet, "talent-platform"),
    ("talent/incubators", IncubatorViewSet, "talent-incubator"),
    ("talent/partners", PartnerViewSet, "talent-partner"),
    ("talent/talents", TalentViewSet, "talent-talent"),
    ("talent/funds", FundViewSet, "talent-fund"),
    ("talent/grants", GrantViewSet, "talent-grant"),
    ("talent/team-applications", TeamApplicationViewSet, "talent-team-application"),
]
PATHS = [path("talent/stats/", StatsView.as_view(), name="api-talent-stats")]
