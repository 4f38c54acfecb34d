"""The import of the applications' history (办件记录), with their clock computed in bulk."""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time
from functools import lru_cache, partial

import numpy as np
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hitechzone.accounts.models import Role, User
from hitechzone.approvals.clock import bulk as clock_bulk
from hitechzone.approvals.models import Application, Item, ItemVersion, Pause, Step
from hitechzone.common import audit
from hitechzone.common.bulk import bulk_insert
from hitechzone.common.deadlines import check_year, to_ordinals
from hitechzone.common.intake import Column, Counts, Kind, Progress
from hitechzone.common.models import AuditEvent, Source
from hitechzone.common.spreadsheets import clean_text, parse_date, parse_int
from hitechzone.enterprises.intake import name_key
from hitechzone.enterprises.models import Enterprise
from hitechzone.enterprises.uscc import normalise

from .base import (
    OUTCOMES,
    REJECTED,
    Outcome,
    S,
    _chunks,
    _require_admin,
    one_line,
    parse_pauses,
    pauses_text,
    text_block,
)

# --- History ----------------------------------------------------------------------------------------------------

NUMBER_MAX = 24
TITLE_MAX = 120
CERTIFICATE_MAX = 60


class HistoryKind(Kind):
    name = "approval-history"
    label = gettext_lazy("application history")
    key = ("number_key",)  # blank numbers are generated: each blank is its own key
    key_columns = ("number",)
    columns = (
        Column("办件编号", "number", clean_text, aliases=("申请编号", "application number", "number"), width=24),
        Column("事项编码", "item_code", clean_text, required=True, aliases=("事项代码", "item code"), width=16),
        Column("事项版本", "version_number", partial(parse_int, minimum=1), aliases=("版本", "version"), width=8),
        Column(
            "申请企业",
            "enterprise",
            one_line,
            required=True,
            aliases=("企业", "申请单位", "统一社会信用代码", "企业名称", "enterprise"),
            width=30,
        ),
        Column("收件日期", "received_on", parse_date, required=True, aliases=("接件日期", "申请日期", "received on")),
        Column("受理日期", "accepted_on", parse_date, aliases=("accepted on",)),
        Column("办结日期", "completed_on", parse_date, aliases=("completed on",)),
        Column("办理结果", "outcome", OUTCOMES.parse, aliases=("结果", "outcome"), width=10),
        Column("证照编号", "certificate_no", clean_text, aliases=("证书编号", "批文编号", "certificate"), width=22),
        Column("原因", "reason", text_block, aliases=("理由", "不予许可原因", "不予受理原因", "reason"), width=30),
        Column("暂停时段", "pauses", parse_pauses, aliases=("暂停", "pauses"), width=36),
        Column("代办员账号", "agent", clean_text, aliases=("代办员", "代办", "agent"), width=12),
        Column("办件标题", "title", one_line, aliases=("标题", "项目名称", "title"), width=30),
    )

    def prepare(self, rows):
        self.today = timezone.localdate()
        codes = {r["item_code"] for r in rows}
        self.items: dict[str, tuple[int, int, int]] = {}  # code → (id, department id, current version id)
        self.versions: dict[int, list[tuple]] = defaultdict(list)  # item id → [(number, id, created, limit, yellow)]
        for chunk in _chunks(codes):
            for pk, code, department_id, current_id in Item.objects.filter(code__in=chunk).values_list(
                "id", "code", "department_id", "current_id"
            ):
                self.items[code] = (pk, department_id, current_id)
            for item_id, pk, number, created_at, limit, yellow in (
                ItemVersion.objects.filter(item__code__in=chunk)
                .order_by("item_id", "number")
                .values_list("item_id", "id", "number", "created_at", "promised_limit", "yellow_threshold")
            ):
                self.versions[item_id].append((number, pk, timezone.localdate(created_at), limit, yellow))
        texts = {r["enterprise"] for r in rows}
        codes = {normalise(t) for t in texts}
        self.by_uscc: dict[str, int] = {}
        for chunk in _chunks(codes):
            self.by_uscc.update(Enterprise.objects.filter(uscc__in=chunk).values_list("uscc", "id"))
        names = {variant for t in texts for variant in (t, clean_text(t), t.replace("(", "（").replace(")", "）"))}
        self.by_name: dict[str, set[int]] = defaultdict(set)
        for chunk in _chunks(names):
            for pk, name in Enterprise.objects.filter(name__in=chunk).values_list("id", "name"):
                self.by_name[name_key(name)].add(pk)
        usernames = {r["agent"] for r in rows if r.get("agent")}
        self.agents = {
            username: (pk, role, superuser)
            for username, pk, role, superuser in User.objects.filter(username__in=usernames).values_list(
                "username", "id", "role", "is_superuser"
            )
        }
        self.numbers: set[str] = set()
        for chunk in _chunks({r["number"] for r in rows if r.get("number")}):
            self.numbers.update(Application.objects.filter(number__in=chunk).values_list("number", flat=True))

    def check_row(self, values, error):
        number = values.get("number") or ""
        values["number_key"] = number or object()
        if len(number) > NUMBER_MAX:
            error("number", _("An application number has at most %(n)d characters.") % {"n": NUMBER_MAX})
        elif number in self.numbers:
            error("number", _("Application %(n)s exists already.") % {"n": number})
        self._check_item(values, error)
        self._check_enterprise(values, error)
        self._check_dates(values, error)
        agent = values.get("agent")
        values["agent_id"] = None
        if agent:
            found = self.agents.get(agent)
            if found is None:
                error("agent", _("No user is called “%(u)s”.") % {"u": agent})
            elif found[1] != Role.OFFICER or found[2]:
                error(
                    "agent", _("%(u)s is not a service officer: only an officer acts as agent (代办).") % {"u": agent}
                )
            else:
                values["agent_id"] = found[0]
        for f, limit in (("title", TITLE_MAX), ("certificate_no", CERTIFICATE_MAX)):
            if len(values.get(f) or "") > limit:
                error(f, _("At most %(n)d characters.") % {"n": limit})

    def _check_item(self, values, error) -> None:
        item = self.items.get(values["item_code"])
        if item is None:
            error("item_code", _("No item has the code “%(code)s”.") % {"code": values["item_code"]})
            return
        item_id, department_id, current_id = item
        versions = self.versions[item_id]
        wanted = values.get("version_number")
        if wanted:
            chosen = next((v for v in versions if v[0] == wanted), None)
            if chosen is None:
                error(
                    "version_number",
                    _("Item %(code)s has no version %(n)d (it has versions 1 to %(last)d).")
                    % {"code": values["item_code"], "n": wanted, "last": versions[-1][0] if versions else 0},
                )
                return
        elif not versions:
            error("item_code", _("Item %(code)s has no version yet.") % {"code": values["item_code"]})
            return
        else:
            in_force = [v for v in versions if v[2] <= values["received_on"]]
            current = [v for v in versions if v[1] == current_id] or versions[-1:]
            chosen = in_force[-1] if in_force else current[0]
        values["item_id"], values["department_id"] = item_id, department_id
        values["version_id"], values["limit_days"], values["yellow_threshold"] = chosen[1], chosen[3], chosen[4]

    def _check_enterprise(self, values, error) -> None:
        text = values["enterprise"]
        values["enterprise_id"] = self.by_uscc.get(normalise(text))
        if values["enterprise_id"] is not None:
            return
        found = self.by_name.get(name_key(text), set())
        if len(found) == 1:
            values["enterprise_id"] = next(iter(found))
        elif found:
            error("enterprise", _("Several enterprises are called “%(v)s”: give the USCC.") % {"v": text})
        else:
            error("enterprise", _("No enterprise has the USCC or the name “%(v)s”.") % {"v": text})

    def _check_dates(self, values, error) -> None:
        received, accepted, completed = values["received_on"], values.get("accepted_on"), values.get("completed_on")
        outcome, pauses = values.get("outcome"), values.get("pauses") or []
        bad = False
        for f in ("received_on", "accepted_on", "completed_on"):
            day = values.get(f)
            if day is None:
                continue
            try:
                check_year(day)
            except ValueError as exc:
                error(f, str(exc))
                bad = True
                continue
            if day > self.today:
                error(f, _("%(d)s is in the future.") % {"d": day})
                bad = True
        if accepted and accepted < received:
            error(
                "accepted_on",
                _("The acceptance (%(a)s) comes before the receipt (%(r)s).") % {"a": accepted, "r": received},
            )
            bad = True
        if outcome == REJECTED:
            if accepted:
                error("accepted_on", _("An application not accepted (不予受理) has no acceptance date."))
            if completed is None:
                error("completed_on", _("Give the day it was declined (不予受理) as its completion date."))
            elif completed < received:
                error(
                    "completed_on",
                    _("It was declined (%(c)s) before it was received (%(r)s).") % {"c": completed, "r": received},
                )
            if not values.get("reason"):
                error("reason", _("Give the reason for not accepting it."))
        elif outcome:
            if accepted is None:
                error("accepted_on", _("A decided application was accepted first: give the acceptance date."))
            if completed is None:
                error("completed_on", _("A decided application has a completion date."))
            elif accepted and completed < accepted:
                error(
                    "completed_on",
                    _("The completion (%(c)s) comes before the acceptance (%(a)s).") % {"c": completed, "a": accepted},
                )
                bad = True
            if outcome == Outcome.APPROVED and not values.get("certificate_no"):
                error("certificate_no", _("An approval has the number of its certificate or approval document."))
            if outcome == Outcome.REFUSED and not values.get("reason"):
                error("reason", _("Give the reason for the refusal."))
        elif completed:
            error("outcome", _("A completed application has its outcome: 准予许可, 不予许可 or 不予受理."))
        if values.get("certificate_no") and outcome != Outcome.APPROVED:
            error("certificate_no", _("Only an approved application has a certificate number."))
        if values.get("reason") and outcome == Outcome.APPROVED:
            error("reason", _("An approved application has no reason for a refusal."))
        if not pauses or bad:
            return
        if accepted is None:
            error("pauses", _("The clock stops only after acceptance: give the acceptance date or remove the pauses."))
            return
        for position, (_kind, start, end) in enumerate(pauses):
            span = f"{start}:{end or ''}"
            if start <= accepted:
                error(
                    "pauses",
                    _("The pause %(p)s starts on or before the acceptance (%(a)s): the clock runs from the day after.")
                    % {"p": span, "a": accepted},
                )
            elif max(start, end or start) > self.today:
                error("pauses", _("The pause %(p)s lies in the future.") % {"p": span})
            elif completed and (end or start) > completed:
                error("pauses", _("The pause %(p)s ends after the completion (%(c)s).") % {"p": span, "c": completed})
            elif end is None and (completed or outcome):
                error("pauses", _("The pause %(p)s has no last day, but the application is done.") % {"p": span})
            elif end is None and position != len(pauses) - 1:
                error("pauses", _("Only the last pause may be open (without a last day): %(p)s.") % {"p": span})

    def write(self, rows, *, batch, progress: Progress) -> Counts:
        _require_admin(batch)
        if not rows:
            return Counts()
        with _collector_paused():
            return self._write(rows, batch=batch, progress=progress)

    # The applications and their pauses go in by COPY; their audit records too (bulk_insert of AuditEvent rows).
    @audit.bulk_write(Application, Pause)
    def _write(self, rows, *, batch, progress: Progress) -> Counts:
        progress(63, _("Computing the clock"))
        clock = self._clock(rows)
        now = timezone.now()
        given = {r["number"] for r in rows if r.get("number")}
        generated = 0
        applications = []
        for i, row in enumerate(rows):
            number = row.get("number")
            while not number or (number in given and not row.get("number")):
                generated += 1  # unique by the batch's id; a number the file gives is skipped
                number = f"LS{row['received_on']:%Y%m%d}-{batch.pk}-{generated}"
            outcome = row.get("outcome")
            applications.append(
                {
                    "number": number,
                    "item_id": row["item_id"],
                    "version_id": row["version_id"],
                    "department_id": row["department_id"],
                    "enterprise_id": row["enterprise_id"],
                    "bundle_id": None,
                    "title": row.get("title") or "",
                    "applicant_id": row["agent_id"],
                    "agent_id": row["agent_id"],
                    "assignee_id": None,
                    "state": _state(row),
                    "received_on": row["received_on"],
                    "accepted_on": row.get("accepted_on"),
                    "completed_on": row.get("completed_on"),
                    "limit_days": row["limit_days"],
                    "yellow_threshold": row["yellow_threshold"],
                    "due_on": None,
                    "due_provisional": False,
                    "yellow_on": None,
                    "paused_working_days": 0,
                    "working_days_used": None,
                    "on_time": None,
                    "outcome": outcome if outcome in (Outcome.APPROVED, Outcome.REFUSED) else "",
                    "certificate_no": row.get("certificate_no") or "",
                    "reason": row.get("reason") or "",
                    "historical": True,
                    "red_notified": False,
                    "created_at": now,
                    **clock.get(i, {}),
                }
            )
        progress(70, _("Writing the applications"))
        bulk_insert(Application, applications)
        ids = {}
        for chunk in _chunks(a["number"] for a in applications):
            ids.update(Application.objects.filter(number__in=chunk).values_list("number", "id"))
        for a in applications:
            a["id"] = ids[a["number"]]
        progress(78, _("Writing the pauses and the steps"))
        pauses = [
            {"application_id": a["id"], "kind": kind, "started_on": start, "ended_on": end, "reason": ""}
            for a, row in zip(applications, rows, strict=True)
            for kind, start, end in row.get("pauses") or []
        ]
        bulk_insert(Pause, pauses)
        steps = [step for a, row in zip(applications, rows, strict=True) for step in _steps(a, row)]
        bulk_insert(Step, steps)
        progress(86, _("Recording the audit trail"))
        enterprise_of = {a["id"]: a["enterprise_id"] for a in applications}
        events = [(a["id"], a["number"], a["enterprise_id"], a) for a in applications]
        paused_ids = sorted({p["application_id"] for p in pauses})
        for chunk in _chunks(paused_ids):
            for pause in Pause.objects.filter(application_id__in=chunk).values():
                label = f"{pause['application_id']} {pause['kind']} {pause['started_on']}–{pause['ended_on'] or ''}"
                events.append((pause["id"], label, enterprise_of[pause["application_id"]], pause))
        bulk_insert(AuditEvent, audit_rows(events, batch=batch, applications=len(applications)))
        progress(95, "")
        return Counts(created=len(applications))

    @staticmethod
    def _clock(rows: list[dict]) -> dict[int, dict]:
        """The stored clock fields of every accepted row, by row index: one vectorised pass over all of them."""
        accepted = [i for i, r in enumerate(rows) if r.get("accepted_on")]
        if not accepted:
            return {}
        position = {row_index: k for k, row_index in enumerate(accepted)}
        acc = to_ordinals(rows[i]["accepted_on"] for i in accepted)
        limits = np.array([rows[i]["limit_days"] for i in accepted], dtype=np.int64)
        thresholds = np.array([rows[i]["yellow_threshold"] for i in accepted], dtype=np.int64)
        done = np.array([rows[i].get("outcome") in (Outcome.APPROVED, Outcome.REFUSED) for i in accepted])
        pause_app, pause_start, pause_end = [], [], []
        for i in accepted:
            for _kind, start, end in rows[i].get("pauses") or []:
                if end is not None:  # an open pause does not move the stored due date until it closes
                    pause_app.append(position[i])
                    pause_start.append(start.toordinal())
                    pause_end.append(end.toordinal())
        pause_app = np.array(pause_app, dtype=np.int64)
        pause_start = np.array(pause_start, dtype=np.int64)
        pause_end = np.array(pause_end, dtype=np.int64)
        completed = np.array(
            [(rows[i].get("completed_on") or rows[i]["accepted_on"]).toordinal() for i in accepted], dtype=np.int64
        )
        new = clock_bulk(acc, limits, thresholds, pause_app, pause_start, pause_end, completed=completed, done=done)
        due, provisional, yellow, paused = new["due"], new["provisional"], new["yellow"], new["paused"]
        out = {}
        for k, i in enumerate(accepted):
            fields = {
                "due_on": date.fromordinal(int(due[k])),
                "due_provisional": bool(provisional[k]),
                "yellow_on": date.fromordinal(int(yellow[k])),
                "paused_working_days": int(paused[k]),
            }
            if done[k]:
                fields["working_days_used"] = int(new["used"][k])
                fields["on_time"] = bool(new["on_time"][k])
            out[i] = fields
        return out

    def example_rows(self):
        return [
            [
                "",
                "330800-FGW-001",
                None,
                "91330800MA28F1PT0X",
                date(2024, 3, 4),
                date(2024, 3, 5),
                date(2024, 3, 14),
                "准予许可",
                "浙发改备〔2024〕12号",
                "",
                "专家评审 2024-03-07:2024-03-08",
                "",
                "年产 5 万吨氟材料项目备案",
            ]
        ]

    def export_rows(self, queryset) -> Iterator[list]:
        """Rows in the columns above, for the application list export: the export imports back as history."""
        queryset = queryset.select_related("item", "version", "enterprise", "agent").prefetch_related(
            Prefetch("pauses", queryset=Pause.objects.order_by("started_on", "id"))
        )
        for a in queryset.iterator(chunk_size=2000):
            if a.state == S.REJECTED:
                outcome = OUTCOMES.name(REJECTED)
            else:
                outcome = OUTCOMES.name(a.outcome) if a.outcome else ""
            yield [
                a.number,
                a.item.code,
                a.version.number,
                a.enterprise.uscc,
                a.received_on,
                a.accepted_on,
                a.completed_on if a.state in Application.DONE_STATES else None,
                outcome,
                a.certificate_no,
                a.reason,
                pauses_text(a.pauses.all()),
                a.agent.username if a.agent_id else "",
                a.title,
            ]


