"""The demo zone's 亩均 evaluation (M4, 亩产论英雄): three years evaluated, ranked for energy, priced, land freed.

The article: the zone ranks its enterprises by output per mu every year, "等到第三年排名出来以后 … 出台差别化的
水、电等政策", and frees the land of the weakest (腾笼换鸟). So, on top of the zone's yearly figures of
2023–2025 (their water use comes with them, see ``generator.indicator_rows``), the demo has:

- a few exemptions a year (a public utility, firms in their first year of production, one relocation) and one
  or two vetoes (a safety accident, once an environmental one), each with its reason;
- the energy years (2023 and 2024 on the calorific basis, 2025 on the equal-value basis), the fuels of the
  规上 industrial firms (coal, natural gas, steam, electricity; a few report none and are ranked on their
  reported energy) and an energy ranking for each year, so that 2025 is the third ranking;
- the default scheme run for 2023, 2024 and 2025 by the administrator and published by the leader: the weakest
  firms stay weak, so some are in D two or three years running;
- the price tiers of 2025 and 2026 (C +0.10, D +0.30, D the third year running +0.40 元/kWh; water C +0.5,
  D +1.0 元/t), in force from 2025, the year of the third ranking;
- the exit reward policies of 2024–2026 and seven land exit cases, one in each state, both modes.

Everything is written through the M4 services (the fuels, bulk data like the yearly figures, excepted), as the
demo's ``admin``; the leader publishes. Idempotent: nothing is added when the runs are there already.
:func:`hints` says, from what was loaded, what each persona finds (printed with the logins).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from hitechzone.accounts.models import Role, User
from hitechzone.enterprises import services as enterprise_services
from hitechzone.enterprises.models import Enterprise, EnterpriseIndicator
from hitechzone.evaluation import energy, land, prices, services
from hitechzone.evaluation.models import (
    EnergyUse,
    EnergyYear,
    EvaluationResult,
    EvaluationRun,
    Exemption,
    ExitCase,
    Klass,
    RewardBasis,
    Veto,
)
from hitechzone.liaison.models import Assignment
from hitechzone.zone.models import Parcel

from .trail import unrecorded

YEARS = (2023, 2024, 2025)
PRICE_YEARS = (2025, 2026)
CHEMICAL = {"fluorine", "organosilicon", "inorganic-silicon", "fine-chemicals"}
ENERGY_YEARS = {
    2023: (EnergyYear.Basis.CALORIFIC, None),
    2024: (EnergyYear.Basis.CALORIFIC, None),
    # 0.2940 kgce/kWh stands for 2025's 供电标准煤耗 (the coal consumption of power supply the statistics
    # bureau publishes for the year): a demo value, not an official figure.
    2025: (EnergyYear.Basis.EQUAL_VALUE, Decimal("0.2940")),
}
EXIT_POLICIES = {  # year: reward basis, rate (10k yuan per mu, or a share of the compensation)
    2024: (RewardBasis.PER_MU, Decimal(5)),
    2025: (RewardBasis.SHARE, Decimal("0.10")),
    2026: (RewardBasis.PER_MU, Decimal(6)),
}
S = ExitCase.Status
M = ExitCase.Mode
T = ExitCase.Trigger

WORKSHOPS = ("合成车间", "精馏车间", "储罐区", "危化品仓库", "干燥车间")
ACCIDENTS = ("爆燃事故", "中毒窒息事故", "火灾事故", "物体打击事故")
REUSE = "{name}扩产项目：总投资 {invest} 亿元，达产后亩均税收不低于 {tax} 万元/亩"


@dataclass
class World:
    """What the loader reads once: the users, the enterprises, their figures, chains and parcels."""

    rng: random.Random
    admin: User
    leader: User
    today: date
    enterprises: dict[int, Enterprise]
    figures: dict[tuple[int, int], EnterpriseIndicator]
    chain: dict[int, str]
    parcels: dict[int, list[Parcel]]
    personas: set[int]  # the enterprises of the persona logins: no veto, exemption or exit for them
    classes: dict[int, dict[int, EvaluationResult]] = field(default_factory=dict)  # enterprise → year → result
    used: set[int] = field(default_factory=set)  # enterprises given a veto, an exemption or an exit role

    def figure(self, enterprise_id: int, year: int, name: str) -> float | None:
        row = self.figures.get((enterprise_id, year))
        value = getattr(row, name, None) if row else None
        return None if value is None else float(value)

    def above(self, enterprise_id: int, year: int) -> bool:
        row = self.figures.get((enterprise_id, year))
        return bool(row and row.is_above_scale)

    def tax_per_mu(self, enterprise_id: int, year: int) -> float:
        tax, mu = self.figure(enterprise_id, year, "tax_wan_yuan"), self.figure(enterprise_id, year, "land_mu")
        return tax / mu if tax is not None and mu else 0.0

    def klass(self, enterprise_id: int, year: int) -> str:
        result = self.classes.get(enterprise_id, {}).get(year)
        return result.klass if result else ""

    def score(self, enterprise_id: int, year: int) -> float:
        result = self.classes.get(enterprise_id, {}).get(year)
        return result.score if result and result.score is not None else float("inf")


def _world(rng: random.Random) -> World | None:
    admin = User.objects.filter(username="admin", role=Role.ADMIN).first()
    leader = User.objects.filter(username="leader", role=Role.LEADER).first()
    if admin is None or leader is None:
        return None
    enterprises = {e.pk: e for e in Enterprise.objects.order_by("uscc")}
    figures = {(r.enterprise_id, r.year): r for r in EnterpriseIndicator.objects.filter(year__in=YEARS)}
    chain: dict[int, str] = {}
    for enterprise_id, code in Enterprise.chains.through.objects.order_by("id").values_list(
        "enterprise_id", "industrychain__code"
    ):
        chain.setdefault(enterprise_id, code)  # the first chain linked is the enterprise's own
    parcels: dict[int, list[Parcel]] = {}
    for parcel in Parcel.objects.filter(enterprise__isnull=False).order_by("code"):
        parcels.setdefault(parcel.enterprise_id, []).append(parcel)
    personas = set(
        User.objects.filter(username__in=("ent1", "ent2"), enterprise__isnull=False).values_list(
            "enterprise_id", flat=True
        )
    )
    return World(rng, admin, leader, timezone.localdate(), enterprises, figures, chain, parcels, personas)


@unrecorded
def load_evaluation(rng: random.Random, report) -> None:
    """The M4 demo (see the module text); nothing is added when the years' runs exist already."""
    if EvaluationRun.objects.filter(year__in=YEARS).exists():
        return  # loaded already
    w = _world(rng)
    if w is None:
        return
    load_exemptions(w, report)
    load_vetoes(w, report)
    load_energy(w, report)
    for year in YEARS:
        run = services.run_evaluation(user=w.admin, year=year, note=f"{year} 年度亩均效益综合评价")
        services.run_publish(user=w.leader, run=run)
    report.add("evaluation runs (published)", len(YEARS))
    for result in EvaluationResult.objects.filter(run__year__in=YEARS, run__published_at__isnull=False).select_related(
        "run"
    ):
        w.classes.setdefault(result.enterprise_id, {})[result.run.year] = result
    for year in PRICE_YEARS:
        report.add("price tiers", len(prices.tiers_load_defaults(user=w.admin, year=year)))
    load_exits(w, report)


