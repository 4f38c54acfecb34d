from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiaisonConfig(AppConfig):
    name = "hitechzone.liaison"
    label = "liaison"
    verbose_name = _("Service officers")

    def ready(self) -> None:
        from . import scheduled  # noqa: F401 — registers the liaison's scheduled tasks
