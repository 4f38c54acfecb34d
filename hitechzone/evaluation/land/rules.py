"""Land exit's rules: the flow of a case, who may do what, amounts and dates, the reward and the land freed."""

from __future__ import annotations

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hitechzone.accounts.models import Role
from hitechzone.common.rules import Refused
from hitechzone.common.rules import require as _require
from hitechzone.enterprises.models import Enterprise, officer_enterprise_ids
from hitechzone.evaluation.models import ZERO, ExitCase, ExitPolicy, RewardBasis
from hitechzone.evaluation.roles import EXIT_MANAGERS, EXIT_READERS
from hitechzone.evaluation.roles import role as _role
from hitechzone.zone.models import Parcel

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
