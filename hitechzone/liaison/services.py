"""Writes of M1 (店小二): assignments, visits, and the closed loop of a problem. Every rule lives here once.

Each function is keyword-only, runs in one transaction, and records the step (who, when) — the audit
trail records the field changes. An invalid transition raises ``Refused`` with a message for the user.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hitechzone.accounts.models import Role, User
from hitechzone.accounts.roles import effective_role
from hitechzone.common import audit
from hitechzone.common.calendar import add_working_days, is_working_day
from hitechzone.common.models import AuditEvent, Notification, Source
from hitechzone.common.rules import Refused as Refused  # re-exported: callers catch services.Refused
from hitechzone.common.rules import require as _require
from hitechzone.enterprises.models import Assignment, Enterprise
from hitechzone.zone.models import Department

from .models import DEFAULT_DUE_WORKING_DAYS, SERVICE_TARGETS, Problem, ProblemStep, Rating, Visit

S = Problem.Status


# --- Assignments ---------------------------------------------------------------------------------------------


@transaction.atomic
def assignment_start(*, officer: User, enterprise: Enterprise, started_on: date, by=None) -> Assignment:
    """Give the enterprise this officer; its current assignment ends that day (history kept).

    ``ended_on`` is the first day an assignment no longer runs (``Assignment.objects.active()``), so the old
    officer serves until the day before and the new one from ``started_on``: never a day with two officers or
    with none.
    """
    _require(officer.effective_role == Role.OFFICER, _("Only a service officer can be assigned to an enterprise."))
    current = Assignment.objects.select_for_update().filter(enterprise=enterprise, ended_on__isnull=True).first()
    if current is not None:
        _require(
            current.officer_id != officer.pk, _("%(officer)s already serves this enterprise.") % {"officer": officer}
        )
        _require(
            started_on > current.started_on,
            _("The new assignment must start after the current one (started %(d)s).") % {"d": current.started_on},
        )
    overlapping = Assignment.objects.filter(enterprise=enterprise, ended_on__gt=started_on).order_by("-ended_on")
    ends = overlapping.values_list("ended_on", flat=True).first()
    _require(
        ends is None,
        _("Another assignment of this enterprise ends only on %(d)s: the new one can start that day at the earliest.")
        % {"d": ends},
    )
    if current is not None:
        current.ended_on = started_on
        current.save(update_fields=["ended_on"])
    assignment = Assignment.objects.create(officer=officer, enterprise=enterprise, started_on=started_on)
    if started_on <= timezone.localdate():
        # The new officer takes over the enterprise's open problems (and any raised while it had no officer).
        for problem in Problem.objects.filter(enterprise=enterprise).exclude(status=S.CLOSED).exclude(officer=officer):
            problem.officer = officer
            problem.save(update_fields=["officer"])
    return assignment


@transaction.atomic
def assignment_end(*, assignment: Assignment, ended_on: date, by=None) -> Assignment:
    _require(assignment.ended_on is None, _("This assignment has ended already."))
    _require(ended_on >= assignment.started_on, _("An assignment cannot end before it starts."))
    assignment.ended_on = ended_on
    assignment.save(update_fields=["ended_on"])
    return assignment


def officer_of(enterprise: Enterprise, on: date | None = None) -> User | None:
    a = Assignment.objects.active(on).filter(enterprise=enterprise).select_related("officer").first()
    return a.officer if a else None


# --- Visits ----------------------------------------------------------------------------------------------------


@transaction.atomic
def visit_record(
    *,
    officer: User,
    enterprise: Enterprise,
    visited_on: date,
    form: str = Visit.Form.ON_SITE,
    people_met: str = "",
    notes: str = "",
    problems: list[dict] | None = None,
) -> Visit:
    """Record a visit to one of the officer's own enterprises; each problem found becomes a Problem."""
    _require(officer.effective_role == Role.OFFICER, _("Only a service officer records visits."))
    _require(visited_on <= timezone.localdate(), _("A visit cannot be recorded in the future."))
    _require(
        Assignment.objects.active(visited_on).filter(officer=officer, enterprise=enterprise).exists(),
        _("%(enterprise)s was not assigned to you on %(d)s.") % {"enterprise": enterprise, "d": visited_on},
    )
    visit = Visit.objects.create(
        officer=officer, enterprise=enterprise, visited_on=visited_on, form=form, people_met=people_met, notes=notes
    )
    for found in problems or []:
        problem_raise(by=officer, enterprise=enterprise, visit=visit, **found)
    return visit


