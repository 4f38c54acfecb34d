"""M3's expert pool, panels and sealed scores: the writes (keyword-only, the acting user as ``by=``, one transaction;
the audit trail records every save through ``audit.register`` in apps.py; a rule broken raises ``Refused``, nothing
is written) and the reads that keep the scores sealed (docs/0009).

- Who draws a project's panel (:func:`can_draw`): an administrator, a leader, or the project's own officer.
- Who declines: a sitting member, for himself, before he has scored; a replacement is drawn at once.
- Who scores: a sitting member, once (final): :func:`score_submit`.
- Who reads: :func:`scores_view` shows only who has submitted (and the caller's own score) until every sitting
  member has submitted; :func:`scores_summary` is what the leader's decision shows beside it.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from decimal import Decimal

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
from .models import Expert, Panel, PanelMember, Project, Score, ScoringWeights

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
    from django.core.exceptions import ValidationError

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


def can_draw(user, project: Project) -> bool:
    """An administrator, a leader, or the project's own officer (its 全程帮办员) draws its panel."""
    role = effective_role(user)
    return role in (Role.ADMIN, Role.LEADER) or (role == Role.OFFICER and project.officer_id == user.pk)


def _party(project: Project) -> panels.Party:
    investor = project.investor
    return panels.Party(
        investor=investor.name,
        parent_group=investor.parent_group,
        registrations=tuple(r for r in (investor.uscc, investor.foreign_registration) if r),
    )


def _eligibility(project: Project, today):
    chain = project.chain.code if project.chain_id else ""
    eligible, excluded = panels.eligibility(pool.read().candidates, chain=chain, party=_party(project), today=today)
    return chain, eligible, excluded


def _scoring_started(panel: Panel) -> bool:
    return Score.objects.filter(member__panel=panel).exists()


@transaction.atomic
def panel_draw(*, by, project: Project, size: int | None = None, seed: int | None = None) -> Panel:
    """Draw the project's panel (``size`` 5 by default, ``seed`` at random unless given) and store it with its
    seed, its eligible experts and the excluded ones with their reasons. A panel on which nobody has scored yet is
    replaced; once scoring has started, drawing again is refused. Too few eligible experts or no academician: refused,
    nothing stored."""
    require(can_draw(by, project), _("Only an administrator, a leader or the project's own officer draws its panel."))
    project = Project.objects.select_for_update(of=("self",)).select_related("investor", "chain").get(pk=project.pk)
    size = panels.DEFAULT_SIZE if size is None else size
    problem = panels.size_problem(size)
    require(not problem, problem)
    if seed is None:
        seed = secrets.randbelow(2**31)
    require(
        not isinstance(seed, bool) and isinstance(seed, int) and 0 <= seed <= panels.MAX_SEED,
        _("A seed is a whole number from 0 to %(max)d.") % {"max": panels.MAX_SEED},
    )
    weights = ScoringWeights.current()
    require(weights is not None, _("No scoring weights have been set."))
    existing = Panel.objects.filter(project=project).first()
    seats = []
    if existing is not None:
        # The seats locked before the check: a score submitted meanwhile waits for this draw, then finds no seat.
        seats = list(existing.members.select_for_update(of=("self",)).select_related("expert").order_by("-seat"))
        require(not _scoring_started(existing), _("Scoring has started: the panel can no longer be drawn again."))
    today = timezone.localdate()
    chain, eligible, excluded = _eligibility(project, today)
    try:
        members = panels.draw([(c.id, c.academician) for c in eligible], seed=seed, size=size)
    except panels.Shortfall as error:
        raise Refused(str(error)) from None
    drawn = {
        "size": size, "seed": seed, "chain": chain, "weights": weights, "eligible": [c.id for c in eligible],
        "excluded": excluded, "replacements": [], "drawn_on": today, "drawn_by": by, "drawn_at": timezone.now(),
    }  # fmt: skip
    experts = Expert.objects.in_bulk(members)  # one read: each new seat's audit record names its expert
    with audit.bulk_write(Panel, PanelMember):
        if existing is None:
            panel = Panel(project=project, **drawn)
            panel.save()  # its creation audited by the signal
        else:
            panel = existing
            panel.project = project  # read once: each seat's audit record names the panel, i.e. the project
            before = audit.snapshot(panel)
            for name, value in drawn.items():
                setattr(panel, name, value)
            changes = audit.diff(before, audit.snapshot(panel))
            # The panel and its seats in bulk, each change recorded below as a save() and a delete() record them:
            # a redraw is 4 writes, not 2 per seat; the panel's fields that changed only (the pool's ~90 KB of
            # eligible and excluded experts are mostly the same from one draw to the next; bench/README.md, issue 14).
            Panel.objects.filter(pk=panel.pk).update(**{name: drawn[name] for name in changes})
            PanelMember.objects.filter(pk__in=[m.pk for m in seats])._raw_delete(PanelMember.objects.db)
            audit.record_bulk(Panel, [(panel, AuditEvent.Action.UPDATE, changes)])
            audit.record_bulk(
                PanelMember,
                [(m, AuditEvent.Action.DELETE, audit.diff(audit.snapshot(m), None)) for m in seats],
            )  # the latest seats first, as they were deleted one by one
        new_seats = PanelMember.objects.bulk_create(
            [PanelMember(panel=panel, expert=experts[e], seat=seat) for seat, e in enumerate(members, start=1)]
        )
        audit.record_bulk(
            PanelMember, [(m, AuditEvent.Action.CREATE, audit.diff(None, audit.snapshot(m))) for m in new_seats]
        )
    return panel


