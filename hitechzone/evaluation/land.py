"""Land exit (腾笼换鸟): the inefficient enterprises, and the exit cases that free their land.

Reads: :func:`inefficient` lists the candidates of a year — class D in the year's published evaluation, or
idle industrial land (held by an enterprise that is suspended or has exited, or that reported no revenue for
the year) — and :func:`totals` sums the cases per year and status. Both are scoped like the cases: admin and
leaders all; an officer the enterprises they serve; an enterprise its own; department staff and experts nothing.

Writes: every function is keyword-only, runs in one transaction and is audited (the case's saves, its parcels,
and each parcel whose land user changes). A step the rules do not allow raises :class:`Refused` with a message
for the user, and writes nothing. Administrators and leaders open and move cases; administrators set the
yearly reward policy.

A case moves through :data:`FLOW` one step at a time (识别 → 洽谈 → 签约 → 交地 → 再利用 → 结案), each step
dated no earlier than the dated steps before it and never in the future (the start of negotiations has no date
field of its own: it is written into the notes). Handing the land back frees the parcels given up
(their land user is cleared) and, in a swap (协商置换), gives the enterprise the parcels it receives; re-use may
name the new user of the freed parcels. Land freed: the parcels' area, less the parcels received in a swap
(never below 0). Reward: rate × land freed (per mu), or rate × compensation (a share), recomputed whenever one
of them changes.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from hitechzone.accounts.models import Role
from hitechzone.common.rules import Refused as Refused  # re-exported: callers catch land.Refused
from hitechzone.common.rules import require as _require
from hitechzone.enterprises.models import FIRST_YEAR, LAST_YEAR, Enterprise, EnterpriseIndicator, officer_enterprise_ids
from hitechzone.zone.models import Parcel

from .models import ZERO, EvaluationResult, EvaluationRun, ExitCase, ExitPolicy, Klass, RewardBasis
from .roles import EXIT_MANAGERS, EXIT_READERS
from .roles import role as _role

S = ExitCase.Status
FLOW = (S.IDENTIFIED, S.NEGOTIATING, S.AGREED, S.LAND_RETURNED, S.REUSED, S.CLOSED)
# The date field each step of the flow sets.
STEP_DATE = {
    S.IDENTIFIED: "identified_on",
    S.NEGOTIATING: "negotiating_on",
    S.AGREED: "agreed_on",
    S.LAND_RETURNED: "returned_on",
    S.REUSED: "reused_on",
    S.CLOSED: "closed_on",
    S.CANCELLED: "closed_on",
}
OPEN_STATUSES = (S.IDENTIFIED, S.NEGOTIATING, S.AGREED, S.LAND_RETURNED, S.REUSED)
CANCELLABLE = (S.IDENTIFIED, S.NEGOTIATING, S.AGREED)
# Statuses whose land has been handed back (the land freed counts from then on).
FREED = (S.LAND_RETURNED, S.REUSED, S.CLOSED)
MANAGERS = EXIT_MANAGERS
READERS = EXIT_READERS

MU_PLACES = Decimal("0.0001")
MONEY_PLACES = Decimal("0.01")
MONEY_LIMIT = Decimal(10) ** 12  # the largest amount the money fields (14 digits, 2 places) hold, exclusive
RATE_LIMIT = Decimal(10) ** 6  # the rate fields: 10 digits, 4 places
# The fields of a step beyond its date: which step takes which.
STEP_FIELDS = {
    S.AGREED: {"compensation_wan_yuan"},
    S.REUSED: {"reuse", "successor"},
}
UNSET = object()


class Reason:
    """Why an enterprise is a candidate (a row may have several)."""

    CLASS_D = "class_d"
    SUSPENDED = "suspended"
    NO_REVENUE = "no_revenue"

    @staticmethod
    def labels() -> dict[str, str]:
        return {
            Reason.CLASS_D: _("Class D in the evaluation"),
            Reason.SUSPENDED: _("Suspended or exited, still holding industrial land"),
            Reason.NO_REVENUE: _("No revenue reported for the year"),
        }


def can_manage(user) -> bool:
    """Who opens, updates, advances and cancels exit cases."""
    return _role(user) in MANAGERS


def can_set_policy(user) -> bool:
    return _role(user) == Role.ADMIN


def _today() -> date:
    return timezone.localdate()


def _enterprise_scope(user):
    """``None`` (every enterprise), or a condition on ``enterprise_id`` for the user's scope; ``False``: none."""
    role = _role(user)
    if role in MANAGERS:
        return None
    if role == Role.OFFICER:
        return Q(enterprise_id__in=officer_enterprise_ids(user))
    if role == Role.ENTERPRISE and user.enterprise_id:
        return Q(enterprise_id=user.enterprise_id)
    return False


