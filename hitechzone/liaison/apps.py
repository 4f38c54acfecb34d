from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiaisonConfig(AppConfig):
    name = "hitechzone.liaison"
    label = "liaison"
    verbose_name = _("Service officers")

    def ready(self) -> None:
        from hitechzone.accounts.models import Role
        from hitechzone.common import audit
        from hitechzone.common.context_processors import ALL, register_menu

        from . import models, scheduled  # noqa: F401 — scheduled registers the liaison's daily tasks

        audit.register(models.Visit)
        # The loop's steps are recorded as ProblemSteps; the trail keeps each field's before and after.
        audit.register(models.Problem)

        register_menu("M1", _("Service officers"), "liaison:home", ALL - {Role.EXPERT}, order=100)
