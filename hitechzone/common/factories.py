"""factory_boy factories for tests (and nothing else: the demo and the benchmarks have their own generators)."""

import itertools
from decimal import Decimal

import factory

from hitechzone.accounts.models import Role, User
from hitechzone.enterprises import uscc
from hitechzone.enterprises.models import Contact, Enterprise, EnterpriseIndicator, IndustryChain
from hitechzone.liaison.models import Assignment
from hitechzone.zone.models import Block, Brand, Department, FunctionalArea, Parcel

PASSWORD = "test-Zone-2026"  # noqa: S105 — test personas only
_serial = itertools.count(1)


def valid_uscc(n: int | None = None) -> str:
    n = next(_serial) if n is None else n
    return uscc.make(f"91330800MA{n:06d}")


class BrandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Brand
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"brand{n}")
    name = factory.Sequence(lambda n: f"测试园区{n}")
    short_name = factory.Sequence(lambda n: f"园区{n}")


class BlockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Block

    code = factory.Sequence(lambda n: f"block{n}")
    name = factory.Sequence(lambda n: f"片区{n}")
    brand = factory.SubFactory(BrandFactory)


class FunctionalAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FunctionalArea
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"area{n}")
    name = factory.Sequence(lambda n: f"功能区{n}")


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    code = factory.Sequence(lambda n: f"dept{n}")
    name = factory.Sequence(lambda n: f"市测试局{n}")


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


class ParcelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Parcel

    code = factory.Sequence(lambda n: f"DK-T-{n:05d}")
    brand = factory.SubFactory(BrandFactory)
    area_mu = Decimal("30.0000")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.ENTERPRISE

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or PASSWORD)
        if create:
            obj.save(update_fields=["password"])


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    officer = factory.SubFactory(UserFactory, role=Role.OFFICER)
    enterprise = factory.SubFactory(EnterpriseFactory)
    started_on = factory.Faker("date_between", start_date="-2y", end_date="-1y")