def _mu(value) -> Decimal:
    return Decimal(value or 0).quantize(MU_PLACES, rounding=ROUND_HALF_UP)


def _money(value) -> Decimal:
    return Decimal(value or 0).quantize(MONEY_PLACES, rounding=ROUND_HALF_UP)


def _decimal(value, label: str, *, places: Decimal = MONEY_PLACES, below: Decimal = MONEY_LIMIT) -> Decimal | None:
    """A non-negative amount at the field's places, below the field's limit; ``None`` for a blank."""
    if value is None or value == "":
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise Refused(_("%(field)s: give a number.") % {"field": label}) from None
    _require(number.is_finite(), _("%(field)s: give a number.") % {"field": label})
    _require(number >= 0, _("%(field)s cannot be negative.") % {"field": label})
    number = number.quantize(places, rounding=ROUND_HALF_UP)
    _require(number < below, _("%(field)s is too large.") % {"field": label})
    return number


def _rate(value) -> Decimal | None:
    return _decimal(value, _("Reward rate"), places=MU_PLACES, below=RATE_LIMIT)


# --- The candidates -------------------------------------------------------------------------------------------


def published_runs(year: int):
    """The year's published runs (at most one per brand, the zone's own with no brand), newest first."""
    return EvaluationRun.objects.filter(year=year, published_at__isnull=False).order_by("-published_at", "-id")


def latest_year() -> int | None:
    """The latest year with a published evaluation."""
    return (
        EvaluationRun.objects.filter(published_at__isnull=False)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )


def candidates_year(year: int | None = None) -> int:
    """The year the candidates are listed for: the one given, the latest evaluated and published, or else the
    latest year with yearly figures (last year when there are none)."""
    if year:
        return int(year)
    found = latest_year()
    if found is None:
        found = EnterpriseIndicator.objects.order_by("-year").values_list("year", flat=True).first()
    return found or _today().year - 1


@dataclass
class Candidate:
    enterprise: Enterprise
    reasons: list[str] = field(default_factory=list)
    parcels: list[Parcel] = field(default_factory=list)
    total_mu: Decimal = ZERO
    klass: str = ""
    score: float | None = None
    tax_per_mu: float | None = None
    result: EvaluationResult | None = None
    open_case: ExitCase | None = None

    @property
    def reason_labels(self) -> list[str]:
        labels = Reason.labels()
        return [labels[r] for r in self.reasons]

    @property
    def trigger(self) -> str:
        """The trigger a case opened from this row starts with."""
        return ExitCase.Trigger.CLASS_D if Reason.CLASS_D in self.reasons else ExitCase.Trigger.IDLE_LAND