def _state(row: dict) -> str:
    outcome, pauses = row.get("outcome"), row.get("pauses") or []
    if outcome == REJECTED:
        return S.REJECTED
    if outcome:
        return S.COMPLETED
    if pauses and pauses[-1][2] is None:  # in its last pause still
        return S.CORRECTING if pauses[-1][0] == Pause.Kind.CORRECTION else S.SPECIAL
    return S.ACCEPTED if row.get("accepted_on") else S.RECEIVED


@contextmanager
def _collector_paused():
    """Pause Python's cyclic garbage collector: the write builds a dozen small objects per cell and no cycles,
    and the collector would scan the growing heap again and again (a third of the write's time at 20,000 rows)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@lru_cache(maxsize=4096)
def _noon(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12)))


def _steps(application: dict, row: dict) -> list[dict]:
    """One step per known date: filed, accepted, (in its pause,) completed or declined."""
    note = str(_("Imported history"))
    steps = []

    def step(on: date, action: str, before: str, after: str, by=None, text: str = note) -> None:
        steps.append(
            {
                "application_id": application["id"],
                "at": _noon(on),
                "on": on,
                "by_id": by,
                "action": action,
                "from_state": before,
                "to_state": after,
                "assignee_id": None,
                "note": text,
            }
        )

    state = application["state"]
    agent = application["agent_id"]
    step(
        application["received_on"],
        "file",
        "",
        S.RECEIVED,
        by=agent,
        text=f"{note}. {_('Filed by the approval agent (代办)')}" if agent else note,
    )
    if state == S.REJECTED:
        step(application["completed_on"], "reject", S.RECEIVED, S.REJECTED, text=application["reason"])
    elif application["accepted_on"] is not None:
        step(application["accepted_on"], "accept", S.RECEIVED, S.ACCEPTED)
        if state in (S.CORRECTING, S.SPECIAL):
            kind, start, _end = row["pauses"][-1]
            step(start, "pause", S.ACCEPTED, state, text=str(Pause.Kind(kind).label))
        elif state == S.COMPLETED:
            text = application["certificate_no"] or application["reason"]
            step(application["completed_on"], "complete", S.ACCEPTED, S.COMPLETED, text=text)
    return steps


def audit_rows(events: list[tuple], *, batch, applications: int) -> Iterator[dict]:
    """The audit records of new rows, as :func:`hitechzone.common.audit.bulk_events` writes them.

    ``events``: ``(id, text, enterprise id, {attname: value})``; the first ``applications`` are applications, the
    rest pauses. Each record lists the fields set, ``[None, value]``, by field name (dates in ISO 8601).
    """
    from django.contrib.contenttypes.models import ContentType

    types = ContentType.objects.get_for_models(Application, Pause)
    fields = {
        model: [
            (f.attname, f.name)
            for f in model._meta.concrete_fields
            if not f.primary_key and f.name not in ("created_at", "red_notified")
        ]
        for model in (Application, Pause)
    }
    common = {
        "at": timezone.now(),
        "user_id": getattr(batch.user, "pk", None),
        "username": batch.user.get_username()[:150] if batch.user is not None else "",
        "source": str(Source.IMPORT),
        "action": str(AuditEvent.Action.CREATE),
        "batch_id": batch.pk,
    }
    for n, (pk, text, enterprise_id, values) in enumerate(events):
        model = Application if n < applications else Pause
        changes = {
            name: [None, value.isoformat() if value.__class__ is date else value]
            for attname, name in fields[model]
            if (value := values.get(attname)) is not None and value != ""
        }
        yield {
            **common,
            "content_type_id": types[model].pk,
            "object_id": str(pk),
            "object_repr": str(text)[:200],
            "changes": changes,
            "enterprise_id": enterprise_id,
        }
