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
        from hitechzone.review.models import MASKED

        from . import models
        from .intake import ExpertKind, ProjectKind
        from .roles import MENU_ROLES

        register_menu("M3", _("Investment projects"), "projects:list", MENU_ROLES, order=250)
        register_kinds(ProjectKind(), ExpertKind(), order=50)
        audit.register(models.Investor)
        audit.register(models.Project, enterprise=lambda obj: obj.investor.enterprise_id)
        audit.register(models.AdmissionRules, enterprise=audit.NO_ENTERPRISE)
        # The panels are the committee's: no enterprise's history shows them (the investor's login must not learn
        # who reviews it; the pool and the weights are registered by the review app). A score's values are masked:
        # the trail shows that a member submitted, never what, so that no reader of the trail (leaders,
        # administrators) breaks the seal (docs/0009).
        audit.register(models.Panel, enterprise=audit.NO_ENTERPRISE)
        audit.register(models.PanelMember, enterprise=audit.NO_ENTERPRISE)
        audit.register(
            models.Score,
            enterprise=audit.NO_ENTERPRISE,
            masked=MASKED,
        )
        audit.register(models.ProjectDecision, enterprise=lambda obj: obj.project.investor.enterprise_id)
        audit.register(models.ProjectStageEvent, enterprise=lambda obj: obj.project.investor.enterprise_id)
        _register_links(models)
        from . import subjects

        subjects.register()  # its projects as subjects other modules link to (issue 15: off-site incubators)


def _register_links(models) -> None:
    """Issue 14, items 10-11: the links' audit, and the chain old occupant → exit case → project on the pages of the
    parcel and of both enterprises (the registries of zone and enterprises)."""
    from hitechzone.common import audit
    from hitechzone.enterprises.sections import register_enterprise_section
    from hitechzone.zone.sections import register_parcel_section

    from . import sections

    audit.register(models.ProjectParcel, enterprise=lambda obj: obj.parcel.enterprise_id)
    audit.register(models.ProjectEnterprise, enterprise=lambda obj: obj.enterprise_id)
    register_parcel_section(
        "projects", title=_("Project on this parcel"), template="projects/_parcel_projects.html",
        rows=sections.parcel_projects, order=20,
    )  # fmt: skip
    register_enterprise_section(
        "project_origin", title=_("From the investment project"), template="projects/_enterprise_origin.html",
        rows=sections.project_origin, order=5,
    )  # fmt: skip
    register_enterprise_section(
        "former_land", title=_("Its former land now"), template="projects/_former_land.html",
        rows=sections.former_land, order=60,
    )  # fmt: skip
