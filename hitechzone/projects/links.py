"""A project's links beyond M3 (issue 14, items 10-11; docs/0011-project-links.md).

- **Land**: the parcels M4's land-exit cases handed back are published into the zone (``zone.ParcelRelease``); a
  parcel with a release and no land user is *freed land on offer* (``Parcel.objects.freed()``). M3 lists those not yet
  carrying a project (:func:`available_parcels`) and places a project on them (:func:`project_place`). M3 reads the
  zone, never M4.
- **Approvals**: the project's officer opens an M2 parallel approval for it as the agent (代办) through the registry
  ``common.bundles`` (:func:`project_open_bundle`), which M2 fills; the bundle stores the project's generic reference,
  and the project's page reads its progress by that reference (:func:`project_bundles`). M3 never imports M2.
- **投产**: the project becomes, or links to, an enterprise of the registry, and its officer becomes that enterprise's
  店小二 (:func:`project_link_enterprise`; the assignment is M0's, audited).

Writes are keyword-only, one transaction, the acting user as ``by=``; the audit trail records every save
(``audit.register`` in apps.py). A rule broken raises ``Refused``; nothing is written.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from hitechzone.accounts.models import Role
from hitechzone.accounts.roles import effective_role
from hitechzone.common.bundles import BundleProgress, bundle_provider, subject_key
from hitechzone.common.rules import require
from hitechzone.enterprises import services as enterprise_services
from hitechzone.enterprises.models import Assignment, Enterprise, Industry
from hitechzone.enterprises.uscc import normalise
from hitechzone.zone.models import Parcel, ParcelRelease

from .models import Project, ProjectEnterprise, ProjectParcel

# --- Reads ----------------------------------------------------------------------------------------------------------


def releases_prefetch(prefix: str = "") -> Prefetch:
    """The releases of the parcels read (newest first), with their former land user and what freed them."""
    return Prefetch(
        f"{prefix}releases",
        queryset=ParcelRelease.objects.select_related("former_enterprise").prefetch_related("source"),
    )


def available_parcels(user):
    """Freed land on offer that ``user`` may see and that carries no project yet, with its releases (3 queries)."""
    taken = ProjectParcel.objects.filter(parcel=OuterRef("pk"))
    return (
        Parcel.objects.for_user(user)
        .freed()
        .filter(~Exists(taken))
        .select_related("brand", "block", "functional_area")
        .prefetch_related(releases_prefetch())
        .order_by("brand__sort_order", "code")
    )


def project_placements(user, project: Project) -> list[ProjectParcel]:
    """The project's parcels, each with its releases (the chain: former land user → exit case → this project)."""
    return list(
        ProjectParcel.objects.for_user(user)
        .filter(project=project)
        .select_related("parcel", "parcel__brand")
        .prefetch_related(releases_prefetch("parcel__"))
    )


def project_enterprise(user, project: Project) -> ProjectEnterprise | None:
    return (
        ProjectEnterprise.objects.for_user(user)
        .filter(project=project)
        .select_related("enterprise", "linked_by")
        .first()
    )


def project_bundles(user, project: Project) -> list[BundleProgress]:
    """The parallel approvals opened for the project that ``user`` may see (M2's scope), with their progress."""
    provider = bundle_provider()
    if provider is None:
        return []
    key = subject_key(project)
    return provider.progress(user=user, subjects=[key]).get(key, [])


def can_change(user, project: Project) -> bool:
    """The project's own officer, or an administrator (``Project.objects.editable``)."""
    return Project.objects.editable(user).filter(pk=project.pk).exists()


# --- Writes ---------------------------------------------------------------------------------------------------------


def _require_changer(by, project: Project) -> None:
    require(can_change(by, project), _("Only the project's own officer (or an administrator) may do this."))


def _codes(parcels) -> str:
    return ", ".join(sorted(p.code for p in parcels))


@transaction.atomic
def project_place(*, by, project: Project, parcels, on: date | None = None) -> list[ProjectParcel]:
    """Place the project on ``parcels`` (its placement becomes exactly these): freed land on offer that ``by`` may
    see, carrying no other project. Parcels it already stands on stay placed."""
    _require_changer(by, project)
    wanted = {p.pk: p for p in parcels}
    require(bool(wanted), _("Choose at least one parcel."))
    locked = {p.pk: p for p in Parcel.objects.select_for_update().filter(pk__in=wanted)}
    visible = set(Parcel.objects.for_user(by).filter(pk__in=wanted).values_list("pk", flat=True))
    hidden = [wanted[pk] for pk in wanted if pk not in visible]
    require(not hidden, _("These parcels are not ones you may see: %(codes)s.") % {"codes": _codes(hidden)})
    current = {link.parcel_id: link for link in ProjectParcel.objects.select_for_update().filter(project=project)}
    new = [pk for pk in wanted if pk not in current]
    offered = set(Parcel.objects.freed().filter(pk__in=new).values_list("pk", flat=True))
    not_offered = [locked[pk] for pk in new if pk not in offered]
    require(
        not not_offered,
        _("These parcels are not freed land on offer (handed back to the zone, with no land user): %(codes)s.")
        % {"codes": _codes(not_offered)},
    )
    taken = ProjectParcel.objects.filter(parcel_id__in=new).select_related("parcel", "project")
    require(
        not taken,
        _("These parcels already carry another project: %(which)s.")
        % {"which": ", ".join(f"{t.parcel.code} ({t.project.name})" for t in taken)},
    )
    for pk, link in current.items():
        if pk not in wanted:
            link.delete()
    on = on or timezone.localdate()
    for pk in new:
        ProjectParcel.objects.create(project=project, parcel=locked[pk], placed_on=on, placed_by=by)
    return list(ProjectParcel.objects.filter(project=project).select_related("parcel"))