# --- Exemptions and vetoes -------------------------------------------------------------------------------------


def _candidates(w: World, *, year: int, chemical: bool | None = None, above: bool | None = None) -> list[int]:
    ids = []
    for pk in w.enterprises:
        if pk in w.personas or pk in w.used or (pk, year) not in w.figures:
            continue
        if chemical is not None and (w.chain.get(pk) in CHEMICAL) != chemical:
            continue
        if above is not None and w.above(pk, year) != above:
            continue
        ids.append(pk)
    return ids


def load_exemptions(w: World, report) -> None:
    """A public utility every year, firms in their first year of production, a relocation in 2025."""
    n = 0
    utility = w.rng.choice([pk for pk in _candidates(w, year=YEARS[0]) if not w.enterprises[pk].is_industrial])
    w.used.add(utility)
    for year in YEARS:
        services.exemption_set(
            user=w.admin,
            enterprise=w.enterprises[utility],
            year=year,
            reason=Exemption.Reason.PUBLIC_UTILITY,
            details="园区公共仓储和应急物资储备中心的运营单位，承担公益性保障任务（管委会认定）",
        )
        n += 1
    # The most recently founded firms: the two newest began production in 2024, the next two in 2023.
    newest = sorted(
        (pk for pk in _candidates(w, year=YEARS[0]) if w.enterprises[pk].is_industrial),
        key=lambda pk: (w.enterprises[pk].established_on or date.min, w.enterprises[pk].uscc),
        reverse=True,
    )[:4]
    for i, pk in enumerate(newest):
        year = 2024 if i < 2 else 2023
        founded = w.enterprises[pk].established_on
        services.exemption_set(
            user=w.admin,
            enterprise=w.enterprises[pk],
            year=year,
            reason=Exemption.Reason.FIRST_YEAR,
            details=f"{founded.year} 年设立，{year} 年为投产第一年，产能尚未释放",
        )
        w.used.add(pk)
        n += 1
    # A healthy chemical firm rebuilding its plant elsewhere in the zone in 2025.
    strong = sorted(_candidates(w, year=2025, chemical=True, above=True), key=lambda pk: -w.tax_per_mu(pk, 2025))[:10]
    relocating = w.rng.choice(strong)
    services.exemption_set(
        user=w.admin,
        enterprise=w.enterprises[relocating],
        year=2025,
        reason=Exemption.Reason.RELOCATION,
        details="老厂区整体搬迁至集聚区新址，2025 年停产改建 7 个月",
    )
    w.used.add(relocating)
    report.add("evaluation exemptions", n + 1)


