"""Land exit's writes: open, update, advance and cancel a case; the yearly reward policy."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from hitechzone.common.rules import require as _require
from hitechzone.enterprises.models import FIRST_YEAR, LAST_YEAR, Enterprise
from hitechzone.evaluation.models import EvaluationResult, ExitCase, ExitPolicy, Klass, RewardBasis
from hitechzone.zone.services import parcels_release

from .reads import last_date, next_status
from .rules import (
    CANCELLABLE,
    FLOW,
    STEP_DATE,
    STEP_FIELDS,
    UNSET,
    S,
    _append_note,
    _check_date,
    _check_parcels,
    _check_rate,
    _check_swap,
    _decimal,
    _locked,
    _next_code,
    _parcel_list,
    _rate,
    _recompute,
    _require_manager,
    _reward_terms,
    _today,
    can_set_policy,
)

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
        # Published into the zone: the freed parcels are offered to new projects (M3 reads zone, never M4).
        parcels_release(
            parcels=given, former_enterprise=case.enterprise, released_on=on, source=case, reference=case.code, by=by
        )
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