# --- Problems: the closed loop --------------------------------------------------------------------------------


def _step(problem: Problem, *, by, action: str, before: str, note: str = "") -> None:
    ProblemStep.objects.create(
        problem=problem, user=by, action=action, from_status=before, to_status=problem.status, note=note
    )


def default_due_on(category: str, start: date | None = None) -> date:
    start = start or timezone.localdate()
    return add_working_days(start, DEFAULT_DUE_WORKING_DAYS.get(category, 10)).value


def _check_due_on(due_on: date) -> None:
    _require(due_on > timezone.localdate(), _("The due date must be after today."))
    _require(
        is_working_day(due_on),
        _("%(d)s is not a working day (a weekend or a public holiday): choose a working day.") % {"d": due_on},
    )


@transaction.atomic
def problem_raise(
    *, by: User, enterprise: Enterprise, category: str, title: str, description: str = "", visit: Visit | None = None
) -> Problem:
    """An enterprise user raises a problem on its own form, or an officer records one (then it is accepted)."""
    role = effective_role(by)
    officer = officer_of(enterprise)
    if role == Role.ENTERPRISE:
        _require(by.enterprise_id == enterprise.pk, _("You can raise problems only for your own enterprise."))
        origin, status = Problem.Origin.ENTERPRISE, S.SUBMITTED
    else:
        _require(role == Role.OFFICER, _("Only the enterprise or its officer can raise a problem."))
        _require(officer is not None and officer.pk == by.pk, _("This enterprise is not assigned to you."))
        origin, status = Problem.Origin.OFFICER, S.ACCEPTED
    _require(category in DEFAULT_DUE_WORKING_DAYS, _("Choose a category."))
    _require(bool(title.strip()), _("Give the problem a title."))
    now = timezone.now()
    problem = Problem.objects.create(
        enterprise=enterprise,
        officer=officer,
        origin=origin,
        raised_by=by,
        visit=visit,
        category=category,
        title=title.strip()[:120],
        description=description,
        status=status,
        created_at=now,
        accepted_at=now if status == S.ACCEPTED else None,
    )
    _step(problem, by=by, action="raise", before="")
    return problem


def _enter(action: str, problem: Problem, by: User) -> Problem:
    """Lock the problem and check that ``by`` may take this step of the loop now (``LOOP[action]``)."""
    problem = Problem.objects.select_for_update().get(pk=problem.pk)
    LOOP[action].check(by, problem)
    return problem


@transaction.atomic
def problem_accept(*, problem: Problem, by: User, note: str = "") -> Problem:
    problem = _enter("accept", problem, by)
    before, problem.status, problem.accepted_at = problem.status, S.ACCEPTED, timezone.now()
    problem.save()
    _step(problem, by=by, action="accept", before=before, note=note)
    return problem


@transaction.atomic
def problem_hand_over(
    *, problem: Problem, by: User, department: Department, due_on: date | None = None, note: str = ""
) -> Problem:
    """交办: hand the problem over one-to-one to one responsible department, with a due date in working days."""
    problem = _enter("hand_over", problem, by)
    if due_on is None:
        due_on = default_due_on(problem.category)
    else:
        _check_due_on(due_on)
    before = problem.status
    problem.status, problem.department, problem.due_on = S.HANDED_OVER, department, due_on
    problem.handed_over_at = timezone.now()
    problem.save()
    _step(problem, by=by, action="hand_over", before=before, note=note or str(department))
    return problem


@transaction.atomic
def problem_reply(*, problem: Problem, by: User, solution: str) -> Problem:
    """The responsible department has handled the problem and says how."""
    problem = _enter("reply", problem, by)
    _require(bool(solution.strip()), _("Say how the problem was handled."))
    before = problem.status
    problem.status, problem.solution, problem.solved_at = S.REPLIED, solution.strip(), timezone.now()
    problem.save()
    _step(problem, by=by, action="reply", before=before, note=solution)
    return problem


