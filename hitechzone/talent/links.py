"""An off-site incubator's investment projects (issue 15, point 2: 研发在外地、转化在园区): writes and reads.

M6 does not import M3 (``.importlinter``): a project is named by its subject key (``"projects.project:42"``) and read
through the registry ``common.subjects``, which the project module fills (docs/0016-subjects.md). So:

- :func:`incubator_project_link` (administrators and the talent office, like the enterprise links) refuses a project
  ``by`` may not see — the project module's own scope decides (``Project.objects.for_user``: department staff, and so
  the talent office, see none; an administrator all) — and a second link of the same project; nothing is written.
- :func:`incubator_projects` shows the viewer only the projects he may see (two queries whatever their number);
  the project's page shows the incubators through the section :func:`project_incubators` (one query).

Both writes run in one transaction and are audited (``IncubatorProject`` is registered in ``apps.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from hitechzone.common.subjects import Subject, parse_key, subject_key, subject_kind, subjects_describe

from .models import Incubator, IncubatorProject
from .services import FieldErrors, Refused, _clean, _writer

__all__ = ["PROJECT_KIND", "incubator_project_link", "incubator_project_unlink", "incubator_projects"]

PROJECT_KIND = "projects.project"


@dataclass(frozen=True)
class ShownLink:
    """A link as the incubator's page shows it: the row and the project (label, URL) as the viewer may see it."""

    link: IncubatorProject
    subject: Subject


def projects_installed() -> bool:
    return subject_kind(PROJECT_KIND) is not None


def _project(by, project: str) -> Subject:
    if not projects_installed():
        raise Refused(_("The investment-projects module is not installed."))
    parsed = parse_key(project)
    if parsed is None or parsed[0] != PROJECT_KIND:
        raise FieldErrors({"project": [_("Name an investment project.")]})
    subject = subjects_describe(by, [project]).get(project)
    if subject is None:
        raise FieldErrors({"project": [_("You may not name this investment project.")]})
    return subject


@transaction.atomic
def incubator_project_link(
    *, by, incubator: Incubator, project: str, moved_on=None, note: str = ""
) -> IncubatorProject:
    """Record that the investment project ``project`` (a subject key) moved from ``incubator`` into the zone."""
    _writer(by)
    if not Incubator.objects.for_user(by).filter(pk=incubator.pk).exists():
        raise FieldErrors({"incubator": [_("You may not name this incubator.")]})
    subject = _project(by, project)
    if IncubatorProject.objects.filter(incubator=incubator, project=subject.key).exists():
        raise Refused(_("%(p)s is already linked to %(i)s.") % {"p": subject.label, "i": incubator})
    link = IncubatorProject(
        incubator=incubator, project=subject.key, project_name=subject.label[:200], moved_on=moved_on, note=note
    )
    _clean(link)
    link.save()
    return link


@transaction.atomic
def incubator_project_unlink(*, by, link: IncubatorProject) -> None:
    """Remove the link (only one to a project ``by`` may see)."""
    _writer(by)
    _project(by, link.project)
    IncubatorProject.objects.select_for_update().filter(pk=link.pk).delete()


def incubator_projects(user, incubator: Incubator) -> list[ShownLink]:
    """The incubator's projects that ``user`` may see, each with its label and URL (two queries)."""
    links = list(IncubatorProject.objects.filter(incubator=incubator).order_by("-moved_on", "pk"))
    if not links:
        return []
    seen = subjects_describe(user, [link.project for link in links])
    return [ShownLink(link=link, subject=seen[link.project]) for link in links if link.project in seen]


def project_incubators(user, project) -> list[IncubatorProject] | None:
    """The section of the project's page (the viewer sees the project): the off-site incubators, among those he sees,
    it moved from (one query); ``None`` when there are none."""
    rows = list(
        IncubatorProject.objects.for_user(user)
        .filter(project=subject_key(project))
        .select_related("incubator")
        .order_by("incubator__name")
    )
    return rows or None


def register() -> None:
    """From ``TalentConfig.ready()``: the audit of the links, and the section of the project's page."""
    from django.utils.translation import gettext_lazy

    from hitechzone.common import audit
    from hitechzone.common.subjects import register_subject_section

    # The trail names the project by its name (``project_name``), not by its key (a code, not for readers).
    audit.register(IncubatorProject, enterprise=audit.NO_ENTERPRISE, exclude=(*audit.DEFAULT_EXCLUDE, "project"))
    register_subject_section(
        PROJECT_KIND, "talent_incubators", title=gettext_lazy("From off-site incubators"),
        template="talent/_project_incubators.html", rows=project_incubators, order=60,
    )  # fmt: skip
