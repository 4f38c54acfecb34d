"""The last weeks of the demo, played through the services."""

from __future__ import annotations

from datetime import date, timedelta

from hitechzone.accounts.models import User
from hitechzone.approvals import services
from hitechzone.approvals.models import (
    Application,
    Item,
    ItemType,
    Level,
)
from hitechzone.enterprises.models import Enterprise

from .base import (
    APPROVED,
    COMPLAINTS,
    PAUSE_KINDS,
    PROJECT_ITEMS,
    PROJECTS,
    REFUSE_REASONS,
    REFUSED,
    REJECT_REASONS,
    K,
    World,
)
from .year import _used_days

# --- The last weeks, through the services ------------------------------------------------------------------------

AT_THE_WINDOW = (("fgw", 3), ("jxj", 2), ("zrzyj", 2), ("zjj", 2), ("sthjj", 1), ("scjgj", 2))  # received, per window
NOTICED = 4  # one-time notices out before acceptance
RUNNING = (("green", 10), ("yellow", 4), ("red", 4))  # being processed, by their light today
PAUSED = (K.EXPERT_REVIEW, K.TESTING, K.SITE_SURVEY, K.CORRECTION, K.CORRECTION)  # the clock stopped now
DONE = 12  # done in the last weeks
#: The applications the services play in the last weeks (at most: the bundle's suspended items are left out), which
#: the bulk plan of the year under way leaves room for.
PLAYED = sum(n for _c, n in AT_THE_WINDOW) + NOTICED + sum(n for _l, n in RUNNING) + len(PAUSED) + DONE + 1
PLAYED += len(PROJECT_ITEMS[0])


def _light(w: World, accepted: date, limit: int, threshold: int) -> str:
    """The light today of an application accepted on ``accepted`` (no pause)."""
    due = w.days.counted_day(accepted, limit)
    if w.today > due:
        return "red"
    return "yellow" if w.today >= (w.days.before(due, threshold) if threshold else due) else "green"


