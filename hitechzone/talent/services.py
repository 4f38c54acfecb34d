"""Writes of M6: platforms, incubators and their enterprises, partners, talents (and the reveal of an ID number),
funds, grants and instalments, team applications and their workflow.

Every function is keyword-only, runs in one transaction and is audited (the models are registered in ``apps.py``).
A rule broken raises :class:`Refused` (the message says why) or :class:`FieldErrors` (each bad field named), and
nothing is written. ``by`` is the acting user.

Who writes (``roles``): administrators and the talent office keep the records; a leader approves grants; leaders
and the talent office record a team's review outcome; an enterprise user applies for grants and submits team
applications for its own enterprise. Every related object a user names (an enterprise, a fund, a platform) must be
one that user sees.

The fund is never overdrawn: :func:`grant_approve` locks the fund's row (``select_for_update``) before it adds up
what is granted, so two approvals at the same moment are taken one after the other and the second sees the first.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hitechzone.common import audit
from hitechzone.common.formatting import number
from hitechzone.common.models import Source
from hitechzone.common.rules import Refused as Refused  # re-exported: callers catch services.Refused
from hitechzone.common.rules import require as _require
from hitechzone.enterprises.models import Enterprise

from . import roles
from .idnumber import IdNumberError, check_id_number
from .models import (
    ZERO,
    Disclosure,
    Fund,
    Grant,
    Incubator,
    IncubatorEnterprise,
    Instalment,
    Partner,
    Platform,
    Talent,
    TalentOffice,
    TeamApplication,
    TeamMember,
    TeamStep,
)

S = TeamApplication.Status


class FieldErrors(Refused):
    """Bad input, field by field: ``errors`` maps each bad field to its messages (the API answers them as 400)."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = errors


def _clean(obj, *, exclude=()) -> None:
    """The model's own checks (choices, lengths, validators) as :class:`FieldErrors`."""
    try:
        obj.full_clean(exclude=list(exclude), validate_unique=True, validate_constraints=True)
    except ValidationError as error:
        raise FieldErrors({k: [str(m) for m in v] for k, v in error.message_dict.items()}) from None


def _apply(obj, fields: dict, allowed) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(obj, name, value)


def _sees_enterprise(by, enterprise: Enterprise | None, field: str) -> None:
    if enterprise is not None and not Enterprise.objects.for_user(by).filter(pk=enterprise.pk).exists():
        raise FieldErrors({field: [_("You may not name this enterprise.")]})


def _writer(by) -> None:
    _require(roles.may_write(by), _("Only the talent office keeps these records."))


# --- The talent office ----------------------------------------------------------------------------------------------


@transaction.atomic
def talent_office_set(*, by, department) -> TalentOffice:
    """Make ``department``'s staff the talent office (administrators)."""
    _require(roles.effective_role(by) == roles.ADMIN, _("Only an administrator names the talent office."))
    office, _created = TalentOffice.objects.get_or_create(department=department)
    return office


# --- Platforms, incubators, partners --------------------------------------------------------------------------------

PLATFORM_FIELDS = ("name", "kind", "level", "host", "address", "founded_on", "status")
INCUBATOR_FIELDS = ("name", "city", "location", "floor_area_m2", "investment_wan_yuan", "opened_on", "teams_incubated")
PARTNER_FIELDS = ("name", "kind", "city", "agreement_signed_on", "agreement_ends_on", "scope")


def _save(model, obj, *, by, fields, allowed):
    _writer(by)
    obj = model() if obj is None else model.objects.select_for_update().get(pk=obj.pk)
    _apply(obj, fields, allowed)
    _clean(obj)
    obj.save()
    return obj


@transaction.atomic
def platform_save(*, by, platform: Platform | None = None, **fields) -> Platform:
    return _save(Platform, platform, by=by, fields=fields, allowed=PLATFORM_FIELDS)


@transaction.atomic
def incubator_save(*, by, incubator: Incubator | None = None, **fields) -> Incubator:
    return _save(Incubator, incubator, by=by, fields=fields, allowed=INCUBATOR_FIELDS)


@transaction.atomic
def partner_save(*, by, partner: Partner | None = None, **fields) -> Partner:
    partner = _save(Partner, partner, by=by, fields=fields, allowed=PARTNER_FIELDS)
    if partner.agreement_ends_on and partner.agreement_ends_on < partner.agreement_signed_on:
        raise FieldErrors({"agreement_ends_on": [_("The agreement cannot end before it is signed.")]})
    return partner