@transaction.atomic
def problem_solve(*, problem: Problem, by: User, solution: str) -> Problem:
    """The officer solves the problem directly, without handing it over, and records how."""
    problem = _enter("solve", problem, by)
    _require(bool(solution.strip()), _("Say how the problem was solved."))
    before = problem.status
    problem.status, problem.solution, problem.solved_directly = S.REPLIED, solution.strip(), True
    problem.accepted_at = problem.accepted_at or timezone.now()
    problem.solved_at = timezone.now()
    problem.save()
    _step(problem, by=by, action="solve", before=before, note=solution)
    return problem


@transaction.atomic
def problem_rate(
    *,
    problem: Problem,
    by: User,
    rating: int,
    target_scores: dict[str, int] | None = None,
    comment: str = "",
    due_on: date | None = None,
) -> Problem:
    """好差评 by the enterprise. 基本满意 or better closes it; 不满意 or worse reopens it for rectification."""
    problem = _enter("rate", problem, by)
    _require(rating in Rating.values, _("Choose one of the five ratings."))
    scores = {k: int(v) for k, v in (target_scores or {}).items() if v not in (None, "")}
    _require(
        set(scores) <= set(SERVICE_TARGETS) and all(1 <= v <= 5 for v in scores.values()),
        _("Score each service target from 1 to 5."),
    )
    before = problem.status
    problem.rating, problem.target_scores, problem.rating_comment = rating, scores, comment
    problem.rated_at = timezone.now()
    if rating >= Rating.BASICALLY_SATISFIED:
        problem.status, problem.closed_at = S.CLOSED, timezone.now()
        action = "rate_close"
    else:
        # Rectification: back to whoever solved it, with a new due date.
        problem.reopened_count += 1
        problem.solved_at = None
        problem.escalated_at = None
        if problem.solved_directly:
            problem.status, problem.solved_directly = S.ACCEPTED, False
        else:
            problem.status = S.HANDED_OVER
        if due_on is not None:
            _check_due_on(due_on)
        problem.due_on = due_on or default_due_on(problem.category)
        action = "rate_reopen"
    problem.save()
    _step(problem, by=by, action=action, before=before, note=comment)
    return problem


@transaction.atomic
def problem_close(*, problem: Problem, by: User, note: str = "") -> Problem:
    """The officer closes a solved problem the enterprise has not rated (no rating is recorded)."""
    problem = _enter("close", problem, by)
    before = problem.status
    problem.status, problem.closed_at = S.CLOSED, timezone.now()
    problem.save()
    _step(problem, by=by, action="close", before=before, note=note)
    return problem


# --- The loop as data ------------------------------------------------------------------------------------------
#
#   submitted ─accept─▶ accepted ─hand_over─▶ handed_over ─reply─▶ replied ─rate ≥ 3 (基本满意)─▶ closed
#   submitted, accepted ─solve─▶ replied;   replied ─close (by the officer, left unrated)─▶ closed
#   replied ─rate ≤ 2─▶ accepted (if it was solved directly) or handed_over, with a new due date (rectification)
#
# Escalation is not a state: ``escalate_overdue`` marks ``escalated_at`` on the problems waiting on their handler
# (``Problem.WAITING_ON_HANDLER``) past their due date; a reopening clears the mark.


def _the_officer(user, problem: Problem) -> bool:
    return problem.officer_id == user.pk


def _the_department(user, problem: Problem) -> bool:
    return user.department_id == problem.department_id


def _the_enterprise(user, problem: Problem) -> bool:
    return user.enterprise_id == problem.enterprise_id


