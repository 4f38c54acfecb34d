"""Evaluation runs: read the year's figures, score them, store the results (a binary COPY on PostgreSQL); publish."""

from __future__ import annotations

import json
import math
import time

import numpy as np
from django.db import connection, models, transaction
from django.db.models import FloatField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from hitechzone.accounts.models import Role
from hitechzone.common import audit, jobs
from hitechzone.common.bulk import copy_arrays
from hitechzone.common.models import Job, Source
from hitechzone.common.rules import require as _require
from hitechzone.enterprises.models import Enterprise, EnterpriseIndicator
from hitechzone.evaluation import kernel
from hitechzone.evaluation.models import EvaluationResult, EvaluationRun, Exemption, SchemeVersion, Veto
from hitechzone.evaluation.roles import PUBLISH_ROLES
from hitechzone.evaluation.roles import role as _role

from .checks import JOB_KIND, STORE_CHUNK, Exclusion, Progress, _check_year, _require_admin
from .schemes import scheme_version_for

# --- Runs ------------------------------------------------------------------------------------------------------


def _nothing(percent: int, stage: str) -> None:
    return None


def _division(code: str | None) -> str:
    """The industry division (大类, two digits) of a GB/T 4754 code of division level or deeper, else ""."""
    return code[:2] if code and len(code) >= 2 and code[:2].isdigit() else ""


class _Input:
    """What a run reads, as arrays (one entry per enterprise of the run)."""

    def __init__(self, year: int, scheme: kernel.Scheme, brand_id: int | None):
        self.figures = scheme.figures()
        # In key order: the kernel's float sums and the results' ids follow the rows' order, which must not be
        # left to the database (SQLite and PostgreSQL return an unordered scan in different orders).
        rows_qs = EnterpriseIndicator.objects.filter(year=year).order_by("enterprise_id")
        exempt_qs = Exemption.objects.filter(year=year)
        veto_qs = Veto.objects.filter(year=year)
        if brand_id is not None:
            rows_qs = rows_qs.filter(enterprise__brand_id=brand_id)
            exempt_qs = exempt_qs.filter(enterprise__brand_id=brand_id)
            veto_qs = veto_qs.filter(enterprise__brand_id=brand_id)
        # The SQL of the queryset, run on a plain cursor: no Django converters per value (100k rows: ~2 s less).
        sql, params = rows_qs.values_list(
            "enterprise_id",
            "enterprise__uscc",
            "enterprise__name",
            "enterprise__industry_id",
            "is_above_scale",
            *(Cast(f, FloatField()) for f in self.figures),
        ).query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        exempt_ids = set(exempt_qs.values_list("enterprise_id", flat=True))
        veto_ids = set(veto_qs.values_list("enterprise_id", flat=True))
        with_rows = {r[0] for r in rows}
        without = exempt_ids - with_rows
        if without:  # exempted enterprises without figures of the year are in the run, as exempted
            blank = (None,) * len(self.figures)
            for pk, uscc, name, industry in (
                Enterprise.objects.filter(pk__in=without)
                .order_by("pk")
                .values_list("pk", "uscc", "name", "industry_id")
            ):
                rows.append((pk, uscc, name, industry, False, *blank))
        self.n = n = len(rows)
        cols = list(zip(*rows, strict=True)) if rows else [()] * (5 + len(self.figures))
        self.enterprise_id = np.array(cols[0], dtype=np.int64)
        self.uscc = list(cols[1])
        self.name = list(cols[2])
        self.industry = [_division(code) for code in cols[3]]
        self.data: dict[str, np.ndarray] = {
            "uscc": np.array(self.uscc, dtype="<U18") if n else np.array([], dtype="<U18"),
            "above_scale": np.array(cols[4], dtype=bool),
            "exempt": np.fromiter((pk in exempt_ids for pk in cols[0]), dtype=bool, count=n),
            "veto": np.fromiter((pk in veto_ids for pk in cols[0]), dtype=bool, count=n),
        }
        for i, figure in enumerate(self.figures):
            self.data[figure] = np.array(cols[5 + i], dtype=np.float64)  # None → NaN


