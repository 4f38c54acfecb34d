"""The M6 API of technology finance (issue 15, point 7).

- ``talent/finance/``: loans, guarantees and equity investments (list, create, detail, change) — administrators,
  leaders and the talent office see every deal, an enterprise its own; administrators and the talent office write.
- ``talent/finance/stats/?year=``: the signed deals' count and amount (万元) per year and kind (every year, or the
  year asked for).

A refusal answers 400 naming each bad field; nothing is written.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from hitechzone.common.api import inline_choice_field
from hitechzone.common.params import api_year

from . import queries_finance, roles, services_finance
from .api import Base
from .models import FinanceDeal
from .serializers import _enterprise_field, _user


class FinanceDealSerializer(serializers.ModelSerializer):
    kind = inline_choice_field(FinanceDeal.Kind.choices, "FinanceKind")()
    status = inline_choice_field(FinanceDeal.Status.choices, "FinanceStatus")(required=False)
    enterprise = _enterprise_field()
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    amount_wan_yuan = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)

    class Meta:
        model = FinanceDeal
        fields = ["id", "kind", "enterprise", "enterprise_name", "counterparty", "amount_wan_yuan", "signed_on",
                  "starts_on", "ends_on", "status", "note"]  # fmt: skip

    def create(self, validated_data):
        return services_finance.finance_deal_save(by=_user(self), **validated_data)

    def update(self, instance, validated_data):
        return services_finance.finance_deal_save(by=_user(self), deal=instance, **validated_data)


class FinanceKindTotalSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    amount_wan_yuan = serializers.DecimalField(max_digits=16, decimal_places=2)


class FinanceYearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    count = serializers.IntegerField()
    amount_wan_yuan = serializers.DecimalField(max_digits=16, decimal_places=2)
    kinds = FinanceKindTotalSerializer(many=True)


class FinanceStatsSerializer(serializers.Serializer):
    years = FinanceYearSerializer(many=True)


class FinanceDealViewSet(Base):
    """Technology finance: loans, guarantees and equity investments for the zone's technology firms."""

    queryset = FinanceDeal.objects.order_by("-signed_on", "-pk")
    serializer_class = FinanceDealSerializer
    select_related = ("enterprise",)

    @extend_schema(
        parameters=[OpenApiParameter("year", int, description=_("One year only (default: every year)"))],
        responses={200: FinanceStatsSerializer},
    )
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def stats(self, request):
        """The deals signed (every status but “applied”) per year of signing and kind: count and amount (万元)."""
        if not roles.is_staff(request.user):
            raise PermissionDenied
        year = api_year(request, None)
        return Response(FinanceStatsSerializer({"years": queries_finance.finance_years(request.user, year=year)}).data)


ROUTES = [("talent/finance", FinanceDealViewSet, "talent-finance")]