class Recent:
    """Plays applications of the last weeks through the services, as the enterprises and the windows would."""

    def __init__(self, w: World) -> None:
        self.w = w
        self.count = 0
        self.last = w.days.on_or_before(w.today)  # the last working day up to today
        self.active = [i for i in w.items if i.status == Item.Status.ACTIVE]
        self.timed = [i for i in self.active if i.current.item_type == ItemType.COMMITMENT]
        self.by_code: dict[str, list[Item]] = {}
        for item in self.active:
            self.by_code.setdefault(w.departments[item.department_id].code, []).append(item)
        self.enterprises = {e.pk: e for e in Enterprise.objects.filter(pk__in=w.enterprises)}

    def persona_enterprise(self, username: str) -> int | None:
        user = self.w.personas.get(username)
        return user.enterprise_id if user is not None and user.enterprise_id in self.w.officers else None

    def staff(self, application: Application) -> User:
        return self.w.staff[application.department_id]

    def handed_in(self, version_id: int, *, leave_out: int = 0) -> list[int]:
        """Every required material but ``leave_out`` of them (never the application form), some optional ones."""
        materials = self.w.materials[version_id]
        required = [m for m in materials[1:] if m.required]
        out = self.w.rng.sample(required, min(leave_out, len(required)))
        return [m.pk for m in materials if m not in out and (m.required or self.w.rng.random() < 0.5)]

    def file(self, item: Item, day: date, *, enterprise_id=None, agent=False, leave_out=0) -> Application:
        w = self.w
        enterprise_id = enterprise_id or w.rng.choices(w.enterprises, weights=w.enterprise_weights)[0]
        by = w.officers[enterprise_id] if agent else w.users[enterprise_id]
        self.count += 1
        return services.application_file(
            by=by,
            item=item,
            enterprise=self.enterprises[enterprise_id],
            received_on=day,
            provided=self.handed_in(item.current_id, leave_out=leave_out),
        )

    def accept(self, application: Application, day: date) -> Application:
        staff = self.staff(application)
        provided = self.handed_in(application.version_id)
        services.application_check(application=application, by=staff, provided=provided, on=day)
        return services.application_assign(application=application, by=staff, assignee=staff, on=day)

    def complete(self, application: Application, day: date, *, refused: bool = False) -> Application:
        w = self.w
        return services.application_complete(
            application=application,
            by=self.staff(application),
            outcome=REFUSED if refused else APPROVED,
            certificate_no="" if refused else w.certificate(application.department_id, day),
            reason=w.rng.choice(REFUSE_REASONS) if refused else "",
            on=day,
        )

    def at_the_window(self) -> None:
        """Received, some materials still to hand in: the window's check to do (dept1 is 发改委's window)."""
        w, ent1 = self.w, self.persona_enterprise("ent1")
        for code, n in AT_THE_WINDOW:
            pool = [i for i in self.by_code[code] if sum(m.required for m in w.materials[i.current_id][1:]) >= 1]
            for k in range(n):
                day = self.last if k == 0 else w.days.before(self.last, w.rng.randint(0, 3))
                self.file(
                    w.rng.choice(pool),
                    day,
                    enterprise_id=ent1 if (code, k) == ("fgw", 0) else None,
                    agent=k == 2,  # filed complete by the officer as agent
                    leave_out=0 if k == 2 else 1,
                )

    def noticed(self) -> None:
        """One-time notices out before acceptance, waiting for the applicant (ent1 has one to supply)."""
        w, ent1 = self.w, self.persona_enterprise("ent1")
        pool = [i for i in self.timed if sum(m.required for m in w.materials[i.current_id][1:]) >= 1]
        for k in range(NOTICED):
            day = w.days.before(self.last, w.rng.randint(1, 6))
            application = self.file(w.rng.choice(pool), day, enterprise_id=ent1 if k == 0 else None, leave_out=1)
            services.application_check(application=application, by=self.staff(application), on=day)

    def running(self) -> None:
        """Being processed, with a light today: green, yellow and red."""
        w, ent2 = self.w, self.persona_enterprise("ent2")
        for light, n in RUNNING:
            made = 0
            for item in w.rng.sample(self.timed, len(self.timed)):
                limit, threshold = item.current.promised_limit, item.current.yellow_threshold
                ks = [k for k in range(1, 16) if _light(w, w.days.before(self.last, k), limit, threshold) == light]
                if not ks:
                    continue
                accepted = w.days.before(self.last, w.rng.choice(ks))
                received = accepted if w.rng.random() < 0.7 else w.days.before(accepted)
                enterprise_id = ent2 if (light, made) == ("green", 0) else None
                self.accept(
                    self.file(item, received, enterprise_id=enterprise_id, agent=w.rng.random() < 0.2), accepted
                )
                made += 1
                if made == n:
                    break

    def paused(self) -> None:
        """The clock stopped now: special procedures, and 补正 after acceptance."""
        w = self.w
        pool = [i for i in self.timed if i.current.promised_limit >= 5]
        for kind in PAUSED:
            item = w.rng.choice(pool)
            accepted = w.days.before(self.last, w.rng.randint(3, 8))
            application = self.accept(self.file(item, accepted), accepted)
            missing = [w.rng.choice(w.materials[item.current_id]).pk] if kind == K.CORRECTION else []
            services.application_pause(
                application=application,
                by=self.staff(application),
                kind=kind,
                on=w.days.after(accepted, w.rng.randint(1, 2)),
                reason=PAUSE_KINDS[kind][2],
                missing=missing,
            )

    def done(self) -> None:
        """Done in the last weeks: ent1 and ent2 each have one to rate; some rated (one 不满意, not answered)."""
        w, ent1, ent2 = self.w, self.persona_enterprise("ent1"), self.persona_enterprise("ent2")
        for k in range(DONE):
            item = w.rng.choice(self.timed)
            accepted = w.days.before(self.last, w.rng.randint(6, 18))
            enterprise_id = {0: ent1, 1: ent1, 2: ent2}.get(k)
            application = self.accept(self.file(item, accepted, enterprise_id=enterprise_id), accepted)
            day = min(w.days.after(accepted, _used_days(w.rng, item.current.promised_limit)), self.last)
            application = self.complete(application, day, refused=k == 7)
            if k in (0, 2) or k > 7:
                continue  # waiting for the applicant's rating
            dissatisfied = k == 6
            services.application_rate(
                application=application,
                by=w.users[application.enterprise_id],
                level=Level.DISSATISFIED if dissatisfied else w.rng.choice((Level.VERY_SATISFIED, Level.SATISFIED)),
                comment=COMPLAINTS[0] if dissatisfied else "",
                on=min(w.today, day + timedelta(days=1)),
            )

    def rejected(self) -> None:
        w = self.w
        application = self.file(w.rng.choice(self.active), w.days.before(self.last, 4))
        services.application_reject(
            application=application,
            by=self.staff(application),
            reason=REJECT_REASONS[0],
            on=w.days.before(self.last, 3),
        )

    def bundle(self, report) -> None:
        """A parallel approval under way, filed by officer2 for ent2's enterprise: half its items done."""
        w, ent2 = self.w, self.persona_enterprise("ent2")
        items = [
            i for i in (w.by_name(n) for n in PROJECT_ITEMS[0]) if i is not None and i.status == Item.Status.ACTIVE
        ]
        if len(items) < 2 or ent2 is None:
            return
        started = w.days.before(self.last, 3)
        bundle = services.bundle_create(
            by=w.officers[ent2],
            enterprise=self.enterprises[ent2],
            name=PROJECTS.get(w.chains.get(ent2, ""), PROJECTS["equipment"])[1],
            items=items,
            started_on=started,
        )
        for k, application in enumerate(bundle.applications.order_by("pk")):
            application = self.accept(application, started)
            if k % 2 == 0:
                limit = application.limit_days
                self.complete(application, w.days.after(started, min(limit, 2)) if limit else started)
        self.count += len(items)
        report.add("parallel approvals", 1)


def load_recent(w: World, report) -> None:
    """Applications of the last weeks before today, through the real services: every state and light shows."""
    recent = Recent(w)
    recent.at_the_window()
    recent.noticed()
    recent.running()
    recent.paused()
    recent.done()
    recent.rejected()
    recent.bundle(report)
    report.add("applications", recent.count)
