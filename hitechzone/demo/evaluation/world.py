"""What the demo's M4 reads from the zone: its enterprises, their figures and land, who acts."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils import timezone

from hitechzone.accounts.models import Role, User
from hitechzone.enterprises.models import Enterprise, EnterpriseIndicator
from hitechzone.evaluation.models import (
    EnergyYear,
    EvaluationResult,
    ExitCase,
    RewardBasis,
)
from hitechzone.zone.models import Parcel

YEARS = (2023, 2024, 2025)
PRICE_YEARS = (2025, 2026)
CHEMICAL = {"fluorine", "organosilicon", "inorganic-silicon", "fine-chemicals"}
ENERGY_YEARS = {
    2023: (EnergyYear.Basis.CALORIFIC, None),
    2024: (EnergyYear.Basis.CALORIFIC, None),
    # 0.2940 kgce/kWh stands for 2025's 供电标准煤耗 (the coal consumption of power supply the statistics
    # bureau publishes for the year): a demo value, not an official figure.
    2025: (EnergyYear.Basis.EQUAL_VALUE, Decimal("0.2940")),
}
EXIT_POLICIES = {  # year: reward basis, rate (10k yuan per mu, or a share of the compensation)
    2024: (RewardBasis.PER_MU, Decimal(5)),
    2025: (RewardBasis.SHARE, Decimal("0.10")),
    2026: (RewardBasis.PER_MU, Decimal(6)),
}
S = ExitCase.Status
M = ExitCase.Mode
T = ExitCase.Trigger
WORKSHOPS = ("合成车间", "精馏车间", "储罐区", "危化品仓库", "干燥车间")
ACCIDENTS = ("爆燃事故", "中毒窒息事故", "火灾事故", "物体打击事故")
REUSE = "{name}扩产项目：总投资 {invest} 亿元，达产后亩均税收不低于 {tax} 万元/亩"


@dataclass
class World:
    """What the loader reads once: the users, the enterprises, their figures, chains and parcels."""

    rng: random.Random
    admin: User
    leader: User
    today: date
    enterprises: dict[int, Enterprise]
    figures: dict[tuple[int, int], EnterpriseIndicator]
    chain: dict[int, str]
    parcels: dict[int, list[Parcel]]
    personas: set[int]  # the enterprises of the persona logins: no veto, exemption or exit for them
    classes: dict[int, dict[int, EvaluationResult]] = field(default_factory=dict)  # enterprise → year → result
    used: set[int] = field(default_factory=set)  # enterprises given a veto, an exemption or an exit role

    def figure(self, enterprise_id: int, year: int, name: str) -> float | None:
        row = self.figures.get((enterprise_id, year))
        value = getattr(row, name, None) if row else None
        return None if value is None else float(value)

    def above(self, enterprise_id: int, year: int) -> bool:
        row = self.figures.get((enterprise_id, year))
        return bool(row and row.is_above_scale)

    def tax_per_mu(self, enterprise_id: int, year: int) -> float:
        tax, mu = self.figure(enterprise_id, year, "tax_wan_yuan"), self.figure(enterprise_id, year, "land_mu")
        return tax / mu if tax is not None and mu else 0.0

    def klass(self, enterprise_id: int, year: int) -> str:
        result = self.classes.get(enterprise_id, {}).get(year)
        return result.klass if result else ""

    def score(self, enterprise_id: int, year: int) -> float:
        result = self.classes.get(enterprise_id, {}).get(year)
        return result.score if result and result.score is not None else float("inf")


def _world(rng: random.Random, today: date | None = None) -> World | None:
    admin = User.objects.filter(username="admin", role=Role.ADMIN).first()
    leader = User.objects.filter(username="leader", role=Role.LEADER).first()
    if admin is None or leader is None:
        return None
    enterprises = {e.pk: e for e in Enterprise.objects.order_by("uscc")}
    figures = {(r.enterprise_id, r.year): r for r in EnterpriseIndicator.objects.filter(year__in=YEARS)}
    chain: dict[int, str] = {}
    for enterprise_id, code in Enterprise.chains.through.objects.order_by("id").values_list(
        "enterprise_id", "industrychain__code"
    ):
        chain.setdefault(enterprise_id, code)  # the first chain linked is the enterprise's own
    parcels: dict[int, list[Parcel]] = {}
    for parcel in Parcel.objects.filter(enterprise__isnull=False).order_by("code"):
        parcels.setdefault(parcel.enterprise_id, []).append(parcel)
    personas = set(
        User.objects.filter(username__in=("ent1", "ent2"), enterprise__isnull=False).values_list(
            "enterprise_id", flat=True
        )
    )
    return World(rng, admin, leader, today or timezone.localdate(), enterprises, figures, chain, parcels, personas)
