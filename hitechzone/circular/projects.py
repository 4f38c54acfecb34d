"""Circular transformation projects (循环化改造项目): the writes and the figures.

Writes: :func:`project_create` and :func:`project_update` are keyword-only, run in one transaction and are audited
(the project's save). Administrators and department staff write; a rule the project breaks raises
:class:`~hitechzone.common.rules.Refused` with a message for the user and writes nothing. The rules:

- an enterprise project names its enterprise; a government project names none;
- central funds paid ≤ central funds approved ≤ total investment, all ≥ 0;
- an accepted project has an acceptance grade, and only an accepted project has one;
- started on ≤ completed on ≤ accepted on (the dates given);
- the project number is unique.

Reads: :func:`projects` is the user's scope (``CircularProject.objects.for_user``: the zone's staff all, an officer
the projects of the enterprises they serve, an enterprise its own; government projects only for the zone's staff);
:func:`project_stats` sums it: the counts, the investment and the central funds, per category, status, grade and
pilot batch year.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from itertools import pairwise

from django.db import transaction
from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from hitechzone.common.rules import Refused as Refused  # re-exported: callers catch projects.Refused
from hitechzone.common.rules import require
from hitechzone.enterprises.models import FIRST_YEAR, LAST_YEAR, Enterprise

from .models import ZERO, CircularProject
from .queries import projects as projects  # re-exported: the pages and tests read projects.projects(user)
from .roles import WRITERS as WRITERS  # re-exported: the pages check it
from .roles import role as _role

P = CircularProject
MONEY_PLACES = Decimal("0.01")
MONEY_LIMIT = Decimal(10) ** 12  # 14 digits, 2 places
TONNE_PLACES = Decimal("0.001")
TONNE_LIMIT = Decimal(10) ** 13  # 16 digits, 3 places
MONEY_FIELDS = ("total_investment_wan_yuan", "central_funds_approved_wan_yuan", "central_funds_paid_wan_yuan")
SAVING_FIELDS = ("energy_saved_tce", "water_saved_t", "co2_cut_t", "waste_cut_t")
DATE_FIELDS = ("started_on", "completed_on", "accepted_on")
TEXT_FIELDS = ("code", "name", "description")
FIELDS = (
    "code",
    "name",
    "owner",
    "enterprise",
    "category",
    "batch_year",
    *MONEY_FIELDS,
    *SAVING_FIELDS,
    "status",
    *DATE_FIELDS,
    "grade",
    "description",
)


def can_write(user) -> bool:
    return _role(user) in WRITERS


# --- Checks -----------------------------------------------------------------------------------------------------


def _decimal(value, label: str, *, places: Decimal, limit: Decimal, required: bool = False) -> Decimal | None:
    if value is None or value == "":
        require(not required, _("Give the %(field)s.") % {"field": label})
        return None
    try:
        number = Decimal(str(value)).quantize(places)
    except (InvalidOperation, ValueError, TypeError):
        raise Refused(_("%(field)s: give a number.") % {"field": label}) from None
    require(number.is_finite() and number >= 0, _("%(field)s cannot be negative.") % {"field": label})
    require(number < limit, _("%(field)s is too large.") % {"field": label})
    return number


def _labels() -> dict[str, str]:
    return {name: str(P._meta.get_field(name).verbose_name) for name in FIELDS}


def _check(project: CircularProject) -> None:
    """Every rule on the project as it would be saved (the fields already set on ``project``)."""
    label = _labels()
    project.code = (project.code or "").strip()
    project.name = (project.name or "").strip()
    project.description = (project.description or "").strip()
    require(bool(project.code), _("Give the project number."))
    require(len(project.code) <= 32, _("The project number has at most 32 characters."))
    require(bool(project.name), _("Give the project's name."))
    require(len(project.name) <= 128, _("The name has at most 128 characters."))
    taken = P.objects.filter(code=project.code).exclude(pk=project.pk).exists()
    require(not taken, _("Another project has the number %(code)s.") % {"code": project.code})
    require(project.owner in P.Owner.values, _("Choose the owner: government or enterprise."))
    if project.owner == P.Owner.ENTERPRISE:
        require(project.enterprise_id is not None, _("An enterprise project names its enterprise."))
    else:
        require(project.enterprise_id is None, _("A government project names no enterprise."))
    require(project.category in P.Category.values, _("Choose the project's category."))
    require(
        isinstance(project.batch_year, int) and FIRST_YEAR <= project.batch_year <= LAST_YEAR,
        _("Give a pilot batch year between %(first)d and %(last)d.") % {"first": FIRST_YEAR, "last": LAST_YEAR},
    )
    for name in MONEY_FIELDS:
        value = _decimal(
            getattr(project, name),
            label[name],
            places=MONEY_PLACES,
            limit=MONEY_LIMIT,
            required=name == "total_investment_wan_yuan",
        )
        setattr(project, name, ZERO if value is None else value)
    for name in SAVING_FIELDS:
        setattr(project, name, _decimal(getattr(project, name), label[name], places=TONNE_PLACES, limit=TONNE_LIMIT))
    require(
        project.central_funds_approved_wan_yuan <= project.total_investment_wan_yuan,
        _("The central funds approved cannot exceed the total investment."),
    )
    require(
        project.central_funds_paid_wan_yuan <= project.central_funds_approved_wan_yuan,
        _("The central funds paid cannot exceed the central funds approved."),
    )
    require(project.status in P.Status.values, _("Choose the project's status."))
    project.grade = project.grade or ""
    require(project.grade in ("", *P.Grade.values), _("Choose the acceptance grade."))
    if project.status == P.Status.ACCEPTED:
        require(bool(project.grade), _("An accepted project has an acceptance grade."))
    else:
        require(not project.grade, _("Only an accepted project has an acceptance grade."))
    dates = [(name, getattr(project, name)) for name in DATE_FIELDS]
    for name, value in dates:
        require(value is None or isinstance(value, date), _("%(field)s: give a date.") % {"field": label[name]})
    given = [(name, value) for name, value in dates if value is not None]
    for (first, before), (second, after) in pairwise(given):
        require(
            before <= after,
            _("%(second)s (%(after)s) cannot come before %(first)s (%(before)s).")
            % {"first": label[first], "before": before, "second": label[second], "after": after},
        )


def _require_writer(user) -> None:
    require(can_write(user), _("Only administrators and department staff write circular transformation projects."))


def _set(project: CircularProject, fields: dict) -> None:
    unknown = set(fields) - set(FIELDS)
    require(not unknown, _("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    for name, value in fields.items():
        if name == "enterprise":
            require(value is None or isinstance(value, Enterprise), _("Give the enterprise the project belongs to."))
            project.enterprise = value
        elif name in TEXT_FIELDS or name == "grade":
            setattr(project, name, value or "")
        else:
            setattr(project, name, value)


# --- Writes -----------------------------------------------------------------------------------------------------


@transaction.atomic
def project_create(
    *,
    by,
    code: str,
    name: str,
    owner: str,
    category: str,
    batch_year: int,
    total_investment_wan_yuan,
    enterprise: Enterprise | None = None,
    **fields,
) -> CircularProject:
    """Record a project; the other fields (central funds, savings, status, dates, grade, description) are optional
    (status: planned)."""
    _require_writer(by)
    project = P()
    _set(
        project,
        {
            "code": code,
            "name": name,
            "owner": owner,
            "enterprise": enterprise,
            "category": category,
            "batch_year": batch_year,
            "total_investment_wan_yuan": total_investment_wan_yuan,
            **fields,
        },
    )
    _check(project)
    project.save()
    return project


@transaction.atomic
def project_update(*, by, project: CircularProject, **fields) -> CircularProject:
    """Change the fields given (any of :data:`FIELDS`); the project as changed must still keep every rule."""
    _require_writer(by)
    project = P.objects.select_for_update().get(pk=project.pk)
    _set(project, fields)
    if fields.get("owner") == P.Owner.GOVERNMENT and "enterprise" not in fields:
        project.enterprise = None
    _check(project)
    project.save()
    return project


# --- Figures ----------------------------------------------------------------------------------------------------


def _money(value) -> Decimal:
    return (value or ZERO).quantize(MONEY_PLACES)


def _group(qs, field: str) -> list[dict]:
    rows = (
        qs.order_by()
        .values(field)
        .annotate(
            n=Count("pk"),
            investment=Sum("total_investment_wan_yuan"),
            approved=Sum("central_funds_approved_wan_yuan"),
            paid=Sum("central_funds_paid_wan_yuan"),
        )
        .order_by(field)
    )
    return [
        {
            "key": row[field],
            "projects": row["n"],
            "total_investment_wan_yuan": _money(row["investment"]),
            "central_funds_wan_yuan": _money(row["approved"]),
            "central_funds_paid_wan_yuan": _money(row["paid"]),
        }
        for row in rows
    ]


def _labelled(rows: list[dict], choices, name: str) -> list[dict]:
    """Rows in the order of ``choices`` (each with its label; a choice without projects is left out)."""
    by_key = {row["key"]: row for row in rows}
    return [{name: key, "label": str(label), **_drop_key(by_key[key])} for key, label in choices if key in by_key]


def _drop_key(row: dict) -> dict:
    return {k: v for k, v in row.items() if k != "key"}


def project_stats(*, user, queryset=None) -> dict:
    """The figures of the projects the user may see (``queryset``: a filtered part of them):

    ``projects``, ``government_projects``, ``enterprise_projects``, ``total_investment_wan_yuan``,
    ``central_funds_wan_yuan`` (approved), ``central_funds_paid_wan_yuan``, the expected savings (``energy_saved_tce``,
    ``water_saved_t``, ``co2_cut_t``, ``waste_cut_t``), and per ``by_category``, ``by_status``, ``by_grade``
    (accepted projects) and ``by_batch_year`` the count, investment and central funds approved and paid.
    Money in 10k yuan, as ``Decimal`` with 2 places."""
    qs = projects(user) if queryset is None else queryset
    totals = qs.aggregate(
        projects=Count("pk"),
        investment=Sum("total_investment_wan_yuan"),
        approved=Sum("central_funds_approved_wan_yuan"),
        paid=Sum("central_funds_paid_wan_yuan"),
        energy=Sum("energy_saved_tce"),
        water=Sum("water_saved_t"),
        co2=Sum("co2_cut_t"),
        waste=Sum("waste_cut_t"),
    )
    owners = dict(qs.order_by().values_list("owner").annotate(n=Count("pk")))
    return {
        "projects": totals["projects"],
        "government_projects": owners.get(P.Owner.GOVERNMENT, 0),
        "enterprise_projects": owners.get(P.Owner.ENTERPRISE, 0),
        "total_investment_wan_yuan": _money(totals["investment"]),
        "central_funds_wan_yuan": _money(totals["approved"]),
        "central_funds_paid_wan_yuan": _money(totals["paid"]),
        "energy_saved_tce": totals["energy"] or ZERO,
        "water_saved_t": totals["water"] or ZERO,
        "co2_cut_t": totals["co2"] or ZERO,
        "waste_cut_t": totals["waste"] or ZERO,
        "by_category": _labelled(_group(qs, "category"), P.Category.choices, "category"),
        "by_status": _labelled(_group(qs, "status"), P.Status.choices, "status"),
        "by_grade": _labelled(_group(qs.exclude(grade=""), "grade"), P.Grade.choices, "grade"),
        "by_batch_year": [{"batch_year": row["key"], **_drop_key(row)} for row in _group(qs, "batch_year")],
    }
