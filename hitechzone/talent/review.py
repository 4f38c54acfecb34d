"""M6's expert reviews on the shared mechanism (docs/0013; the rules in docs/0009): team applications and applications
to the innovation fund (grants). One :class:`SubjectReview` per subject says who draws, while when, the subject's
conflict sides and its criteria; every draw, decline, sealed score and sealed read is ``hitechzone.review.services``'
(the one copy).

- Who draws (:meth:`SubjectReview.can_draw`): an administrator or the talent office, while the subject is open to
  review (a team application under review, after the formal check; a grant applied for, not yet decided); drawing
  again is refused once a member has scored.
- The conflict sides: for a team (:func:`sides`) its leader and each member by name, the enterprise the team set up
  or joined (its name and USCC), and the employers and host organisations recorded for the team's talents (their
  enterprise, their platform and its host); for a grant (:func:`grant_sides`) the recipient enterprise (name, USCC)
  and, where known, its talents' platforms and their host organisations. An expert whose affiliation, former
  affiliation within 3 years, or declared conflict names one of them is excluded — the same rule code as M3's.
- The chain: the drawer may name the chain the subject belongs to; its experts and the general ones are eligible
  (none named: the general experts only).
- Who scores and declines: a sitting member, for himself (``panels.TEAM_CRITERIA`` / ``panels.FUND_CRITERIA``).
- The decision (a team's approve / reject, ``services.team_step``; a grant's approve / refuse by a leader) waits,
  once a panel exists, until every sitting member has scored (:meth:`SubjectReview.decision_blocker`); without a
  panel it is recorded as before.

The team functions of this module (``panel_draw(application=…)`` …) are :data:`TEAMS`' methods under their old names.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hitechzone.common.rules import Refused, require
from hitechzone.enterprises.models import IndustryChain
from hitechzone.review import panels
from hitechzone.review import services as review

from . import roles
from .models import Grant, Talent, TeamApplication
from .models_review import GrantPanel, GrantPanelMember, GrantScore, TeamPanel, TeamPanelMember, TeamScore

S = TeamApplication.Status


def sides(application: TeamApplication) -> panels.Sides:
    """Who an expert may have no tie with: the leader, the members, the team's enterprise, its talents' employers
    and host organisations (two queries)."""
    named: list[tuple[str, str]] = []
    enterprise = application.enterprise
    if enterprise is not None:
        named += [(enterprise.name, "employer"), (enterprise.uscc or "", "employer")]
    talents = Talent.objects.filter(team=application.team_name).exclude(team="")
    for talent in talents.select_related("enterprise", "platform"):
        if talent.enterprise_id:
            named += [(talent.enterprise.name, "host"), (talent.enterprise.uscc or "", "host")]
        if talent.platform_id:
            named += [(talent.platform.name, "host"), (talent.platform.host, "host")]
    named += [(m.name, "team_member") for m in application.members.all()]
    named.append((application.leader_name, "team_leader"))
    return panels.Sides(named=tuple(named))


def grant_sides(grant: Grant) -> panels.Sides:
    """Who an expert may have no tie with on a grant: the recipient enterprise (name, USCC) and, where recorded, the
    platforms its talents work at and their host organisations (one query)."""
    named: list[tuple[str, str]] = []
    talents = Talent.objects.filter(enterprise_id=grant.recipient_enterprise_id, platform__isnull=False)
    for talent in talents.select_related("platform"):
        named += [(talent.platform.name, "recipient_host"), (talent.platform.host, "recipient_host")]
    enterprise = grant.recipient_enterprise
    named += [(enterprise.name, "recipient"), (enterprise.uscc or "", "recipient")]
    return panels.Sides(named=tuple(named))


def _chain(code: str) -> str:
    code = (code or "").strip()
    require(not code or IndustryChain.objects.filter(code=code).exists(), _("Unknown chain: %(c)s") % {"c": code})
    return code


@dataclass(frozen=True)
class SubjectReview:
    """The expert review of one kind of M6 subject: its panel tables (``kind``), the subject's model, the status in
    which it is open to review, its conflict sides, and the refusals' wording."""

    kind: review.Kind
    model: type
    open_status: str
    sides: Callable[[object], panels.Sides]
    who_draws: str  # the refusal when the user may not draw
    when_drawn: str  # the refusal when the subject is not open to review

    @property
    def criteria(self) -> tuple:
        return panels.criteria_of(self.kind.criteria)

    def can_draw(self, user, subject=None) -> bool:
        """Administrators and the talent office draw a panel."""
        return roles.may_write(user)

    def is_open(self, subject) -> bool:
        return subject.status == self.open_status

    def _locked(self, subject):
        names = {f.name for f in self.model._meta.concrete_fields if f.is_relation}
        related = [name for name in ("enterprise", "recipient_enterprise") if name in names]
        return self.model.objects.select_for_update(of=("self",)).select_related(*related).get(pk=subject.pk)

    @transaction.atomic
    def panel_draw(self, *, by, subject, chain: str = "", size: int | None = None, seed: int | None = None):
        """Draw the subject's panel (``review.services.draw``: 5 experts by default, one an academician; the seed at
        random unless given). While open to review only; refused once a member has scored; nothing stored when
        refused."""
        require(self.can_draw(by, subject), str(self.who_draws))
        subject = self._locked(subject)
        require(self.is_open(subject), str(self.when_drawn))
        return review.draw(
            by=by, kind=self.kind, subject=subject, chain=_chain(chain), party=self.sides(subject), size=size,
            seed=seed,
        )  # fmt: skip

    def member_of(self, user, subject):
        """The user's sitting seat on the subject's panel, if he has one."""
        return review.member_of(user, self.kind, subject)

    def panel_of(self, subject):
        return self.kind.panel.objects.filter(**{self.kind.subject: subject}).select_related("weights").first()

    @transaction.atomic
    def member_decline(self, *, by, subject, reason: str = ""):
        """The expert ``by`` declines his seat before scoring; a replacement is drawn at once (``review.decline``)."""
        subject = self._locked(subject)
        require(self.is_open(subject), _("The review is over."))
        panel = self.panel_of(subject)
        chain = panel.chain if panel is not None else ""
        return review.decline(
            by=by, kind=self.kind, subject=subject, chain=chain, party=self.sides(subject), reason=reason
        )

    @transaction.atomic
    def score_submit(self, *, by, subject, criteria: dict, comment: str = "", veto: bool = False,
                     veto_reason: str = ""):  # fmt: skip
        """The member ``by`` submits his sealed score on the subject's criteria (final)."""
        subject = self._locked(subject)
        require(self.is_open(subject), _("The review is over."))
        return review.score_submit(
            by=by, kind=self.kind, subject=subject, criteria=criteria, comment=comment, veto=veto,
            veto_reason=veto_reason,
        )  # fmt: skip

    def scores_summary(self, subject):
        """(sealed, panel score, recommendation): what the decision shows beside it."""
        return review.scores_summary(self.kind, subject)

    def decision_blocker(self, subject) -> str:
        """Why the review's outcome cannot be recorded yet ("" when it can): a panel is drawn and not every sitting
        member has scored. Without a panel the outcome is recorded as before (docs/0012)."""
        panel = self.kind.panel.objects.filter(**{self.kind.subject: subject}).first()
        if panel is None:
            return ""
        if panel.members.sitting().filter(score__isnull=True).exists():
            return _("The panel's scores are not all in: the outcome is recorded once every sitting member has scored.")
        return ""

    def require_decidable(self, subject) -> None:
        blocker = self.decision_blocker(subject)
        if blocker:
            raise Refused(blocker)