def inefficient(*, user, year: int | None = None) -> list[Candidate]:
    """The candidates for land exit of ``year`` (see :func:`candidates_year`) the user may see: class D in the
    year's published evaluation, or holding idle industrial land. A fixed number of queries, whatever the rows.

    Each row: the enterprise, the reasons, its industrial parcels and their area, its class, score and 亩均税收
    in the year's published evaluation (亩均税收 from the yearly figures when it was not evaluated), and the
    exit case it has open, if any. Sorted: class D first, then by 亩均税收 ascending.
    """
    scope = _enterprise_scope(user)
    if scope is False:
        return []
    year = candidates_year(year)
    where = scope if scope is not None else Q()
    runs = list(published_runs(year).values_list("pk", flat=True))
    # The results of the year, the most recently published first (an enterprise in a brand's run and the zone's
    # keeps the newer).
    order = {run: i for i, run in enumerate(runs)}
    results: dict[int, EvaluationResult] = {}
    d_class: set[int] = set()
    if runs:
        for result in (
            EvaluationResult.objects.filter(where, run_id__in=runs, klass=Klass.D)
            .only("pk", "run_id", "enterprise_id", "klass", "score", "values")
            .order_by()
        ):
            d_class.add(result.enterprise_id)
    industrial = Parcel.objects.filter(where, land_use=Parcel.LandUse.INDUSTRIAL, enterprise__isnull=False)
    suspended = set(
        industrial.filter(enterprise__status__in=(Enterprise.Status.SUSPENDED, Enterprise.Status.EXITED))
        .values_list("enterprise_id", flat=True)
        .distinct()
    )
    no_revenue = set(
        EnterpriseIndicator.objects.filter(where, year=year)
        .filter(Q(revenue_wan_yuan__isnull=True) | Q(revenue_wan_yuan=0))
        .filter(enterprise_id__in=industrial.values("enterprise_id"))
        .values_list("enterprise_id", flat=True)
    )
    ids = d_class | suspended | no_revenue
    if not ids:
        return []
    if runs:
        for result in (
            EvaluationResult.objects.filter(run_id__in=runs, enterprise_id__in=ids)
            .only("pk", "run_id", "enterprise_id", "klass", "score", "values")
            .order_by()
        ):
            known = results.get(result.enterprise_id)
            if known is None or order[result.run_id] < order[known.run_id]:
                results[result.enterprise_id] = result
    figures = {
        row["enterprise_id"]: row
        for row in EnterpriseIndicator.objects.filter(year=year, enterprise_id__in=ids).values(
            "enterprise_id", "tax_wan_yuan", "land_mu"
        )
    }
    rows = {
        e.pk: Candidate(enterprise=e)
        for e in Enterprise.objects.filter(pk__in=ids).select_related("brand").order_by("name", "pk")
    }
    for parcel in Parcel.objects.filter(enterprise_id__in=ids, land_use=Parcel.LandUse.INDUSTRIAL).order_by("code"):
        row = rows[parcel.enterprise_id]
        row.parcels.append(parcel)
        row.total_mu += parcel.area_mu
    for case in (
        ExitCase.objects.filter(enterprise_id__in=ids, status__in=OPEN_STATUSES)
        .only("pk", "code", "status", "enterprise_id", "identified_on")
        .order_by("identified_on", "pk")
    ):
        rows[case.enterprise_id].open_case = case
    for pk, row in rows.items():
        if pk in d_class:
            row.reasons.append(Reason.CLASS_D)
        if pk in suspended:
            row.reasons.append(Reason.SUSPENDED)
        if pk in no_revenue:
            row.reasons.append(Reason.NO_REVENUE)
        result = results.get(pk)
        if result is not None:
            row.result, row.klass, row.score = result, result.klass, result.score
            row.tax_per_mu = (result.values or {}).get("tax_per_mu")
        if row.tax_per_mu is None:
            figure = figures.get(pk)
            if figure and figure["tax_wan_yuan"] is not None and figure["land_mu"]:
                row.tax_per_mu = float(figure["tax_wan_yuan"] / figure["land_mu"])
    return sorted(
        rows.values(),
        key=lambda r: (Reason.CLASS_D not in r.reasons, r.tax_per_mu is None, r.tax_per_mu or 0, r.enterprise.name),
    )


# --- Reads of the cases ---------------------------------------------------------------------------------------


def cases(user):
    """The exit cases the user may see."""
    return ExitCase.objects.for_user(user)


def totals(*, user, cases_qs=None) -> dict:
    """Sums over the user's cases (or over ``cases_qs``, already scoped): per year (identified) and status the
    cases, land freed, compensation and reward; the land actually freed per year it was handed back; and the
    whole. Three queries."""
    qs = cases(user) if cases_qs is None else cases_qs
    sums = {
        "cases": Count("pk"),
        "land_freed_mu": Sum("land_freed_mu"),
        "compensation_wan_yuan": Sum("compensation_wan_yuan"),
        "reward_wan_yuan": Sum("reward_wan_yuan"),
    }
    by_year_status = [
        {**row, **{k: row[k] or ZERO for k in ("land_freed_mu", "compensation_wan_yuan", "reward_wan_yuan")}}
        for row in qs.annotate(year=ExtractYear("identified_on"))
        .order_by()
        .values("year", "status")
        .annotate(**sums)
        .order_by("year", "status")
    ]
    freed_by_year = [
        {"year": row["year"], "cases": row["cases"], "land_freed_mu": row["land_freed_mu"] or ZERO}
        for row in qs.filter(status__in=FREED, returned_on__isnull=False)
        .annotate(year=ExtractYear("returned_on"))
        .order_by()
        .values("year")
        .annotate(cases=Count("pk"), land_freed_mu=Sum("land_freed_mu"))
        .order_by("year")
    ]
    whole = qs.order_by().aggregate(**sums)
    freed = qs.filter(status__in=FREED).order_by().aggregate(mu=Sum("land_freed_mu"))["mu"] or ZERO
    by_status = defaultdict(int)
    for row in by_year_status:
        by_status[row["status"]] += row["cases"]
    return {
        "by_year_status": by_year_status,
        "freed_by_year": freed_by_year,
        "by_status": [{"status": s, "cases": by_status.get(s, 0)} for s in (*FLOW, S.CANCELLED)],
        "cases": whole["cases"],
        "land_freed_mu": freed,
        "land_planned_mu": whole["land_freed_mu"] or ZERO,
        "compensation_wan_yuan": whole["compensation_wan_yuan"] or ZERO,
        "reward_wan_yuan": whole["reward_wan_yuan"] or ZERO,
    }


