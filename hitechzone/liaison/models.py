"""M1: service officers (店小二). The assignment table also scopes what an officer may see."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hitechzone.common.scoping import ScopedQuerySet


class AssignmentQuerySet(ScopedQuerySet):
    def active(self, on=None):
        on = on or timezone.localdate()
        return self.filter(started_on__lte=on).filter(models.Q(ended_on__isnull=True) | models.Q(ended_on__gt=on))

    def scope_admin(self, user):
        return self.all()

    scope_leader = scope_admin

    def scope_officer(self, user):
        return self.filter(officer=user)

    def scope_enterprise(self, user):
        return self.filter(enterprise_id=user.enterprise_id) if user.enterprise_id else self.none()


class Assignment(models.Model):
    """One officer serving one enterprise, at once investment helper, approval agent and liaison."""

    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("officer"), on_delete=models.PROTECT, related_name="assignments"
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on"]
        verbose_name = _("officer assignment")
        verbose_name_plural = _("officer assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise"],
                condition=models.Q(ended_on__isnull=True),
                name="one_open_assignment_per_enterprise",
            ),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=models.F("started_on")),
                name="assignment_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["officer", "ended_on"], name="assignment_officer_open")]

    def __str__(self) -> str:
        return f"{self.officer} → {self.enterprise}"

    def clean(self) -> None:
        super().clean()
        if self.officer_id and self.officer.effective_role != "officer":
            raise ValidationError({"officer": _("Only a service officer can be assigned to an enterprise.")})
