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

        from . import models, scheduled, summaries  # noqa: F401 — the daily tasks; the summaries' signal receivers

        audit.register(models.Visit)
        from hitechzone.common.summaries import register_summary

        register_summary("liaison.visits", rebuild=summaries.rebuild_visit_months, drift=summaries.visit_month_drift)
        register_summary(
            "liaison.problems", rebuild=summaries.rebuild_problem_months, drift=summaries.problem_month_drift
        )
        # The loop's steps are recorded as ProblemSteps; the trail keeps each field's before and after.
        audit.register(models.Problem)

        register_menu("M1", _("Service officers"), "liaison:home", ALL - {Role.EXPERT}, order=100)

        from hitechzone.enterprises.sections import register_enterprise_section

        from . import queries

        register_enterprise_section(
            "visits",
            title=_("Recent visits"),
            template="liaison/_enterprise_visits.html",
            rows=queries.enterprise_visits,
            order=10,
            action=queries.record_visit_action,
        )
        register_enterprise_section(
            "problems",
            title=_("Recent problems"),
            template="liaison/_enterprise_problems.html",
            rows=queries.enterprise_problems,
            order=20,
        )