def next_status(case: ExitCase) -> str | None:
    """The step after the case's status, ``None`` at the end (closed or cancelled)."""
    if case.status not in FLOW:
        return None
    i = FLOW.index(case.status)
    return FLOW[i + 1] if i + 1 < len(FLOW) else None


def last_date(case: ExitCase) -> date:
    """The latest date of the case's steps so far (a new step may not be dated before it)."""
    dates = [getattr(case, f) for f in dict.fromkeys(STEP_DATE.values()) if getattr(case, f) is not None]
    return max(dates)


# --- Reward and land freed ------------------------------------------------------------------------------------


def land_freed(mode: str, parcels, swap_parcels=()) -> Decimal:
    given = sum((p.area_mu for p in parcels), ZERO)
    if mode == ExitCase.Mode.NEGOTIATED_SWAP:
        return _mu(max(ZERO, given - sum((p.area_mu for p in swap_parcels), ZERO)))
    return _mu(given)


def reward(*, basis: str, rate: Decimal, land_freed_mu: Decimal, compensation_wan_yuan: Decimal | None) -> Decimal:
    if basis == RewardBasis.PER_MU:
        return _money(rate * land_freed_mu)
    return _money(rate * (compensation_wan_yuan or ZERO))


def _recompute(case: ExitCase, parcels, swap_parcels) -> None:
    case.land_freed_mu = land_freed(case.mode, parcels, swap_parcels)
    case.reward_wan_yuan = reward(
        basis=case.reward_basis,
        rate=case.reward_rate,
        land_freed_mu=case.land_freed_mu,
        compensation_wan_yuan=case.compensation_wan_yuan,
    )
    _require(case.reward_wan_yuan < MONEY_LIMIT, _("The reward is too large: check the rate."))


# --- Checks -----------------------------------------------------------------------------------------------------


def _require_manager(user) -> None:
    _require(can_manage(user), _("Only administrators and leaders handle land exit cases."))


def _check_date(on, *, after: date | None = None) -> date:
    _require(isinstance(on, date), _("Give the date of the step."))
    _require(on <= _today(), _("The date %(on)s is in the future.") % {"on": on.isoformat()})
    if after is not None:
        _require(
            on >= after,
            _("The date %(on)s is before the case's previous step (%(last)s): dates cannot go backwards.")
            % {"on": on.isoformat(), "last": after.isoformat()},
        )
    return on


def _parcel_list(parcels, label: str) -> list[Parcel]:
    items = list(parcels or ())
    ids = [p.pk if isinstance(p, Parcel) else p for p in items]
    found = {p.pk: p for p in Parcel.objects.select_for_update().filter(pk__in=ids)}
    _require(len(found) == len(set(ids)), _("%(label)s: a parcel does not exist.") % {"label": label})
    _require(len(ids) == len(set(ids)), _("%(label)s: a parcel is listed twice.") % {"label": label})
    return [found[pk] for pk in ids]