@transaction.atomic
def incubator_link(*, by, incubator: Incubator, enterprise: Enterprise, moved_on=None, note: str = ""):
    """Record that ``enterprise`` moved from ``incubator`` into the zone (shown on both sides)."""
    _writer(by)
    _sees_enterprise(by, enterprise, "enterprise")
    _require(
        not IncubatorEnterprise.objects.filter(incubator=incubator, enterprise=enterprise).exists(),
        _("%(e)s is already linked to %(i)s.") % {"e": enterprise, "i": incubator},
    )
    link = IncubatorEnterprise(incubator=incubator, enterprise=enterprise, moved_on=moved_on, note=note)
    _clean(link)
    link.save()
    return link


@transaction.atomic
def incubator_unlink(*, by, link: IncubatorEnterprise) -> None:
    _writer(by)
    link.delete()


# --- Talents --------------------------------------------------------------------------------------------------------

TALENT_FIELDS = (
    "name",
    "programme",
    "level",
    "academician",
    "degree",
    "field",
    "enterprise",
    "platform",
    "team",
    "id_number",
    "phone",
)
ID_MESSAGES = {
    "length": gettext_lazy("An ID number has 18 characters: 17 digits and a digit or X."),
    "birth_date": gettext_lazy("This ID number carries no real birth date."),
    "check_digit": gettext_lazy("The last character is not this ID number's check digit (GB 11643): it is mistyped."),
}


def id_number_error(raw: str) -> str | None:
    """The message for a bad ID number, None for a good (or blank) one."""
    if not (raw or "").strip():
        return None
    try:
        check_id_number(raw, today=timezone.localdate())
    except IdNumberError as error:
        return str(ID_MESSAGES[error.code])
    return None


@transaction.atomic
def talent_save(*, by, talent: Talent | None = None, **fields) -> Talent:
    """Create a talent or change the given fields. The ID number is optional; when given it must carry a real birth
    date and the GB 11643 check digit; it is stored upper-cased."""
    _writer(by)
    errors: dict[str, list[str]] = {}
    if "id_number" in fields:
        raw = (fields["id_number"] or "").strip()
        message = id_number_error(raw)
        if message:
            errors["id_number"] = [message]
        else:
            fields["id_number"] = check_id_number(raw, today=timezone.localdate()) if raw else ""
    if (
        fields.get("enterprise") is not None
        and not Enterprise.objects.for_user(by).filter(pk=fields["enterprise"].pk).exists()
    ):
        errors["enterprise"] = [_("You may not name this enterprise.")]
    if (
        fields.get("platform") is not None
        and not Platform.objects.for_user(by).filter(pk=fields["platform"].pk).exists()
    ):
        errors["platform"] = [_("You may not name this platform.")]
    if errors:
        raise FieldErrors(errors)
    talent = Talent() if talent is None else Talent.objects.select_for_update().get(pk=talent.pk)
    _apply(talent, fields, TALENT_FIELDS)
    _clean(talent)
    talent.save()
    return talent


@transaction.atomic
def talent_reveal(*, by, talent: Talent) -> str:
    """The talent's ID number unmasked, for the talent office only; the disclosure is recorded (who, whose, when)."""
    _require(roles.may_reveal(by), _("Only the talent office may reveal an ID number."))
    _require(bool(talent.id_number), _("No ID number is recorded for %(n)s.") % {"n": talent})
    Disclosure.objects.create(talent=talent, user=by, how=Disclosure.How.REVEAL)
    return talent.id_number


@transaction.atomic
def talents_disclosed(*, by, talents) -> None:
    """Record that ``by`` exported these talents' ID numbers unmasked (one disclosure each, written in bulk)."""
    _require(roles.may_reveal(by), _("Only the talent office may export ID numbers unmasked."))
    at = timezone.now()
    rows = [Disclosure(talent=t, user=by, at=at, how=Disclosure.How.EXPORT) for t in talents if t.id_number]
    context = audit.current()
    with audit.bulk_write(Disclosure):
        made = Disclosure.objects.bulk_create(rows)  # PostgreSQL and SQLite ≥ 3.35 both return the ids
        audit.bulk_events(
            model=Disclosure,
            rows=[
                (
                    d.pk,
                    str(d),
                    d.talent.enterprise_id,
                    "create",
                    {
                        "talent": [None, d.talent_id],
                        "user": [None, by.pk],
                        "at": [None, at.isoformat()],
                        "how": [None, d.how],
                    },
                )
                for d in made
            ],
            user=by,
            source=context.source if context else Source.UI,
        )


