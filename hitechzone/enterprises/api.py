import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hitechzone.accounts.models import Role
from hitechzone.common.api import ScopedModelViewSet, ScopedReadOnlyViewSet, code_or_id_q

from .models import Contact, Enterprise, EnterpriseIndicator, Industry, IndustryChain
from .serializers import (
    ContactSerializer,
    EnterpriseSerializer,
    IndicatorSerializer,
    IndustryChainSerializer,
    IndustrySerializer,
)
from .uscc import normalise


class EnterpriseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("name or USCC"))
    uscc = django_filters.CharFilter(method="filter_uscc", label=_("unified social credit code"))
    brand = django_filters.CharFilter(method="filter_brand", label=_("brand code or id"))
    chain = django_filters.CharFilter(method="filter_chain", label=_("industry chain code or id"))
    functional_area = django_filters.CharFilter(method="filter_area", label=_("functional area code or id"))
    industry = django_filters.CharFilter(method="filter_industry", label=_("industry code (prefix)"))

    class Meta:
        model = Enterprise
        fields = ["is_above_scale", "is_industrial", "status", "size"]

    def filter_q(self, queryset, name, value):
        return queryset.search(value)

    def filter_uscc(self, queryset, name, value):
        return queryset.filter(uscc=normalise(value))

    def filter_brand(self, queryset, name, value):
        return queryset.filter(code_or_id_q(Enterprise, "brand", value))

    def filter_area(self, queryset, name, value):
        return queryset.filter(code_or_id_q(Enterprise, "functional_area", value))

    def filter_chain(self, queryset, name, value):
        through = Enterprise.chains.through
        links = through.objects.filter(code_or_id_q(through, "industrychain", value))
        return queryset.filter(pk__in=links.values("enterprise_id"))

    def filter_industry(self, queryset, name, value):
        # A section (门类, a letter) is not a prefix of its codes: take its divisions, groups and classes.
        below = Q(parent_id=value) | Q(parent__parent_id=value) | Q(parent__parent__parent_id=value)
        codes = Industry.objects.filter(Q(code=value) | below).values("code")
        return queryset.filter(Q(industry__code__startswith=value) | Q(industry_id__in=codes))


class EnterpriseViewSet(ScopedModelViewSet):
    """The enterprise registry. Any signed-in role reads what it may see; administrators write."""

    queryset = Enterprise.objects.all()
    serializer_class = EnterpriseSerializer
    filterset_class = EnterpriseFilter
    select_related = ("brand", "industry", "functional_area", "block")
    prefetch_related = ("chains",)


class IndicatorFilter(django_filters.FilterSet):
    uscc = django_filters.CharFilter(field_name="enterprise__uscc", label=_("unified social credit code"))
    year_min = django_filters.NumberFilter(field_name="year", lookup_expr="gte")
    year_max = django_filters.NumberFilter(field_name="year", lookup_expr="lte")

    class Meta:
        model = EnterpriseIndicator
        fields = ["enterprise", "year"]


class EnterpriseIndicatorViewSet(ScopedModelViewSet):
    queryset = EnterpriseIndicator.objects.all()
    serializer_class = IndicatorSerializer
    filterset_class = IndicatorFilter
    select_related = ("enterprise",)


class ContactViewSet(ScopedModelViewSet):
    """Contacts: an enterprise user keeps its own enterprise's contacts up to date."""

    write_roles = (Role.ADMIN, Role.ENTERPRISE)
    queryset = Contact.objects.all()
    serializer_class = ContactSerializer
    filterset_fields = ["enterprise", "is_primary"]

    def get_serializer(self, *args, **kwargs):
        serializer = super().get_serializer(*args, **kwargs)
        if hasattr(serializer, "fields") and "enterprise" in serializer.fields:
            serializer.fields["enterprise"].queryset = Enterprise.objects.for_user(self.request.user)
        return serializer


class IndustryFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("code or name"))

    class Meta:
        model = Industry
        fields = ["level", "parent"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(code__startswith=value) | Q(name_zh__icontains=value) | Q(name_en__icontains=value))


class IndustryViewSet(ScopedReadOnlyViewSet):
    queryset = Industry.objects.all()
    serializer_class = IndustrySerializer
    filterset_class = IndustryFilter


class IndustryChainViewSet(ScopedModelViewSet):
    queryset = IndustryChain.objects.all()
    serializer_class = IndustryChainSerializer
