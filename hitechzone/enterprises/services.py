"""Writes to the enterprise registry. Views, the API, imports and the demo call these, so a rule lives once."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from hitechzone.accounts.models import Role
from hitechzone.common.rules import require

from .models import Assignment, Enterprise, EnterpriseIndicator, IndustryChain


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


@transaction.atomic
def assignment_open(*, by, officer, enterprise: Enterprise, started_on) -> Assignment:
    """Give an enterprise that has no officer its 店小二 from ``started_on`` (a new enterprise of the registry: a
    project gone into production, issue 14 item 11). An enterprise already served is handed over by M1's
    ``liaison.services.assignment_start`` (it moves the open problems too): refused here."""
    require(officer.effective_role == Role.OFFICER, _("Only a service officer can be assigned to an enterprise."))
    current = Assignment.objects.select_for_update().filter(enterprise=enterprise, ended_on__isnull=True).first()
    require(
        current is None,
        _("%(enterprise)s is served by %(officer)s: hand it over on the officers' pages first.")
        % {"enterprise": enterprise, "officer": current.officer if current else ""},
    )
    later = Assignment.objects.filter(enterprise=enterprise, ended_on__gt=started_on).values_list("ended_on", flat=True)
    ends = later.order_by("-ended_on").first()
    require(
        ends is None,
        _("Another assignment of this enterprise ends only on %(d)s: the new one can start that day at the earliest.")
        % {"d": ends},
    )
    assignment = Assignment(officer=officer, enterprise=enterprise, started_on=started_on)
    assignment.full_clean()
    assignment.save()
    return assignment
