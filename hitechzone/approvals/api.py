"""The M2 API: the catalogue, applications and their steps, parallel approvals, rectifications, the year's figures
and the overdue list.

Every write calls ``services``; a ``services.Refused`` answers 400 ``{"detail": message}``. Reads start from
``Model.objects.for_user(user)`` (the catalogue is reference data every signed-in user reads), so an application
outside the user's scope answers 404. A role that may read an application but never act on it in that way
(a leader checking materials, an enterprise assigning) answers 403 before anything is looked up.

The steps are dated the day they are recorded: the services refuse a date in the future, and the API does not let
a step be backdated (history comes in through the import, with its real dates). Only filing takes a
``received_on``, the day the application was handed in.
"""

from __future__ import annotations

import django_filters
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from hitechzone.accounts.models import Role
from hitechzone.common.api import (
    Pagination,
    RefusalsAnswer400,
    ScopedModelViewSet,
    ScopedReadOnlyViewSet,
    code_or_id_q,
    ids_q,
)
from hitechzone.common.models import MAX_YEAR, MIN_YEAR
from hitechzone.common.params import api_year

from . import queries, services, workflow
from . import serializers as s
from .models import (
    Application,
    ApplicationMaterial,
    Bundle,
    Item,
    ItemType,
    ItemVersion,
    Material,
    Mode,
    Notice,
    Rectification,
    Step,
)

WINDOW = (Role.ADMIN, Role.DEPARTMENT)  # the window and the department's staff (the service checks which one)
APPLICANT_SIDE = (Role.ENTERPRISE, Role.OFFICER)


class ChoiceInFilter(django_filters.BaseInFilter, django_filters.ChoiceFilter):
    """``?state=accepted,processing``: one or more of the choices."""


# --- The catalogue ----------------------------------------------------------------------------------------------


class ItemFilter(django_filters.FilterSet):
    department = django_filters.CharFilter(method="filter_department", label=_("department code or id"))
    mode = ChoiceInFilter(field_name="current__mode", choices=Mode.choices, label=_("delegation mode"))
    item_type = ChoiceInFilter(field_name="current__item_type", choices=ItemType.choices, label=_("item type"))
    status = ChoiceInFilter(choices=Item.Status.choices, label=_("status (comma-separated for several)"))
    q = django_filters.CharFilter(method="filter_q", label=_("code or name contains"))

    class Meta:
        model = Item
        fields = []

    def filter_department(self, queryset, name, value):
        return queryset.filter(code_or_id_q(Item, "department", value))

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(code__icontains=value) | Q(current__name__icontains=value)) if value else queryset