def _check_parcels(enterprise: Enterprise, parcels: list[Parcel], *, exclude_case: int | None = None) -> None:
    _require(bool(parcels), _("Choose the parcels the enterprise gives up."))
    for parcel in parcels:
        _require(
            parcel.enterprise_id == enterprise.pk,
            _("Parcel %(code)s is not used by %(enterprise)s.") % {"code": parcel.code, "enterprise": enterprise},
        )
    # After the land is handed back the parcels are no longer the enterprise's: only cases before that hold them.
    busy = ExitCase.objects.filter(status__in=CANCELLABLE, parcels__in=[p.pk for p in parcels])
    if exclude_case is not None:
        busy = busy.exclude(pk=exclude_case)
    other = busy.values_list("code", flat=True).first()
    _require(other is None, _("A parcel is already in the open case %(code)s.") % {"code": other})


def _check_swap(mode: str, parcels: list[Parcel], swap: list[Parcel]) -> None:
    if not swap:
        return
    _require(
        mode == ExitCase.Mode.NEGOTIATED_SWAP,
        _("Only a negotiated swap (协商置换) receives parcels in exchange."),
    )
    given = {p.pk for p in parcels}
    for parcel in swap:
        _require(
            parcel.pk not in given,
            _("Parcel %(code)s cannot be both given up and received.") % {"code": parcel.code},
        )
        _require(
            parcel.enterprise_id is None,
            _("Parcel %(code)s received in the swap already has a land user.") % {"code": parcel.code},
        )


def _reward_terms(year: int, basis, rate) -> tuple[str, Decimal]:
    """The reward basis and rate: as given, or from the year's policy."""
    policy = ExitPolicy.objects.filter(year=year).first()
    if basis in (None, ""):
        _require(
            policy is not None,
            _("No reward policy for %(year)d: give the reward basis and rate.") % {"year": year},
        )
        basis = policy.reward_basis
    _require(basis in RewardBasis.values, _("Choose the reward basis (per mu or a share of the compensation)."))
    rate = _rate(rate)
    if rate is None:
        _require(
            policy is not None and policy.reward_basis == basis,
            _("No reward policy for %(year)d on this basis: give the reward rate.") % {"year": year},
        )
        rate = policy.reward_rate
    _check_rate(basis, rate)
    return basis, rate


def _check_rate(basis: str, rate: Decimal) -> None:
    if basis == RewardBasis.SHARE:
        _require(rate <= 1, _("A share of the compensation is at most 1 (1 = 100 %)."))


def _append_note(case: ExitCase, on: date, text: str) -> None:
    text = (text or "").strip()
    if text:
        line = f"{on.isoformat()} {text}"
        case.notes = f"{case.notes.rstrip()}\n{line}" if case.notes.strip() else line


def _locked(case: ExitCase) -> ExitCase:
    return ExitCase.objects.select_for_update().get(pk=case.pk)


def _next_code(year: int) -> str:
    prefix = f"TL-{year}-"
    numbers = [
        int(m.group(1))
        for m in (
            re.fullmatch(rf"{re.escape(prefix)}(\d+)", code)
            for code in ExitCase.objects.select_for_update()
            .filter(code__startswith=prefix)
            .values_list("code", flat=True)
        )
        if m
    ]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


# --- Writes -----------------------------------------------------------------------------------------------------


@transaction.atomic
def case_open(
    *,
    by,
    enterprise: Enterprise,
    mode: str,
    trigger: str,
    parcels,
    identified_on: date | None = None,
    compensation_wan_yuan=None,
    reward_basis: str | None = None,
    reward_rate=None,
    swap_parcels=(),
    evaluation_result: EvaluationResult | None = None,
    notes: str = "",
) -> ExitCase:
    """Open an exit case for ``enterprise`` on ``parcels`` it uses (numbered ``TL-<year>-<nnn>``)."""
    _require_manager(by)
    _require(mode in ExitCase.Mode.values, _("Choose the mode: agreed exit or negotiated swap."))
    _require(trigger in ExitCase.Trigger.values, _("Choose why the case is opened."))
    identified_on = _check_date(identified_on or _today())
    given = _parcel_list(parcels, _("Parcels given up"))
    _check_parcels(enterprise, given)
    swap = _parcel_list(swap_parcels, _("Parcels received"))
    _check_swap(mode, given, swap)
    compensation = _decimal(compensation_wan_yuan, _("Compensation"))
    basis, rate = _reward_terms(identified_on.year, reward_basis, reward_rate)
    if evaluation_result is not None:
        _require(
            evaluation_result.enterprise_id == enterprise.pk,
            _("The evaluation result is not %(enterprise)s's.") % {"enterprise": enterprise},
        )
    elif trigger == ExitCase.Trigger.CLASS_D:
        # The enterprise's latest published class D, up to the year the case is opened.
        evaluation_result = (
            EvaluationResult.objects.filter(
                enterprise=enterprise,
                klass=Klass.D,
                run__published_at__isnull=False,
                run__year__lte=identified_on.year,
            )
            .order_by("-run__year", "-run__published_at")
            .first()
        )
    case = ExitCase(
        code=_next_code(identified_on.year),
        enterprise=enterprise,
        mode=mode,
        trigger=trigger,
        evaluation_result=evaluation_result,
        compensation_wan_yuan=compensation,
        reward_basis=basis,
        reward_rate=rate,
        identified_on=identified_on,
        notes=(notes or "").strip(),
        created_by=by,
    )
    _recompute(case, given, swap)
    case.save()
    case.parcels.set(given)
    if swap:
        case.swap_parcels.set(swap)
    return case