# --- The innovation fund --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FundFigures:
    budget_wan_yuan: Decimal
    granted_wan_yuan: Decimal
    paid_wan_yuan: Decimal

    @property
    def left_wan_yuan(self) -> Decimal:
        return self.budget_wan_yuan - self.granted_wan_yuan


def fund_figures(fund: Fund) -> FundFigures:
    """Budget, granted (approved grants), paid (their instalments) and what is left, from the rows."""
    granted = Grant.objects.filter(fund=fund, status=Grant.Status.APPROVED).aggregate(s=Sum("amount_wan_yuan"))["s"]
    paid = Instalment.objects.filter(grant__fund=fund).aggregate(s=Sum("amount_wan_yuan"))["s"]
    return FundFigures(fund.budget_wan_yuan, granted or ZERO, paid or ZERO)


FUND_FIELDS = ("name", "year", "budget_wan_yuan", "status")


@transaction.atomic
def fund_save(*, by, fund: Fund | None = None, **fields) -> Fund:
    """Open a fund (name, year, budget) or change one; its budget cannot fall below what is granted."""
    _writer(by)
    fund = Fund() if fund is None else Fund.objects.select_for_update().get(pk=fund.pk)
    _apply(fund, fields, FUND_FIELDS)
    _clean(fund)
    if fund.pk:
        granted = fund_figures(fund).granted_wan_yuan
        if fund.budget_wan_yuan < granted:
            raise FieldErrors(
                {"budget_wan_yuan": [_("%(g)s 万元 is granted already: the budget cannot be less.") % {"g": granted}]}
            )
    fund.save()
    return fund


@transaction.atomic
def grant_apply(*, by, fund: Fund, recipient_enterprise: Enterprise, amount_wan_yuan, purpose: str, call=None) -> Grant:
    """An application for a grant: by the talent office (for any enterprise) or an enterprise user (its own).
    ``call``: the fund's call it answers (optional; of the same fund and open today, ``services_finance``)."""
    role = roles.effective_role(by)
    _require(roles.may_write(by) or role == roles.ENTERPRISE, _("Your role does not apply for grants."))
    errors = {}
    if not Fund.objects.for_user(by).filter(pk=fund.pk).exists():
        errors["fund"] = [_("You may not name this fund.")]
    if not Enterprise.objects.for_user(by).filter(pk=recipient_enterprise.pk).exists():
        errors["recipient_enterprise"] = [_("You may not name this enterprise.")]
    if call is not None and "fund" not in errors:
        from .services_finance import call_errors

        if found := call_errors(by=by, fund=fund, call=call, on=timezone.localdate()):
            errors["call"] = found
    if errors:
        raise FieldErrors(errors)
    _require(fund.status == Fund.Status.OPEN, _("%(f)s is closed.") % {"f": fund})
    grant = Grant(
        fund=fund, recipient_enterprise=recipient_enterprise, amount_wan_yuan=amount_wan_yuan, purpose=purpose,
        call=call,
    )  # fmt: skip
    _clean(grant)
    grant.save()
    return grant


def _wan(value: Decimal) -> str:
    return number(value, -2)


def _grant_decidable(grant: Grant) -> None:
    """Once a panel is drawn for the application, its scores come first (docs/0013): refused until every sitting
    member has scored."""
    from .review import GRANTS

    GRANTS.require_decidable(grant)


@transaction.atomic
def grant_approve(*, by, grant: Grant) -> Grant:
    """A leader grants: refused, with what is left, when the amount exceeds the fund's budget less what is granted.
    The fund's row is locked first, so approvals of one fund are taken one after the other."""
    _require(roles.may_approve_grants(by), _("Only a leader approves grants."))
    Fund.objects.select_for_update().get(pk=grant.fund_id)
    grant = Grant.objects.select_for_update().select_related("fund").get(pk=grant.pk)
    _require(
        grant.status == Grant.Status.APPLIED,
        _("This grant is “%(s)s” already.") % {"s": grant.get_status_display()},
    )
    _grant_decidable(grant)
    left = fund_figures(grant.fund).left_wan_yuan
    _require(
        grant.amount_wan_yuan <= left,
        _("%(f)s has %(left)s 万元 left: a grant of %(a)s 万元 would overdraw it.")
        % {"f": grant.fund, "left": _wan(left), "a": _wan(grant.amount_wan_yuan)},
    )
    grant.status, grant.decided_on, grant.decided_by = Grant.Status.APPROVED, timezone.localdate(), by
    grant.save()
    return grant