class ItemViewSet(RefusalsAnswer400, ScopedModelViewSet):
    """The catalogue of delegated items (事项清单): every signed-in user reads it.

    Administrators, and the staff of the item's own department, add an item (``POST``), edit it (``PATCH``:
    a new version; applications keep the version they were filed under) and suspend, resume or cancel it
    (``POST {id}/status/``). ``GET {id}/versions/{number}/`` is one version with its materials.
    """

    http_method_names = ["get", "post", "patch", "head", "options"]
    write_roles = WINDOW
    queryset = Item.objects.order_by("code")
    serializer_class = s.ItemSerializer
    filterset_class = ItemFilter
    select_related = ("department", "current")

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action != "list":
            queryset = queryset.prefetch_related(
                "current__materials", Prefetch("versions", ItemVersion.objects.select_related("created_by"))
            )
        return queryset

    def get_serializer_class(self):
        return s.ItemSerializer if self.action == "list" else s.ItemDetailSerializer

    def _answer(self, item: Item, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=item.pk)
        return Response(s.ItemDetailSerializer(fresh, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=s.ItemCreateSerializer, responses={201: s.ItemDetailSerializer})
    def create(self, request, *args, **kwargs):
        body = s.ItemCreateSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        item = services.item_create(by=request.user, **body.validated_data)
        return self._answer(item, status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Edit an item: a new version with the changes."),
        request=s.ItemReviseSerializer,
        responses=s.ItemDetailSerializer,
    )
    def partial_update(self, request, *args, **kwargs):
        item = self.get_object()
        body = s.ItemReviseSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        services.item_revise(item=item, by=request.user, **body.validated_data)
        return self._answer(item)

    @extend_schema(
        summary=_("Suspend, resume or cancel an item (a reason is required to suspend or cancel)."),
        request=s.ItemStatusSerializer,
        responses=s.ItemDetailSerializer,
    )
    @action(detail=True, methods=["post"])
    def status(self, request, pk=None):
        item = self.get_object()
        body = s.ItemStatusSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.item_set_status(item=item, by=request.user, **body.validated_data)
        return self._answer(item)

    @extend_schema(
        summary=_("Attach, replace or remove the blank form and the sample of a material of the current version."),
        description=_(
            "Multipart. No new version is made. Files: pdf, doc, docx, xls, xlsx, wps, jpg, jpeg or png, "
            "not empty, at most 10 MB each."
        ),
        parameters=[
            OpenApiParameter("material_id", OpenApiTypes.INT, OpenApiParameter.PATH, description=_("material"))
        ],
        request={"multipart/form-data": s.MaterialFilesSerializer},
        responses=s.ItemMaterialSerializer,
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"materials/(?P<material_id>[0-9]{1,10})/files",
        parser_classes=[MultiPartParser, FormParser],
        filter_backends=[],
    )
    def material_files(self, request, pk=None, material_id=None):
        item = self.get_object()
        material = Material.objects.filter(version__item=item, pk=int(material_id)).first()
        if material is None:
            raise NotFound(_("This item has no such material."))
        body = s.MaterialFilesSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        material = services.material_attach(material=material, by=request.user, **body.validated_data)
        return Response(s.ItemMaterialSerializer(material, context=self.get_serializer_context()).data)

    @extend_schema(
        summary=_("One version of an item, with its materials."),
        parameters=[OpenApiParameter("number", OpenApiTypes.INT, OpenApiParameter.PATH, description=_("version"))],
        responses=s.ItemVersionSerializer,
    )
    @action(detail=True, methods=["get"], url_path=r"versions/(?P<number>[0-9]{1,5})", filter_backends=[])
    def version(self, request, pk=None, number=None):
        item = self.get_object()
        version = (
            ItemVersion.objects.filter(item=item, number=int(number))
            .select_related("item", "created_by")
            .prefetch_related("materials")
            .first()
        )
        if version is None:
            raise NotFound(_("This item has no version %(number)s.") % {"number": number})
        return Response(s.ItemVersionSerializer(version, context=self.get_serializer_context()).data)


# --- Applications -----------------------------------------------------------------------------------------------


def user_q(request, field: str, value: str) -> Q:
    """``?agent=me``, or a username or id (comma-separated for several)."""
    if value.strip() == "me":
        return Q(**{f"{field}_id": request.user.pk if request else None})
    return code_or_id_q(Application, field, value, slug_field="username")


class OverdueFilter(django_filters.FilterSet):
    """Who and what: the filters of the overdue list, and of every application list."""

    department = django_filters.CharFilter(method="filter_department", label=_("department code or id"))
    item = django_filters.CharFilter(method="filter_item", label=_("item code or id"))
    enterprise = django_filters.CharFilter(method="filter_enterprise", label=_("enterprise id"))
    agent = django_filters.CharFilter(method="filter_agent", label=_("filed by this approval agent: me, or a username"))
    assignee = django_filters.CharFilter(method="filter_assignee", label=_("handled by: me, or a username"))

    class Meta:
        model = Application
        fields = []

    def filter_department(self, queryset, name, value):
        return queryset.filter(code_or_id_q(Application, "department", value))

    def filter_item(self, queryset, name, value):
        return queryset.filter(code_or_id_q(Application, "item", value))

    def filter_enterprise(self, queryset, name, value):
        return queryset.filter(ids_q("enterprise", value))

    def filter_agent(self, queryset, name, value):
        return queryset.filter(user_q(self.request, "agent", value))

    def filter_assignee(self, queryset, name, value):
        return queryset.filter(user_q(self.request, "assignee", value))


class ApplicationFilter(OverdueFilter):
    state = ChoiceInFilter(choices=Application.State.choices, label=_("state (comma-separated for several)"))
    light = django_filters.ChoiceFilter(
        choices=[(light, light) for light in queries.LIGHTS], method="filter_light", label=_("light today")
    )
    bundle = django_filters.CharFilter(method="filter_bundle", label=_("parallel approval id"))
    received_after = django_filters.DateFilter(
        field_name="received_on", lookup_expr="gte", label=_("received on or after")
    )
    received_before = django_filters.DateFilter(
        field_name="received_on", lookup_expr="lte", label=_("received on or before")
    )
    q = django_filters.CharFilter(method="filter_q", label=_("number or subject contains"))

    class Meta:
        model = Application
        fields = ["outcome"]

    def filter_light(self, queryset, name, value):
        return queryset.filter(queries.light_filter(value, timezone.localdate()))

    def filter_bundle(self, queryset, name, value):
        return queryset.filter(ids_q("bundle", value))

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(number__icontains=value) | Q(title__icontains=value)) if value else queryset