@transaction.atomic
def case_update(
    *,
    by,
    case: ExitCase,
    compensation_wan_yuan=UNSET,
    reward_basis=UNSET,
    reward_rate=UNSET,
    notes=UNSET,
    swap_parcels=UNSET,
) -> ExitCase:
    """Change the compensation, the reward terms, the notes or (before the land is handed back) the parcels
    received in a swap; the land freed and the reward follow."""
    _require_manager(by)
    case = _locked(case)
    _require(
        case.status not in (S.CLOSED, S.CANCELLED),
        _("Case %(code)s is %(status)s: it can no longer be changed.")
        % {"code": case.code, "status": case.get_status_display()},
    )
    given = list(case.parcels.all())
    swap = list(case.swap_parcels.all())
    if compensation_wan_yuan is not UNSET:
        compensation = _decimal(compensation_wan_yuan, _("Compensation"))
        _require(
            compensation is not None or case.status in (S.IDENTIFIED, S.NEGOTIATING),
            _("A signed agreement keeps its compensation: it cannot be cleared."),
        )
        case.compensation_wan_yuan = compensation
    if reward_basis is not UNSET or reward_rate is not UNSET:
        basis = case.reward_basis if reward_basis in (UNSET, None, "") else reward_basis
        _require(basis in RewardBasis.values, _("Choose the reward basis (per mu or a share of the compensation)."))
        rate = case.reward_rate if reward_rate in (UNSET, None, "") else _rate(reward_rate)
        _check_rate(basis, rate)
        case.reward_basis, case.reward_rate = basis, rate
    if notes is not UNSET:
        case.notes = (notes or "").strip()
    if swap_parcels is not UNSET:
        _require(
            case.status in (S.IDENTIFIED, S.NEGOTIATING, S.AGREED),
            _("The land has been handed back: the parcels received can no longer change."),
        )
        new_swap = _parcel_list(swap_parcels, _("Parcels received"))
        _check_swap(case.mode, given, new_swap)
        _require(
            bool(new_swap) or case.mode != ExitCase.Mode.NEGOTIATED_SWAP or case.status != S.AGREED,
            _("A signed swap keeps the parcels it receives."),
        )
        if {p.pk for p in new_swap} != {p.pk for p in swap}:
            swap = new_swap
            case.swap_parcels.set(swap)
    _recompute(case, given, swap)
    case.save()
    return case