def load_vetoes(w: World, report) -> None:
    """One or two vetoes a year: safety accidents at chemical plants, once an environmental violation."""
    n = 0
    for year in YEARS:
        pool = [
            pk
            for pk in _candidates(w, year=year, chemical=True, above=True)
            if (w.enterprises[pk].established_on or date.min).year < year - 2
        ]
        for k in range(1 if year != 2024 else 2):
            pk = w.rng.choice(pool)
            pool.remove(pk)
            occurred = date(year, w.rng.randint(2, 11), w.rng.randint(1, 28))
            if year == 2024 and k == 1:
                kind = Veto.Kind.ENVIRONMENT
                reason = f"{occurred.month}月{occurred.day}日 高浓度废水通过雨水管网偷排，被生态环境部门立案查处"
            else:
                kind = Veto.Kind.SAFETY
                reason = (
                    f"{occurred.month}月{occurred.day}日 {w.rng.choice(WORKSHOPS)}发生{w.rng.choice(ACCIDENTS)}，"
                    f"造成 1 人死亡（生产安全亡人事故）"
                )
            services.veto_set(
                user=w.admin, enterprise=w.enterprises[pk], year=year, kind=kind, reason=reason, occurred_on=occurred
            )
            w.used.add(pk)
            n += 1
    report.add("evaluation vetoes", n)


# --- Energy ------------------------------------------------------------------------------------------------------


@dataclass
class FuelMix:
    """A firm's fuels other than electricity: their shares of one another, and at least what share of the
    reported energy they make (the rest of it is electricity, on the calorific basis)."""

    shares: dict[str, float]
    at_least: float


def _fuel_mix(w: World, pk: int) -> FuelMix | None:
    """None: the firm reports no fuels (it is ranked on its reported energy)."""
    rng = w.rng
    if rng.random() < 0.1:
        return None
    chain = w.chain.get(pk)
    if chain in CHEMICAL:
        coal = rng.uniform(0.2, 0.5) if rng.random() < 0.35 else 0.0
        steam = (1 - coal) * rng.uniform(0.4, 0.7)
        return FuelMix({"raw_coal": coal, "steam": steam, "natural_gas": 1 - coal - steam}, rng.uniform(0.3, 0.5))
    if chain == "biomedicine":
        steam = rng.uniform(0.5, 0.8)
        return FuelMix({"steam": steam, "natural_gas": 1 - steam}, rng.uniform(0.15, 0.3))
    if rng.random() < 0.6:
        return FuelMix({"natural_gas": 1.0}, rng.uniform(0.05, 0.2))
    return FuelMix({}, 0.0)  # electricity only