@transaction.atomic
def grant_refuse(*, by, grant: Grant, reason: str) -> Grant:
    _require(roles.may_approve_grants(by), _("Only a leader decides on grants."))
    grant = Grant.objects.select_for_update().get(pk=grant.pk)
    _require(grant.status == Grant.Status.APPLIED, _("This grant is decided already."))
    _grant_decidable(grant)
    if not (reason or "").strip():
        raise FieldErrors({"reason": [_("Give the reason.")]})
    grant.status, grant.decided_on, grant.decided_by, grant.reason = (
        Grant.Status.REFUSED,
        timezone.localdate(),
        by,
        reason.strip(),
    )
    grant.save()
    return grant


@transaction.atomic
def instalment_pay(*, by, grant: Grant, milestone: str, amount_wan_yuan, paid_on) -> Instalment:
    """Pay part of an approved grant against a milestone; what is paid never exceeds what is granted."""
    _writer(by)
    grant = Grant.objects.select_for_update().get(pk=grant.pk)
    _require(grant.status == Grant.Status.APPROVED, _("Only an approved grant is paid."))
    paid = grant.instalments.aggregate(s=Sum("amount_wan_yuan"))["s"] or ZERO
    left = grant.amount_wan_yuan - paid
    instalment = Instalment(grant=grant, milestone=milestone, amount_wan_yuan=amount_wan_yuan, paid_on=paid_on)
    _clean(instalment)
    _require(
        instalment.amount_wan_yuan <= left,
        _("%(left)s 万元 of this grant is unpaid: an instalment of %(a)s 万元 is too much.")
        % {"left": _wan(left), "a": _wan(instalment.amount_wan_yuan)},
    )
    instalment.save()
    return instalment


# --- Team applications ----------------------------------------------------------------------------------------------

TEAM_FIELDS = (
    "team_name",
    "leader_name",
    "project",
    "field",
    "registered_capital_wan_yuan",
    "planned_investment_wan_yuan",
    "needs_space",
    "needs_funds",
    "needs_housing",
    "support_note",
    "enterprise",
    "incubator",
)


@transaction.atomic
def team_apply(*, by, members: list[dict], **fields) -> TeamApplication:
    """A team applies (the talent office for it, or an enterprise user). ``members``: ``{name, degree, programme,
    programme_level}`` each (the leader among them or not)."""
    role = roles.effective_role(by)
    _require(roles.may_write(by) or role == roles.ENTERPRISE, _("Your role does not submit team applications."))
    _sees_enterprise(by, fields.get("enterprise"), "enterprise")
    incubator = fields.get("incubator")
    if incubator is not None and not Incubator.objects.for_user(by).filter(pk=incubator.pk).exists():
        raise FieldErrors({"incubator": [_("You may not name this incubator.")]})
    application = TeamApplication(submitted_by=by)
    _apply(application, fields, TEAM_FIELDS)
    _clean(application, exclude=("submitted_by",))
    application.save()
    rows = [TeamMember(application=application, **member) for member in members]
    errors = {}
    for i, row in enumerate(rows):
        try:
            row.full_clean(exclude=["application"])
        except ValidationError as error:
            errors.update({f"members[{i}].{k}": [str(m) for m in v] for k, v in error.message_dict.items()})
    if errors:
        raise FieldErrors(errors)
    for row in rows:
        row.save()
    TeamStep.objects.create(application=application, action="submit", from_status="", to_status=S.SUBMITTED, by=by)
    return application


def _is_submitter(user, application: TeamApplication) -> bool:
    if roles.effective_role(user) == roles.ENTERPRISE:
        return application.submitted_by_id == user.pk or (
            user.enterprise_id is not None and application.enterprise_id == user.enterprise_id
        )
    return roles.may_write(user)


@dataclass(frozen=True)
class Transition:
    """One step of the workflow: from which states, to which, who may take it (``may(user, application)``), and
    whether it needs a note (the missing items, the reasons)."""

    action: str
    label: object
    from_states: tuple[str, ...]
    to_state: str
    may: object
    note_required: bool = False
    note_label: object = ""


def _office_or_admin(user, application) -> bool:
    return roles.may_write(user)


