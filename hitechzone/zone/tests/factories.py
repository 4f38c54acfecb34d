"""factory_boy factories of the zone registry (M0), for tests."""

from decimal import Decimal

import factory

from hitechzone.zone.models import Block, Brand, Department, FunctionalArea, Parcel


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


class ParcelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Parcel

    code = factory.Sequence(lambda n: f"DK-T-{n:05d}")
    brand = factory.SubFactory(BrandFactory)
    area_mu = Decimal("30.0000")
