from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ZoneConfig(AppConfig):
    name = "hitechzone.zone"
    label = "zone"
    verbose_name = _("Zone")

    def ready(self) -> None:
        from hitechzone.common import audit

        from . import models

        for model in (models.Brand, models.Block, models.FunctionalArea, models.Department):
            audit.register(model, enterprise=audit.NO_ENTERPRISE)
        audit.register(models.Parcel)
