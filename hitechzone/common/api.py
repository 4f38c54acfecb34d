"""Pieces every module's API uses."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import APIException
from rest_framework.pagination import PageNumberPagination

from .paging import BadCursor, DeferredJoinPaginator, NoCursor, keyset_page
from .rules import Refused

MAX_ID = 2**63 - 1  # the largest id a BigAutoField holds


class Pagination(PageNumberPagination):
    """``?page=`` (numbered pages, deep ones through a deferred join) or ``?cursor=`` (a keyset walk: start with an
    empty cursor, follow ``next``; the same cost at any depth, no count)."""

    django_paginator_class = DeferredJoinPaginator  # deep pages without the cost of the rows before them
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    cursor_query_param = "cursor"
    cursor = False

    def paginate_queryset(self, queryset, request, view=None):
        self.cursor = self.cursor_query_param in request.query_params
        if not self.cursor:
            return super().paginate_queryset(queryset, request, view)
        from rest_framework.exceptions import ValidationError

        self.request = request
        try:
            rows, self.next_cursor = keyset_page(
                queryset, request.query_params[self.cursor_query_param], self.get_page_size(request)
            )
        except (NoCursor, BadCursor) as error:
            message = (
                _("This list cannot be walked by cursor: use ?page=.")
                if isinstance(error, NoCursor)
                else _("This is not a cursor of this list: start again with ?cursor= (empty) and follow “next”.")
            )
            raise ValidationError({self.cursor_query_param: [message]}) from None
        return rows

    def get_paginated_response(self, data):
        if not self.cursor:
            return super().get_paginated_response(data)
        from rest_framework.response import Response
        from rest_framework.utils.urls import replace_query_param

        url = self.request.build_absolute_uri()
        following = replace_query_param(url, self.cursor_query_param, self.next_cursor) if self.next_cursor else None
        return Response({"next": following, "results": data})

    def get_schema_operation_parameters(self, view):
        return [
            *super().get_schema_operation_parameters(view),
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": str(
                    _("Walk the list by cursor instead of by page: give it empty first, then follow “next”.")
                ),
                "schema": {"type": "string"},
            },
        ]


class ScopedViewSetMixin:
    """Start every queryset from ``Model.objects.for_user(user)``: another role's object answers 404."""

    queryset: models.QuerySet
    select_related: tuple[str, ...] = ()
    prefetch_related: tuple[str, ...] = ()
    pagination_class = Pagination

    def get_queryset(self):
        qs = self.queryset.model.objects.for_user(self.request.user)
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        if self.prefetch_related:
            qs = qs.prefetch_related(*self.prefetch_related)
        return qs.order_by(*(self.queryset.query.order_by or self.queryset.model._meta.ordering or ["pk"]))


class InUse(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "in_use"


class ScopedModelViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    def perform_destroy(self, instance):
        """A row that other rows still refer to (``on_delete=PROTECT``) is not deleted: 409, with what holds it."""
        try:
            super().perform_destroy(instance)
        except models.ProtectedError as error:
            holders = sorted({str(obj._meta.verbose_name_plural) for obj in error.protected_objects})
            raise InUse(
                _("%(object)s is still referred to by %(holders)s: it cannot be deleted.")
                % {"object": instance, "holders": ", ".join(holders)}
            ) from None


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


@extend_schema_field(OpenApiTypes.STR)
class CodeOrIdRelatedField(serializers.RelatedField):
    """A reference given by its code (``"gaoxin"``) or its numeric id; answered with the code."""

    default_error_messages = {
        "does_not_exist": _("No %(model)s has the code or id “%(value)s”."),
        "invalid": _("Give a code or an id."),
    }

    def __init__(self, *, slug_field: str = "code", **kwargs):
        self.slug_field = slug_field
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        queryset = self.get_queryset()
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("invalid")
        text = str(data).strip()
        lookup = {"pk": int(text)} if text.isdecimal() else {self.slug_field: text}
        try:
            return queryset.get(**lookup)
        except queryset.model.DoesNotExist:
            # Formatted here: DRF's ``fail()`` uses str.format, and this message is %-style (gettext python-format).
            names = {"model": queryset.model._meta.verbose_name, "value": text}
            message = self.error_messages["does_not_exist"] % names
            raise serializers.ValidationError(message, code="does_not_exist") from None

    def to_representation(self, value):
        return getattr(value, self.slug_field)


def code_or_id_q(model, field: str, value: str, slug_field: str = "code") -> models.Q:
    """A condition on a related object given by code or id (``?brand=gaoxin``, ``?brand=3``, ``?brand=a,b``).

    The codes are looked up first (one query on the small table), so the condition on the big table is a plain
    ``field_id IN (…)``: PostgreSQL estimates that well, where a join on the code misleads its planner.
    """
    values = [v.strip() for v in value.split(",") if v.strip()]
    # isdecimal, not isdigit: int() refuses "²". An id beyond a BigAutoField's range matches nothing (and would
    # overflow SQLite's INTEGER in an IN list).
    ids = [n for n in (int(v) for v in values if v.isdecimal()) if n <= MAX_ID]
    codes = [v for v in values if not v.isdecimal()]
    if codes:
        related = model._meta.get_field(field).related_model
        ids += list(related._base_manager.filter(**{f"{slug_field}__in": codes}).values_list("pk", flat=True))
    return models.Q(**{f"{field}_id__in": ids})


class RefusedError(APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "refused"


class RefusalsAnswer400:
    """A rule the service refuses (:class:`~hitechzone.common.rules.Refused`) answers 400 with the service's message."""

    def handle_exception(self, exc):
        if isinstance(exc, Refused):
            exc = RefusedError(str(exc))
        return super().handle_exception(exc)


def ids_q(field: str, value: str) -> Q:
    """``?enterprise=3`` or ``?enterprise=3,5``: ids only; anything else matches nothing."""
    ids = [int(v) for v in (v.strip() for v in value.split(",")) if v.isdecimal() and int(v) <= MAX_ID]
    return Q(**{f"{field}_id__in": ids})


def inline_choice_field(choices, name: str = ""):
    """A ChoiceField whose OpenAPI enum stays inline (wrapped in ``allOf``, which drf-spectacular's enum hook leaves
    alone). Named enum components are called after the property ("mode", "status", "trigger" …), and several modules
    have such properties with other values: their components would collide (a warning; ``--fail-on-warn``)."""
    values = [value for value, _label in choices]

    @extend_schema_field({"allOf": [{"type": "string"}, {"enum": values}]})
    class Field(serializers.ChoiceField):
        def __init__(self, **kwargs):
            super().__init__(choices=choices, **kwargs)

    if name:
        Field.__name__ = f"{name}ChoiceField"
    return Field