def member_of(user, project: Project) -> PanelMember | None:
    """The user's sitting seat on the project's panel, if he has one."""
    if effective_role(user) != Role.EXPERT:
        return None
    return (
        PanelMember.objects.sitting()
        .filter(panel__project=project, expert__user=user)
        .select_related("expert", "panel")
        .first()
    )


@transaction.atomic
def member_decline(*, by, project: Project, reason: str = "") -> PanelMember:
    """The expert ``by`` declines his seat (before he has scored); a replacement is drawn at once under the same
    rules, with the panel's next replacement seed, and stored with its candidates. Returns the replacement's seat.
    No eligible expert left (or no academician when the panel would have none): refused, nothing stored."""
    member = member_of(by, project)
    require(member is not None, _("Only a sitting member of the panel declines his seat."))
    panel = Panel.objects.select_for_update().get(pk=member.panel_id)
    member = PanelMember.objects.select_for_update().get(pk=member.pk)
    require(
        not Score.objects.filter(member=member).exists(), _("You have scored: your seat can no longer be declined.")
    )
    project = Project.objects.select_related("investor", "chain").get(pk=project.pk)
    seats = list(panel.members.select_related("expert"))
    on_panel = {m.expert_id for m in seats}
    academician_needed = not any(m.expert.academician for m in seats if m.status == m.Status.SITTING and m != member)
    _chain, eligible, _excluded = _eligibility(project, timezone.localdate())
    candidates = [(c.id, c.academician) for c in eligible if c.id not in on_panel]
    seed = panels.replacement_seed(panel.seed, len(panel.replacements) + 1)
    try:
        chosen = panels.replacement(candidates, seed=seed, academician_needed=academician_needed)
    except panels.Shortfall as error:
        raise Refused(str(error)) from None
    now = timezone.now()
    member.status, member.declined_at, member.decline_reason = PanelMember.Status.DECLINED, now, reason.strip()[:200]
    member.save()
    new = PanelMember.objects.create(
        panel=panel, expert_id=chosen, seat=max(m.seat for m in seats) + 1, replaces=member
    )
    panel.replacements = [
        *panel.replacements,
        {"declined": member.expert_id, "seed": seed, "academician_needed": academician_needed,
         "candidates": sorted(i for i, _a in candidates), "drawn": chosen, "on": now.date().isoformat()},
    ]  # fmt: skip
    panel.save()
    return new


# --- Scores ---------------------------------------------------------------------------------------------------------


@transaction.atomic
def score_submit(
    *, by, project: Project, criteria: dict, comment: str = "", veto: bool = False, veto_reason: str = ""
) -> Score:
    """The member ``by`` submits his score (each criterion a whole number 0-100; a veto needs its reason). Final:
    a second submission is refused."""
    member = member_of(by, project)
    require(member is not None, _("Only a sitting member of the panel scores it."))
    PanelMember.objects.select_for_update().get(pk=member.pk)
    require(not Score.objects.filter(member=member).exists(), _("Your score is submitted: it is final."))
    problems = panels.criteria_problems(criteria)
    require(not problems, "; ".join(f"{code}: {text}" for code, text in sorted(problems.items())))
    veto_reason = (veto_reason or "").strip()
    require(not veto or veto_reason, _("A veto needs its reason."))
    weights = member.panel.weights.weights
    score = Score(
        member=member,
        criteria={code: int(criteria[code]) for code in panels.CRITERION_CODES},
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
    members: list[PanelMember]  # the scores the caller may read (his own only while sealed), each with .score
    seats: list[PanelMember]  # every sitting member, with .has_score
    panel_score: Decimal | None
    recommendation: str | None
    vetoed: bool


def _sitting(panel: Panel) -> list[PanelMember]:
    seats = list(panel.members.sitting().select_related("expert", "score").order_by("seat"))
    for seat in seats:
        seat.has_score = hasattr(seat, "score")
    return seats


def _summary(seats: list[PanelMember]) -> tuple[bool, Decimal | None, str | None, bool]:
    sealed = not seats or not all(s.has_score for s in seats)
    if sealed:
        return True, None, None, False
    vetoed = any(s.score.veto for s in seats)
    score = panels.panel_score([s.score.total for s in seats])
    return False, score, panels.recommendation(score, veto=vetoed), vetoed


def scores_view(user, panel: Panel) -> ScoresView:
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


def scores_summary(project: Project) -> tuple[bool, Decimal | None, str | None]:
    """(sealed, panel score, recommendation) of the project's panel: what the leader's decision shows beside it.
    Sealed (None, None) without a panel or until every sitting member has submitted."""
    panel = Panel.objects.filter(project=project).first()
    if panel is None:
        return True, None, None
    sealed, score, recommendation, _vetoed = _summary(_sitting(panel))
    return sealed, score, recommendation
