from django.contrib.auth.decorators import login_required
from django.db.models import Sum
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hitechzone.common.calendar import missing_next_year_warning
from hitechzone.common.spreadsheets import xlsx_response
from hitechzone.common.views import paginate

from .api import ParcelFilter
from .intake import ParcelKind
from .models import Brand, FunctionalArea, Parcel, ParcelRelease
from .queries import brand_summary, departments_with_staff
from .sections import parcel_sections_for


@login_required
def home(request):
    rows = brand_summary(request.user)
    chart = {
        "type": "bar",
        "categories": [r["brand"].short_name or r["brand"].name for r in rows],
        "series": [
            {"name": str(_("Enterprises")), "data": [r["enterprises"] for r in rows]},
            {"name": str(_("Above designated size")), "data": [r["above_scale"] for r in rows]},
        ],
        "links": [f"{reverse('enterprises:list')}?brand={r['brand'].code}" for r in rows],
    }
    warning = missing_next_year_warning(timezone.localdate()) if request.user.is_admin_role else None
    return render(
        request,
        "zone/home.html",
        {
            "rows": rows,
            "total_enterprises": sum(r["enterprises"] for r in rows),
            "total_above": sum(r["above_scale"] for r in rows),
            "total_mu": sum(r["area_mu"] for r in rows),
            "chart": chart,
            "calendar_warning": warning,
        },
    )


@login_required
def parcels(request):
    qs = Parcel.objects.for_user(request.user).select_related("brand", "functional_area", "enterprise")
    filtered = ParcelFilter(request.GET, queryset=qs).qs
    if request.GET.get("export") == "xlsx":
        kind = ParcelKind()
        return xlsx_response(
            f"地块-{timezone.localdate():%Y%m%d}.xlsx",
            [(str(kind.label), [c.header for c in kind.columns], kind.export_rows(filtered.select_related("block")))],
        )
    page, query = paginate(request, filtered)
    total_mu = filtered.aggregate(mu=Sum("area_mu"))["mu"] or 0
    return render(
        request,
        "zone/parcels.html",
        {
            "page": page,
            "query": query,
            "total_mu": total_mu,
            "brands": Brand.objects.for_user(request.user),
            "areas": FunctionalArea.objects.for_user(request.user),
            "land_uses": Parcel.LandUse.choices,
        },
    )


@login_required
def parcel_detail(request, pk: int):
    """One parcel: its facts, who held it before and what freed it (腾笼换鸟), and the modules' sections (the project
    now on it). Scoped: a parcel the user may not see is 404."""
    user = request.user
    qs = Parcel.objects.for_user(user).select_related("brand", "block", "functional_area", "enterprise")
    parcel = get_object_or_404(qs, pk=pk)
    releases = list(
        ParcelRelease.objects.for_user(user)
        .filter(parcel=parcel)
        .select_related("former_enterprise")
        .prefetch_related("source")
    )
    return render(
        request,
        "zone/parcel.html",
        {"parcel": parcel, "releases": releases, "sections": parcel_sections_for(user, parcel)},
    )


@login_required
def departments(request):
    rows = departments_with_staff(request.user)
    if request.GET.get("export") == "xlsx":
        headers = [_("Department"), _("Short name"), _("Level"), _("Phone"), _("Staff on the platform")]
        data = ([d.name, d.short_name, d.get_level_display(), d.phone, d.staff_count] for d in rows)
        return xlsx_response(f"部门-{timezone.localdate():%Y%m%d}.xlsx", [(_("Departments"), headers, data)])
    return render(request, "zone/departments.html", {"departments": rows})
