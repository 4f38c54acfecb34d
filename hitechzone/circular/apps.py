from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CircularConfig(AppConfig):
    name = "hitechzone.circular"
    label = "circular"
    verbose_name = _("Circular economy")

    def ready(self) -> None:
        from hitechzone.accounts.models import Role
        from hitechzone.common.context_processors import ALL, register_menu
        from hitechzone.common.intake import register_kinds

        from .intake import ExchangeKind, FlowKind, MaterialKind, ResourceKind

        register_kinds(MaterialKind(), FlowKind(), ExchangeKind(), ResourceKind(), order=70)
        register_menu("M5", _("Circular economy"), "circular:home", ALL - {Role.EXPERT}, order=500)

        from hitechzone.common import audit

        from . import models

        audit.register(models.Material, enterprise=audit.NO_ENTERPRISE, m2m={"chains": "code"})
        audit.register(models.Flow)
        audit.register(models.Exchange, enterprise=lambda obj: obj.supplier_id)
        audit.register(models.ResourceYear)
        audit.register(models.CircularProject)
        # A run is its own record (who, when, input, output); the trail notes it without copying the scenario.
        audit.register(
            models.OptimizationRun, enterprise=audit.NO_ENTERPRISE, exclude=("scenario", "result", "created_at")
        )
