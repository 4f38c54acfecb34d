from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApprovalsConfig(AppConfig):
    name = "hitechzone.approvals"
    label = "approvals"
    verbose_name = _("One-stop approval centre")

    def ready(self) -> None:
        from hitechzone.common import audit

        from . import models

        def nobody(obj) -> None:
            return None

        audit.register(models.Item, enterprise=nobody)
        audit.register(models.ItemVersion, enterprise=nobody)
        audit.register(models.Material, enterprise=nobody)
        audit.register(models.Bundle)
        audit.register(models.Application)
        audit.register(models.ApplicationMaterial, enterprise=lambda obj: obj.application.enterprise_id)
        audit.register(models.Pause, enterprise=lambda obj: obj.application.enterprise_id)
        audit.register(models.Review, enterprise=lambda obj: obj.application.enterprise_id)
        audit.register(models.Rectification, enterprise=lambda obj: obj.review.application.enterprise_id)
