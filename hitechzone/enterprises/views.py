from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.db.models import Max, Min
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from hitechzone.common.audit import entries
from hitechzone.common.formatting import chart_number
from hitechzone.common.models import AuditEvent
from hitechzone.common.spreadsheets import xlsx_response
from hitechzone.common.views import paginate
from hitechzone.zone.models import Brand, FunctionalArea

from .intake import EnterpriseKind, IndicatorKind
from .models import Enterprise, EnterpriseIndicator, IndustryChain
from .queries import enterprise_detail, enterprise_list
from .sections import sections_for


def _export(kind, rows, file_name: str):
    return xlsx_response(
        file_name,
        [(str(kind.label), [c.header for c in kind.columns], rows)],
        widths={str(kind.label): [c.width for c in kind.columns]},
    )


@login_required
def enterprise_index(request):
    enterprises = enterprise_list(request.user, request.GET)
    if request.GET.get("export") == "xlsx":
        kind = EnterpriseKind()
        return _export(
            kind, kind.export_rows(enterprises.select_related("block")), f"企业名录-{timezone.localdate():%Y%m%d}.xlsx"
        )
    page, query = paginate(request, enterprises)
    return render(
        request,
        "enterprises/list.html",
        {
            "page": page,
            "query": query,
            "brands": Brand.objects.for_user(request.user),
            "areas": FunctionalArea.objects.for_user(request.user),
            "chains": IndustryChain.objects.for_user(request.user),
            "indicator_years": _indicator_years(request.user),
        },
    )


@login_required
def indicator_export(request):
    """The yearly indicators the user may see, in the import template's format (export → import round-trips)."""
    kind = IndicatorKind()
    qs = EnterpriseIndicator.objects.for_user(request.user)
    year = request.GET.get("year", "")
    if year.isdigit():
        qs = qs.filter(year=int(year))
    return _export(kind, kind.export_rows(qs), f"企业年度指标-{year or '全部'}.xlsx")


def _indicator_years(user, most: int = 6) -> list[int]:
    """The latest years of indicators the user may see: MIN/MAX walk the (year, …) index instead of a DISTINCT scan."""
    span = EnterpriseIndicator.objects.for_user(user).aggregate(first=Min("year"), last=Max("year"))
    if span["last"] is None:
        return []
    return list(range(span["last"], max(span["first"], span["last"] - most + 1) - 1, -1))


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
    context["history"] = enterprise_history(request.user, context["enterprise"])
    context["sections"], context["actions"] = sections_for(request.user, context["enterprise"])
    return render(request, "enterprises/detail.html", context)


HISTORY_LENGTH = 20


def enterprise_history(user, enterprise: Enterprise, *, limit: int = HISTORY_LENGTH):
    """The enterprise's latest audit events, as much of them as the viewer may see (one query).

    The viewer already sees the enterprise (the page is scoped). Its contacts, yearly figures, parcels and
    officer are confidential beyond the registry profile: a role whose indicator scope is defined sees them
    for every enterprise it sees (admin, leader, its officer, the enterprise itself); any other role (department
    staff) sees only the events of the enterprise's own record.
    """
    events = AuditEvent.objects.filter(enterprise_id=enterprise.pk).select_related("user", "content_type")
    if getattr(EnterpriseIndicator.objects.none(), f"scope_{user.effective_role}", None) is None:
        events = events.filter(content_type__app_label="enterprises", content_type__model="enterprise")
    return entries(events[:limit])


def _num(value):
    return chart_number(value)