def load_energy(w: World, report) -> None:
    """The years' electricity conversion, the 规上 industrial firms' fuels, and a ranking for each year."""
    for year, (basis, factor) in ENERGY_YEARS.items():
        energy.energy_year_set(user=w.admin, year=year, electricity_basis=basis, equal_value_kgce_per_kwh=factor)
    report.add("energy years", len(ENERGY_YEARS))
    per_unit = {code: energy.to_tce(code, 1) for code in ("raw_coal", "steam", "natural_gas")}
    rows = []
    for pk, e in w.enterprises.items():
        if not e.is_industrial or not any(w.above(pk, year) for year in YEARS):
            continue
        mix = _fuel_mix(w, pk)
        if mix is None:
            continue
        for year in YEARS:
            reported = w.figure(pk, year, "energy_tce")
            if not w.above(pk, year) or reported is None:
                continue
            # Electricity is the yearly figure; the fuels make up the rest of the reported energy (or their
            # minimum share, where the electricity alone comes to more than it).
            electricity = w.figures[(pk, year)].electricity_wan_kwh or Decimal(0)
            rest = 1 - float(energy.to_tce(energy.ELECTRICITY, electricity)) / reported if reported > 0 else 0.0
            fuels = reported * max(mix.at_least, rest) * w.rng.uniform(0.95, 1.05)
            for code, share in mix.shares.items():
                if share > 0:
                    quantity = (Decimal(str(fuels * share)) / per_unit[code]).quantize(_MILLI)
                    rows.append(EnergyUse(enterprise_id=pk, year=year, fuel=code, quantity=quantity))
            if electricity:
                rows.append(EnergyUse(enterprise_id=pk, year=year, fuel=energy.ELECTRICITY, quantity=electricity))
    EnergyUse.objects.bulk_create(rows, batch_size=1000)
    report.add("energy use rows", len(rows))
    for year in YEARS:
        energy.rank_energy(user=w.admin, year=year)
    report.add("energy rankings", len(YEARS))


_MILLI = Decimal("0.001")


# --- Land exit (腾笼换鸟) -----------------------------------------------------------------------------------------


@dataclass
class Story:
    """One exit case: who (the first enterprise a rule finds), how, and its steps up to the status it stays in."""

    name: str
    mode: str
    trigger: str
    rules: tuple  # predicates on (world, enterprise id), the first that finds one wins
    identified_on: date
    steps: tuple  # (status, date) after identification; CANCELLED ends with the cancel
    notes: str = ""  # after the class-D history, which is written from the results


def _d_in(*years: int):
    return lambda w, pk: all(w.klass(pk, y) == Klass.D for y in years)


def _d_then_better(w: World, pk: int) -> bool:
    return w.klass(pk, 2024) == Klass.D and w.klass(pk, 2025) in (Klass.B, Klass.C)


def _any_d(w: World, pk: int) -> bool:
    return any(w.klass(pk, y) == Klass.D for y in YEARS)


def _not_vetoed(w: World, pk: int) -> bool:
    return not any(r.vetoed for r in w.classes.get(pk, {}).values())


STORIES = (
    # D three years running, negotiating its exit: its enterprise user gets the demo password (see hints()).
    Story(
        "d3",
        M.AGREED_EXIT,
        T.CLASS_D,
        (lambda w, pk: _d_in(*YEARS)(w, pk) and _not_vetoed(w, pk), _d_in(2024, 2025), _d_in(2025)),
        date(2026, 5, 11),
        ((S.NEGOTIATING, date(2026, 6, 8)),),
        "企业有意整体退出",
    ),
    Story(
        "cancelled",
        M.NEGOTIATED_SWAP,
        T.CLASS_D,
        (lambda w, pk: _d_then_better(w, pk) and _not_vetoed(w, pk), _d_then_better),
        date(2025, 5, 26),
        ((S.NEGOTIATING, date(2025, 7, 1)), (S.CANCELLED, date(2026, 5, 15))),
        "",
    ),
    Story(
        "closed",
        M.AGREED_EXIT,
        T.CLASS_D,
        (lambda w, pk: _d_in(2023, 2024)(w, pk) and _not_vetoed(w, pk), _d_in(2024), _any_d),
        date(2025, 4, 28),
        (
            (S.NEGOTIATING, date(2025, 5, 20)),
            (S.AGREED, date(2025, 7, 15)),
            (S.LAND_RETURNED, date(2025, 12, 26)),
            (S.REUSED, date(2026, 3, 20)),
            (S.CLOSED, date(2026, 9, 30)),
        ),
        "",
    ),
    Story(
        "reused",
        M.NEGOTIATED_SWAP,
        T.CLASS_D,
        (lambda w, pk: _d_in(2024)(w, pk) and _not_vetoed(w, pk), _d_in(2024), _any_d),
        date(2025, 6, 9),
        (
            (S.NEGOTIATING, date(2025, 6, 30)),
            (S.AGREED, date(2025, 9, 5)),
            (S.LAND_RETURNED, date(2026, 1, 15)),
            (S.REUSED, date(2026, 6, 18)),
        ),
        "置换至小地块集中生产",
    ),
    Story(
        "agreed",
        M.NEGOTIATED_SWAP,
        T.CLASS_D,
        (lambda w, pk: _d_in(2025)(w, pk) and _not_vetoed(w, pk), _d_in(2025), _any_d),
        date(2026, 5, 11),
        ((S.NEGOTIATING, date(2026, 6, 2)), (S.AGREED, date(2026, 9, 15))),
        "置换至标准厂房",
    ),
    Story(
        "identified",
        M.AGREED_EXIT,
        T.CLASS_D,
        (lambda w, pk: _d_in(2025)(w, pk) and _not_vetoed(w, pk), _d_in(2025), _any_d),
        date(2026, 6, 22),
        (),
        "",
    ),
)
IDLE_STORY = Story(
    "returned",
    M.AGREED_EXIT,
    T.IDLE_LAND,
    (),
    date(2025, 9, 22),
    ((S.NEGOTIATING, date(2025, 10, 15)), (S.AGREED, date(2026, 1, 20)), (S.LAND_RETURNED, date(2026, 4, 28))),
    "2025 年 6 月起停产，厂房和土地闲置",
)


