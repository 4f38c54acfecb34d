from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    """The expert review shared by the modules (docs/0013): one expert pool, one draw, one set of conflict rules, one
    sealed scoring. The modules keep their own panel tables (the abstract models here) and call ``services``."""

    name = "hitechzone.review"
    label = "review"
    verbose_name = _("Expert review")

    def ready(self) -> None:
        from hitechzone.common import audit

        from . import models

        # The pool and the weights are the committee's: no enterprise's history shows them.
        audit.register(models.Expert, enterprise=audit.NO_ENTERPRISE)
        audit.register(models.ScoringWeights, enterprise=audit.NO_ENTERPRISE)
