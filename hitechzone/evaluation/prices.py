"""Differentiated prices (差别化电价、水价): a surcharge per kWh and per tonne of water by evaluation class.

A year's :class:`~hitechzone.evaluation.models.PriceTier` rows say, per class, the surcharge and from how many
consecutive years in that class it applies (``min_years_in_class``: D for the third year running pays more).

Who pays, for a year Y
    every enterprise of the latest *published* whole-zone evaluation run of Y (``brand`` empty) whose class has
    a tier. Its years in the class count back through the published whole-zone runs of Y-1, Y-2 …: the count
    stops at the first year in another class, or without a published run. The tier that applies is the one of
    its class with the highest ``min_years_in_class`` it reaches (none reached: nothing to pay).
    Electricity surcharge = 元/kWh × the year's electricity (万千瓦时 × 10⁴); water = 元/t × water (万吨 × 10⁴),
    both from the enterprise's yearly indicators of Y, rounded to the fen.

When
    from the year the zone has had three energy rankings (the article: from the third ranking on), see
    :func:`effective`. Before that the list is still computed, as a preview: the pages and the API say so, and the
    exports for the power and water companies are refused.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hitechzone.accounts.models import Role
from hitechzone.common.rules import Refused, require
from hitechzone.common.spreadsheets import xlsx_bytes
from hitechzone.enterprises.models import Enterprise, EnterpriseIndicator

from .energy import rankings_up_to
from .models import EvaluationResult, EvaluationRun, Klass, PriceTier
from .roles import OWN_ROLES, WHOLE_ZONE_ROLES
from .roles import role as _role

RANKINGS_NEEDED = 3
TEN_THOUSAND = Decimal(10_000)
FEN = Decimal("0.01")
# The demo policy: (class, consecutive years, 元/kWh, 元/t).
DEFAULT_TIERS = (
    (Klass.C, 1, Decimal("0.10"), Decimal("0.5")),
    (Klass.D, 1, Decimal("0.30"), Decimal("1.0")),
    (Klass.D, 3, Decimal("0.40"), Decimal("1.0")),
)
READ_ROLES = WHOLE_ZONE_ROLES  # the whole list
# OWN_ROLES (officers, enterprises): their enterprises' rows
COMPANIES = ("electricity", "water")


def effective(year: int) -> bool:
    """Whether the surcharges of ``year`` are billed: the zone has had three energy rankings up to that year."""
    return rankings_up_to(year) >= RANKINGS_NEEDED


def can_read(user) -> bool:
    return _role(user) in READ_ROLES


def _require_admin(user) -> None:
    require(_role(user) == Role.ADMIN, _("Only administrators set the price tiers."))


# --- Price tiers ------------------------------------------------------------------------------------------------


TIER_FIELDS = ("year", "klass", "min_years_in_class", "electricity_yuan_per_kwh", "water_yuan_per_t")


@transaction.atomic
def tier_save(
    *,
    by,
    year: int,
    klass: str,
    electricity_yuan_per_kwh: Decimal,
    water_yuan_per_t: Decimal,
    min_years_in_class: int = 1,
    tier: PriceTier | None = None,
) -> PriceTier:
    """Add a tier, or change ``tier`` (administrators). One tier per year, class and consecutive years."""
    _require_admin(by)
    tier = tier or PriceTier()
    tier.year, tier.klass, tier.min_years_in_class = year, klass, min_years_in_class
    tier.electricity_yuan_per_kwh, tier.water_yuan_per_t = electricity_yuan_per_kwh, water_yuan_per_t
    try:
        tier.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise Refused(" ".join(str(m) for ms in exc.message_dict.values() for m in ms)) from None
    clash = PriceTier.objects.filter(year=year, klass=klass, min_years_in_class=min_years_in_class)
    if tier.pk:
        clash = clash.exclude(pk=tier.pk)
    require(
        not clash.exists(),
        _("%(year)d already has a tier for class %(klass)s from %(n)d year(s) running: change that one.")
        % {"year": year, "klass": klass, "n": min_years_in_class},
    )
    try:
        with transaction.atomic():
            tier.save()
    except IntegrityError:  # a concurrent save of the same tier
        raise Refused(_("This tier was just added by someone else.")) from None
    return tier


@transaction.atomic
def tier_delete(*, by, tier: PriceTier) -> None:
    _require_admin(by)
    tier.delete()


@transaction.atomic
def tiers_load_defaults(*, by, year: int) -> list[PriceTier]:
    """Add the demo policy's tiers that the year lacks (C +0.10, D +0.30, D third year running +0.40 元/kWh;
    water C +0.5, D +1.0 元/t); tiers already there are kept as they are. Returns the tiers added."""
    _require_admin(by)
    have = set(PriceTier.objects.filter(year=year).values_list("klass", "min_years_in_class"))
    added = []
    for klass, years, kwh, water in DEFAULT_TIERS:
        if (klass, years) not in have:
            added.append(
                tier_save(
                    by=by,
                    year=year,
                    klass=klass,
                    min_years_in_class=years,
                    electricity_yuan_per_kwh=kwh,
                    water_yuan_per_t=water,
                )
            )
    return added


# --- Surcharges -------------------------------------------------------------------------------------------------


@dataclass
class SurchargeRow:
    enterprise_id: int
    uscc: str
    name: str
    klass: str
    years_in_class: int
    tier_id: int
    tier_min_years: int
    electricity_kwh: Decimal | None
    electricity_yuan_per_kwh: Decimal
    electricity_yuan: Decimal | None
    water_t: Decimal | None
    water_yuan_per_t: Decimal
    water_yuan: Decimal | None

    @property
    def total_yuan(self) -> Decimal:
        return (self.electricity_yuan or Decimal(0)) + (self.water_yuan or Decimal(0))

    def as_dict(self) -> dict:
        return {
            "enterprise": self.enterprise_id,
            "uscc": self.uscc,
            "name": self.name,
            "class": self.klass,
            "years_in_class": self.years_in_class,
            "tier": self.tier_id,
            "tier_min_years": self.tier_min_years,
            "electricity_kwh": self.electricity_kwh,
            "electricity_yuan_per_kwh": self.electricity_yuan_per_kwh,
            "electricity_yuan": self.electricity_yuan,
            "water_t": self.water_t,
            "water_yuan_per_t": self.water_yuan_per_t,
            "water_yuan": self.water_yuan,
            "total_yuan": self.total_yuan,
        }


def published_whole_zone_runs(*, before: int | None = None, year: int | None = None) -> dict[int, int]:
    """Year → id of the latest published whole-zone run (``brand`` empty), for one year or the years before one."""
    runs = EvaluationRun.objects.filter(published_at__isnull=False, brand__isnull=True)
    if year is not None:
        runs = runs.filter(year=year)
    if before is not None:
        runs = runs.filter(year__lt=before)
    latest: dict[int, int] = {}
    for run_year, run_id in runs.order_by("year", "published_at", "id").values_list("year", "id"):
        latest[run_year] = run_id  # the last one of a year wins
    return latest


def _amount(rate: Decimal, quantity: Decimal | None) -> Decimal | None:
    if quantity is None:
        return None
    return (rate * quantity).quantize(FEN, rounding=ROUND_HALF_UP)


def surcharges(*, year: int, user) -> list[SurchargeRow]:
    """The year's surcharge rows, D before C, then by USCC: administrators and leaders all, an officer those of
    the enterprises they serve, an enterprise its own. Computed whether or not the year is :func:`effective`
    (before that, a preview)."""
    role = _role(user)
    require(role in OWN_ROLES or role in READ_ROLES, _("You have no access to the surcharges."))
    run_id = published_whole_zone_runs(year=year).get(year)
    tiers: dict[str, list[PriceTier]] = defaultdict(list)
    for tier in PriceTier.objects.filter(year=year).order_by("-min_years_in_class"):
        tiers[tier.klass].append(tier)
    if run_id is None or not tiers:
        return []
    results = EvaluationResult.objects.filter(run_id=run_id, klass__in=list(tiers))
    if role not in READ_ROLES:
        results = results.filter(enterprise__in=Enterprise.objects.for_user(user).values("pk"))
    results = list(results.values_list("enterprise_id", "uscc", "name", "klass").order_by("-klass", "uscc"))
    if not results:
        return []
    # Classes of the previous years' published runs, for the streaks.
    previous = published_whole_zone_runs(before=year)
    run_year = {run: y for y, run in previous.items()}
    earlier: dict[tuple[int, int], str] = {}
    if previous:
        rows = EvaluationResult.objects.filter(run_id__in=list(previous.values()), klass__in=list(tiers))
        for prev_run, enterprise_id, klass in rows.values_list("run_id", "enterprise_id", "klass").iterator(
            chunk_size=10_000
        ):
            earlier[(run_year[prev_run], enterprise_id)] = klass
    consumption = {
        enterprise_id: (kwh, water)
        for enterprise_id, kwh, water in EnterpriseIndicator.objects.filter(year=year)
        .values_list("enterprise_id", "electricity_wan_kwh", "water_wan_t")
        .iterator(chunk_size=10_000)
    }
    found = []
    for enterprise_id, uscc, name, klass in results:
        streak = 1
        while earlier.get((year - streak, enterprise_id)) == klass:
            streak += 1
        tier = next((t for t in tiers[klass] if t.min_years_in_class <= streak), None)
        if tier is None:
            continue
        wan_kwh, wan_t = consumption.get(enterprise_id, (None, None))
        kwh = None if wan_kwh is None else wan_kwh * TEN_THOUSAND
        water_t = None if wan_t is None else wan_t * TEN_THOUSAND
        found.append(
            SurchargeRow(
                enterprise_id=enterprise_id,
                uscc=uscc,
                name=name,
                klass=klass,
                years_in_class=streak,
                tier_id=tier.pk,
                tier_min_years=tier.min_years_in_class,
                electricity_kwh=kwh,
                electricity_yuan_per_kwh=tier.electricity_yuan_per_kwh,
                electricity_yuan=_amount(tier.electricity_yuan_per_kwh, kwh),
                water_t=water_t,
                water_yuan_per_t=tier.water_yuan_per_t,
                water_yuan=_amount(tier.water_yuan_per_t, water_t),
            )
        )
    return found


def totals(rows: list[SurchargeRow]) -> dict:
    """Sums over the rows (missing consumption counts as nothing) and how many rows lack each figure."""
    zero = Decimal(0)
    return {
        "enterprises": len(rows),
        "electricity_kwh": sum((r.electricity_kwh for r in rows if r.electricity_kwh is not None), zero),
        "electricity_yuan": sum((r.electricity_yuan for r in rows if r.electricity_yuan is not None), zero),
        "water_t": sum((r.water_t for r in rows if r.water_t is not None), zero),
        "water_yuan": sum((r.water_yuan for r in rows if r.water_yuan is not None), zero),
        "total_yuan": sum((r.total_yuan for r in rows), zero),
        "missing_electricity": sum(1 for r in rows if r.electricity_kwh is None),
        "missing_water": sum(1 for r in rows if r.water_t is None),
    }


# --- Exports for the power and the water company ----------------------------------------------------------------

# The lists go to the utilities, who read Chinese headers (like the intake templates, they are not translated).
ELECTRICITY_HEADERS = (
    "统一社会信用代码",
    "企业名称",
    "评价类别",
    "连续年数",
    "用电量(千瓦时)",
    "加价标准(元/千瓦时)",
    "加价金额(元)",
)
WATER_HEADERS = (
    "统一社会信用代码",
    "企业名称",
    "评价类别",
    "连续年数",
    "用水量(吨)",
    "加价标准(元/吨)",
    "加价金额(元)",
)


def surcharge_xlsx(*, year: int, user, company: str) -> tuple[str, bytes]:
    """The list for the power company (``company="electricity"``) or the water company (``"water"``): the
    enterprises with something to pay, and a summary sheet. ``(file name, xlsx bytes)``; refused before the year
    is effective."""
    require(company in COMPANIES, _("Choose the electricity or the water list."))
    require(can_read(user), _("Only administrators and leaders export the surcharge lists."))
    rows = surcharges(year=year, user=user)
    require(
        effective(year),
        _(
            "The surcharges of %(year)d are not in force: the zone has had %(n)d of the %(needed)d energy "
            "rankings needed. The list on the page is a preview."
        )
        % {"year": year, "n": rankings_up_to(year), "needed": RANKINGS_NEEDED},
    )
    if company == "electricity":
        headers, title, file_name = ELECTRICITY_HEADERS, "差别化电价", f"差别化电价-{year}.xlsx"
        lines = [
            [
                r.uscc,
                r.name,
                r.klass,
                r.years_in_class,
                r.electricity_kwh,
                r.electricity_yuan_per_kwh,
                r.electricity_yuan,
            ]
            for r in rows
            if r.electricity_yuan and r.electricity_yuan > 0
        ]
    else:
        headers, title, file_name = WATER_HEADERS, "差别化水价", f"差别化水价-{year}.xlsx"
        lines = [
            [r.uscc, r.name, r.klass, r.years_in_class, r.water_t, r.water_yuan_per_t, r.water_yuan]
            for r in rows
            if r.water_yuan and r.water_yuan > 0
        ]
    total_quantity = sum((line[4] for line in lines), Decimal(0))
    total_yuan = sum((line[6] for line in lines), Decimal(0))
    summary = [
        ["年度", year],
        ["企业数", len(lines)],
        ["用电量合计(千瓦时)" if company == "electricity" else "用水量合计(吨)", total_quantity],
        ["加价金额合计(元)", total_yuan],
        ["生成时间", timezone.localtime().strftime("%Y-%m-%d %H:%M")],
    ]
    data = xlsx_bytes(
        [(title, list(headers), lines), ("汇总", ["项目", "数值"], summary)],
        widths={title: [22, 32, 10, 10, 16, 18, 14], "汇总": [20, 24]},
    )
    return file_name, data
