"""M3 offers its investment projects to the other modules as linkable subjects (``common.subjects``), and its
project page shows the sections they register for a project (the other side of their links).

Every read goes through ``Project.objects.for_user``: a module that links a project, or shows a link to one, learns
of it only what its user may see (an enterprise user only its investor's projects, department staff none).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hitechzone.common.subjects import Subject, parse_key, register_subject_kind

from .models import Project

KIND = "projects.project"


def _subject(project: Project) -> Subject:
    return Subject(key=f"{KIND}:{project.pk}", label=project.name, url=reverse("projects:detail", args=[project.pk]))


def search(user, text: str = "", limit: int = 200) -> list[Subject]:
    qs = Project.objects.for_user(user).only("pk", "name")
    if text:
        qs = qs.filter(name__icontains=text)
    return [_subject(p) for p in qs.order_by("name", "pk")[:limit]]


def describe(user, keys) -> dict[str, Subject]:
    pks = {parsed[1] for parsed in map(parse_key, keys) if parsed and parsed[0] == KIND}
    if not pks:
        return {}
    return {s.key: s for s in map(_subject, Project.objects.for_user(user).filter(pk__in=pks).only("pk", "name"))}


def register() -> None:
    register_subject_kind(KIND, title=_("Investment project"), search=search, describe=describe)
