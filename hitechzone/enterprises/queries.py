"""Reads of the enterprise registry, scoped by role."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from hitechzone.zone.models import Parcel

from .api import EnterpriseFilter
from .models import Contact, Enterprise, EnterpriseIndicator, IndustryChain, officer_enterprise_ids


def officer_enterprises(user):
    """The enterprises the officer serves today (their own active assignments), by name: the choices of every
    form in which an officer names one of his enterprises."""
    return Enterprise.objects.filter(pk__in=officer_enterprise_ids(user)).order_by("name")


def enterprise_list(user, params):
    """The enterprises a user may see, filtered as the API filters them (one definition of each filter)."""
    qs = Enterprise.objects.for_user(user).select_related("brand", "industry", "functional_area")
    qs = qs.prefetch_related(Prefetch("chains", queryset=IndustryChain.objects.order_by("sort_order")))
    return EnterpriseFilter(params, queryset=qs).qs


def enterprise_detail(user, pk: int) -> dict:
    enterprise = get_object_or_404(
        Enterprise.objects.for_user(user).select_related("brand", "industry__parent", "functional_area", "block"),
        pk=pk,
    )
    indicators = list(EnterpriseIndicator.objects.for_user(user).filter(enterprise=enterprise).order_by("year"))
    return {
        "enterprise": enterprise,
        "chains": list(enterprise.chains.all()),
        "contacts": list(Contact.objects.for_user(user).filter(enterprise=enterprise)),
        "parcels": list(Parcel.objects.for_user(user).filter(enterprise=enterprise).select_related("functional_area")),
        "indicators": indicators,
    }
