from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TalentConfig(AppConfig):
    name = "hitechzone.talent"
    label = "talent"
    verbose_name = _("Innovation and talent")

    def ready(self) -> None:
        from hitechzone.common import audit
        from hitechzone.common.context_processors import register_menu
        from hitechzone.common.intake import register_kinds
        from hitechzone.enterprises.sections import register_enterprise_section
        from hitechzone.review.models import MASKED

        from . import apps_finance, intake, links, models, queries
        from .roles import MENU_ROLES

        register_menu("M6", _("Innovation and talent"), "talent:home", MENU_ROLES, order=600)
        audit.register(models.TalentOffice, enterprise=audit.NO_ENTERPRISE)
        audit.register(models.Platform, enterprise=audit.NO_ENTERPRISE)
        audit.register(models.Incubator, enterprise=audit.NO_ENTERPRISE)
        audit.register(models.IncubatorEnterprise)
        audit.register(models.Partner, enterprise=audit.NO_ENTERPRISE)
        # Personal data: the trail shows that an ID number or a phone changed, never the value (docs/0012). A
        # talent's events stay off the employer's history (the enterprise's users must not read them there).
        audit.register(models.Talent, enterprise=audit.NO_ENTERPRISE, masked=("id_number", "phone"))
        audit.register(models.Disclosure, enterprise=audit.NO_ENTERPRISE)
        audit.register(models.Fund, enterprise=audit.NO_ENTERPRISE)
        audit.register(models.Grant, enterprise=lambda obj: obj.recipient_enterprise_id)
        audit.register(models.Instalment, enterprise=lambda obj: obj.grant.recipient_enterprise_id)
        audit.register(models.TeamApplication)
        audit.register(models.TeamMember, enterprise=lambda obj: obj.application.enterprise_id)
        audit.register(models.TeamStep, enterprise=lambda obj: obj.application.enterprise_id)
        apps_finance.ready()
        links.register()  # an incubator's investment projects (issue 15, point 2)
        # The review panels are the committee's: no enterprise's history shows them (the team's enterprise must not
        # learn who reviews it); a score's values are masked, so that no reader of the trail breaks the seal.
        audit.register(models.TeamPanel, enterprise=audit.NO_ENTERPRISE)
        audit.register(models.TeamPanelMember, enterprise=audit.NO_ENTERPRISE)
        audit.register(models.TeamScore, enterprise=audit.NO_ENTERPRISE, masked=MASKED)
        audit.register(models.GrantPanel, enterprise=audit.NO_ENTERPRISE)
        audit.register(models.GrantPanelMember, enterprise=audit.NO_ENTERPRISE)
        audit.register(models.GrantScore, enterprise=audit.NO_ENTERPRISE, masked=MASKED)
        register_enterprise_section(
            "incubators", title=_("From off-site incubators"), template="talent/_enterprise_incubators.html",
            rows=queries.enterprise_incubators, order=70,
        )  # fmt: skip
        register_enterprise_section(
            "talent_grants", title=_("Innovation fund grants"), template="talent/_enterprise_grants.html",
            rows=queries.enterprise_grants, order=75,
        )  # fmt: skip
        register_kinds(*intake.KINDS, order=80)
