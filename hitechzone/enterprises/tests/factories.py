"""factory_boy factories of the enterprise registry (M0), for tests.

The zone's and the accounts' factories are re-exported, so that a test of any module imports its M0 fixtures from
one place: ``from hitechzone.enterprises.tests import factories as f``.
"""

import itertools
from decimal import Decimal

import factory

from hitechzone.accounts.models import Role
from hitechzone.accounts.tests.factories import PASSWORD, UserFactory
from hitechzone.enterprises import uscc
from hitechzone.enterprises.models import Assignment, Contact, Enterprise, EnterpriseIndicator, IndustryChain
from hitechzone.zone.tests.factories import (
    BlockFactory,
    BrandFactory,
    DepartmentFactory,
    FunctionalAreaFactory,
    ParcelFactory,
)

__all__ = [
    "PASSWORD",
    "AssignmentFactory",
    "BlockFactory",
    "BrandFactory",
    "ChainFactory",
    "ContactFactory",
    "DepartmentFactory",
    "EnterpriseFactory",
    "FunctionalAreaFactory",
    "IndicatorFactory",
    "ParcelFactory",
    "UserFactory",
    "valid_uscc",
]

_serial = itertools.count(1)


def valid_uscc(n: int | None = None) -> str:
    n = next(_serial) if n is None else n
    return uscc.make(f"91330800MA{n:06d}")


class ChainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndustryChain
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"chain{n}")
    name = factory.Sequence(lambda n: f"产业链{n}")


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    uscc = factory.LazyFunction(valid_uscc)
    name = factory.Sequence(lambda n: f"测试企业{n:05d}有限公司")
    brand = factory.SubFactory(BrandFactory)
    is_above_scale = True


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    enterprise = factory.SubFactory(EnterpriseFactory)
    name = factory.Sequence(lambda n: f"联系人{n}")
    phone = "13900000000"


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EnterpriseIndicator

    enterprise = factory.SubFactory(EnterpriseFactory)
    year = 2025
    land_mu = Decimal("50.0000")
    gross_output_wan_yuan = Decimal("12000.00")
    revenue_wan_yuan = Decimal("11800.00")
    tax_wan_yuan = Decimal("600.00")


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    officer = factory.SubFactory(UserFactory, role=Role.OFFICER)
    enterprise = factory.SubFactory(EnterpriseFactory)
    started_on = factory.Faker("date_between", start_date="-2y", end_date="-1y")
