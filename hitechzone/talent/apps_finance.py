"""What technology finance, partnerships and fund calls register at start-up (called from ``TalentConfig.ready``)."""

from __future__ import annotations


def ready() -> None:
    from django.utils.translation import gettext_lazy as _

    from hitechzone.common import audit
    from hitechzone.enterprises.sections import register_enterprise_section

    from . import models, queries_finance

    audit.register(models.FinanceDeal)
    audit.register(models.PartnerAgreement, enterprise=audit.NO_ENTERPRISE)
    audit.register(models.Cooperation)
    audit.register(models.FundCall, enterprise=audit.NO_ENTERPRISE)
    register_enterprise_section(
        "talent_finance", title=_("Technology finance"), template="talent/_enterprise_finance.html",
        rows=queries_finance.enterprise_finance, order=76,
    )  # fmt: skip
    register_enterprise_section(
        "talent_cooperations", title=_("Partnerships"), template="talent/_enterprise_cooperations.html",
        rows=queries_finance.enterprise_cooperations, order=77,
    )  # fmt: skip
