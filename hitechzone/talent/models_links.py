"""An off-site incubator's investment projects (issue 15, point 2): the projects of M3 that moved from it into the
zone. M6 does not import M3 (``.importlinter``): the project is stored as its subject key (``"projects.project:42"``)
and read through ``common.subjects`` (docs/0016-subjects.md)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from hitechzone.common.scoping import ScopedQuerySet


class IncubatorProjectQuerySet(ScopedQuerySet):
    """The links of the incubators the user sees; which of their projects he sees is the project module's answer
    (``links.incubator_projects``)."""

    def for_user(self, user):
        from .models import Incubator

        return self.filter(incubator__in=Incubator.objects.for_user(user))


class IncubatorProject(models.Model):
    """An investment project that moved from an off-site incubator into the zone (shown on both sides)."""

    incubator = models.ForeignKey(
        "talent.Incubator", verbose_name=_("incubator"), on_delete=models.PROTECT, related_name="project_links"
    )
    project = models.CharField(
        _("investment project"),
        max_length=64,
        db_index=True,
        help_text=_('Its subject key, e.g. "projects.project:42".'),
    )
    project_name = models.CharField(
        _("project name"),
        max_length=200,
        help_text=_("The project's name when it was linked (the trail's wording; the pages show the current name)."),
    )
    moved_on = models.DateField(_("moved into the zone on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = IncubatorProjectQuerySet.as_manager()

    class Meta:
        ordering = ["incubator", "pk"]
        verbose_name = _("investment project from an incubator")
        verbose_name_plural = _("investment projects from incubators")
        constraints = [models.UniqueConstraint(fields=["incubator", "project"], name="talent_incubator_project")]

    def __str__(self) -> str:
        return f"{self.incubator} → {self.project_name}"
