from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    name = "hitechzone.common"
    label = "common"
    verbose_name = _("Common")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import audit
        from .models import CalendarYear

        # The revision is the key of the working-day lookup cache, not a fact about the year.
        audit.register(CalendarYear, exclude=("updated_at", "revision"), enterprise=audit.NO_ENTERPRISE)
