"""Unit conversions, in one place. Official figures are Decimal.

1 亩 (mu) is defined as 10000/15 m² (≈ 666.67 m²); 1 公顷 = 15 亩.
"""

from decimal import ROUND_HALF_UP, Decimal

M2_PER_MU = Decimal(10000) / Decimal(15)
MU_PLACES = Decimal("0.0001")
M2_PLACES = Decimal("0.01")
# Two stored areas agree when they differ by no more than this (rounding of the stored digits).
MU_TOLERANCE = Decimal("0.01")


def mu_to_m2(mu: Decimal) -> Decimal:
    return (Decimal(mu) * M2_PER_MU).quantize(M2_PLACES, rounding=ROUND_HALF_UP)


def m2_to_mu(m2: Decimal) -> Decimal:
    return (Decimal(m2) / M2_PER_MU).quantize(MU_PLACES, rounding=ROUND_HALF_UP)


def areas_agree(*, area_mu: Decimal, area_m2: Decimal) -> bool:
    return abs(m2_to_mu(area_m2) - Decimal(area_mu)) <= MU_TOLERANCE
