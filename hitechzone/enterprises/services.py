"""Writes to the enterprise registry. Views, the API, imports and the demo call these, so a rule lives once."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from .models import Enterprise, EnterpriseIndicator, IndustryChain


@transaction.atomic
def enterprise_create(*, by, chains: Iterable[IndustryChain] = (), **fields: Any) -> Enterprise:
    enterprise = Enterprise(**fields)
    enterprise.full_clean()
    enterprise.save()
    if chains:
        enterprise.chains.set(chains)
    return enterprise


@transaction.atomic
def enterprise_update(*, by, enterprise: Enterprise, chains: Iterable[IndustryChain] | None = None, **fields: Any):
    for name, value in fields.items():
        setattr(enterprise, name, value)
    enterprise.full_clean()
    enterprise.save()
    if chains is not None:
        enterprise.chains.set(chains)
    return enterprise


@transaction.atomic
def indicator_save(*, by, indicator: EnterpriseIndicator | None = None, **fields: Any) -> EnterpriseIndicator:
    indicator = indicator or EnterpriseIndicator()
    for name, value in fields.items():
        setattr(indicator, name, value)
    indicator.full_clean()
    indicator.save()
    return indicator
