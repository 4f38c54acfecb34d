"""The role-matrix entries, samples and sample objects of M6's technology finance, partnerships and fund calls (kept
beside tests/role_matrix.py, which merges them in, so that the talent app's other work merges without conflicts).
Department A is the talent office (docs/0012); A's objects belong to enterprise A."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from .role_matrix import GET_ONLY
from .role_matrix import Entry as E

SAMPLES: dict[str, dict] = {
    "api/v1/talent/finance/<pk>/": {"pk": "finance_deal_a"},
    "talent/finance/<pk>/": {"pk": "finance_deal_a"},
    "api/v1/talent/agreements/<pk>/": {"pk": "agreement"},
    "api/v1/talent/cooperations/<pk>/": {"pk": "cooperation_a"},
    "api/v1/talent/fund-calls/<pk>/": {"pk": "fund_call"},
}

MATRIX: dict[str, E] = {
    # --- Technology finance (issue 15, point 7): the staff see every deal, an enterprise its own ---
    'api/v1/talent/finance/': E(write='admin dept_a'),
    'api/v1/talent/finance/<pk>/': E(get='admin leader dept_a ent_a', write='admin dept_a'),
    'api/v1/talent/finance/stats/': E(get='admin leader dept_a'),
    'talent/finance/': E(get='admin leader dept_a ent', write=GET_ONLY),
    'talent/finance/<pk>/': E(get='admin leader dept_a ent_a', write='admin dept_a'),
    'talent/finance/new/': E(get='admin dept_a', write=GET_ONLY),
    # --- Partnerships (point 8): agreements are public records; transfers and projects scoped by the enterprise ---
    'api/v1/talent/agreements/': E(write='admin dept_a'),
    'api/v1/talent/agreements/<pk>/': E(get='admin leader dept officer', write='admin dept_a'),
    'api/v1/talent/cooperations/': E(write='admin dept_a'),
    'api/v1/talent/cooperations/<pk>/': E(get='admin leader dept officer_a ent_a', write='admin dept_a'),
    'api/v1/talent/cooperations/stats/': E(get='admin leader dept'),
    'talent/agreements/': E(get='admin leader dept officer', write=GET_ONLY),
    'talent/agreements/new/': E(get='admin dept_a', write=GET_ONLY),
    'talent/partnerships/': E(get='admin leader dept officer ent', write=GET_ONLY),
    'talent/partnerships/new/': E(get='admin dept_a', write=GET_ONLY),
    # --- The innovation fund's calls (point 6): the staff see them all, an enterprise the open ones ---
    'api/v1/talent/fund-calls/': E(write='admin dept_a'),
    'api/v1/talent/fund-calls/<pk>/': E(get='admin leader dept_a ent', write='admin dept_a'),
    'talent/calls/': E(get='admin leader dept_a ent', write='admin dept_a'),
}  # fmt: skip


def build(zone) -> None:
    """A's deal, an agreement with the partner, A's cooperation project and an open call of the fund (after
    role_matrix_world's ``_talent``, which names department A the talent office and records the partner)."""
    from hitechzone.talent import services_finance

    office = zone.users.dept_a
    zone.finance_deal_a = services_finance.finance_deal_save(
        by=office, kind="loan", enterprise=zone.ent_a, counterparty="某银行科技支行", amount_wan_yuan=Decimal(500),
        signed_on=date(2025, 3, 1), status="disbursed",
    )  # fmt: skip
    zone.agreement = services_finance.agreement_save(
        by=office, partner=zone.partner, title="产学研合作框架协议", signed_on=date(2021, 5, 1)
    )
    zone.cooperation_a = services_finance.cooperation_save(
        by=office, kind="transfer", title="甲方氟材料专利转让", partner=zone.partner, enterprise=zone.ent_a,
        contract_value_wan_yuan=Decimal(120), signed_on=date(2025, 4, 1),
    )  # fmt: skip
    today = timezone.localdate()
    zone.fund_call = services_finance.fund_call_save(
        by=office, fund=zone.fund, title="年度创新基金申报", opens_on=today - timedelta(days=10),
        closes_on=today + timedelta(days=20), offered_wan_yuan=Decimal(500),
    )  # fmt: skip
