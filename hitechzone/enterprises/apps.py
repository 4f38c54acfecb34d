from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "hitechzone.enterprises"
    label = "enterprises"
    verbose_name = _("Enterprises")

    def ready(self) -> None:
        from hitechzone.accounts.models import Role
        from hitechzone.common import audit
        from hitechzone.common.context_processors import ALL, register_menu
        from hitechzone.common.intake import register_kinds

        from . import models
        from .intake import EnterpriseKind, IndicatorKind

        audit.register(models.IndustryChain, enterprise=audit.NO_ENTERPRISE)
        audit.register(models.Enterprise, enterprise=lambda obj: obj.pk, m2m={"chains": "code"})
        audit.register(models.Contact)
        audit.register(models.EnterpriseIndicator)
        audit.register(models.Assignment)

        register_kinds(IndicatorKind(), EnterpriseKind(), order=10)
        register_menu("M0", _("Enterprises"), "enterprises:list", ALL - {Role.EXPERT}, order=10)