def _industry_ranks(result: kernel.Result, industry: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Each firm's rank within its group and industry division (in the order of the group's ranks) and how many
    firms of the group share that division; 0 where the firm has no division or is excluded."""
    n = len(result)
    rank = np.zeros(n, dtype=np.int64)
    size = np.zeros(n, dtype=np.int64)
    codes, ind = np.unique(np.array(industry, dtype="<U4"), return_inverse=True) if n else ([], np.zeros(0, int))
    has = (np.asarray(ind) >= 0) & (result.group != kernel.EXCLUDED)
    if len(codes) and "" in codes:
        has &= ind != int(np.flatnonzero(codes == "")[0])
    group_no = np.zeros(n, dtype=np.int64)
    for g_no, g in enumerate(result.scheme.groups):
        group_no[result.group == g.key] = g_no
    idx = np.flatnonzero(has)
    if not len(idx):
        return rank, size
    order = idx[np.lexsort((result.rank[idx], ind[idx], group_no[idx]))]
    key = group_no[order] * (len(codes) + 1) + ind[order]
    start = np.concatenate(([True], key[1:] != key[:-1]))
    run_start = np.flatnonzero(start)
    run_id = np.cumsum(start) - 1
    rank[order] = np.arange(len(order)) - run_start[run_id] + 1
    lengths = np.diff(np.append(run_start, len(order)))
    size[order] = lengths[run_id]
    return rank, size


def _finite(x: float) -> float | None:
    return x if isinstance(x, float) and math.isfinite(x) else None


# Codes of the small text columns (stored as their index in the arrays while the rows move as numbers).
_EXCLUSIONS = ("", Exclusion.SMALL_LAND.value, Exclusion.NO_LAND.value, Exclusion.EXEMPT.value)
_CLASSES = ("", *kernel.CLASSES)


class _Rows:
    """The result rows of a run as arrays, one entry per enterprise of the run."""

    def __init__(self, inp: _Input, result: kernel.Result, scheme: kernel.Scheme):
        self.inp, self.result, self.scheme = inp, result, scheme
        n = inp.n
        group = result.group
        self.group_keys = [*(g.key for g in scheme.groups), kernel.EXCLUDED]
        self.group_no = np.full(n, len(scheme.groups), dtype=np.int16)
        for no, g in enumerate(scheme.groups):
            self.group_no[group == g.key] = no
        excluded = group == kernel.EXCLUDED
        land = inp.data[scheme.scope.land_figure]
        exempt = inp.data["exempt"] & scheme.scope.exclude_exempt
        no_land = np.isnan(land) | ~(land > 0)
        self.exclusion_no = np.zeros(n, dtype=np.int16)
        self.exclusion_no[excluded] = 1
        self.exclusion_no[excluded & no_land] = 2
        self.exclusion_no[excluded & exempt] = 3
        self.klass_no = np.searchsorted(np.array(_CLASSES), result.class_).astype(np.int16)
        self.industry_codes, self.industry_no = np.unique(np.array(inp.industry, dtype="<U4"), return_inverse=True)
        self.industry_rank, self.industry_size = _industry_ranks(result, inp.industry)
        self.gap = kernel.next_class_gaps(result)
        # Imputed keys: a bit per indicator of the row's group; the distinct (group, bits) become JSON lists.
        bits = np.zeros(n, dtype=np.int64)
        for g in scheme.groups:
            idx = np.flatnonzero(group == g.key)
            for j, ind in enumerate(g.indicators):
                bits[idx] |= result.imputed[ind.key][idx].astype(np.int64) << j
        combo = self.group_no.astype(np.int64) << 32 | bits
        combos, self.imputed_no = np.unique(combo, return_inverse=True)
        self.imputed_json = []
        for c in combos.tolist():
            g_no, mask = c >> 32, c & 0xFFFFFFFF
            keys = [i.key for j, i in enumerate(scheme.groups[g_no].indicators)] if g_no < len(scheme.groups) else []
            self.imputed_json.append(json.dumps([k for j, k in enumerate(keys) if mask >> j & 1]))
        # Every indicator key of the scheme, in order (values and sub-scores are read by key).
        self.keys = list(dict.fromkeys(i.key for g in scheme.groups for i in g.indicators))

    def count(self, group: str) -> int:
        return int((self.group_no == self.group_keys.index(group)).sum())

    def exclusions(self) -> dict[str, int]:
        counts = np.bincount(self.exclusion_no, minlength=len(_EXCLUSIONS))
        return {reason: int(c) for reason, c in zip(_EXCLUSIONS, counts.tolist(), strict=True) if reason and c}

    def objects(self, run_id: int, start: int, stop: int) -> list[EvaluationResult]:
        """The rows ``start:stop`` as model instances (the store of databases other than PostgreSQL)."""
        inp, result, scheme = self.inp, self.result, self.scheme
        objs = []
        for i in range(start, stop):
            g_no = int(self.group_no[i])
            keys = [ind.key for ind in scheme.groups[g_no].indicators] if g_no < len(scheme.groups) else []
            objs.append(
                EvaluationResult(
                    run_id=run_id,
                    enterprise_id=int(inp.enterprise_id[i]),
                    group=self.group_keys[g_no],
                    exclusion=_EXCLUSIONS[self.exclusion_no[i]],
                    score=_finite(float(result.score[i])),
                    klass=_CLASSES[self.klass_no[i]],
                    rank=int(result.rank[i]) or None,
                    industry_rank=int(self.industry_rank[i]) or None,
                    industry_size=int(self.industry_size[i]) or None,
                    industry_code=inp.industry[i],
                    vetoed=bool(result.vetoed[i]),
                    values={k: _finite(float(result.values[k][i])) for k in keys},
                    subscores={k: _finite(float(result.subscores[k][i])) for k in keys},
                    imputed=json.loads(self.imputed_json[self.imputed_no[i]]),
                    inputs={
                        **{f: _finite(float(inp.data[f][i])) for f in inp.figures},
                        "above_scale": bool(inp.data["above_scale"][i]),
                    },
                    name=inp.name[i],
                    uscc=inp.uscc[i],
                    next_class_gap=_finite(float(self.gap[i])),
                )
            )
        return objs

    # --- PostgreSQL: the rows as numbers in a binary COPY, the JSON built by the server -------------------------

    def _binary_columns(self) -> list[tuple[str, str, np.ndarray]]:
        """(name, SQL type, array) of the staging table's columns, all of fixed width."""
        inp, result = self.inp, self.result
        n = inp.n
        cols = [
            ("i", "int8", np.arange(n, dtype=np.int64)),
            ("e", "int8", inp.enterprise_id),
            ("g", "int2", self.group_no),
            ("x", "int2", self.exclusion_no),
            ("s", "float8", result.score),
            ("k", "int2", self.klass_no),
            ("r", "int8", result.rank),
            ("ir", "int8", self.industry_rank),
            ("isz", "int8", self.industry_size),
            ("ic", "int4", np.asarray(self.industry_no, dtype=np.int32)),
            ("vt", "bool", result.vetoed),
            ("gap", "float8", self.gap),
            ("im", "int4", np.asarray(self.imputed_no, dtype=np.int32)),
            ("ab", "bool", inp.data["above_scale"]),
        ]
        cols += [(f"v{j}", "float8", result.values[k]) for j, k in enumerate(self.keys)]
        cols += [(f"s{j}", "float8", result.subscores[k]) for j, k in enumerate(self.keys)]
        cols += [(f"f{j}", "float8", inp.data[f]) for j, f in enumerate(inp.figures)]
        return cols

    def copy_binary(self, cursor, table: str) -> None:
        """Create the staging table and fill it with one binary COPY built by numpy (no Python per row)."""
        cols = self._binary_columns()
        # Dropped when done; ON COMMIT DROP too, as the outer transaction may be longer (a test's, a caller's).
        cursor.execute(f"DROP TABLE IF EXISTS {table}")
        cursor.execute(f"CREATE TEMPORARY TABLE {table} ({', '.join(f'{c} {t}' for c, t, _ in cols)}) ON COMMIT DROP")
        copy_arrays(cursor, table, cols)
        cursor.execute(f"ANALYZE {table}")  # so that the join to the enterprises is a hash join, not 100k probes

    def insert_sql(self, table: str) -> str:
        """INSERT … SELECT from the staging table; the server renders the JSON (float8 → text is the shortest
        text that reads back to the same double, as Python's repr). Parameters: run id, group keys, exclusion
        codes, classes, industry codes, imputed lists (JSON texts), first and last row."""

        def number(column: str) -> str:
            return f"COALESCE(NULLIF(t.{column}, 'NaN'::float8)::text, 'null')"

        def obj(pairs: list[tuple[str, str]]) -> str:
            if not pairs:
                return "'{}'"
            parts = [f"'{{\"{pairs[0][0]}\": ' || {pairs[0][1]}"]
            parts += [f"', \"{k}\": ' || {v}" for k, v in pairs[1:]]
            return " || ".join(parts) + " || '}'"

        by_group = []
        for no, g in enumerate(self.scheme.groups):
            keys = [i.key for i in g.indicators]
            by_group.append(
                (
                    no,
                    obj([(k, number(f"v{self.keys.index(k)}")) for k in keys]),
                    obj([(k, number(f"s{self.keys.index(k)}")) for k in keys]),
                )
            )
        values = "CASE t.g " + " ".join(f"WHEN {no} THEN {v}" for no, v, _s in by_group) + " ELSE '{}' END"
        subscores = "CASE t.g " + " ".join(f"WHEN {no} THEN {s}" for no, _v, s in by_group) + " ELSE '{}' END"
        inputs = obj(
            [(f, number(f"f{j}")) for j, f in enumerate(self.inp.figures)]
            + [("above_scale", "CASE WHEN t.ab THEN 'true' ELSE 'false' END")]
        )
        q = connection.ops.quote_name
        columns = ", ".join(
            q(EvaluationResult._meta.get_field(f).column)
            for f in ("run", "enterprise", "group", "exclusion", "score", "klass", "rank", "industry_rank",
                      "industry_size", "industry_code", "vetoed", "values", "subscores", "imputed", "inputs", "name",
                      "uscc", "next_class_gap")
        )  # fmt: skip
        # Only names go into the text: the scheme's keys (validated: [a-z][a-z0-9_]*) and the figures' names.
        return (
            f"INSERT INTO {q(EvaluationResult._meta.db_table)} ({columns}) "  # noqa: S608
            "SELECT %s, t.e, (%s::text[])[t.g + 1], (%s::text[])[t.x + 1], NULLIF(t.s, 'NaN'::float8), "
            "(%s::text[])[t.k + 1], NULLIF(t.r, 0), NULLIF(t.ir, 0), NULLIF(t.isz, 0), (%s::text[])[t.ic + 1], "
            f"t.vt, ({values})::jsonb, ({subscores})::jsonb, ((%s::text[])[t.im + 1])::jsonb, ({inputs})::jsonb, "
            f"e.name, e.uscc, NULLIF(t.gap, 'NaN'::float8) FROM {table} t "
            f"JOIN {q(Enterprise._meta.db_table)} e ON e.id = t.e WHERE t.i >= %s AND t.i < %s"
        )

    def insert_params(self, run_id: int) -> list:
        return [run_id, self.group_keys, list(_EXCLUSIONS), list(_CLASSES), self.industry_codes.tolist(),
                self.imputed_json]  # fmt: skip


