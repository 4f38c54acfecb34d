"""The role-matrix entries, samples and sample objects of M6's technology finance, partnerships and fund calls (kept
beside tests/role_matrix.py, which merges them in, so that the talent app's other work merges without conflicts).
Department A is the talent office (docs/0012); A's objects belong to enterprise A."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from .role_matrix import GET_ONLY
from .role_matrix import Entry as E

SAMPLES: dict[str, dict] = {
    "api/v1/talent/finance/<pk>/": {"pk": "finance_deal_a"},
    "talent/finance/<pk>/": {"pk": "finance_deal_a"},
}

MATRIX: dict[str, E] = {
    # --- Technology finance (issue 15, point 7): the staff see every deal, an enterprise its own ---
    'api/v1/talent/finance/': E(write='admin dept_a'),
    'api/v1/talent/finance/<pk>/': E(get='admin leader dept_a ent_a', write='admin dept_a'),
    'api/v1/talent/finance/stats/': E(get='admin leader dept_a'),
    'talent/finance/': E(get='admin leader dept_a ent', write=GET_ONLY),
    'talent/finance/<pk>/': E(get='admin leader dept_a ent_a', write='admin dept_a'),
    'talent/finance/new/': E(get='admin dept_a', write=GET_ONLY),
}  # fmt: skip


def build(zone) -> None:
    """A's deal (after role_matrix_world's ``_talent``, which names department A the talent office)."""
    from hitechzone.talent import services_finance

    office = zone.users.dept_a
    zone.finance_deal_a = services_finance.finance_deal_save(
        by=office, kind="loan", enterprise=zone.ent_a, counterparty="某银行科技支行", amount_wan_yuan=Decimal(500),
        signed_on=date(2025, 3, 1), status="disbursed",
    )  # fmt: skip
