"""M6's expert review of team applications on the shared mechanism (docs/0013; the rules in docs/0009): who draws,
the team's conflict sides, and M6's calls of ``hitechzone.review.services`` (the one copy of the draw, the decline,
the sealed scoring and the sealed read).

- Who draws (:func:`can_draw`): an administrator or the talent office, while the application is under review
  (after the formal check); drawing again is refused once a member has scored.
- The conflict sides (:func:`sides`): the team's leader and each member by name, the enterprise the team set up or
  joined (its name and USCC), and the employers and host organisations recorded for the team's talents (their
  enterprise, their platform and its host). An expert whose affiliation, former affiliation within 3 years, or
  declared conflict names one of them is excluded — the same rule code as M3's.
- The chain: the drawer may name the chain the team's project belongs to; its experts and the general ones are
  eligible (none named: the general experts only).
- Who scores and declines: a sitting member, for himself (the team's criteria, ``panels.TEAM_CRITERIA``).
- The decision (approve / reject with reasons, ``services.team_step``) waits, once a panel exists, until every
  sitting member has scored (:func:`decision_blocker`).
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from hitechzone.common.rules import Refused, require
from hitechzone.enterprises.models import IndustryChain
from hitechzone.review import panels
from hitechzone.review import services as review

from . import roles
from .models import Talent, TeamApplication
from .models_review import TeamPanel, TeamPanelMember, TeamScore

#: M6's team panels, as the shared review reads and writes them.
KIND = review.Kind(panel=TeamPanel, member=TeamPanelMember, score=TeamScore, subject="application",
                   criteria=panels.TEAM)  # fmt: skip
S = TeamApplication.Status


def can_draw(user, application: TeamApplication) -> bool:
    """Administrators and the talent office draw a team application's panel."""
    return roles.may_write(user)


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


def _chain(code: str) -> str:
    code = (code or "").strip()
    require(not code or IndustryChain.objects.filter(code=code).exists(), _("Unknown chain: %(c)s") % {"c": code})
    return code


def _locked(application: TeamApplication) -> TeamApplication:
    return TeamApplication.objects.select_for_update(of=("self",)).select_related("enterprise").get(pk=application.pk)


@transaction.atomic
def panel_draw(*, by, application: TeamApplication, chain: str = "", size: int | None = None, seed: int | None = None):
    """Draw the application's panel (``review.services.draw``: 5 experts by default, one an academician; the seed at
    random unless given). Under review only; refused once a member has scored; nothing stored when refused."""
    require(can_draw(by, application), _("Only an administrator or the talent office draws a team's panel."))
    application = _locked(application)
    require(
        application.status == S.REVIEW,
        _("A panel is drawn while the application is under review (after the formal check)."),
    )
    return review.draw(
        by=by, kind=KIND, subject=application, chain=_chain(chain), party=sides(application), size=size, seed=seed
    )


def member_of(user, application: TeamApplication):
    """The user's sitting seat on the application's panel, if he has one."""
    return review.member_of(user, KIND, application)


def panel_of(application: TeamApplication):
    return TeamPanel.objects.filter(application=application).select_related("weights").first()


@transaction.atomic
def member_decline(*, by, application: TeamApplication, reason: str = ""):
    """The expert ``by`` declines his seat before scoring; a replacement is drawn at once (``review.decline``)."""
    application = _locked(application)
    require(application.status == S.REVIEW, _("The review is over."))
    panel = panel_of(application)
    chain = panel.chain if panel is not None else ""
    return review.decline(by=by, kind=KIND, subject=application, chain=chain, party=sides(application), reason=reason)


@transaction.atomic
def score_submit(*, by, application: TeamApplication, criteria: dict, comment: str = "", veto: bool = False,
                 veto_reason: str = ""):  # fmt: skip
    """The member ``by`` submits his sealed score on the team's criteria (final)."""
    application = _locked(application)
    require(application.status == S.REVIEW, _("The review is over."))
    return review.score_submit(
        by=by, kind=KIND, subject=application, criteria=criteria, comment=comment, veto=veto, veto_reason=veto_reason
    )


def scores_view(user, panel):
    return review.scores_view(user, panel)


def scores_summary(application: TeamApplication):
    """(sealed, panel score, recommendation): what the decision shows beside it."""
    return review.scores_summary(KIND, application)


def decision_blocker(application: TeamApplication) -> str:
    """Why the review's outcome cannot be recorded yet ("" when it can): a panel is drawn and not every sitting
    member has scored. Without a panel the outcome is recorded as before (docs/0012)."""
    panel = TeamPanel.objects.filter(application=application).first()
    if panel is None:
        return ""
    seats = panel.members.sitting()
    if seats.filter(score__isnull=True).exists():
        return _("The panel's scores are not all in: the outcome is recorded once every sitting member has scored.")
    return ""


def require_decidable(application: TeamApplication) -> None:
    blocker = decision_blocker(application)
    if blocker:
        raise Refused(blocker)