@transaction.atomic
def case_advance(*, by, case: ExitCase, to: str, on: date | None = None, note: str = "", **fields) -> ExitCase:
    """Move the case one step on, dated ``on`` (today by default).

    ``agreed``: needs the compensation (on the case, or ``compensation_wan_yuan``). ``returned``: the parcels
    given up are freed, the parcels of a swap go to the enterprise. ``reused``: needs ``reuse`` (what is placed
    on the land) and may name a ``successor``, the freed parcels' new land user.
    """
    _require_manager(by)
    case = _locked(case)
    expected = next_status(case)
    labels = dict(S.choices)
    _require(
        to in FLOW and to == expected,
        _("Case %(code)s is %(status)s: the next step is %(next)s, not %(to)s.")
        % {
            "code": case.code,
            "status": labels[case.status],
            "next": labels[expected] if expected else _("none (the case is finished)"),
            "to": labels.get(to, to),
        },
    )
    unknown = set(fields) - STEP_FIELDS.get(to, set())
    _require(
        not unknown,
        _("%(step)s does not take: %(fields)s.") % {"step": labels[to], "fields": ", ".join(sorted(unknown))},
    )
    on = _check_date(on or _today(), after=last_date(case))
    if to in STEP_DATE:
        setattr(case, STEP_DATE[to], on)
    given = list(case.parcels.select_for_update())
    swap = list(case.swap_parcels.select_for_update())
    if to == S.AGREED:
        if "compensation_wan_yuan" in fields:
            case.compensation_wan_yuan = _decimal(fields["compensation_wan_yuan"], _("Compensation"))
        _require(
            case.compensation_wan_yuan is not None,
            _("Enter the assessed compensation before the agreement is signed."),
        )
        _require(
            case.mode != ExitCase.Mode.NEGOTIATED_SWAP or bool(swap),
            _("A negotiated swap needs the parcels it receives before the agreement is signed."),
        )
    elif to == S.LAND_RETURNED:
        for parcel in given:
            _require(
                parcel.enterprise_id == case.enterprise_id,
                _("Parcel %(code)s is no longer used by %(enterprise)s.")
                % {"code": parcel.code, "enterprise": case.enterprise},
            )
        for parcel in swap:
            _require(
                parcel.enterprise_id is None,
                _("Parcel %(code)s received in the swap already has a land user.") % {"code": parcel.code},
            )
        for parcel in given:
            parcel.enterprise = None
            parcel.save(update_fields=["enterprise"])
        for parcel in swap:
            parcel.enterprise = case.enterprise
            parcel.save(update_fields=["enterprise"])
    elif to == S.REUSED:
        reuse = str(fields.get("reuse") or "").strip()
        _require(bool(reuse), _("Say what is placed on the freed land."))
        case.reuse = reuse[:200]
        successor = fields.get("successor")
        if successor is not None:
            _require(
                successor.pk != case.enterprise_id,
                _("The new user of the land cannot be the enterprise that gave it up."),
            )
            for parcel in given:
                _require(
                    parcel.enterprise_id is None,
                    _("Parcel %(code)s already has a land user.") % {"code": parcel.code},
                )
            for parcel in given:
                parcel.enterprise = successor
                parcel.save(update_fields=["enterprise"])
            case.successor = successor
    case.status = to
    _append_note(case, on, note)
    _recompute(case, given, swap)
    case.save()
    return case


@transaction.atomic
def case_cancel(*, by, case: ExitCase, reason: str, on: date | None = None) -> ExitCase:
    """Cancel a case before the land is handed back; the reason goes into the notes."""
    _require_manager(by)
    case = _locked(case)
    _require(
        case.status in CANCELLABLE,
        _("Case %(code)s is %(status)s: only a case whose land has not been handed back can be cancelled.")
        % {"code": case.code, "status": case.get_status_display()},
    )
    reason = (reason or "").strip()
    _require(bool(reason), _("Give the reason for cancelling."))
    on = _check_date(on or _today(), after=last_date(case))
    case.status = S.CANCELLED
    case.closed_on = on
    _append_note(case, on, _("Cancelled: %(reason)s") % {"reason": reason})
    case.save()
    return case


# --- The reward policy ------------------------------------------------------------------------------------------


@transaction.atomic
def policy_set(*, by, year: int, reward_basis: str, reward_rate) -> ExitPolicy:
    """Create or change the reward policy of ``year`` (cases already opened keep their own terms)."""
    _require(can_set_policy(by), _("Only administrators set the exit reward policy."))
    _require(
        isinstance(year, int) and FIRST_YEAR <= year <= LAST_YEAR,
        _("Give a year between %(first)d and %(last)d.") % {"first": FIRST_YEAR, "last": LAST_YEAR},
    )
    _require(reward_basis in RewardBasis.values, _("Choose the reward basis (per mu or a share of the compensation)."))
    rate = _rate(reward_rate)
    _require(rate is not None, _("Give the reward rate."))
    _check_rate(reward_basis, rate)
    policy = ExitPolicy.objects.select_for_update().filter(year=year).first() or ExitPolicy(year=year)
    policy.reward_basis, policy.reward_rate = reward_basis, rate
    policy.save()
    return policy


@transaction.atomic
def policy_delete(*, by, policy: ExitPolicy) -> None:
    _require(can_set_policy(by), _("Only administrators set the exit reward policy."))
    policy.delete()