def _pick(w: World, story: Story) -> int | None:
    """The weakest firm the story's first possible rule finds; for a swap, one with land to swap if possible."""
    pool = [pk for pk in w.enterprises if pk not in w.personas and pk not in w.used and w.parcels.get(pk)]
    passes = (True, False) if story.mode == M.NEGOTIATED_SWAP else (False,)
    for swappable in passes:
        for rule in story.rules:
            found = sorted(
                (pk for pk in pool if rule(w, pk)), key=lambda pk: (w.score(pk, 2025), w.enterprises[pk].uscc)
            )
            if swappable:
                found = [pk for pk in found if _reserve(max(w.parcels[pk], key=lambda p: (p.area_mu, p.code)))]
            if found:
                return found[0]
    return None


def _idle(w: World) -> list[int]:
    """Industrial firms never in D with the weakest 2025 亩均税收: the ones whose production stops."""
    pool = [
        pk
        for pk, e in w.enterprises.items()
        if e.is_industrial
        and pk not in w.personas
        and pk not in w.used
        and w.parcels.get(pk)
        and (pk, 2025) in w.figures
        and not _any_d(w, pk)
    ]
    return sorted(pool, key=lambda pk: (w.tax_per_mu(pk, 2025), w.enterprises[pk].uscc))


def _reserve(given: Parcel) -> Parcel | None:
    """A free reserve parcel for a swap: smaller than the one given up, about half its size."""
    reserve = Parcel.objects.filter(land_use=Parcel.LandUse.RESERVE, enterprise__isnull=True).order_by("code")
    taken = set(ExitCase.swap_parcels.through.objects.values_list("parcel_id", flat=True))
    smaller = [p for p in reserve if p.pk not in taken and p.area_mu < given.area_mu * Decimal("0.8")]
    return min(smaller, key=lambda p: (abs(p.area_mu - given.area_mu / 2), p.code)) if smaller else None


def _successor(w: World, pk: int) -> Enterprise | None:
    """A class-A firm of 2025 (of the same brand if one is left) that expands onto the freed land."""
    brand = w.enterprises[pk].brand_id
    taken = set(ExitCase.objects.filter(successor__isnull=False).values_list("successor_id", flat=True))
    strong = sorted(
        (o for o in w.enterprises if o not in w.personas | taken and o != pk and w.klass(o, 2025) == Klass.A),
        key=lambda o: (w.enterprises[o].brand_id != brand, -w.score(o, 2025), w.enterprises[o].uscc),
    )
    return w.enterprises[strong[0]] if strong else None


def _notes(w: World, story: Story, pk: int, mode: str) -> str:
    """ "2024 年度评价为 D 类" or "连续三年评价为 D 类（2023–2025 年度）", then the story's own words."""
    parts = []
    if story.trigger == T.CLASS_D:
        last = story.identified_on.year - 1
        n = 0
        while w.klass(pk, last - n) == Klass.D:
            n += 1
        if n == 1:
            parts.append(f"{last} 年度评价为 D 类")
        elif n > 1:
            parts.append(f"连续{'两三'[min(n, 3) - 2]}年评价为 D 类（{last - n + 1}–{last} 年度）")
    if story.notes and mode == story.mode:
        parts.append(story.notes)
    return "，".join(parts)


