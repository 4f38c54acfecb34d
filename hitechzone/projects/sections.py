"""What M3 adds to the pages of the registry (issue 14, item 10): the chain old occupant → exit case → new project.

- On a parcel's page (``zone.sections``): the project the parcel now carries, with the land's former user and what
  freed it.
- On the old occupant's page (``enterprises.sections``): "its former land now carries project X".
- On the new project's enterprise (投产): the project it came from, and the land it stands on.

Each reads through ``Project.objects.for_user`` (an enterprise user sees only its own investor's projects, department
staff none) and costs a bounded number of queries (two or three); a section with nothing to show is not shown.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch
from django.urls import reverse

from hitechzone.enterprises.sections import EnterpriseRows
from hitechzone.zone.models import ParcelRelease

from .links import releases_prefetch
from .models import Project, ProjectEnterprise, ProjectParcel


def parcel_projects(user, parcel):
    """The project on ``parcel`` (with the enterprise it became), or ``None``."""
    rows = list(
        ProjectParcel.objects.filter(parcel=parcel, project__in=Project.objects.for_user(user))
        .select_related("project__investor", "project__officer", "project__enterprise_link__enterprise")
        .prefetch_related(releases_prefetch("parcel__"))
    )
    return rows or None


def former_land(user, enterprise):
    """The projects now on the land ``enterprise`` handed back (each with the release: which case freed it)."""
    released_here = ParcelRelease.objects.filter(parcel=OuterRef("parcel"), former_enterprise=enterprise)
    rows = list(
        ProjectParcel.objects.filter(Exists(released_here), project__in=Project.objects.for_user(user))
        .select_related("parcel", "project__enterprise_link__enterprise")
        .prefetch_related(
            Prefetch(
                "parcel__releases",
                queryset=ParcelRelease.objects.filter(former_enterprise=enterprise).prefetch_related("source"),
                to_attr="released_here",
            )
        )
        .order_by("project__name", "parcel__code")
    )
    if not rows:
        return None
    return EnterpriseRows(rows=rows)


def project_origin(user, enterprise):
    """The project(s) the enterprise came from (投产), with the land each stands on and its former users."""
    rows = list(
        ProjectEnterprise.objects.filter(enterprise=enterprise, project__in=Project.objects.for_user(user))
        .select_related("project__investor", "project__officer")
        .prefetch_related(
            Prefetch(
                "project__parcel_links",
                queryset=ProjectParcel.objects.select_related("parcel").prefetch_related(releases_prefetch("parcel__")),
            )
        )
    )
    if not rows:
        return None
    more = reverse("projects:detail", args=[rows[0].project_id]) if len(rows) == 1 else ""
    return EnterpriseRows(rows=rows, more_url=more)
