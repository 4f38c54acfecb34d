"""What each persona finds in the demo's M4 (printed with the logins)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from hitechzone.accounts.models import Role, User
from hitechzone.enterprises.models import Assignment
from hitechzone.evaluation import prices
from hitechzone.evaluation.models import (
    EvaluationResult,
    EvaluationRun,
    ExitCase,
    Klass,
)

from .world import YEARS

# --- The personas -------------------------------------------------------------------------------------------------


def _open_persona(enterprise_id: int) -> None:
    """The enterprise user of the firm in D three years running gets the demo password: a login to show it."""
    from hitechzone.demo.generator import PASSWORD

    user = User.objects.filter(role=Role.ENTERPRISE, enterprise_id=enterprise_id).order_by("pk").first()
    if user is not None and not user.has_usable_password():
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])


def _latest(year: int = YEARS[-1]) -> EvaluationRun | None:
    return EvaluationRun.objects.filter(year=year, published_at__isnull=False, brand__isnull=True).first()


def _gap_text(result: EvaluationResult | None) -> str:
    if result is None:
        return ""
    if result.group == "excluded":
        return _("%(year)d: not evaluated") % {"year": result.run.year}
    text = _("%(year)d class %(klass)s (%(group)s)") % {
        "year": result.run.year,
        "klass": result.klass,
        "group": result.get_group_display(),
    }
    if result.next_class_gap is not None:
        text += _(", tax per mu (亩均税收) +%(gap).2f 10k yuan/mu to the next class") % {"gap": result.next_class_gap}
    return text


def hints() -> dict[str, str]:
    """What each persona finds in the 亩均 evaluation, from what is loaded (for the printed logins).

    Keys are usernames; a key that is not one of the printed personas (the enterprise user of a firm in D three
    years running, and the officer serving it) is printed after the table."""
    run = _latest()
    if run is None:
        return {}
    found: dict[str, str] = {}
    results = {r.enterprise_id: r for r in EvaluationResult.objects.filter(run=run).select_related("run")}
    rows = prices.surcharges(year=run.year, user=User.objects.filter(role=Role.ADMIN).order_by("pk").first())
    escalated = [row for row in rows if row.klass == Klass.D and row.tier_min_years >= 3]
    cases = ExitCase.objects.count()
    found["leader"] = _(
        "per-mu evaluation (亩均): the %(first)d–%(last)d runs it published, the class charts, %(n)d firms in D "
        "three years running paying +%(rate)s yuan/kWh from %(last)d, %(cases)d land exit cases"
    ) % {
        "first": YEARS[0],
        "last": run.year,
        "n": len(escalated),
        "rate": format(escalated[0].electricity_yuan_per_kwh, ".2f") if escalated else "—",
        "cases": cases,
    }
    found["admin"] = _(
        "per-mu evaluation (亩均): schemes, exemptions and vetoes, energy years and rankings, price tiers, "
        "exit policies and cases"
    )
    for user in User.objects.filter(username__in=("ent1", "ent2")):
        text = _gap_text(results.get(user.enterprise_id))
        if text:
            found[user.username] = _("per-mu evaluation (亩均) %(result)s: the explain page") % {"result": text}
    for username in ("officer1", "officer2"):
        served = set(
            Assignment.objects.active().filter(officer__username=username).values_list("enterprise_id", flat=True)
        )
        mine = [r for pk, r in results.items() if pk in served and r.klass]
        if mine:
            counts = {k: sum(1 for r in mine if r.klass == k) for k in "ABCD"}
            found[username] = _(
                "per-mu evaluation (亩均): %(n)d firms served with %(year)d results "
                "(A %(A)d, B %(B)d, C %(C)d, D %(D)d)"
            ) % {
                "n": len(mine),
                "year": run.year,
                **counts,
            }
    # Enterprise users other than ent1 and ent2 have no password, but the one opened by _open_persona.
    opened = (
        User.objects.filter(role=Role.ENTERPRISE, enterprise__isnull=False)
        .exclude(username__in=("ent1", "ent2"))
        .exclude(password__startswith="!")  # noqa: S106 — Django's mark of an unusable password
        .select_related("enterprise")
        .order_by("pk")
    )
    for user in opened:
        result = results.get(user.enterprise_id)
        if result is None:
            continue
        streak = next((r for r in escalated if r.enterprise_id == user.enterprise_id), None)
        case = ExitCase.objects.filter(enterprise_id=user.enterprise_id).order_by("pk").first()
        found[user.username] = _("%(name)s (same password): per-mu evaluation (亩均) %(result)s%(streak)s%(case)s") % {
            "name": user.enterprise.name,
            "result": _gap_text(result),
            "streak": _(", D three years running: +%(rate)s yuan/kWh")
            % {"rate": format(streak.electricity_yuan_per_kwh, ".2f")}
            if streak
            else "",
            "case": _(", exit case %(status)s") % {"status": case.get_status_display()} if case else "",
        }
        assignment = Assignment.objects.active().filter(enterprise_id=user.enterprise_id).select_related("officer")
        officer = assignment.first().officer if assignment.exists() else None
        if officer is not None and officer.username not in found:
            found[officer.username] = _("(same password) serves %(name)s") % {"name": user.enterprise.name}
    return found