APPLICATION_ROWS = ("item", "version", "department", "enterprise", "applicant", "agent", "assignee")


class ApplicationViewSet(RefusalsAnswer400, ScopedModelViewSet):
    """Applications (办件) and their steps.

    Who sees which: admin and leader all; department staff those of their department; an officer those of the
    enterprises they serve and those they filed as agent; an enterprise its own; experts none.
    An enterprise user (for itself), its service officer (as approval agent, 代办) or an administrator files one
    (``POST``). Each step is an action answering the application: ``check``, ``reject``, ``assign``, ``pause``,
    ``resume`` and ``complete`` (the department's staff), ``supply`` (the applicant side or the window), ``rate``
    (the applicant side). A step the rules do not allow answers 400 with the reason.
    """

    http_method_names = ["get", "post", "head", "options"]
    write_roles = (Role.ADMIN, *APPLICANT_SIDE)
    queryset = Application.objects.order_by("-received_on", "-id")
    serializer_class = s.ApplicationSerializer
    filterset_class = ApplicationFilter
    select_related = APPLICATION_ROWS

    def get_queryset(self):
        queryset = super().get_queryset()
        return self._with_details(queryset) if self.action == "retrieve" else queryset

    @staticmethod
    def _with_details(queryset):
        return queryset.select_related(
            "bundle", "review__rated_by", "review__rectification__department", "review__rectification__answered_by"
        ).prefetch_related(
            Prefetch("materials", ApplicationMaterial.objects.select_related("material")),
            Prefetch("notices", Notice.objects.select_related("issued_by").prefetch_related("materials")),
            "pauses",
            Prefetch("steps", Step.objects.select_related("by", "assignee")),
        )

    def get_serializer_class(self):
        return s.ApplicationSerializer if self.action == "list" else s.ApplicationDetailSerializer

    def _answer(self, application: Application, code: int = status.HTTP_200_OK) -> Response:
        """The application as it is now, in detail (read again through the user's scope)."""
        fresh = self._with_details(super().get_queryset()).filter(pk=application.pk).first() or application
        return Response(s.ApplicationDetailSerializer(fresh, context=self.get_serializer_context()).data, status=code)

    def _act(self, request, action: str, body_class) -> Response:
        """The shape of every step: the application in scope (404 otherwise), the body, the action's service (the
        workflow table's), the answer."""
        application = self.get_object()
        body = body_class(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        workflow.ACTIONS[action].service(application=application, by=request.user, **body.validated_data)
        return self._answer(application)

    @extend_schema(request=s.ApplicationCreateSerializer, responses={201: s.ApplicationDetailSerializer})
    def create(self, request, *args, **kwargs):
        body = s.ApplicationCreateSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        application = services.application_file(by=request.user, **body.validated_data)
        return self._answer(application, status.HTTP_201_CREATED)

    @extend_schema(
        summary=_(
            "The window checks the materials: all there (or 容缺 promised) accepts it and starts the clock; "
            "otherwise one notice (一次性告知) lists every missing material."
        ),
        request=s.ApplicationCheckSerializer,
        responses=s.ApplicationDetailSerializer,
    )
    @action(detail=True, methods=["post"], write_roles=workflow.ACTIONS["check"].roles)
    def check(self, request, pk=None):
        return self._act(request, "check", s.ApplicationCheckSerializer)

    @extend_schema(
        summary=_("The window declines an application not yet accepted (不予受理), with the reason."),
        request=s.ApplicationRejectSerializer,
        responses=s.ApplicationDetailSerializer,
    )
    @action(detail=True, methods=["post"], write_roles=workflow.ACTIONS["reject"].roles)
    def reject(self, request, pk=None):
        return self._act(request, "reject", s.ApplicationRejectSerializer)

    @extend_schema(
        summary=_(
            "The applicant (or the window for them) supplies missing or promised materials (补正); the last one "
            "sends the application back to the window, or restarts the clock."
        ),
        request=s.ApplicationSupplySerializer,
        responses=s.ApplicationDetailSerializer,
    )
    @action(detail=True, methods=["post"], write_roles=workflow.ACTIONS["supply"].roles)
    def supply(self, request, pk=None):
        return self._act(request, "supply", s.ApplicationSupplySerializer)

    @extend_schema(
        summary=_("Give the next step to one of the department's staff (an accepted application starts processing)."),
        request=s.ApplicationAssignSerializer,
        responses=s.ApplicationDetailSerializer,
    )
    @action(detail=True, methods=["post"], write_roles=workflow.ACTIONS["assign"].roles)
    def assign(self, request, pk=None):
        return self._act(request, "assign", s.ApplicationAssignSerializer)

    @extend_schema(
        summary=_(
            "Stop the clock: a special procedure (expert review, hearing, testing …) or 补正 with the materials "
            "to supply again."
        ),
        request=s.ClockPauseSerializer,
        responses=s.ApplicationDetailSerializer,
    )
    @action(detail=True, methods=["post"], write_roles=workflow.ACTIONS["pause"].roles)
    def pause(self, request, pk=None):
        return self._act(request, "pause", s.ClockPauseSerializer)

    @extend_schema(
        summary=_("End a special procedure: the clock runs again from today."),
        request=s.ApplicationNoteSerializer,
        responses=s.ApplicationDetailSerializer,
    )
    @action(detail=True, methods=["post"], write_roles=workflow.ACTIONS["resume"].roles)
    def resume(self, request, pk=None):
        return self._act(request, "resume", s.ApplicationNoteSerializer)

    @extend_schema(
        summary=_("已办结: approved with a certificate number, or refused with a reason."),
        request=s.ApplicationCompleteSerializer,
        responses=s.ApplicationDetailSerializer,
    )
    @action(detail=True, methods=["post"], write_roles=workflow.ACTIONS["complete"].roles)
    def complete(self, request, pk=None):
        return self._act(request, "complete", s.ApplicationCompleteSerializer)

    @extend_schema(
        summary=_("The applicant rates a completed application (好差评); 2 or 1 gives the department a rectification."),
        request=s.ApplicationRateSerializer,
        responses=s.ApplicationDetailSerializer,
    )
    @action(detail=True, methods=["post"], write_roles=workflow.ACTIONS["rate"].roles)
    def rate(self, request, pk=None):
        return self._act(request, "rate", s.ApplicationRateSerializer)


# --- Parallel approval ------------------------------------------------------------------------------------------


class BundleFilter(django_filters.FilterSet):
    enterprise = django_filters.CharFilter(method="filter_enterprise", label=_("enterprise id"))
    done = django_filters.BooleanFilter(field_name="completed_on", lookup_expr="isnull", exclude=True)
    year = django_filters.NumberFilter(field_name="started_on", lookup_expr="year", label=_("started in the year"))

    class Meta:
        model = Bundle
        fields = []

    def filter_enterprise(self, queryset, name, value):
        return queryset.filter(ids_q("enterprise", value))


class BundleViewSet(RefusalsAnswer400, ScopedModelViewSet):
    """Parallel approvals (并联审批): one project's applications across departments, done when all are done.

    Who sees which: admin and leader all; department staff those with an application of their department (and
    then the whole bundle's progress, which is what a joint approval shares); an officer those of their
    enterprises and those they created; an enterprise its own. Filed (``POST``) by whoever may file each
    application: the enterprise, its officer, an administrator.
    """

    http_method_names = ["get", "post", "head", "options"]
    write_roles = (Role.ADMIN, *APPLICANT_SIDE)
    queryset = Bundle.objects.order_by("-started_on", "-id")
    serializer_class = s.BundleSerializer
    filterset_class = BundleFilter
    select_related = ("enterprise", "created_by")
    prefetch_related = (
        Prefetch(
            "applications",
            queryset=Application.objects.select_related("item", "version", "department").order_by(
                "department__sort_order", "department__code", "id"
            ),
        ),
    )

    @extend_schema(request=s.BundleCreateSerializer, responses={201: s.BundleSerializer})
    def create(self, request, *args, **kwargs):
        body = s.BundleCreateSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        bundle = services.bundle_create(by=request.user, **body.validated_data)
        fresh = self.get_queryset().filter(pk=bundle.pk).first() or bundle
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)


