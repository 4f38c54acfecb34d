"""M6 fixtures: department A is the talent office (docs/0012); department B is another department."""

from decimal import Decimal

import pytest


@pytest.fixture
def office(zone):
    from hitechzone.talent import services

    services.talent_office_set(by=zone.users.admin, department=zone.dept_a)
    return zone.users.dept_a


@pytest.fixture
def fund(zone, office):
    from hitechzone.talent import services

    return services.fund_save(by=office, name="创新基金", year=2025, budget_wan_yuan=Decimal(1000))


#: Valid 18-character numbers (GB 11643 check digit, real birth date) for the tests.
GOOD_ID = "11010519491231002X"
GOOD_ID_2 = "440524198001010013"
