import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hitechzone.common.api import ScopedModelViewSet, code_or_id_q

from .models import Block, Brand, Department, FunctionalArea, Parcel
from .serializers import (
    BlockSerializer,
    BrandSerializer,
    DepartmentSerializer,
    FunctionalAreaSerializer,
    ParcelSerializer,
)


class ParcelFilter(django_filters.FilterSet):
    brand = django_filters.CharFilter(method="filter_brand")
    functional_area = django_filters.CharFilter(method="filter_area")
    q = django_filters.CharFilter(method="filter_q", label=_("code, location or land user"))

    class Meta:
        model = Parcel
        fields = ["enterprise", "land_use", "block"]

    def filter_brand(self, queryset, name, value):
        return queryset.filter(code_or_id_q(Parcel, "brand", value))

    def filter_area(self, queryset, name, value):
        return queryset.filter(code_or_id_q(Parcel, "functional_area", value))

    def filter_q(self, queryset, name, value):
        return queryset.filter(
            Q(code__icontains=value) | Q(name__icontains=value) | Q(enterprise__name__icontains=value)
        )


class BrandViewSet(ScopedModelViewSet):
    queryset = Brand.objects.all()
    serializer_class = BrandSerializer


class BlockViewSet(ScopedModelViewSet):
    queryset = Block.objects.all()
    serializer_class = BlockSerializer
    select_related = ("brand",)


class FunctionalAreaViewSet(ScopedModelViewSet):
    queryset = FunctionalArea.objects.all()
    serializer_class = FunctionalAreaSerializer
    select_related = ("brand",)


class DepartmentViewSet(ScopedModelViewSet):
    queryset = Department.objects.all()
    serializer_class = DepartmentSerializer
    filterset_fields = ["level"]


class ParcelViewSet(ScopedModelViewSet):
    queryset = Parcel.objects.all()
    serializer_class = ParcelSerializer
    filterset_class = ParcelFilter
    select_related = ("brand", "block", "functional_area", "enterprise")