@transaction.atomic
def project_open_bundle(
    *, by, project: Project, items, name: str = "", started_on: date | None = None
) -> BundleProgress:
    """Open an M2 parallel approval (并联审批) for the project, filed by its officer as the agent (代办) of the
    project's enterprise (the project company: :func:`project_link_enterprise` first)."""
    _require_changer(by, project)
    provider = bundle_provider()
    require(provider is not None, _("No approval centre is installed."))
    link = ProjectEnterprise.objects.filter(project=project).select_related("enterprise").first()
    require(
        link is not None,
        _("Link the project to its enterprise (the project company) first: a parallel approval is filed for an "
          "enterprise."),
    )  # fmt: skip
    return provider.open(
        by=by,
        subject=subject_key(project),
        enterprise=link.enterprise,
        name=(name or project.name).strip(),
        items=list(items),
        started_on=started_on,
    )


def _industry(code: str):
    digits = code[1:] if code[:1].isalpha() else code
    prefixes = [digits[:n] for n in range(len(digits), 1, -1)]
    found = {i.code: i for i in Industry.objects.filter(code__in=prefixes)}
    return next((found[p] for p in prefixes if p in found), None)


def _new_enterprise(*, by, project: Project) -> tuple[Enterprise, bool]:
    """The investor's registry enterprise: the one linked to the investor, the one with its USCC, else a new one
    (name and USCC of the investor; brand and area of the project's land)."""
    investor = project.investor
    if investor.enterprise_id:
        return investor.enterprise, False
    uscc = normalise(investor.uscc or "")
    require(
        bool(uscc),
        _("The investor %(name)s has no USCC: record it, or link the project to an enterprise of the registry.")
        % {"name": investor.name},
    )
    found = Enterprise.objects.filter(uscc=uscc).first()
    if found is not None:
        return found, False
    placed = ProjectParcel.objects.filter(project=project).select_related("parcel__brand").order_by("parcel__code")
    first = placed.first()
    brand = first.parcel.brand if first else (project.functional_area.brand if project.functional_area else None)
    require(
        brand is not None,
        _("Place the project on its parcels first: the new enterprise takes the brand of its land."),
    )
    area = project.functional_area or (first.parcel.functional_area if first else None)
    enterprise = enterprise_services.enterprise_create(
        by=by,
        uscc=uscc,
        name=investor.name,
        brand=brand,
        functional_area=area,
        industry=_industry(project.industry_code) if project.industry_code else None,
        status=Enterprise.Status.OPERATING,
        chains=[project.chain] if project.chain_id else (),
    )
    return enterprise, True


@transaction.atomic
def project_link_enterprise(*, project: Project, enterprise: Enterprise | None = None, by) -> ProjectEnterprise:
    """投产: link the project to ``enterprise`` (one ``by`` may see), or, without one, to its investor's enterprise
    (created in the registry from the investor's name and USCC when there is none); the project's officer becomes the
    enterprise's 店小二 (an M0 assignment from today, audited). Linking again to the same enterprise changes nothing;
    an enterprise another officer serves is refused (its hand-over is M1's)."""
    _require_changer(by, project)
    project = Project.objects.select_for_update(of=("self",)).select_related("investor", "officer").get(pk=project.pk)
    officer = project.officer
    require(
        officer is not None and effective_role(officer) == Role.OFFICER,
        _("The project has no investment officer to become the enterprise's service officer."),
    )
    link = ProjectEnterprise.objects.filter(project=project).select_related("enterprise").first()
    if link is not None:
        require(
            enterprise is None or enterprise.pk == link.enterprise_id,
            _("The project is already linked to %(name)s.") % {"name": link.enterprise.name},
        )
        _serve(officer=officer, enterprise=link.enterprise, by=by)
        return link
    created = False
    if enterprise is not None:
        require(
            Enterprise.objects.for_user(by).filter(pk=enterprise.pk).exists(),
            _("That enterprise is not one you may see."),
        )
    else:
        enterprise, created = _new_enterprise(by=by, project=project)
        require(
            created or Enterprise.objects.for_user(by).filter(pk=enterprise.pk).exists(),
            _("%(name)s (the investor's enterprise) is in the registry and served by another officer: ask an "
              "administrator to link it.") % {"name": enterprise.name},
        )  # fmt: skip
    _serve(officer=officer, enterprise=enterprise, by=by)
    link = ProjectEnterprise.objects.create(
        project=project,
        enterprise=enterprise,
        created_enterprise=created,
        linked_on=timezone.localdate(),
        linked_by=by,
    )
    investor = project.investor
    if created and investor.enterprise_id is None:
        investor.enterprise = enterprise  # the investor's own login now sees its projects (item 2)
        investor.save(update_fields=["enterprise"])
    return link


def _serve(*, officer, enterprise: Enterprise, by) -> None:
    """The officer serves the enterprise from today: already, or through a new M0 assignment (refused when another
    officer serves it)."""
    today = timezone.localdate()
    if Assignment.objects.active(today).filter(enterprise=enterprise, officer=officer).exists():
        return
    enterprise_services.assignment_open(by=by, officer=officer, enterprise=enterprise, started_on=today)
