"""M3's writes: investors and projects (keyword-only, the acting user as ``by=``, one transaction; the audit trail
records every save through ``audit.register`` in apps.py). A rule broken raises ``Refused``; nothing is written.

And the one read of a project's admission checks (:func:`project_checks`), which the page and the API share.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hitechzone.accounts.models import Role
from hitechzone.accounts.roles import effective_role
from hitechzone.common.rules import Refused, require

from . import admission
from .models import AdmissionRules, Investor, Project
from .roles import WRITERS

INVESTOR_FIELDS = (
    "name",
    "uscc",
    "foreign_registration",
    "parent_group",
    "fortune_global_500_rank",
    "fortune_global_500_year",
    "china_top500_rank",
    "china_top500_year",
    "enterprise",
)
PROJECT_FIELDS = (
    "name",
    "investor",
    "industry_code",
    "chain",
    "functional_area",
    "total_investment_wan_yuan",
    "fixed_asset_investment_wan_yuan",
    "land_mu",
    "floor_area_m2",
    "footprint_m2",
    "admin_land_m2",
    "green_area_m2",
    "annual_output_wan_yuan",
    "annual_tax_wan_yuan",
    "annual_value_added_wan_yuan",
    "annual_energy_tce",
    "pollutants",
    "jobs",
    "rd_share",
    "hazardous_chemicals",
    "officer",
)
#: The fields the admission checks read.
CHECK_FIELDS = (
    "industry_code",
    "fixed_asset_investment_wan_yuan",
    "land_mu",
    "floor_area_m2",
    "footprint_m2",
    "admin_land_m2",
    "green_area_m2",
    "annual_tax_wan_yuan",
    "annual_value_added_wan_yuan",
    "annual_energy_tce",
    "hazardous_chemicals",
    "functional_area",
)


def _require_writer(by) -> None:
    require(effective_role(by) in WRITERS, _("Only administrators and investment officers record projects."))


def _full_clean(obj) -> None:
    try:
        obj.full_clean()
    except ValidationError as error:
        raise Refused(" ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())) from None


@transaction.atomic
def investor_create(*, by, name: str, **fields) -> Investor:
    """Record an investor (any of :data:`INVESTOR_FIELDS` besides the name)."""
    _require_writer(by)
    unknown = set(fields) - set(INVESTOR_FIELDS)
    require(not unknown, _("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))})
    investor = Investor(name=name, **fields)
    _full_clean(investor)
    investor.save()
    return investor


def _set_project(project: Project, *, by, fields: dict) -> None:
    unknown = set(fields) - set(PROJECT_FIELDS)
    require(not unknown, _("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))})
    role = effective_role(by)
    if "officer" in fields and role != Role.ADMIN:
        require(fields["officer"] in (None, by), _("An officer records his own projects only."))
    officer = fields.get("officer")
    if officer is not None:
        require(effective_role(officer) == Role.OFFICER, _("The project's officer must be an investment officer."))
    investor = fields.get("investor")
    if investor is not None:
        require(
            Investor.objects.for_user(by).filter(pk=investor.pk).exists(), _("That investor is not one you may see.")
        )
    if fields.get("industry_code"):
        code = admission.normalise_industry_code(fields["industry_code"])
        require(code is not None, _("Unknown industry code: %(code)s") % {"code": fields["industry_code"]})
        fields = {**fields, "industry_code": code}
    for name, value in fields.items():
        setattr(project, name, value)
    if role == Role.OFFICER and project.officer_id is None:
        project.officer = by


@transaction.atomic
def project_create(*, by, name: str, investor: Investor, **fields) -> Project:
    """Record a project at the stage 线索 (lead). An officer's project is his own; an administrator names the
    officer."""
    _require_writer(by)
    project = Project()
    _set_project(project, by=by, fields={"name": name, "investor": investor, **fields})
    _full_clean(project)
    project.save()
    return project


@transaction.atomic
def project_update(*, by, project: Project, **fields) -> Project:
    """Change the fields given; an officer changes only the projects he brought."""
    _require_writer(by)
    require(
        Project.objects.editable(by).filter(pk=project.pk).exists(), _("Only the project's own officer may change it.")
    )
    project = Project.objects.select_for_update().get(pk=project.pk)
    _set_project(project, by=by, fields=fields)
    _full_clean(project)
    project.save()
    return project


# --- The admission checks of a stored project -----------------------------------------------------------------------


def current_rules(on=None) -> AdmissionRules | None:
    """The rules in force: the newest version of this year's (else the latest earlier year's)."""
    return AdmissionRules.current((on or timezone.localdate()).year)


def project_checks(project: Project, rules: AdmissionRules | None = None) -> list[admission.Check]:
    """The admission checks of a stored project against ``rules`` (the rules in force by default)."""
    rules = rules or current_rules()
    if rules is None:
        raise Refused(_("No admission rules have been set for this year."))
    fields = {name: getattr(project, name) for name in CHECK_FIELDS}
    return admission.check(fields, rules)
