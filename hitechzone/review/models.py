"""The expert review shared by the modules (docs/0013): the one expert pool (专家库), the versioned scoring weights of
each kind of review, and the abstract panel, seat and score that each module's concrete panel tables extend.

The pool keeps the tables it had in M3 (``projects_expert``, ``projects_scoringweights``): it moved here without a
row touched (migrations ``projects/0006`` and ``review/0001``). A module's panel table adds the relation to its
subject (M3: ``projects.Panel.project``; M6: ``talent.TeamPanel.application``); its seat table adds ``panel`` and
``expert``; its score table adds ``member``. The rules are in ``panels.py`` (no ORM), the writes and the sealed reads
in ``services.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hitechzone.accounts.models import Role
from hitechzone.common.scoping import ReferenceQuerySet, ScopedQuerySet

from . import panels

#: The specialty of an expert who sits on a panel of any chain.
GENERAL = panels.GENERAL


class ExpertQuerySet(ScopedQuerySet):
    def scope_admin(self, user):
        return self.all()

    scope_leader = scope_officer = scope_admin  # the investment side reads the pool

    def scope_expert(self, user):  # his own entry
        return self.filter(user=user)

    # Department staff and enterprises: none.


class Expert(models.Model):
    """One expert of the pool (专家库) every review panel is drawn from (M3's projects, M6's team applications).

    ``specialties``: chain codes, or ``"general"`` for an expert who may sit on any chain's panel.
    ``former_affiliations``: ``[{"name": "…", "until": "YYYY-MM-DD"}]``; ``declared_conflicts``: organisation names or
    USCCs the expert declares a conflict of interest with.
    """

    name = models.CharField(_("name"), max_length=64)
    title = models.CharField(_("title"), max_length=64, blank=True, help_text=_("e.g. 教授级高工, 研究员"))
    academician = models.BooleanField(
        _("academician"),
        default=False,
        help_text=_("An academician (院士) of the Chinese Academy of Sciences or of Engineering."),
    )
    specialties = models.JSONField(_("specialties"), default=list, blank=True)
    affiliation = models.CharField(_("affiliation"), max_length=128, blank=True)
    former_affiliations = models.JSONField(_("former affiliations"), default=list, blank=True)
    declared_conflicts = models.JSONField(_("declared conflicts"), default=list, blank=True)
    active = models.BooleanField(_("active"), default=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="expert_profile",
        limit_choices_to={"role": Role.EXPERT},
        help_text=_("The expert's own login (a user of the role expert)."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ExpertQuerySet.as_manager()

    class Meta:
        db_table = "projects_expert"  # the table M3 created, kept (docs/0013)
        ordering = ["name", "pk"]
        verbose_name = _("expert")
        verbose_name_plural = _("experts")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        problems = panels.expert_problems(self.specialties, self.former_affiliations, self.declared_conflicts)
        if self.user_id and self.user.role != Role.EXPERT:
            problems["user"] = [_("The login must be a user of the role expert.")]
        if problems:
            raise ValidationError(problems)


class ScoringWeights(models.Model):
    """The review criteria's weights, versioned per kind of review (an administrator adds a version in the Django
    admin; a panel keeps the version in force when it was drawn). ``kind``: ``project`` (M3's six criteria) or
    ``team`` (M6's five, ``panels.TEAM_CRITERIA``). ``weights``: criterion code → percent as a decimal string,
    summing to 100, e.g. ``{"industry_fit": "20", "investment_intensity": "20", "safety_environment": "20",
    "industry_linkage": "15", "technology": "15", "economic_benefit": "10"}``."""

    kind = models.CharField(_("kind of review"), max_length=8, choices=panels.KINDS, default=panels.PROJECT)
    version = models.PositiveSmallIntegerField(_("version"))
    weights = models.JSONField(_("weights"))
    is_demo_default = models.BooleanField(
        _("demo default"), default=False, help_text=_("The demo's default values, not an adopted policy.")
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ReferenceQuerySet.as_manager()  # the criteria and their weights are public to every signed-in role

    class Meta:
        db_table = "projects_scoringweights"  # the table M3 created, kept (docs/0013)
        ordering = ["kind", "-version"]
        constraints = [models.UniqueConstraint(fields=["kind", "version"], name="review_weights_kind_version")]
        verbose_name = _("scoring weights")
        verbose_name_plural = _("scoring weights")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        problems = panels.weights_problems(self.weights, kind=self.kind)
        if problems:
            raise ValidationError({"weights": "; ".join(problems)})

    @classmethod
    def current(cls, kind: str = panels.PROJECT) -> ScoringWeights | None:
        return cls.objects.filter(kind=kind).order_by("-version").first()


# --- What every module's panel, seat and score have (each module adds the relations: docs/0013) ---------------------


class PanelBase(models.Model):
    """A review panel drawn for a subject, with what an auditor needs to replay the draw: the seed, the size, the
    eligible experts (ids, in the order the draw read them), the excluded ones with their reasons, and each
    replacement of a member who declined (its own seed and candidates). The concrete table adds its subject."""

    size = models.PositiveSmallIntegerField(_("size"))
    seed = models.BigIntegerField(_("seed"))
    chain = models.CharField(_("chain drawn for"), max_length=32, blank=True)
    eligible = models.JSONField(_("eligible experts"), default=list)
    excluded = models.JSONField(_("excluded experts"), default=list)
    replacements = models.JSONField(_("replacements"), default=list)
    weights = models.ForeignKey(
        ScoringWeights, verbose_name=_("scoring weights"), on_delete=models.PROTECT, related_name="+"
    )
    drawn_on = models.DateField(_("drawn on"))
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("drawn by"), on_delete=models.PROTECT, related_name="+"
    )
    drawn_at = models.DateTimeField(_("drawn at"))

    class Meta:
        abstract = True
        verbose_name = _("review panel")
        verbose_name_plural = _("review panels")


class SeatStatus(models.TextChoices):
    SITTING = "sitting", _("Sitting")
    DECLINED = "declined", _("Declined")


class MemberQuerySet(ScopedQuerySet):
    def sitting(self):
        return self.filter(status=SeatStatus.SITTING)


class MemberBase(models.Model):
    """A seat on a panel: the expert drawn, in the order drawn; a member who declines keeps his row (declined), and
    his replacement's row names him. The concrete table adds ``panel`` (related name ``members``) and ``expert``."""

    Status = SeatStatus

    seat = models.PositiveSmallIntegerField(_("seat"))
    status = models.CharField(_("status"), max_length=8, choices=SeatStatus.choices, default=SeatStatus.SITTING)
    replaces = models.ForeignKey(
        "self", verbose_name=_("replaces"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    declined_at = models.DateTimeField(_("declined at"), null=True, blank=True)
    decline_reason = models.CharField(_("reason for declining"), max_length=200, blank=True)

    class Meta:
        abstract = True
        ordering = ["panel", "seat"]
        verbose_name = _("panel member")
        verbose_name_plural = _("panel members")

    def __str__(self) -> str:
        return f"{self.panel} · {self.expert}"


class ScoreQuerySet(ScopedQuerySet):
    """No role reads scores through ``for_user`` (deny by default): the one read is ``services.scores_view``, which
    keeps them sealed until every sitting member has submitted."""


class ScoreBase(models.Model):
    """A member's sealed score: each criterion 0-100, the weighted total, a comment, a veto (一票否决) with its reason.
    Final once submitted. Nobody reads it before every sitting member has submitted (``services.scores_view``); its
    audit records mask the values (:data:`MASKED`), and the Django admin does not show it. The concrete table adds
    ``member`` (one-to-one, related name ``score``)."""

    criteria = models.JSONField(_("criteria"))
    total = models.DecimalField(_("weighted total"), max_digits=7, decimal_places=4)
    comment = models.TextField(_("comment"), blank=True)
    veto = models.BooleanField(_("veto"), default=False)
    veto_reason = models.CharField(_("reason for the veto"), max_length=200, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"))

    class Meta:
        abstract = True
        verbose_name = _("score")
        verbose_name_plural = _("scores")

    def __str__(self) -> str:
        return str(self.member)


#: A score's fields the audit trail masks (``audit.register(…, masked=MASKED)``): the trail shows that a member
#: submitted, never what, so that no reader of the trail breaks the seal.
MASKED = ("criteria", "total", "comment", "veto", "veto_reason")