def _play(w: World, story: Story, pk: int) -> ExitCase | None:
    """Open the case and take its steps (each no later than today)."""
    if story.identified_on > w.today:
        return None
    enterprise = w.enterprises[pk]
    given = w.parcels[pk]
    swap, mode = [], story.mode
    if mode == M.NEGOTIATED_SWAP:
        biggest = max(given, key=lambda p: (p.area_mu, p.code))
        parcel = _reserve(biggest)
        if parcel is None:
            mode = M.AGREED_EXIT  # no smaller land to offer: the firm leaves
        else:
            given, swap = [biggest], [parcel]
    result = w.classes.get(pk, {}).get(story.identified_on.year - 1)
    if story.trigger != T.CLASS_D or (result and result.klass != Klass.D):
        result = None
    freed = sum((p.area_mu for p in given), Decimal(0)) - sum((p.area_mu for p in swap), Decimal(0))
    compensation = (max(freed, Decimal(1)) * Decimal(str(w.rng.uniform(28, 45)))).quantize(Decimal("0.01"))
    case = land.case_open(
        user=w.admin,
        enterprise=enterprise,
        mode=mode,
        trigger=story.trigger,
        parcels=given,
        identified_on=story.identified_on,
        swap_parcels=swap,
        evaluation_result=result,
        notes=_notes(w, story, pk, mode),
    )
    for status, on in story.steps:
        if on > w.today:
            break
        if status == S.CANCELLED:
            case = land.case_cancel(
                user=w.leader,
                case=case,
                on=on,
                reason="2025 年度评价升至 C 类以上，企业完成技改并承诺亩均税收逐年提升，暂缓退出",
            )
        elif status == S.AGREED:
            case = land.case_advance(user=w.leader, case=case, to=status, on=on, compensation_wan_yuan=compensation)
        elif status == S.REUSED:
            successor = _successor(w, pk)
            case = land.case_advance(
                user=w.admin,
                case=case,
                to=status,
                on=on,
                reuse=REUSE.format(
                    name=successor.name if successor else "新引进",
                    invest=w.rng.choice(("1.2", "2.5", "3.8", "5.0")),
                    tax=w.rng.choice((30, 40, 50)),
                ),
                successor=successor,
            )
        else:
            case = land.case_advance(user=w.admin, case=case, to=status, on=on)
        if status == S.LAND_RETURNED and mode == M.AGREED_EXIT:
            enterprise_services.enterprise_update(by=w.admin, enterprise=enterprise, status=Enterprise.Status.EXITED)
    return case


def load_exits(w: World, report) -> None:
    """The reward policies of 2024–2026, seven exit cases (one per state), two idle firms."""
    for year, (basis, rate) in EXIT_POLICIES.items():
        land.policy_set(user=w.admin, year=year, reward_basis=basis, reward_rate=rate)
    report.add("exit reward policies", len(EXIT_POLICIES))
    cases = []
    for story in STORIES:
        pk = _pick(w, story)
        if pk is None:
            continue
        w.used.add(pk)
        case = _play(w, story, pk)
        if case is not None:
            cases.append(case)
            if story.name == "d3":
                _open_persona(case.enterprise_id)
    idle = _idle(w)[:2]
    for i, pk in enumerate(idle):
        # Production stopped: the first gives its land back, the second is an idle-land candidate without a case.
        enterprise_services.enterprise_update(
            by=w.admin, enterprise=w.enterprises[pk], status=Enterprise.Status.SUSPENDED
        )
        w.used.add(pk)
        if i == 0:
            case = _play(w, IDLE_STORY, pk)
            if case is not None:
                cases.append(case)
    report.add("land exit cases", len(cases))


# --- The personas -------------------------------------------------------------------------------------------------


def _open_persona(enterprise_id: int) -> None:
    """The enterprise user of the firm in D three years running gets the demo password: a login to show it."""
    from .generator import PASSWORD

    user = User.objects.filter(role=Role.ENTERPRISE, enterprise_id=enterprise_id).order_by("pk").first()
    if user is not None and not user.has_usable_password():
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])