def _store(rows: _Rows, run_id: int, progress: Progress, start: int, end: int) -> None:
    """Write the result rows in chunks, moving the bar from ``start`` to ``end``: on PostgreSQL a binary COPY of
    the numbers into a staging table, then ``INSERT … SELECT`` per chunk; elsewhere ``bulk_create``."""
    n = rows.inp.n
    if not n:
        return
    pg = connection.vendor == "postgresql"
    table = "evaluation_result_staging"
    if pg:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL extra_float_digits = 1")  # shortest exact float8 output (PostgreSQL ≥ 12)
            rows.copy_binary(cursor, table)
        sql, params = rows.insert_sql(table), rows.insert_params(run_id)
    for done in range(0, n, STORE_CHUNK):
        stop = min(n, done + STORE_CHUNK)
        if pg:
            with connection.cursor() as cursor:
                cursor.execute(sql, [*params, done, stop])
        else:
            EvaluationResult.objects.bulk_create(rows.objects(run_id, done, stop), batch_size=2000)
        progress(start + (end - start) * stop // n, _("Storing results (%(done)d of %(n)d)") % {"done": stop, "n": n})
    if pg:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE {table}")


def _summary(result: kernel.Result, scheme: kernel.Scheme, rows: _Rows) -> dict:
    def number(x: float) -> float | None:
        return _finite(float(x))

    exclusions = rows.exclusions()
    return {
        "benchmarks": {g: {k: number(v) for k, v in b.items()} for g, b in result.benchmarks.items()},
        "counts": result.counts,
        "class_floor": {g: {k: number(v) for k, v in f.items()} for g, f in result.class_floor.items()},
        "indicators": {
            g.key: [{"key": i.key, "label": i.label, "weight": i.weight, "unit": i.unit} for i in g.indicators]
            for g in scheme.groups
        },
        "groups": {g.key: g.label for g in scheme.groups},
        "tie_indicator": {g.key: g.tie_indicator for g in scheme.groups},
        "exclusions": exclusions,
        "figures": list(scheme.figures()),
    }


def run_evaluation(
    *, by, year: int, scheme=None, note: str = "", progress: Progress | None = None, job: Job | None = None
) -> EvaluationRun:
    """Evaluate ``year`` with the version of ``scheme`` that applies to it (see :func:`scheme_version_for`) and
    store the run and one result per enterprise of the run (see the module's docstring). Synchronous; reports
    ``progress(percent, stage)`` while reading, computing and storing. ``job``: the background job running it."""
    _require_admin(by, _("Only an administrator runs an evaluation."))
    _check_year(year)
    progress = progress or _nothing
    started = time.perf_counter()
    version = scheme_version_for(year=year, scheme=scheme)
    kscheme = version.kernel()
    brand_id = version.scheme.brand_id

    progress(0, _("Reading the figures of %(year)s") % {"year": year})
    inp = _Input(year, kscheme, brand_id)
    progress(30, _("Scoring %(n)d enterprises") % {"n": inp.n})
    result = kernel.evaluate(inp.data, kscheme)
    rows = _Rows(inp, result, kscheme)
    summary = _summary(result, kscheme, rows)
    progress(45, _("Storing results"))

    with transaction.atomic():
        run = EvaluationRun.objects.create(
            year=year,
            scheme_version=version,
            brand_id=brand_id,
            status=EvaluationRun.Status.DONE,
            note=(note or "")[:200],
            created_by=by,
            n_above=rows.count(kernel.ABOVE),
            n_below=rows.count(kernel.BELOW),
            n_excluded=rows.count(kernel.EXCLUDED),
            summary=summary,
            job=job,
        )
        _store(rows, run.pk, progress, 45, 99)
        # Timing only: fields declared operational in apps.py (the creation's audit record holds everything else).
        run.finished_at = timezone.now()
        run.seconds = round(time.perf_counter() - started, 3)
        EvaluationRun.objects.filter(pk=run.pk).update(finished_at=run.finished_at, seconds=run.seconds)
    progress(100, _("Done: %(n)d enterprises") % {"n": inp.n})
    return run


def run_enqueue(*, by, year: int, scheme=None, note: str = "") -> Job:
    """Run an evaluation in the background (job kind ``evaluation.run``; its result is ``{"run": id}``). The rules
    are checked now: a refused run is never queued."""
    _require_admin(by, _("Only an administrator runs an evaluation."))
    _check_year(year)
    version = scheme_version_for(year=year, scheme=scheme)
    return jobs.enqueue(
        JOB_KIND, user=by, params={"year": year, "scheme_version": version.pk, "note": (note or "")[:200]}
    )


@jobs.handler(JOB_KIND)
def _run_job(job: Job, report: jobs.JobReporter) -> dict:
    params = job.params
    version = SchemeVersion.objects.select_related("scheme").get(pk=params["scheme_version"])
    with audit.audit_context(user=job.user, source=Source.SYSTEM):
        run = run_evaluation(
            by=job.user,
            year=int(params["year"]),
            scheme=version,
            note=params.get("note", ""),
            progress=report,
            job=job,
        )
    report.log(
        _("%(run)s: %(above)d above, %(below)d below designated size, %(excluded)d not evaluated")
        % {"run": run, "above": run.n_above, "below": run.n_below, "excluded": run.n_excluded}
    )
    return {"run": run.pk}


@transaction.atomic
def run_publish(*, by, run: EvaluationRun) -> EvaluationRun:
    """Publish ``run``: its enterprises (and their officers) see their results. It replaces the run published
    before for the same year and brand (that one's ``published_at`` is cleared)."""
    _require(
        by is None or _role(by) in PUBLISH_ROLES,
        _("Only a leader or an administrator publishes an evaluation."),
    )
    run = EvaluationRun.objects.select_for_update().get(pk=run.pk)
    _require(run.status == EvaluationRun.Status.DONE, _("Only a finished evaluation can be published."))
    _require(run.published_at is None, _("This evaluation is published already."))
    for older in EvaluationRun.objects.select_for_update().filter(
        year=run.year, brand_id=run.brand_id, published_at__isnull=False
    ):
        older.published_at = None
        older.save(update_fields=["published_at"])
    run.published_at = timezone.now()
    run.published_by = by
    run.save(update_fields=["published_at", "published_by"])
    _notify_published(run)
    return run


def _notify_published(run: EvaluationRun) -> None:
    """Tell each enterprise user of an enterprise in the run its class (one line in the inbox, linking to the
    explanation), and each officer how many of the enterprises they serve have a result. Three queries, one
    bulk insert; a run published again later (after another one was) does not notify twice."""
    from hitechzone.accounts.models import User
    from hitechzone.common.models import Notification
    from hitechzone.enterprises.models import Assignment

    in_run = run.results.values("enterprise_id")
    users = User.objects.filter(role=Role.ENTERPRISE, is_active=True, enterprise_id__in=in_run)
    results = {
        enterprise_id: (pk, klass)
        for enterprise_id, pk, klass in run.results.filter(enterprise_id__in=users.values("enterprise_id")).values_list(
            "enterprise_id", "pk", "klass"
        )
    }
    notes = [
        Notification(
            user_id=user_id,
            kind="evaluation_published",
            key=f"evaluation:{run.pk}",
            url=f"/evaluation/results/{results[enterprise_id][0]}/",
            text=(
                _("Your %(year)d per-mu evaluation is published: class %(klass)s.")
                if results[enterprise_id][1]
                else _("Your %(year)d per-mu evaluation is published: not evaluated this year.")
            )
            % {"year": run.year, "klass": results[enterprise_id][1]},
        )
        for user_id, enterprise_id in users.values_list("pk", "enterprise_id").order_by("pk")
    ]
    served = (
        Assignment.objects.active()
        .filter(enterprise_id__in=in_run)
        .values_list("officer_id")
        .annotate(n=models.Count("enterprise_id", distinct=True))
        .order_by("officer_id")
    )
    notes += [
        Notification(
            user_id=officer_id,
            kind="evaluation_published",
            key=f"evaluation:{run.pk}",
            url="/evaluation/mine/",
            text=_("The %(year)d per-mu evaluation is published: %(n)d of the enterprises you serve have a result.")
            % {"year": run.year, "n": n},
        )
        for officer_id, n in served
    ]
    Notification.objects.bulk_create(notes, ignore_conflicts=True, batch_size=2000)
