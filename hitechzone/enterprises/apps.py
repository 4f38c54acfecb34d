from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "hitechzone.enterprises"
    label = "enterprises"
    verbose_name = _("Enterprises")

    def ready(self) -> None:
        from hitechzone.common import audit

        from . import models

        audit.register(models.IndustryChain, enterprise=audit.NO_ENTERPRISE)
        audit.register(models.Enterprise, enterprise=lambda obj: obj.pk, m2m={"chains": "code"})
        audit.register(models.Contact)
        audit.register(models.EnterpriseIndicator)
