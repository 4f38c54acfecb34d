"""Reads of M6, scoped by role: the lists the pages and the API show, the fund's figures, the enterprise page's
sections and the year's statistics (computed from the rows, nothing stored)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Count, DecimalField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse

from hitechzone.enterprises.sections import EnterpriseRows

from .models import ZERO, Degree, Fund, Grant, IncubatorEnterprise, Instalment, Level, Partner, Talent, TeamApplication
from .models import TeamMember as Member

SECTION_ROWS = 5
MONEY = DecimalField(max_digits=16, decimal_places=2)


def funds_with_figures(user):
    """The funds ``user`` sees, each with ``granted_wan_yuan`` and ``paid_wan_yuan`` (two subqueries, one query)."""
    granted = (
        Grant.objects.filter(fund=OuterRef("pk"), status=Grant.Status.APPROVED)
        .order_by()
        .values("fund")
        .annotate(s=Sum("amount_wan_yuan"))
        .values("s")
    )
    paid = (
        Instalment.objects.filter(grant__fund=OuterRef("pk"))
        .order_by()
        .values("grant__fund")
        .annotate(s=Sum("amount_wan_yuan"))
        .values("s")
    )
    return Fund.objects.for_user(user).annotate(
        granted_wan_yuan=Coalesce(Subquery(granted, output_field=MONEY), Value(ZERO), output_field=MONEY),
        paid_wan_yuan=Coalesce(Subquery(paid, output_field=MONEY), Value(ZERO), output_field=MONEY),
    )


def grants_with_paid(user):
    paid = (
        Instalment.objects.filter(grant=OuterRef("pk"))
        .order_by()
        .values("grant")
        .annotate(s=Sum("amount_wan_yuan"))
        .values("s")
    )
    return (
        Grant.objects.for_user(user)
        .select_related("fund", "recipient_enterprise")
        .annotate(paid_wan_yuan=Coalesce(Subquery(paid, output_field=MONEY), Value(ZERO), output_field=MONEY))
    )


def team_applications(user):
    return TeamApplication.objects.for_user(user).annotate(
        member_count=Count("members", distinct=True),
        phd_count=Count("members", filter=Q(members__degree=Degree.PHD), distinct=True),
    )


# --- The enterprise page's sections --------------------------------------------------------------------------------


def enterprise_incubators(user, enterprise):
    """The off-site incubators the enterprise came from (one query)."""
    rows = list(
        IncubatorEnterprise.objects.for_user(user)
        .filter(enterprise=enterprise)
        .select_related("incubator")[:SECTION_ROWS]
    )
    if not rows:
        return None
    return EnterpriseRows(rows=rows, more_url=reverse("talent:incubator", args=[rows[0].incubator_id]))


def enterprise_grants(user, enterprise):
    """The enterprise's latest innovation-fund grants (one query)."""
    rows = list(
        grants_with_paid(user).filter(recipient_enterprise=enterprise).order_by("-applied_on", "-pk")[:SECTION_ROWS]
    )
    if not rows:
        return None
    return EnterpriseRows(rows=rows, more_url=f"{reverse('talent:grants')}?enterprise={enterprise.pk}")


# --- Statistics -----------------------------------------------------------------------------------------------------

STAT_KEYS = (
    "team_applications",
    "phd_holders",
    "programme_talents",
    "registered_capital_wan_yuan",
    "planned_investment_wan_yuan",
    "national_programme_talents",
    "provincial_programme_talents",
    "academician_experts",
    "partner_institutions",
    "innovation_fund_wan_yuan",
)


def stats(*, user, year: int) -> dict:
    """The year's figures of the module (issue 15, point 5), from what ``user`` sees:

    - the team applications submitted in ``year``: how many, the PhD holders and the programme talents among their
      members, the proposed registered capital and the planned investment (万元);
    - the talents recorded in the zone: national and provincial programme talents, academicians;
    - the partner institutions whose agreement runs in ``year`` (signed by its end, not ended before its start);
    - ``innovation_fund_wan_yuan``: the budget of the funds of ``year``.
    """
    applications = TeamApplication.objects.for_user(user).filter(submitted_on__year=year)
    money = applications.aggregate(
        n=Count("pk"),
        capital=Sum("registered_capital_wan_yuan"),
        investment=Sum("planned_investment_wan_yuan"),
    )
    members = Member.objects.filter(application__in=applications.values("pk")).aggregate(
        phd=Count("pk", filter=Q(degree=Degree.PHD)),
        programme=Count("pk", filter=~Q(programme="") | ~Q(programme_level="")),
    )
    talents = Talent.objects.for_user(user).aggregate(
        national=Count("pk", filter=Q(level=Level.NATIONAL)),
        provincial=Count("pk", filter=Q(level=Level.PROVINCIAL)),
        academicians=Count("pk", filter=Q(academician=True)),
    )
    start, end = date(year, 1, 1), date(year, 12, 31)
    partners = (
        Partner.objects.for_user(user)
        .filter(agreement_signed_on__lte=end)
        .filter(Q(agreement_ends_on__isnull=True) | Q(agreement_ends_on__gte=start))
        .count()
    )
    fund = Fund.objects.for_user(user).filter(year=year).aggregate(s=Sum("budget_wan_yuan"))["s"]
    return {
        "team_applications": money["n"],
        "phd_holders": members["phd"],
        "programme_talents": members["programme"],
        "registered_capital_wan_yuan": _money(money["capital"]),
        "planned_investment_wan_yuan": _money(money["investment"]),
        "national_programme_talents": talents["national"],
        "provincial_programme_talents": talents["provincial"],
        "academician_experts": talents["academicians"],
        "partner_institutions": partners,
        "innovation_fund_wan_yuan": _money(fund),
    }


def _money(value) -> Decimal:
    return (value or ZERO).quantize(Decimal("0.01"))
