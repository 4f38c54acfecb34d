from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "hitechzone.evaluation"
    label = "evaluation"
    verbose_name = _("Efficiency evaluation")

    def ready(self) -> None:
        from hitechzone.common import audit

        from . import models

        audit.register(models.Scheme, enterprise=audit.NO_ENTERPRISE)
        audit.register(models.SchemeVersion, enterprise=audit.NO_ENTERPRISE)
        audit.register(models.Exemption)
        audit.register(models.Veto)
        audit.register(models.EvaluationRun, enterprise=audit.NO_ENTERPRISE)
        audit.register(models.EnergyYear, enterprise=audit.NO_ENTERPRISE)
        audit.register(models.EnergyUse)
        audit.register(models.EnergyRanking, enterprise=audit.NO_ENTERPRISE)
        audit.register(models.PriceTier, enterprise=audit.NO_ENTERPRISE)
        audit.register(models.ExitPolicy, enterprise=audit.NO_ENTERPRISE)
        audit.register(models.ExitCase, m2m={"parcels": "code", "swap_parcels": "code"})