def _decider(user, application) -> bool:
    return roles.may_decide(user)


#: The workflow (submitted → formal check → review → approved/rejected → agreement → incubating → graduated/left),
#: in the order the pages offer the actions. ``send_back`` happens once (``team_step`` refuses a second).
WORKFLOW: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition("accept", gettext_lazy("Formal check passed"), (S.SUBMITTED,), S.REVIEW, _office_or_admin),
        Transition(
            "send_back",
            gettext_lazy("Send back for missing items"),
            (S.SUBMITTED,),
            S.SENT_BACK,
            _office_or_admin,
            note_required=True,
            note_label=gettext_lazy("Missing items, one a line"),
        ),
        Transition(
            "resubmit", gettext_lazy("Resubmit with the missing items"), (S.SENT_BACK,), S.SUBMITTED, _is_submitter
        ),
        Transition(
            "approve",
            gettext_lazy("Approve"),
            (S.REVIEW,),
            S.APPROVED,
            _decider,
            note_required=True,
            note_label=gettext_lazy("Reasons"),
        ),
        Transition(
            "reject",
            gettext_lazy("Reject"),
            (S.REVIEW,),
            S.REJECTED,
            _decider,
            note_required=True,
            note_label=gettext_lazy("Reasons"),
        ),
        Transition("sign", gettext_lazy("Agreement signed"), (S.APPROVED,), S.AGREEMENT, _office_or_admin),
        Transition("incubate", gettext_lazy("Incubation started"), (S.AGREEMENT,), S.INCUBATING, _office_or_admin),
        Transition("graduate", gettext_lazy("Graduated"), (S.INCUBATING,), S.GRADUATED, _office_or_admin),
        Transition(
            "leave",
            gettext_lazy("Left the park"),
            (S.AGREEMENT, S.INCUBATING),
            S.LEFT,
            _office_or_admin,
            note_required=True,
            note_label=gettext_lazy("Reasons"),
        ),
    )
}


def _decision_blocked(application: TeamApplication) -> bool:
    from .review import decision_blocker

    return bool(decision_blocker(application))


def available(user, application: TeamApplication) -> list[Transition]:
    """The steps ``user`` may take on ``application`` now."""
    out, blocked = [], None
    for t in WORKFLOW.values():
        if application.status in t.from_states and t.may(user, application):
            if t.action == "send_back" and application.sent_back_before:
                continue
            if t.action in ("approve", "reject"):
                blocked = _decision_blocked(application) if blocked is None else blocked
                if blocked:
                    continue
            out.append(t)
    return out


@transaction.atomic
def team_step(
    *, by, application: TeamApplication, action: str, note: str = "", enterprise: Enterprise | None = None
) -> TeamApplication:
    """Take one step of the workflow (``WORKFLOW[action]``), dated and recorded. ``note``: the missing items
    (send_back) or the reasons (approve, reject, leave). ``enterprise``: on graduation, the enterprise the team
    became or joined (one the user sees)."""
    transition = WORKFLOW.get(action)
    if transition is None:
        raise FieldErrors({"action": [_("No such step: %(a)s.") % {"a": action}]})
    application = TeamApplication.objects.select_for_update().get(pk=application.pk)
    _require(transition.may(by, application), _("You may not take this step."))
    _require(
        application.status in transition.from_states,
        _("“%(step)s” is not possible while the application is “%(s)s”.")
        % {"step": transition.label, "s": application.get_status_display()},
    )
    if action == "send_back":
        _require(not application.sent_back_before, _("The formal check sends an application back once only."))
    if action in ("approve", "reject"):
        from .review import require_decidable  # once a panel is drawn, its scores come first (docs/0013)

        require_decidable(application)
    note = (note or "").strip()
    if transition.note_required and not note:
        raise FieldErrors({"note": [_("Give the %(what)s.") % {"what": str(transition.note_label).lower()}]})
    if action == "graduate":
        if enterprise is None:
            raise FieldErrors({"enterprise": [_("Name the enterprise the team became or joined.")]})
        _sees_enterprise(by, enterprise, "enterprise")
        application.enterprise = enterprise
    before = application.status
    application.status = transition.to_state
    if action == "send_back":
        application.missing_items = note
    if action in ("approve", "reject", "leave"):
        application.reason = note
    application.save()
    TeamStep.objects.create(
        application=application, action=action, from_status=before, to_status=transition.to_state, by=by, note=note
    )
    return application