@dataclass(frozen=True)
class Transition:
    """One step of a problem's loop: who takes it, from which states, to which, through which service.

    The services enforce it (``_enter``); the pages and the API read it to decide what to offer and to allow.
    """

    action: str  # the API action's name (the pages' URL writes it with a hyphen)
    role: str  # the one role that takes this step …
    party: Callable[[User, Problem], bool]  # … and which user of that role: the problem's own officer, …
    from_states: tuple[str, ...]
    to_states: tuple[str, ...]
    service: Callable[..., Problem]
    not_yours: str  # the refusal when the user is not the party
    wrong_state: str  # the refusal when the problem is in another state (``%(s)s``: its current status)

    @property
    def slug(self) -> str:
        return self.action.replace("_", "-")

    @property
    def roles(self) -> tuple[str, ...]:
        return (self.role,)

    def is_party(self, user, problem: Problem) -> bool:
        return effective_role(user) == self.role and self.party(user, problem)

    def allows(self, user, problem: Problem) -> bool:
        return self.is_party(user, problem) and problem.status in self.from_states

    def check(self, user, problem: Problem) -> None:
        _require(self.is_party(user, problem), str(self.not_yours))
        _require(problem.status in self.from_states, str(self.wrong_state) % {"s": problem.get_status_display()})


# In the order the pages offer them.
LOOP: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition(
            "accept",
            Role.OFFICER,
            _the_officer,
            (S.SUBMITTED,),
            (S.ACCEPTED,),
            problem_accept,
            gettext_lazy("Only the enterprise's officer accepts its problems."),
            gettext_lazy("Only a submitted problem can be accepted."),
        ),
        Transition(
            "hand_over",
            Role.OFFICER,
            _the_officer,
            (S.ACCEPTED,),
            (S.HANDED_OVER,),
            problem_hand_over,
            gettext_lazy("Only the enterprise's officer hands its problems over."),
            gettext_lazy("Only an accepted problem can be handed over (this one is “%(s)s”)."),
        ),
        Transition(
            "solve",
            Role.OFFICER,
            _the_officer,
            (S.SUBMITTED, S.ACCEPTED),
            (S.REPLIED,),
            problem_solve,
            gettext_lazy("Only the enterprise's officer can solve its problem directly."),
            gettext_lazy("Only a problem not handed over can be solved directly."),
        ),
        Transition(
            "close",
            Role.OFFICER,
            _the_officer,
            (S.REPLIED,),
            (S.CLOSED,),
            problem_close,
            gettext_lazy("Only the enterprise's officer closes an unrated problem."),
            gettext_lazy("Only a solved problem can be closed."),
        ),
        Transition(
            "reply",
            Role.DEPARTMENT,
            _the_department,
            (S.HANDED_OVER,),
            (S.REPLIED,),
            problem_reply,
            gettext_lazy("Only the department the problem was handed to can reply."),
            gettext_lazy("Only a handed-over problem can be answered."),
        ),
        Transition(
            "rate",
            Role.ENTERPRISE,
            _the_enterprise,
            (S.REPLIED,),
            (S.CLOSED, S.ACCEPTED, S.HANDED_OVER),
            problem_rate,
            gettext_lazy("Only the enterprise that raised the problem rates it."),
            gettext_lazy("A problem can be rated only once it has been solved."),
        ),
    )
}

# Who raises a problem (``problem_raise``): the enterprise for itself, its officer for it.
RAISE_ROLES = frozenset({Role.ENTERPRISE, Role.OFFICER})


def available(user, problem: Problem) -> list[Transition]:
    """The steps this user may take on this problem in its current state, in the table's order."""
    return [t for t in LOOP.values() if t.allows(user, problem)]


def transition(slug: str) -> Transition | None:
    """The step named in a page's URL (``hand-over``); None for no such step."""
    return next((t for t in LOOP.values() if t.slug == slug), None)


# --- Scheduled: escalation and the monthly reminder ------------------------------------------------------------