# --- Rectifications ---------------------------------------------------------------------------------------------


class RectificationFilter(django_filters.FilterSet):
    open = django_filters.BooleanFilter(field_name="answered_on", lookup_expr="isnull", label=_("not answered yet"))
    department = django_filters.CharFilter(method="filter_department", label=_("department code or id"))

    class Meta:
        model = Rectification
        fields = []

    def filter_department(self, queryset, name, value):
        return queryset.filter(code_or_id_q(Rectification, "department", value))


class RectificationViewSet(RefusalsAnswer400, ScopedReadOnlyViewSet):
    """Rectification tasks (整改) after a 不满意 or worse rating: the department answers, the applicant sees it.

    Who sees which: admin and leader all; department staff their department's; an officer those of the
    applications they see; an enterprise those on its applications; experts none.
    """

    write_roles = WINDOW
    queryset = Rectification.objects.order_by("answered_on", "due_on", "id")
    serializer_class = s.RectificationSerializer
    filterset_class = RectificationFilter
    select_related = (
        "department",
        "answered_by",
        "review__application__version",
        "review__application__enterprise",
    )

    @extend_schema(
        summary=_("The department concerned answers the task: what it put right."),
        request=s.RectificationAnswerSerializer,
        responses=s.RectificationSerializer,
    )
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        rectification = self.get_object()
        body = s.RectificationAnswerSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.rectification_answer(rectification=rectification, by=request.user, **body.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=rectification.pk)).data)


# --- The year's figures and the overdue list --------------------------------------------------------------------


class StatsView(APIView):
    """The figures of a year (the applications received that year) over what the user may see.

    The catalogue (items, departments, by mode), the applications, completed, processing times in working days
    (average, fastest, over completed commitment items), on-time rate, per department, per item and per month,
    today's lights, the parallel approvals and the comparison with the durations before the reform. Experts and
    roles that see no application get zeros (200: one shape for every role).
    """

    @extend_schema(
        parameters=[OpenApiParameter("year", OpenApiTypes.INT, description=_("the current year if left out"))],
        responses=s.ApprovalStatsSerializer,
    )
    def get(self, request):
        year = api_year(request, timezone.localdate().year, first=MIN_YEAR, last=MAX_YEAR)
        return Response(queries.year_stats(user=request.user, year=year))


class OverdueView(generics.ListAPIView):
    """The red applications the user may see (the leaders' list), most overdue first, with the working days
    past their due date."""

    serializer_class = s.OverdueSerializer
    pagination_class = Pagination
    filterset_class = OverdueFilter

    def get_queryset(self):
        return queries.overdue(Application.objects.for_user(self.request.user)).select_related(*APPLICATION_ROWS)
