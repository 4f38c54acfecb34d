"""Writes of the evaluation schemes and their versions, exemptions and vetoes."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify
from django.utils.translation import gettext as _

from hitechzone.common.rules import require as _require
from hitechzone.enterprises.models import Enterprise
from hitechzone.evaluation.models import Exemption, Scheme, SchemeVersion, Veto

from .checks import DEFAULT_SCHEME_NAME, _check_definition, _check_year, _require_admin

# --- Schemes ------------------------------------------------------------------------------------------------


@transaction.atomic
def scheme_create(
    *, by, name: str, title: str, definition: dict, effective_from: int, brand=None, description: str = "", note=""
) -> Scheme:
    """A new scheme with its version 1 (used from ``effective_from`` on)."""
    _require_admin(by, _("Only an administrator creates evaluation schemes."))
    name = (name or "").strip()
    _require(bool(name) and slugify(name) == name and len(name) <= 40, _("The name is a short slug, e.g. “gaoxin”."))
    _require(not Scheme.objects.filter(name=name).exists(), _("A scheme named %(name)s exists.") % {"name": name})
    title = (title or "").strip()
    _require(bool(title) and len(title) <= 100, _("Give the scheme a title (at most 100 characters)."))
    _check_year(effective_from)
    _check_definition(definition)
    scheme = Scheme.objects.create(name=name, title=title, brand=brand, description=description or "")
    version = SchemeVersion.objects.create(
        scheme=scheme,
        number=1,
        effective_from=effective_from,
        definition=definition,
        note=(note or "")[:200],
        created_by=by,
    )
    scheme.current = version
    scheme.save(update_fields=["current"])
    return scheme


@transaction.atomic
def scheme_revise(*, by, scheme: Scheme, definition: dict, effective_from: int, note: str = "") -> SchemeVersion:
    """A new version of ``scheme``, used for the years from ``effective_from`` on (earlier versions and the runs
    that used them are kept as they are)."""
    _require_admin(by, _("Only an administrator revises evaluation schemes."))
    _check_year(effective_from)
    _check_definition(definition)
    scheme = Scheme.objects.select_for_update().get(pk=scheme.pk)
    number = (scheme.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = SchemeVersion.objects.create(
        scheme=scheme,
        number=number,
        effective_from=effective_from,
        definition=definition,
        note=(note or "")[:200],
        created_by=by,
    )
    scheme.current = version
    scheme.save(update_fields=["current"])
    return version


def scheme_version_for(*, year: int, scheme=None) -> SchemeVersion:
    """The version of ``scheme`` that applies to ``year``: the one with the latest ``effective_from`` not after the
    year (of two from the same year, the later version). ``scheme``: ``None`` (the default scheme), a scheme's
    name, a :class:`Scheme`, or a :class:`SchemeVersion` (returned as it is: an explicit choice)."""
    if isinstance(scheme, SchemeVersion):
        return scheme
    if scheme is None or isinstance(scheme, str):
        name = scheme or DEFAULT_SCHEME_NAME
        found = Scheme.objects.filter(name=name).first()
        _require(found is not None, _("There is no evaluation scheme named %(name)s.") % {"name": name})
        scheme = found
    version = (
        SchemeVersion.objects.select_related("scheme", "scheme__brand")
        .filter(scheme=scheme, effective_from__lte=year)
        .order_by("-effective_from", "-number")
        .first()
    )
    _require(
        version is not None,
        _("No version of the scheme %(scheme)s applies to %(year)s.") % {"scheme": scheme, "year": year},
    )
    return version


# --- Exemptions and vetoes ------------------------------------------------------------------------------------


@transaction.atomic
def exemption_set(*, by, enterprise: Enterprise, year: int, reason: str, details: str) -> Exemption:
    """Exempt ``enterprise`` from the evaluation of ``year`` (or change the reason of its exemption)."""
    _require_admin(by, _("Only an administrator exempts enterprises from the evaluation."))
    _check_year(year)
    _require(reason in Exemption.Reason.values, _("Choose the reason of the exemption."))
    details = (details or "").strip()
    _require(bool(details) and len(details) <= 200, _("Say why the enterprise is exempted (at most 200 characters)."))
    exemption = Exemption.objects.select_for_update().filter(enterprise=enterprise, year=year).first()
    if exemption is None:
        return Exemption.objects.create(enterprise=enterprise, year=year, reason=reason, details=details, created_by=by)
    exemption.reason, exemption.details = reason, details
    exemption.save(update_fields=["reason", "details"])
    return exemption


@transaction.atomic
def exemption_remove(*, by, exemption: Exemption) -> None:
    _require_admin(by, _("Only an administrator removes exemptions."))
    exemption.delete()


@transaction.atomic
def veto_set(*, by, enterprise: Enterprise, year: int, kind: str, reason: str, occurred_on=None) -> Veto:
    """一票否决: ``enterprise`` is class D in ``year`` (or change the record of its veto)."""
    _require_admin(by, _("Only an administrator enters vetoes."))
    _check_year(year)
    _require(kind in Veto.Kind.values, _("Choose the kind of accident or violation."))
    reason = (reason or "").strip()
    _require(bool(reason) and len(reason) <= 200, _("Describe the accident or violation (at most 200 characters)."))
    _require(
        occurred_on is None or occurred_on.year == year,
        _("The accident must have happened in %(year)s.") % {"year": year},
    )
    veto = Veto.objects.select_for_update().filter(enterprise=enterprise, year=year).first()
    if veto is None:
        return Veto.objects.create(
            enterprise=enterprise, year=year, kind=kind, reason=reason, occurred_on=occurred_on, created_by=by
        )
    veto.kind, veto.reason, veto.occurred_on = kind, reason, occurred_on
    veto.save(update_fields=["kind", "reason", "occurred_on"])
    return veto


@transaction.atomic
def veto_remove(*, by, veto: Veto) -> None:
    _require_admin(by, _("Only an administrator removes vetoes."))
    veto.delete()
