"""M3's expert panels on the shared review (docs/0013; the rules in docs/0009): who draws a project's panel, the
project's chain and conflict sides, and M3's names for the shared writes and the sealed reads
(``hitechzone.review.services`` holds the one copy of the draw, the decline, the sealed scoring and the pool's writes).

- Who draws a project's panel (:func:`can_draw`): an administrator, a leader, or the project's own officer.
- Who declines: a sitting member, for himself, before he has scored; a replacement is drawn at once.
- Who scores: a sitting member, once (final): :func:`score_submit`.
- Who reads: :func:`scores_view` shows only who has submitted (and the caller's own score) until every sitting
  member has submitted; :func:`scores_summary` is what the leader's decision shows beside it.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from hitechzone.accounts.models import Role
from hitechzone.accounts.roles import effective_role
from hitechzone.common.rules import require
from hitechzone.review import services as review
from hitechzone.review.services import (  # noqa: F401 — M3's names for the one pool's writes and the sealed read
    EXPERT_FIELDS,
    POOL_KEEPERS,
    ScoresView,
    expert_create,
    expert_update,
    scores_view,
)

from . import panels
from .models import Panel, PanelMember, Project, Score

#: M3's panels, as the shared review reads and writes them.
KIND = review.Kind(panel=Panel, member=PanelMember, score=Score, subject="project", criteria=panels.PROJECT)


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


def _chain(project: Project) -> str:
    return project.chain.code if project.chain_id else ""


def _eligibility(project: Project, today):
    chain = _chain(project)
    eligible, excluded = review.eligibility(chain=chain, party=_party(project), today=today)
    return chain, eligible, excluded


@transaction.atomic
def panel_draw(*, by, project: Project, size: int | None = None, seed: int | None = None) -> Panel:
    """Draw the project's panel (``review.services.draw``: size 5 by default, the seed at random unless given; a
    panel nobody has scored on is replaced, else refused; too few eligible experts or no academician: refused)."""
    require(can_draw(by, project), _("Only an administrator, a leader or the project's own officer draws its panel."))
    project = Project.objects.select_for_update(of=("self",)).select_related("investor", "chain").get(pk=project.pk)
    return review.draw(
        by=by, kind=KIND, subject=project, chain=_chain(project), party=_party(project), size=size, seed=seed
    )


def member_of(user, project: Project) -> PanelMember | None:
    """The user's sitting seat on the project's panel, if he has one."""
    return review.member_of(user, KIND, project)


@transaction.atomic
def member_decline(*, by, project: Project, reason: str = "") -> PanelMember:
    """The expert ``by`` declines his seat (before he has scored); a replacement is drawn at once under the same
    rules (``review.services.decline``). Returns the replacement's seat."""
    project = Project.objects.select_related("investor", "chain").get(pk=project.pk)
    return review.decline(
        by=by, kind=KIND, subject=project, chain=_chain(project), party=_party(project), reason=reason
    )


# --- Scores ---------------------------------------------------------------------------------------------------------


@transaction.atomic
def score_submit(
    *, by, project: Project, criteria: dict, comment: str = "", veto: bool = False, veto_reason: str = ""
) -> Score:
    """The member ``by`` submits his score (each criterion a whole number 0-100; a veto needs its reason). Final:
    a second submission is refused."""
    return review.score_submit(
        by=by, kind=KIND, subject=project, criteria=criteria, comment=comment, veto=veto, veto_reason=veto_reason
    )


def scores_summary(project: Project):
    """(sealed, panel score, recommendation) of the project's panel: what the leader's decision shows beside it.
    Sealed (None, None) without a panel or until every sitting member has submitted."""
    return review.scores_summary(KIND, project)
