"""M6's review panels for team applications and for applications to the innovation fund (grants), on the shared
expert review (docs/0013): the one expert pool, the same draw, conflict rules and sealed scoring as M3's project
panels. These tables only add the relations (the fields are ``review.models.PanelBase``, ``MemberBase``,
``ScoreBase``); ``talent/review.py`` calls ``review.services``.

Scoping: the panel is the committee's — administrators, leaders and the talent office see it; an expert the panels
he sits on (while sitting); the team's (the applicant's) enterprise never learns who reviews it. Scores are read
only through ``review.services.scores_view`` (sealed until every sitting member has submitted): ``for_user`` answers
none.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from hitechzone.common.scoping import ScopedQuerySet
from hitechzone.review.models import Expert, MemberBase, MemberQuerySet, PanelBase, ScoreBase, ScoreQuerySet

from .models import Grant, TeamApplication, _office


class PanelQuerySet(ScopedQuerySet):
    """A panel of either subject: the module's staff see it; an expert the panels he sits on."""

    def scope_admin(self, user):
        return self.all()

    scope_leader = scope_admin

    def scope_dept(self, user):
        return self.all() if _office(user) else self.none()

    def scope_expert(self, user):  # the panels he sits on
        return self.filter(members__expert__user=user, members__status=MemberBase.Status.SITTING)


class TeamPanel(PanelBase):
    """The review panel drawn for a team application (what an auditor replays the draw with: ``PanelBase``)."""

    application = models.OneToOneField(
        TeamApplication, verbose_name=_("team application"), on_delete=models.CASCADE, related_name="panel"
    )

    objects = PanelQuerySet.as_manager()

    class Meta:
        verbose_name = _("team review panel")
        verbose_name_plural = _("team review panels")

    def __str__(self) -> str:
        return str(self.application)


class SeatQuerySet(MemberQuerySet):
    """A seat on a panel of either subject: the module's staff see it; an expert the seats of the panels he sits on."""

    def scope_admin(self, user):
        return self.all()

    scope_leader = scope_admin

    def scope_dept(self, user):
        return self.all() if _office(user) else self.none()

    def scope_expert(self, user):
        panel_model = self.model._meta.get_field("panel").related_model
        return self.filter(panel__in=panel_model.objects.scope_expert(user))


class TeamPanelMember(MemberBase):
    """A seat on a team application's panel (``MemberBase``)."""

    panel = models.ForeignKey(
        TeamPanel, verbose_name=_("team review panel"), on_delete=models.CASCADE, related_name="members"
    )
    expert = models.ForeignKey(Expert, verbose_name=_("expert"), on_delete=models.PROTECT, related_name="team_seats")

    objects = SeatQuerySet.as_manager()

    class Meta:
        ordering = ["panel", "seat"]
        constraints = [models.UniqueConstraint(fields=["panel", "expert"], name="talent_team_panel_member_once")]
        indexes = [models.Index(fields=["expert", "status"], name="talent_member_expert_idx")]
        verbose_name = _("team panel member")
        verbose_name_plural = _("team panel members")


class TeamScore(ScoreBase):
    """A member's sealed score on a team application's panel (``ScoreBase``; read only through
    ``review.services.scores_view``)."""

    member = models.OneToOneField(
        TeamPanelMember, verbose_name=_("panel member"), on_delete=models.PROTECT, related_name="score"
    )

    objects = ScoreQuerySet.as_manager()

    class Meta:
        verbose_name = _("team score")
        verbose_name_plural = _("team scores")


class GrantPanel(PanelBase):
    """The review panel drawn for an application to the innovation fund (``PanelBase``)."""

    grant = models.OneToOneField(Grant, verbose_name=_("grant"), on_delete=models.CASCADE, related_name="panel")

    objects = PanelQuerySet.as_manager()

    class Meta:
        verbose_name = _("grant review panel")
        verbose_name_plural = _("grant review panels")

    def __str__(self) -> str:
        return str(self.grant)


class GrantPanelMember(MemberBase):
    """A seat on a grant application's panel (``MemberBase``)."""

    panel = models.ForeignKey(
        GrantPanel, verbose_name=_("grant review panel"), on_delete=models.CASCADE, related_name="members"
    )
    expert = models.ForeignKey(Expert, verbose_name=_("expert"), on_delete=models.PROTECT, related_name="grant_seats")

    objects = SeatQuerySet.as_manager()

    class Meta:
        ordering = ["panel", "seat"]
        constraints = [models.UniqueConstraint(fields=["panel", "expert"], name="talent_grant_panel_member_once")]
        indexes = [models.Index(fields=["expert", "status"], name="talent_grant_member_expert_idx")]
        verbose_name = _("grant panel member")
        verbose_name_plural = _("grant panel members")


class GrantScore(ScoreBase):
    """A member's sealed score on a grant application's panel (``ScoreBase``; read only through
    ``review.services.scores_view``)."""

    member = models.OneToOneField(
        GrantPanelMember, verbose_name=_("panel member"), on_delete=models.PROTECT, related_name="score"
    )

    objects = ScoreQuerySet.as_manager()

    class Meta:
        verbose_name = _("grant score")
        verbose_name_plural = _("grant scores")
