from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    """The framework. It names no app: each app fills the registries (audited models, import kinds, job handlers,
    scheduled tasks, menu entries) from its own ``ready()`` (docs/architecture.md)."""

    name = "hitechzone.common"
    label = "common"
    verbose_name = _("Common")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from hitechzone.accounts.models import Role

        from . import audit, intake_jobs  # noqa: F401 — intake_jobs registers the import job handlers
        from .context_processors import register_menu
        from .models import CalendarYear

        # The revision is the key of the working-day lookup cache, not a fact about the year.
        audit.register(CalendarYear, exclude=("updated_at", "revision"), enterprise=audit.NO_ENTERPRISE)

        register_menu("M0", _("Audit trail"), "audit:list", {Role.ADMIN, Role.LEADER}, order=40)
        register_menu("M0", _("Imports"), "imports:list", {Role.ADMIN}, order=50)
