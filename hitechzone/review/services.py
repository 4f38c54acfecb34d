"""The shared review's writes and sealed reads (docs/0013, the rules in docs/0009), one copy for every module: the
expert pool's writes, the draw (and redraw), a member's decline and replacement, the sealed score, and the one read
that keeps the seal. Keyword-only, the acting user as ``by=``, one transaction; the audit trail records every save
through ``audit.register`` (each module registers its concrete panel tables, the scores masked with
``models.MASKED``); a rule broken raises ``Refused``, nothing is written.

A module describes its panels with a :class:`Kind` (its concrete panel, seat and score models, the panel's field
naming the subject, the kind of criteria) and decides itself **who** may draw; it locks its subject, works out the
subject's chain and conflict sides (``panels.Party`` or ``panels.Sides``) and calls :func:`draw`; for the rest it
calls :func:`member_of`, :func:`decline`, :func:`score_submit`, :func:`scores_view` and :func:`scores_summary`.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hitechzone.accounts.models import Role
from hitechzone.accounts.roles import effective_role
from hitechzone.common import audit
from hitechzone.common.models import AuditEvent
from hitechzone.common.rules import Refused, require
from hitechzone.enterprises.models import IndustryChain

from . import panels, pool
from .models import Expert, ScoringWeights

EXPERT_FIELDS = (
    "name",
    "title",
    "affiliation",
    "academician",
    "specialties",
    "former_affiliations",
    "declared_conflicts",
    "active",
    "user",
)
#: Who keeps the expert pool (the API and the Django admin).
POOL_KEEPERS = frozenset({Role.ADMIN})


@dataclass(frozen=True)
class Kind:
    """A module's panels: its concrete panel, seat and score models (``models.PanelBase``, ``MemberBase``,
    ``ScoreBase``), the panel's field naming its subject (a one-to-one), and the kind of criteria scored."""

    panel: type
    member: type
    score: type
    subject: str
    criteria: str = panels.PROJECT

    def panel_of(self, subject):
        return self.panel.objects.filter(**{self.subject: subject}).first()


# --- The pool -------------------------------------------------------------------------------------------------------


