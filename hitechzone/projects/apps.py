from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "hitechzone.projects"
    label = "projects"
    verbose_name = _("Investment projects")

    def ready(self) -> None:
        from hitechzone.common import audit
        from hitechzone.common.context_processors import register_menu

        from . import models
        from .roles import MENU_ROLES

        register_menu("M3", _("Investment projects"), "projects:list", MENU_ROLES, order=250)
        audit.register(models.Investor)
        audit.register(models.Project, enterprise=lambda obj: obj.investor.enterprise_id)
        audit.register(models.AdmissionRules, enterprise=audit.NO_ENTERPRISE)
        audit.register(models.ProjectDecision, enterprise=lambda obj: obj.project.investor.enterprise_id)
        audit.register(models.ProjectStageEvent, enterprise=lambda obj: obj.project.investor.enterprise_id)
