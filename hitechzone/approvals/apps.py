from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApprovalsConfig(AppConfig):
    name = "hitechzone.approvals"
    label = "approvals"
    verbose_name = _("One-stop approval centre")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from hitechzone.common import audit
        from hitechzone.common.models import CalendarYear

        from . import models

        audit.register(models.Item, enterprise=audit.NO_ENTERPRISE)
        audit.register(models.ItemVersion, enterprise=audit.NO_ENTERPRISE)
        audit.register(models.Material, enterprise=audit.NO_ENTERPRISE)
        audit.register(models.Bundle)
        audit.register(models.Application)
        audit.register(models.ApplicationMaterial, enterprise=lambda obj: obj.application.enterprise_id)
        audit.register(models.Pause, enterprise=lambda obj: obj.application.enterprise_id)
        audit.register(models.Review, enterprise=lambda obj: obj.application.enterprise_id)
        audit.register(models.Rectification, enterprise=lambda obj: obj.review.application.enterprise_id)

        post_save.connect(_calendar_year_saved, sender=CalendarYear, dispatch_uid="approvals.calendar_year_saved")


def _calendar_year_saved(sender, instance, created: bool, **kwargs) -> None:
    """A year's working days or its confirmation changed: recompute the due dates it touches, in the background.

    (A year just created has no application computed on it yet: the clock seeds a year before using it.)
    """
    if created or kwargs.get("raw"):
        return
    from django.db import transaction

    from hitechzone.common import jobs

    from .recompute import JOB_KIND

    year = instance.year
    transaction.on_commit(lambda: jobs.enqueue(JOB_KIND, params={"year": year}))
