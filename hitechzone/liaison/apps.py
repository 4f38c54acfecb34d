from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiaisonConfig(AppConfig):
    name = "hitechzone.liaison"
    label = "liaison"
    verbose_name = _("Service officers")

    def ready(self) -> None:
        from hitechzone.common import audit

        from . import models

        audit.register(models.Assignment)
        audit.register(models.Visit)
        # The loop's steps are recorded as ProblemSteps; the trail keeps each field's before and after.
        audit.register(models.Problem)
