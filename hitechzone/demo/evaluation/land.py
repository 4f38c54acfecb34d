"""The demo's land exit: reward policies and seven cases, one in each state, both modes."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from hitechzone.enterprises import services as enterprise_services
from hitechzone.enterprises.models import Enterprise
from hitechzone.evaluation import land
from hitechzone.evaluation.models import (
    ExitCase,
    Klass,
)
from hitechzone.zone.models import Parcel

from .personas import _open_persona
from .world import EXIT_POLICIES, REUSE, YEARS, M, S, T, World

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

#: The idle firm whose land is handed back, when it is a machinery works: its foundry (铸造车间) stopped.
FOUNDRY_CHAIN = "equipment"
FOUNDRY_MAX_MU = Decimal(45)  # a small works: a 1.6亿 project fills its land at the zone's investment intensity
FOUNDRY_STORY = replace(IDLE_STORY, notes="铸造车间 2025 年 6 月起停产，整体搬迁退出，厂房和土地闲置")


def _land(w: World, pk: int) -> Decimal:
    return sum((p.area_mu for p in w.parcels.get(pk, ())), Decimal(0))


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
        by=w.admin,
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
                by=w.leader,
                case=case,
                on=on,
                reason="2025 年度评价升至 C 类以上，企业完成技改并承诺亩均税收逐年提升，暂缓退出",
            )
        elif status == S.AGREED:
            case = land.case_advance(by=w.leader, case=case, to=status, on=on, compensation_wan_yuan=compensation)
        elif status == S.REUSED:
            successor = _successor(w, pk)
            case = land.case_advance(
                by=w.admin,
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
            case = land.case_advance(by=w.admin, case=case, to=status, on=on)
        if status == S.LAND_RETURNED and mode == M.AGREED_EXIT:
            enterprise_services.enterprise_update(by=w.admin, enterprise=enterprise, status=Enterprise.Status.EXITED)
    return case


def load_exits(w: World, report) -> None:
    """The reward policies of 2024–2026, seven exit cases (one per state), two idle firms."""
    for year, (basis, rate) in EXIT_POLICIES.items():
        land.policy_set(by=w.admin, year=year, reward_basis=basis, reward_rate=rate)
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
    ranked = _idle(w)
    # The first to stop is a machinery works whose foundry closed (the article's relocated foundry): its land, handed
    # back, carries the investment demo's motor project (``demo/projects.py``).
    foundry = [pk for pk in ranked if w.chain.get(pk) == FOUNDRY_CHAIN and _land(w, pk) <= FOUNDRY_MAX_MU][:1]
    idle = foundry + [pk for pk in ranked if pk not in foundry][: 2 - len(foundry)]
    for i, pk in enumerate(idle):
        # Production stopped: the first gives its land back, the second is an idle-land candidate without a case.
        enterprise_services.enterprise_update(
            by=w.admin, enterprise=w.enterprises[pk], status=Enterprise.Status.SUSPENDED
        )
        w.used.add(pk)
        if i == 0:
            case = _play(w, FOUNDRY_STORY if foundry else IDLE_STORY, pk)
            if case is not None:
                cases.append(case)
    report.add("land exit cases", len(cases))
