"""Writes to the zone's land that other modules publish: a parcel handed back to the zone (freed land)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from .models import Parcel, ParcelRelease


@transaction.atomic
def parcels_release(
    *, parcels: Iterable[Parcel], former_enterprise, released_on: date, source=None, reference: str = "", by=None
) -> list[ParcelRelease]:
    """Record that ``parcels`` were handed back by ``former_enterprise`` on ``released_on``, freed by ``source`` (any
    record, e.g. M4's exit case; named by ``reference``). Once per parcel and source: publishing again changes
    nothing. The parcels' land user is the caller's to clear (the exit case does it in the same transaction)."""
    source_type = ContentType.objects.get_for_model(source) if source is not None else None
    source_id = source.pk if source is not None else None
    out = []
    for parcel in parcels:
        release, _created = ParcelRelease.objects.get_or_create(
            parcel=parcel,
            source_type=source_type,
            source_id=source_id,
            defaults={
                "former_enterprise": former_enterprise,
                "released_on": released_on,
                "reference": (reference or "")[:64],
            },
        )
        out.append(release)
    return out
