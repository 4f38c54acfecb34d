"""The M6 API of technology finance (issue 15, point 7) and partnerships (point 8).

- ``talent/finance/``: loans, guarantees and equity investments (list, create, detail, change) — administrators,
  leaders and the talent office see every deal, an enterprise its own; administrators and the talent office write.
- ``talent/finance/stats/?year=``: the signed deals' count and amount (万元) per year and kind (every year, or the
  year asked for).
- ``talent/agreements/``: agreements with partner institutions (the zone's staff and officers read them).
- ``talent/cooperations/``: technology transfers, licences and cooperation projects (the zone's staff see them all,
  an officer its enterprises', an enterprise its own); ``talent/cooperations/stats/?year=``: their count and
  contract value (万元) per year and kind, for the zone's staff.
- ``talent/fund-calls/``: the innovation fund's calls (title, open from / until, the amount offered) with the
  applications made under each and the amount granted; the staff see them all, an enterprise the open calls of open
  funds and those it applied under. A grant (``talent/grants/``) names its call with ``call``.

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
from .models import Cooperation, FinanceDeal, Fund, FundCall, Partner, PartnerAgreement, Platform
from .serializers import ScopedField, _enterprise_field, _user


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


class TalentKindTotalSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    amount_wan_yuan = serializers.DecimalField(max_digits=16, decimal_places=2)


class TalentYearTotalsSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    count = serializers.IntegerField()
    amount_wan_yuan = serializers.DecimalField(max_digits=16, decimal_places=2)
    kinds = TalentKindTotalSerializer(many=True)


class TalentPerYearSerializer(serializers.Serializer):
    years = TalentYearTotalsSerializer(many=True)


YEAR_PARAMETER = OpenApiParameter("year", int, description=_("One year only (default: every year)"))


class FinanceDealViewSet(Base):
    """Technology finance: loans, guarantees and equity investments for the zone's technology firms."""

    queryset = FinanceDeal.objects.order_by("-signed_on", "-pk")
    serializer_class = FinanceDealSerializer
    select_related = ("enterprise",)

    @extend_schema(
        parameters=[YEAR_PARAMETER],
        responses={200: TalentPerYearSerializer},
    )
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def stats(self, request):
        """The deals signed (every status but “applied”) per year of signing and kind: count and amount (万元)."""
        if not roles.is_staff(request.user):
            raise PermissionDenied
        year = api_year(request, None)
        return Response(TalentPerYearSerializer({"years": queries_finance.finance_years(request.user, year=year)}).data)


# --- Partnerships ---------------------------------------------------------------------------------------------------


class PartnerAgreementSerializer(serializers.ModelSerializer):
    partner = ScopedField(Partner, help_text=_("partner id"))
    partner_name = serializers.CharField(source="partner.name", read_only=True)
    status = inline_choice_field(PartnerAgreement.Status.choices, "AgreementStatus")(required=False)

    class Meta:
        model = PartnerAgreement
        fields = ["id", "partner", "partner_name", "title", "signed_on", "valid_from", "valid_until", "scope",
                  "status"]  # fmt: skip

    def create(self, validated_data):
        return services_finance.agreement_save(by=_user(self), **validated_data)

    def update(self, instance, validated_data):
        return services_finance.agreement_save(by=_user(self), agreement=instance, **validated_data)


class CooperationSerializer(serializers.ModelSerializer):
    kind = inline_choice_field(Cooperation.Kind.choices, "CooperationKind")()
    partner = ScopedField(Partner, help_text=_("partner id"))
    partner_name = serializers.CharField(source="partner.name", read_only=True)
    enterprise = _enterprise_field()
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    platform = ScopedField(Platform, required=False, allow_null=True, help_text=_("technology-transfer centre id"))
    contract_value_wan_yuan = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)

    class Meta:
        model = Cooperation
        fields = ["id", "kind", "title", "partner", "partner_name", "enterprise", "enterprise_name",
                  "contract_value_wan_yuan", "signed_on", "platform", "note"]  # fmt: skip

    def create(self, validated_data):
        return services_finance.cooperation_save(by=_user(self), **validated_data)

    def update(self, instance, validated_data):
        return services_finance.cooperation_save(by=_user(self), cooperation=instance, **validated_data)


class PartnerAgreementViewSet(Base):
    """Agreements with partner universities and institutes: signed, in force from / until, scope, status."""

    queryset = PartnerAgreement.objects.order_by("-signed_on", "-pk")
    serializer_class = PartnerAgreementSerializer
    select_related = ("partner",)


class CooperationViewSet(Base):
    """Technology transfers, licences and cooperation projects of partner institutions with the zone's enterprises."""

    queryset = Cooperation.objects.order_by("-signed_on", "-pk")
    serializer_class = CooperationSerializer
    select_related = ("partner", "enterprise")

    @extend_schema(parameters=[YEAR_PARAMETER], responses={200: TalentPerYearSerializer})
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def stats(self, request):
        """Per year of signing and kind: how many, and their contract value (万元) as ``amount_wan_yuan``."""
        if not roles.is_staff(request.user) and roles.effective_role(request.user) != roles.DEPT:
            raise PermissionDenied
        year = api_year(request, None)
        years = queries_finance.cooperation_years(request.user, year=year)
        return Response(TalentPerYearSerializer({"years": years}).data)


# --- The innovation fund's calls ------------------------------------------------------------------------------------


class FundCallSerializer(serializers.ModelSerializer):
    fund = ScopedField(Fund, help_text=_("fund id"))
    fund_name = serializers.CharField(source="fund.name", read_only=True)
    offered_wan_yuan = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    status = inline_choice_field(FundCall.Status.choices, "FundCallStatus")(required=False)
    applications = serializers.IntegerField(read_only=True, default=0)
    granted_wan_yuan = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True, default=None)

    class Meta:
        model = FundCall
        fields = ["id", "fund", "fund_name", "title", "opens_on", "closes_on", "offered_wan_yuan", "status",
                  "applications", "granted_wan_yuan"]  # fmt: skip

    def create(self, validated_data):
        return services_finance.fund_call_save(by=_user(self), **validated_data)

    def update(self, instance, validated_data):
        return services_finance.fund_call_save(by=_user(self), call=instance, **validated_data)


class FundCallViewSet(Base):
    """The innovation fund's calls: enterprises and teams apply while a call is open (a grant names its call)."""

    queryset = FundCall.objects.order_by("-opens_on", "-pk")
    serializer_class = FundCallSerializer

    def get_queryset(self):
        return queries_finance.calls_with_figures(self.request.user).order_by("-opens_on", "-pk")

    def perform_create(self, serializer):
        serializer.instance = queries_finance.calls_with_figures(self.request.user).get(pk=serializer.save().pk)

    def perform_update(self, serializer):
        serializer.instance = queries_finance.calls_with_figures(self.request.user).get(pk=serializer.save().pk)


ROUTES = [
    ("talent/finance", FinanceDealViewSet, "talent-finance"),
    ("talent/agreements", PartnerAgreementViewSet, "talent-agreement"),
    ("talent/cooperations", CooperationViewSet, "talent-cooperation"),
    ("talent/fund-calls", FundCallViewSet, "talent-fund-call"),
]
