from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiaisonConfig(AppConfig):
    name = "hitechzone.liaison"
    label = "liaison"
    verbose_name = _("Service officers")

    def ready(self) -> None:
        from hitechzone.accounts.models import Role
        from hitechzone.common.context_processors import ALL, register_menu

        register_menu("M1", _("Service officers"), "liaison:home", ALL - {Role.EXPERT}, order=100)

        from . import scheduled  # noqa: F401 — registers the liaison's scheduled tasks
