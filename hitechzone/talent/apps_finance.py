"""What technology finance, partnerships and fund calls register at start-up (called from ``TalentConfig.ready``)."""

from __future__ import annotations


def ready() -> None:
    from hitechzone.common import audit

    from . import models

    audit.register(models.FinanceDeal)
    audit.register(models.PartnerAgreement, enterprise=audit.NO_ENTERPRISE)
    audit.register(models.Cooperation)
    audit.register(models.FundCall, enterprise=audit.NO_ENTERPRISE)
