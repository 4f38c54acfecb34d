from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    name = "hitechzone.common"
    label = "common"
    verbose_name = _("Common")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import audit, intake_jobs  # noqa: F401 — intake_jobs registers the import handlers

        audit.register_defaults()