@transaction.atomic
def escalate_overdue(*, today: date | None = None, by: User | None = None) -> int:
    """Overdue problems go on the leaders' list: mark them escalated and tell every leader once.

    The mark is a fact of the case, written in bulk: the audit trail gets one record per problem (who: ``by``,
    else the audit context's user, else the system).
    """
    today = today or timezone.localdate()
    overdue = list(Problem.objects.overdue(today).filter(escalated_at__isnull=True).select_related("enterprise"))
    if not overdue:
        return 0
    now = timezone.now()
    with audit.bulk_write(Problem):  # the mark, then one record per problem
        Problem.objects.filter(pk__in=[p.pk for p in overdue]).update(escalated_at=now)
        _record_bulk_update(overdue, by=by, escalated_at=now)
    leaders = list(User.objects.filter(Q(role=Role.LEADER) | Q(is_superuser=True), is_active=True).order_by("pk"))
    Notification.objects.bulk_create(
        [
            Notification(
                user=leader,
                kind="escalation",
                key=f"escalation:{p.pk}:{p.reopened_count}",
                url=f"/liaison/problems/{p.pk}/",
                text=_("Overdue since %(due)s: %(title)s (%(enterprise)s)")
                % {"due": p.due_on, "title": p.title, "enterprise": p.enterprise},
            )
            for p in overdue
            for leader in leaders
        ],
        ignore_conflicts=True,
    )
    return len(overdue)


def _record_bulk_update(problems: list[Problem], *, by: User | None, **values) -> None:
    """The audit records of ``Problem.objects.filter(…).update(**values)`` on these problems (sends no signal)."""
    context = audit.current()
    if by is None and context is not None:
        by = context.resolve_user()
    rows = []
    for problem in problems:
        before = audit.snapshot(problem)
        for name, value in values.items():
            setattr(problem, name, value)
        changes = audit.diff(before, audit.snapshot(problem))
        rows.append((problem.pk, str(problem), problem.enterprise_id, AuditEvent.Action.UPDATE, changes))
    audit.bulk_events(
        model=Problem, rows=rows, user=by, source=context.source if context is not None else Source.SYSTEM
    )


def month_bounds(year: int, month: int) -> tuple[date, date]:
    first = date(year, month, 1)
    last = (date(year + (month == 12), month % 12 + 1, 1)) - timedelta(days=1)
    return first, last


def coverage_assignments(year: int, month: int, *, today: date | None = None, full: bool = False):
    """The assignments the monthly rule covers, each annotated with ``visited``, in one query.

    An assignment counts when it is active at the end of the month (or today, in the current month); it
    counts from its start, so one that starts mid-month needs a visit between its start and the month's end.
    ``visited`` is read from the month's summary (``VisitMonth``: one index probe an assignment, whatever the
    history); ``full=True`` reads the visits themselves (the full computation the summary must equal).
    """
    from django.db.models.functions import Greatest

    from .models import VisitMonth

    first, last = month_bounds(year, month)
    today = today or timezone.localdate()
    until = min(last, today) if first <= today else last
    if full:
        visits = Visit.objects.filter(
            officer=OuterRef("officer"),
            enterprise=OuterRef("enterprise"),
            visited_on__gte=Greatest(OuterRef("started_on"), first),
            visited_on__lte=last,
        )
    else:
        # The month's latest visit on or after the assignment's start: a visit between its start and the month's end.
        visits = VisitMonth.objects.filter(
            officer=OuterRef("officer"),
            enterprise=OuterRef("enterprise"),
            month=first,
            last_on__gte=Greatest(OuterRef("started_on"), first),
        )
    return Assignment.objects.active(until).annotate(visited=Exists(visits))


def send_visit_reminders(*, today: date | None = None) -> int:
    """On the 20th: one inbox line per enterprise an officer has not yet visited this month."""
    today = today or timezone.localdate()
    missing = (
        coverage_assignments(today.year, today.month, today=today)
        .filter(visited=False)
        .select_related("enterprise")
        .order_by("officer_id", "enterprise__name")
    )
    notes = [
        Notification(
            user_id=a.officer_id,
            kind="visit_reminder",
            key=f"visit:{today:%Y-%m}:{a.enterprise_id}",
            url=f"/liaison/visits/new/?enterprise={a.enterprise_id}",
            text=_("Not visited yet in %(month)s: %(enterprise)s")
            % {"month": f"{today:%Y-%m}", "enterprise": a.enterprise},
        )
        for a in missing
    ]
    before = Notification.objects.filter(kind="visit_reminder").count()
    Notification.objects.bulk_create(notes, ignore_conflicts=True, batch_size=2000)
    return Notification.objects.filter(kind="visit_reminder").count() - before
