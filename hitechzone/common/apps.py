from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    name = "hitechzone.common"
    label = "common"
    verbose_name = _("Common")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from hitechzone.accounts.models import Role

        from . import audit, intake_jobs  # noqa: F401 — intake_jobs registers the import handlers
        from .context_processors import register_menu

        audit.register_defaults()
        register_menu("M0", _("Audit trail"), "audit:list", {Role.ADMIN, Role.LEADER}, order=40)
        register_menu("M0", _("Imports"), "imports:list", {Role.ADMIN}, order=50)
