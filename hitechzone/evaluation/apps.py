from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "hitechzone.evaluation"
    label = "evaluation"
    verbose_name = _("Efficiency evaluation")

    def ready(self) -> None:
        from hitechzone.accounts.models import Role
        from hitechzone.common import audit
        from hitechzone.common.context_processors import ALL, register_menu
        from hitechzone.common.intake import register_kinds

        from . import models, services  # noqa: F401 — services registers the evaluation.run job handler
        from .intake import EnergyUseKind

        nobody = audit.NO_ENTERPRISE
        audit.register(models.Scheme, enterprise=nobody)
        audit.register(models.SchemeVersion, enterprise=nobody)
        audit.register(models.Exemption)
        audit.register(models.Veto)
        # The run's creation is its audit record; its timing, written after the results are stored, is bookkeeping.
        audit.register(
            models.EvaluationRun,
            enterprise=nobody,
            operational={
                "finished_at": "when the run finished storing its results: a timing, set once by the run itself",
                "seconds": "how long the run took: a timing, set once by the run itself",
            },
        )
        audit.register(models.EnergyYear, enterprise=nobody)
        audit.register(models.EnergyUse)
        audit.register(models.EnergyRanking, enterprise=nobody)
        audit.register(models.PriceTier, enterprise=nobody)
        audit.register(models.ExitPolicy, enterprise=nobody)
        audit.register(models.ExitCase, m2m={"parcels": "code", "swap_parcels": "code"})

        register_kinds(EnergyUseKind(), order=60)
        register_menu(
            "M4", _("Efficiency evaluation"), "evaluation:home", ALL - {Role.DEPARTMENT, Role.EXPERT}, order=400
        )
