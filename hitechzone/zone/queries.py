"""Reads of the zone registry, scoped by role."""

from django.db.models import Count, Q, Sum

from hitechzone.enterprises.models import Enterprise

from .models import Brand, Department, Parcel


def brand_summary(user) -> list[dict]:
    """Per brand: the enterprises the user may see, how many are above scale, and their parcels' area."""
    enterprises = (
        Enterprise.objects.for_user(user)
        .values("brand_id")
        .annotate(n=Count("id"), above=Count("id", filter=Q(is_above_scale=True)))
    )
    by_brand = {row["brand_id"]: row for row in enterprises}
    parcels = Parcel.objects.for_user(user).values("brand_id").annotate(n=Count("id"), mu=Sum("area_mu"))
    parcel_by_brand = {row["brand_id"]: row for row in parcels}
    rows = []
    for brand in Brand.objects.for_user(user):
        e = by_brand.get(brand.pk, {})
        p = parcel_by_brand.get(brand.pk, {})
        rows.append(
            {
                "brand": brand,
                "enterprises": e.get("n", 0),
                "above_scale": e.get("above", 0),
                "parcels": p.get("n", 0),
                "area_mu": p.get("mu") or 0,
            }
        )
    return rows


def departments_with_staff(user):
    return Department.objects.for_user(user).annotate(staff_count=Count("staff", filter=Q(staff__is_active=True)))
