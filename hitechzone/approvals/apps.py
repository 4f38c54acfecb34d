from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApprovalsConfig(AppConfig):
    name = "hitechzone.approvals"
    label = "approvals"
    verbose_name = _("One-stop approval centre")

    def ready(self) -> None:
        from hitechzone.accounts.models import Role
        from hitechzone.common.context_processors import ALL, register_menu
        from hitechzone.common.intake import register_kinds

        from .intake import HistoryKind, ItemKind

        register_kinds(ItemKind(), HistoryKind(), order=40)
        register_menu("M2", _("Approval centre"), "approvals:home", ALL - {Role.EXPERT}, order=200)

        from hitechzone.enterprises.sections import register_enterprise_section

        from . import queries

        register_enterprise_section(
            "applications",
            title=_("Recent applications"),
            template="approvals/_enterprise_applications.html",
            rows=queries.enterprise_applications,
            order=30,
        )

        from django.db.models.signals import post_save

        from hitechzone.common import audit
        from hitechzone.common.models import CalendarYear

        from . import models, recompute, scheduled  # noqa: F401 — recompute and scheduled register job and tasks

        audit.register(models.Item, enterprise=audit.NO_ENTERPRISE)
        audit.register(models.ItemVersion, enterprise=audit.NO_ENTERPRISE)
        audit.register(models.Material, enterprise=audit.NO_ENTERPRISE)
        audit.register(models.Bundle)
        audit.register(
            models.Application,
            operational={
                "red_notified": "a reminder flag of the platform (the leaders were told it turned red), "
                "not a fact of the case; set in bulk by the daily overdue report",
            },
        )
        audit.register(models.ApplicationMaterial, enterprise=lambda obj: obj.application.enterprise_id)
        audit.register(models.Pause, enterprise=lambda obj: obj.application.enterprise_id)
        audit.register(models.Review, enterprise=lambda obj: obj.application.enterprise_id)
        audit.register(models.Rectification, enterprise=lambda obj: obj.review.application.enterprise_id)

        from hitechzone.common.bundles import register_bundle_provider

        from .subjects import PROVIDER

        register_bundle_provider(PROVIDER)

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