def _latest(year: int = YEARS[-1]) -> EvaluationRun | None:
    return EvaluationRun.objects.filter(year=year, published_at__isnull=False, brand__isnull=True).first()


def _gap_text(result: EvaluationResult | None) -> str:
    if result is None:
        return ""
    if result.group == "excluded":
        return _("%(year)d: not evaluated") % {"year": result.run.year}
    text = _("%(year)d class %(klass)s (%(group)s)") % {
        "year": result.run.year,
        "klass": result.klass,
        "group": result.get_group_display(),
    }
    if result.next_class_gap is not None:
        text += _(", tax per mu (亩均税收) +%(gap).2f 10k yuan/mu to the next class") % {"gap": result.next_class_gap}
    return text


def hints() -> dict[str, str]:
    """What each persona finds in the 亩均 evaluation, from what is loaded (for the printed logins).

    Keys are usernames; a key that is not one of the printed personas (the enterprise user of a firm in D three
    years running, and the officer serving it) is printed after the table."""
    run = _latest()
    if run is None:
        return {}
    found: dict[str, str] = {}
    results = {r.enterprise_id: r for r in EvaluationResult.objects.filter(run=run).select_related("run")}
    rows = prices.surcharges(year=run.year, user=User.objects.filter(role=Role.ADMIN).order_by("pk").first())
    escalated = [row for row in rows if row.klass == Klass.D and row.tier_min_years >= 3]
    cases = ExitCase.objects.count()
    found["leader"] = _(
        "per-mu evaluation (亩均): the %(first)d–%(last)d runs it published, the class charts, %(n)d firms in D "
        "three years running paying +%(rate)s yuan/kWh from %(last)d, %(cases)d land exit cases"
    ) % {
        "first": YEARS[0],
        "last": run.year,
        "n": len(escalated),
        "rate": format(escalated[0].electricity_yuan_per_kwh, ".2f") if escalated else "—",
        "cases": cases,
    }
    found["admin"] = _(
        "per-mu evaluation (亩均): schemes, exemptions and vetoes, energy years and rankings, price tiers, "
        "exit policies and cases"
    )
    for user in User.objects.filter(username__in=("ent1", "ent2")):
        text = _gap_text(results.get(user.enterprise_id))
        if text:
            found[user.username] = _("per-mu evaluation (亩均) %(result)s: the explain page") % {"result": text}
    for username in ("officer1", "officer2"):
        served = set(
            Assignment.objects.active().filter(officer__username=username).values_list("enterprise_id", flat=True)
        )
        mine = [r for pk, r in results.items() if pk in served and r.klass]
        if mine:
            counts = {k: sum(1 for r in mine if r.klass == k) for k in "ABCD"}
            found[username] = _(
                "per-mu evaluation (亩均): %(n)d firms served with %(year)d results "
                "(A %(A)d, B %(B)d, C %(C)d, D %(D)d)"
            ) % {
                "n": len(mine),
                "year": run.year,
                **counts,
            }
    # Enterprise users other than ent1 and ent2 have no password, but the one opened by _open_persona.
    opened = (
        User.objects.filter(role=Role.ENTERPRISE, enterprise__isnull=False)
        .exclude(username__in=("ent1", "ent2"))
        .exclude(password__startswith="!")  # noqa: S106 — Django's mark of an unusable password
        .select_related("enterprise")
        .order_by("pk")
    )
    for user in opened:
        result = results.get(user.enterprise_id)
        if result is None:
            continue
        streak = next((r for r in escalated if r.enterprise_id == user.enterprise_id), None)
        case = ExitCase.objects.filter(enterprise_id=user.enterprise_id).order_by("pk").first()
        found[user.username] = _("%(name)s (same password): per-mu evaluation (亩均) %(result)s%(streak)s%(case)s") % {
            "name": user.enterprise.name,
            "result": _gap_text(result),
            "streak": _(", D three years running: +%(rate)s yuan/kWh")
            % {"rate": format(streak.electricity_yuan_per_kwh, ".2f")}
            if streak
            else "",
            "case": _(", exit case %(status)s") % {"status": case.get_status_display()} if case else "",
        }
        assignment = Assignment.objects.active().filter(enterprise_id=user.enterprise_id).select_related("officer")
        officer = assignment.first().officer if assignment.exists() else None
        if officer is not None and officer.username not in found:
            found[officer.username] = _("(same password) serves %(name)s") % {"name": user.enterprise.name}
    return found