def _clean_expert_fields(fields: dict) -> dict:
    unknown = set(fields) - set(EXPERT_FIELDS)
    require(not unknown, _("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))})
    out = dict(fields)
    if "specialties" in out:
        specialties = [str(s).strip() for s in out["specialties"] or []]
        codes = set(IndustryChain.objects.filter(code__in=specialties).values_list("code", flat=True))
        unknown = [s for s in specialties if s != panels.GENERAL and s not in codes]
        require(not unknown, _("Unknown chain codes: %(codes)s") % {"codes": ", ".join(unknown)})
        require(specialties, _('Give at least one specialty: a chain code, or "general".'))
        out["specialties"] = list(dict.fromkeys(specialties))
    if "former_affiliations" in out:
        formers = []
        for item in out["former_affiliations"] or []:
            until = panels.parse_date(item.get("until")) if isinstance(item, dict) else None
            require(until is not None, _('Give each former affiliation as {"name": …, "until": "YYYY-MM-DD"}.'))
            formers.append({"name": str(item.get("name", "")).strip(), "until": until.isoformat()})
        out["former_affiliations"] = formers
    if "declared_conflicts" in out:
        out["declared_conflicts"] = [str(s).strip() for s in out["declared_conflicts"] or [] if str(s).strip()]
    user = out.get("user")
    if user is not None:
        require(user.role == Role.EXPERT, _("The login must be a user of the role expert."))
    return out


def _save(obj) -> None:
    try:
        obj.full_clean()
    except ValidationError as error:
        raise Refused(" ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())) from None
    obj.save()


@transaction.atomic
def expert_create(*, by, name: str, **fields) -> Expert:
    """Add an expert to the pool (any of :data:`EXPERT_FIELDS` besides the name)."""
    require(effective_role(by) in POOL_KEEPERS, _("Only administrators keep the expert pool."))
    expert = Expert(name=name, **_clean_expert_fields(fields))
    _save(expert)
    return expert


@transaction.atomic
def expert_update(*, by, expert: Expert, **fields) -> Expert:
    require(effective_role(by) in POOL_KEEPERS, _("Only administrators keep the expert pool."))
    expert = Expert.objects.select_for_update().get(pk=expert.pk)
    for name, value in _clean_expert_fields(fields).items():
        setattr(expert, name, value)
    _save(expert)
    return expert


# --- The draw -------------------------------------------------------------------------------------------------------


def eligibility(*, chain: str, party, today):
    """(the eligible, the excluded with their reasons) in the pool as it is now, for a subject of ``chain`` whose
    conflict sides are ``party``."""
    return panels.eligibility(pool.read().candidates, chain=chain, party=party, today=today)


def scoring_started(kind: Kind, panel) -> bool:
    return kind.score.objects.filter(member__panel=panel).exists()


def draw(*, by, kind: Kind, subject, chain: str, party, size: int | None = None, seed: int | None = None):
    """Draw the subject's panel (``size`` 5 by default, ``seed`` at random unless given) and store it with its seed,
    its eligible experts and the excluded ones with their reasons. A panel on which nobody has scored yet is
    replaced; once scoring has started, drawing again is refused. Too few eligible experts or no academician:
    refused, nothing stored. The caller has checked that ``by`` may draw and locked ``subject`` (in its transaction)."""
    size = panels.DEFAULT_SIZE if size is None else size
    problem = panels.size_problem(size)
    require(not problem, problem)
    if seed is None:
        seed = secrets.randbelow(2**31)
    require(
        not isinstance(seed, bool) and isinstance(seed, int) and 0 <= seed <= panels.MAX_SEED,
        _("A seed is a whole number from 0 to %(max)d.") % {"max": panels.MAX_SEED},
    )
    weights = ScoringWeights.current(kind.criteria)
    require(weights is not None, _("No scoring weights have been set."))
    Panel, Member = kind.panel, kind.member
    existing = kind.panel_of(subject)
    seats = []
    if existing is not None:
        # The seats locked before the check: a score submitted meanwhile waits for this draw, then finds no seat.
        seats = list(existing.members.select_for_update(of=("self",)).select_related("expert").order_by("-seat"))
        require(not scoring_started(kind, existing), _("Scoring has started: the panel can no longer be drawn again."))
    today = timezone.localdate()
    eligible, excluded = eligibility(chain=chain, party=party, today=today)
    try:
        members = panels.draw([(c.id, c.academician) for c in eligible], seed=seed, size=size)
    except panels.Shortfall as error:
        raise Refused(str(error)) from None
    drawn = {
        "size": size, "seed": seed, "chain": chain, "weights": weights, "eligible": [c.id for c in eligible],
        "excluded": excluded, "replacements": [], "drawn_on": today, "drawn_by": by, "drawn_at": timezone.now(),
    }  # fmt: skip
    experts = Expert.objects.in_bulk(members)  # one read: each new seat's audit record names its expert
    with audit.bulk_write(Panel, Member):
        if existing is None:
            panel = Panel(**{kind.subject: subject}, **drawn)
            panel.save()  # its creation audited by the signal
        else:
            panel = existing
            setattr(panel, kind.subject, subject)  # read once: each seat's audit record names the panel's subject
            before = audit.snapshot(panel)
            for name, value in drawn.items():
                setattr(panel, name, value)
            changes = audit.diff(before, audit.snapshot(panel))
            # The panel and its seats in bulk, each change recorded below as a save() and a delete() record them:
            # a redraw is 4 writes, not 2 per seat; the panel's fields that changed only (the pool's ~90 KB of
            # eligible and excluded experts are mostly the same from one draw to the next; bench/README.md, issue 14).
            Panel.objects.filter(pk=panel.pk).update(**{name: drawn[name] for name in changes})
            Member.objects.filter(pk__in=[m.pk for m in seats])._raw_delete(Member.objects.db)
            audit.record_bulk(Panel, [(panel, AuditEvent.Action.UPDATE, changes)])
            audit.record_bulk(
                Member,
                [(m, AuditEvent.Action.DELETE, audit.diff(audit.snapshot(m), None)) for m in seats],
            )  # the latest seats first, as they were deleted one by one
        new_seats = Member.objects.bulk_create(
            [Member(panel=panel, expert=experts[e], seat=seat) for seat, e in enumerate(members, start=1)]
        )
        audit.record_bulk(
            Member, [(m, AuditEvent.Action.CREATE, audit.diff(None, audit.snapshot(m))) for m in new_seats]
        )
    return panel


def member_of(user, kind: Kind, subject):
    """The user's sitting seat on the subject's panel, if he has one."""
    if effective_role(user) != Role.EXPERT:
        return None
    return (
        kind.member.objects.sitting()
        .filter(**{f"panel__{kind.subject}": subject}, expert__user=user)
        .select_related("expert", "panel")
        .first()
    )


def decline(*, by, kind: Kind, subject, chain: str, party, reason: str = ""):
    """The expert ``by`` declines his seat (before he has scored); a replacement is drawn at once under the same
    rules, with the panel's next replacement seed, and stored with its candidates. Returns the replacement's seat.
    No eligible expert left (or no academician when the panel would have none): refused, nothing stored. The caller
    runs this in its transaction."""
    Member = kind.member
    member = member_of(by, kind, subject)
    require(member is not None, _("Only a sitting member of the panel declines his seat."))
    panel = kind.panel.objects.select_for_update().get(pk=member.panel_id)
    member = Member.objects.select_for_update().get(pk=member.pk)
    require(
        not kind.score.objects.filter(member=member).exists(),
        _("You have scored: your seat can no longer be declined."),
    )
    seats = list(panel.members.select_related("expert"))
    on_panel = {m.expert_id for m in seats}
    academician_needed = not any(m.expert.academician for m in seats if m.status == m.Status.SITTING and m != member)
    eligible, _excluded = eligibility(chain=chain, party=party, today=timezone.localdate())
    candidates = [(c.id, c.academician) for c in eligible if c.id not in on_panel]
    seed = panels.replacement_seed(panel.seed, len(panel.replacements) + 1)
    try:
        chosen = panels.replacement(candidates, seed=seed, academician_needed=academician_needed)
    except panels.Shortfall as error:
        raise Refused(str(error)) from None
    now = timezone.now()
    member.status, member.declined_at, member.decline_reason = Member.Status.DECLINED, now, reason.strip()[:200]
    member.save()
    new = Member.objects.create(panel=panel, expert_id=chosen, seat=max(m.seat for m in seats) + 1, replaces=member)
    panel.replacements = [
        *panel.replacements,
        {"declined": member.expert_id, "seed": seed, "academician_needed": academician_needed,
         "candidates": sorted(i for i, _a in candidates), "drawn": chosen, "on": now.date().isoformat()},
    ]  # fmt: skip
    panel.save()
    return new


# --- Scores ---------------------------------------------------------------------------------------------------------


def score_submit(*, by, kind: Kind, subject, criteria: dict, comment: str = "", veto: bool = False, veto_reason=""):
    """The member ``by`` submits his score (each of the kind's criteria a whole number 0-100; a veto needs its
    reason). Final: a second submission is refused. The caller runs this in its transaction."""
    member = member_of(by, kind, subject)
    require(member is not None, _("Only a sitting member of the panel scores it."))
    kind.member.objects.select_for_update().get(pk=member.pk)
    require(not kind.score.objects.filter(member=member).exists(), _("Your score is submitted: it is final."))
    problems = panels.criteria_problems(criteria, kind=kind.criteria)
    require(not problems, "; ".join(f"{code}: {text}" for code, text in sorted(problems.items())))
    veto_reason = (veto_reason or "").strip()
    require(not veto or veto_reason, _("A veto needs its reason."))
    weights = member.panel.weights.weights
    score = kind.score(
        member=member,
        criteria={code: int(criteria[code]) for code in panels.codes_of(kind.criteria)},
        total=panels.weighted_total(criteria, weights),
        comment=(comment or "").strip(),
        veto=bool(veto),
        veto_reason=veto_reason if veto else "",
        submitted_at=timezone.now(),
    )
    score.save()
    return score


@dataclass
class ScoresView:
    sealed: bool
    submitted: list[int]  # expert ids
    members: list  # the seats whose scores the caller may read (his own only while sealed), each with .score
    seats: list  # every sitting member, with .has_score
    panel_score: Decimal | None
    recommendation: str | None
    vetoed: bool


def _sitting(panel) -> list:
    seats = list(panel.members.sitting().select_related("expert", "score").order_by("seat"))
    for seat in seats:
        seat.has_score = hasattr(seat, "score")
    return seats


def _summary(seats: list) -> tuple[bool, Decimal | None, str | None, bool]:
    sealed = not seats or not all(s.has_score for s in seats)
    if sealed:
        return True, None, None, False
    vetoed = any(s.score.veto for s in seats)
    score = panels.panel_score([s.score.total for s in seats])
    return False, score, panels.recommendation(score, veto=vetoed), vetoed


def scores_view(user, panel) -> ScoresView:
    """What ``user`` may read of the panel's scores: while sealed only who has submitted and his own score (a
    leader or an administrator none); once every sitting member has submitted, every score and the result."""
    seats = _sitting(panel)
    sealed, score, recommendation, vetoed = _summary(seats)
    readable = [s for s in seats if s.has_score and s.expert.user_id == user.pk] if sealed else seats
    return ScoresView(
        sealed=sealed,
        submitted=[s.expert_id for s in seats if s.has_score],
        members=readable,
        seats=seats,
        panel_score=score,
        recommendation=recommendation,
        vetoed=vetoed,
    )


def scores_summary(kind: Kind, subject) -> tuple[bool, Decimal | None, str | None]:
    """(sealed, panel score, recommendation) of the subject's panel: what the decision shows beside it. Sealed
    (None, None) without a panel or until every sitting member has submitted."""
    panel = kind.panel_of(subject)
    if panel is None:
        return True, None, None
    sealed, score, recommendation, _vetoed = _summary(_sitting(panel))
    return sealed, score, recommendation
