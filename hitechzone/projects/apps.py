from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "hitechzone.projects"
    label = "projects"
    verbose_name = _("Investment projects")

    def ready(self) -> None:
        from hitechzone.common import audit
        from hitechzone.common.context_processors import register_menu
        from hitechzone.common.intake import register_kinds

        from . import models
        from .intake import ExpertKind
        from .roles import MENU_ROLES

        register_menu("M3", _("Investment projects"), "projects:list", MENU_ROLES, order=250)
        register_kinds(ExpertKind(), order=50)
        audit.register(models.Investor)
        audit.register(models.Project, enterprise=lambda obj: obj.investor.enterprise_id)
        audit.register(models.AdmissionRules, enterprise=audit.NO_ENTERPRISE)
        # The panels are the committee's: no enterprise's history shows them (the investor's login must not learn
        # who reviews it). A score's values are masked: the trail shows that a member submitted, never what, so
        # that no reader of the trail (leaders, administrators) breaks the seal (docs/0009).
        audit.register(models.Expert, enterprise=audit.NO_ENTERPRISE)
        audit.register(models.ScoringWeights, enterprise=audit.NO_ENTERPRISE)
        audit.register(models.Panel, enterprise=audit.NO_ENTERPRISE)
        audit.register(models.PanelMember, enterprise=audit.NO_ENTERPRISE)
        audit.register(
            models.Score,
            enterprise=audit.NO_ENTERPRISE,
            masked=("criteria", "total", "comment", "veto", "veto_reason"),
        )
        audit.register(models.ProjectDecision, enterprise=lambda obj: obj.project.investor.enterprise_id)
        audit.register(models.ProjectStageEvent, enterprise=lambda obj: obj.project.investor.enterprise_id)
