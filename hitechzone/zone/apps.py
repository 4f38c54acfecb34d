from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ZoneConfig(AppConfig):
    name = "hitechzone.zone"
    label = "zone"
    verbose_name = _("Zone")

    def ready(self) -> None:
        from hitechzone.accounts.models import Role
        from hitechzone.common import audit
        from hitechzone.common.context_processors import ALL, register_menu
        from hitechzone.common.intake import register_kinds

        from . import models
        from .intake import ParcelKind

        for model in (models.Brand, models.Block, models.FunctionalArea, models.Department):
            audit.register(model, enterprise=audit.NO_ENTERPRISE)
        audit.register(models.Parcel)
        audit.register(models.ParcelRelease, enterprise=lambda obj: obj.former_enterprise_id)

        register_kinds(ParcelKind(), order=30)
        register_menu("M0", _("Parcels"), "zone:parcels", ALL - {Role.EXPERT}, order=20)
        register_menu("M0", _("Departments"), "zone:departments", ALL, order=30)
