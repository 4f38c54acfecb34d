from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from hitechzone.common.views import paginate
from hitechzone.zone.models import Brand, FunctionalArea

from .models import IndustryChain
from .queries import enterprise_detail, enterprise_list


@login_required
def enterprise_index(request):
    page, query = paginate(request, enterprise_list(request.user, request.GET))
    return render(
        request,
        "enterprises/list.html",
        {
            "page": page,
            "query": query,
            "brands": Brand.objects.for_user(request.user),
            "areas": FunctionalArea.objects.for_user(request.user),
            "chains": IndustryChain.objects.for_user(request.user),
        },
    )


def _per_mu(value, land_mu):
    if value is None or not land_mu:
        return None
    return (Decimal(value) / Decimal(land_mu)).quantize(Decimal("0.01"))


@login_required
def enterprise_show(request, pk: int):
    context = enterprise_detail(request.user, pk)
    rows = context["indicators"]
    for row in rows:
        row.tax_per_mu = _per_mu(row.tax_wan_yuan, row.land_mu)
        row.output_per_mu = _per_mu(row.gross_output_wan_yuan, row.land_mu)
    context["chart"] = {
        "type": "bar",
        "unit": _("10k yuan"),
        "unit2": _("10k yuan per mu"),
        "categories": [str(r.year) for r in rows],
        "series": [
            {"name": _("Gross industrial output"), "data": [_num(r.gross_output_wan_yuan) for r in rows]},
            {"name": _("Revenue"), "data": [_num(r.revenue_wan_yuan) for r in rows]},
            {"name": _("Tax paid"), "data": [_num(r.tax_wan_yuan) for r in rows]},
            {"name": _("Tax per mu"), "type": "line", "axis": 1, "data": [_num(r.tax_per_mu) for r in rows]},
        ],
    }
    return render(request, "enterprises/detail.html", context)


def _num(value):
    return None if value is None else float(value)
