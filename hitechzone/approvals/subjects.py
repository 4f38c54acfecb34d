"""Parallel approvals opened for another module's record (``common.bundles``: M2's provider, registered in
``apps.py``). An investment project (M3) opens its bundle through it, as its officer (代办), without importing M2.
docs/0011-project-links.md."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hitechzone.common.bundles import BundleProgress, BundleProvider
from hitechzone.common.rules import require

from . import services
from .forms import item_choices, open_items
from .models import Application, Bundle, Item
from .queries import LIGHTS, light_filter


def items(user):
    """The items a parallel approval may bundle, grouped by department (a form field's choices)."""
    return item_choices(list(open_items()))


def _progress(bundles, today) -> list[tuple[str, BundleProgress]]:
    done = Q(applications__state__in=Application.DONE_STATES)
    counts = {
        "n_total": Count("applications"),
        "n_done": Count("applications", filter=done),
        **{f"n_{light}": Count("applications", filter=_prefixed(light_filter(light, today))) for light in LIGHTS},
    }
    out = []
    for b in bundles.annotate(**counts):
        lights = {light: getattr(b, f"n_{light}") for light in LIGHTS}
        out.append(
            (
                b.subject,
                BundleProgress(
                    pk=b.pk,
                    name=b.name,
                    url=reverse("approvals:bundle", args=[b.pk]),
                    started_on=b.started_on,
                    completed_on=b.completed_on,
                    total=b.n_total,
                    done=b.n_done,
                    overdue=lights["red"],
                    lights=lights,
                ),
            )
        )
    return out


def _prefixed(q: Q) -> Q:
    """A filter on applications, moved onto the bundle's ``applications`` relation."""
    out = Q()
    out.connector, out.negated = q.connector, q.negated
    for child in q.children:
        if isinstance(child, Q):
            out.children.append(_prefixed(child))
        else:
            key, value = child
            out.children.append((f"applications__{key}", value))
    return out


def open_bundle(*, by, subject: str, enterprise, name: str, items, started_on=None) -> BundleProgress:
    """File the bundle for ``subject`` (``services.bundle_create``: an officer files as the enterprise's agent)."""
    ids = [int(i) for i in items]
    found = {i.pk: i for i in Item.objects.filter(pk__in=ids, status=Item.Status.ACTIVE)}
    require(len(found) == len(set(ids)), _("Some items do not exist or take no applications."))
    bundle = services.bundle_create(
        by=by, enterprise=enterprise, name=name, items=[found[i] for i in ids], started_on=started_on, subject=subject
    )
    return _progress(Bundle.objects.filter(pk=bundle.pk), timezone.localdate())[0][1]


def progress(*, user, subjects) -> dict[str, list[BundleProgress]]:
    """The bundles of ``subjects`` the user may see (M2's scope), with their progress: one query."""
    subjects = list(subjects)
    if not subjects:
        return {}
    visible = Bundle.objects.for_user(user).filter(subject__in=subjects).values("pk")
    bundles = Bundle.objects.filter(pk__in=visible).order_by("-started_on", "-id")
    out: dict[str, list[BundleProgress]] = {}
    for subject, row in _progress(bundles, timezone.localdate()):
        out.setdefault(subject, []).append(row)
    return out


PROVIDER = BundleProvider(items=items, open=open_bundle, progress=progress)