#: M6's team panels, as the shared review reads and writes them.
KIND = review.Kind(panel=TeamPanel, member=TeamPanelMember, score=TeamScore, subject="application",
                   criteria=panels.TEAM)  # fmt: skip
#: M6's grant panels (applications to the innovation fund).
GRANT_KIND = review.Kind(panel=GrantPanel, member=GrantPanelMember, score=GrantScore, subject="grant",
                         criteria=panels.FUND)  # fmt: skip

TEAMS = SubjectReview(
    kind=KIND,
    model=TeamApplication,
    open_status=S.REVIEW,
    sides=sides,
    who_draws=gettext_lazy("Only an administrator or the talent office draws a team's panel."),
    when_drawn=gettext_lazy("A panel is drawn while the application is under review (after the formal check)."),
)
GRANTS = SubjectReview(
    kind=GRANT_KIND,
    model=Grant,
    open_status=Grant.Status.APPLIED,
    sides=grant_sides,
    who_draws=gettext_lazy("Only an administrator or the talent office draws a grant application's panel."),
    when_drawn=gettext_lazy("A panel is drawn while the grant is applied for (not yet decided)."),
)


# --- The team functions under their old names ------------------------------------------------------------------------


def can_draw(user, application: TeamApplication) -> bool:
    return TEAMS.can_draw(user, application)


def panel_draw(*, by, application: TeamApplication, chain: str = "", size: int | None = None, seed: int | None = None):
    return TEAMS.panel_draw(by=by, subject=application, chain=chain, size=size, seed=seed)


def member_of(user, application: TeamApplication):
    return TEAMS.member_of(user, application)


def panel_of(application: TeamApplication):
    return TEAMS.panel_of(application)


def member_decline(*, by, application: TeamApplication, reason: str = ""):
    return TEAMS.member_decline(by=by, subject=application, reason=reason)


def score_submit(*, by, application: TeamApplication, criteria: dict, comment: str = "", veto: bool = False,
                 veto_reason: str = ""):  # fmt: skip
    return TEAMS.score_submit(
        by=by, subject=application, criteria=criteria, comment=comment, veto=veto, veto_reason=veto_reason
    )


def scores_view(user, panel):
    return review.scores_view(user, panel)


def scores_summary(application: TeamApplication):
    return TEAMS.scores_summary(application)


def decision_blocker(application: TeamApplication) -> str:
    return TEAMS.decision_blocker(application)


def require_decidable(application: TeamApplication) -> None:
    TEAMS.require_decidable(application)
