"""A digest of every table, the same on SQLite and PostgreSQL for the same rows: ``hitechzone demo_digest``.

Two databases loaded with the same seed (and the same clock) must hold the same zone; comparing the digests
per table says which table differs, ``--rows TABLE`` prints that table's rows to diff them.

Each row is written in a form that does not depend on the database:

- an integer primary key (and a foreign key to one) is written as its rank in its table (1, 2, 3 … in key
  order): the zone is the same when its rows were inserted in the same order, even if a sequence started
  further on (PostgreSQL's sequences do not go back when a test's transaction is rolled back);
- decimals with their field's places, datetimes in UTC, JSON with sorted keys, rows sorted in Python (not by
  the database's collation).

Left out, because they legitimately differ between two loads of the same zone (:data:`EXCLUDED`):

- ``accounts.User.password``: a salted hash, the salt is random (and an unusable password is a random string);
- ``common.CalendarYear.revision``: a random UUID drawn each time a year's days are written (a cache key);
- ``evaluation.EvaluationRun.seconds``: how long the run took, measured on the wall clock;
- ``evaluation.Scheme.created_at`` and ``evaluation.SchemeVersion.created_at``: the default scheme is made by a
  data migration, stamped when the database was migrated, not by the demo; so are the 标准地 demo rules
  (``projects.AdmissionRules.created_at``) and the demo review weights (``review.ScoringWeights.created_at``).

And written alike although stored differently (:data:`TEMPORARY`, :func:`_json`):

- an application is created with a random temporary number (``uuid4().hex[:24]``, unique before its id is
  known) and renumbered at once; the audit records of its creation show that string: it is written as
  ``<temporary number>``;
- JSON has one kind of number: PostgreSQL renders a run's figures on the server (float8 168 as ``168``),
  Python as ``168.0``; an integral float is written as an integer.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.apps import apps
from django.db import models

EXCLUDED = {
    "accounts.User.password": "a salted hash: the salt is random, so two loads never store the same string",
    "common.CalendarYear.revision": "a random UUID drawn each time the year's days are written (a cache key)",
    "evaluation.EvaluationRun.seconds": "how long the run took, on the wall clock",
    # Made by a data migration (0002_default_scheme) when the database was created, not by the demo.
    "evaluation.Scheme.created_at": "stamped when the database was migrated, before the demo",
    "evaluation.SchemeVersion.created_at": "stamped when the database was migrated, before the demo",
    # Made by a data migration (projects 0002_demo_admission_rules), likewise.
    "projects.AdmissionRules.created_at": "stamped when the database was migrated, before the demo",
    # Made by data migrations (projects 0003_experts_panels, review 0002_team_demo_weights), likewise.
    "review.ScoringWeights.created_at": "stamped when the database was migrated, before the demo",
}
TEMPORARY = {"common.AuditEvent": (re.compile(r"\b[0-9a-f]{24}\b"), "<temporary number>")}


def _canonical(value):
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_canonical(v) for v in value]
    return value


def _auto_pk(model) -> bool:
    return isinstance(model._meta.pk, models.AutoField)


def _ranks(model) -> dict:
    return {pk: n for n, pk in enumerate(sorted(model._default_manager.values_list("pk", flat=True)), start=1)}


def _value(field, value, ranks) -> str:
    if value is None:
        return "∅"
    if field.is_relation and field.related_model is not None:
        target = field.related_model
        return str(ranks(target).get(value, f"?{value}")) if _auto_pk(target) else str(value)
    if field.primary_key and _auto_pk(field.model):
        return str(ranks(field.model)[value])
    if isinstance(field, models.DecimalField):
        return str(Decimal(value).quantize(Decimal(1).scaleb(-field.decimal_places)))
    if isinstance(value, datetime):
        return value.isoformat()  # aware, in UTC (USE_TZ)
    if isinstance(value, date | time | timedelta):
        return str(value)
    if isinstance(field, models.JSONField):
        return json.dumps(_canonical(value), sort_keys=True, ensure_ascii=False)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    return str(value)


def tables() -> list:
    """Every concrete model of the project and its framework apps, many-to-many tables included."""
    found = [m for m in apps.get_models(include_auto_created=True) if not m._meta.proxy and m._meta.managed]
    return sorted(found, key=lambda m: m._meta.db_table)


def table_rows(model, excluded=EXCLUDED) -> list[str]:
    """The table's rows, each a line of its normalised values, sorted."""
    cache: dict = {}

    def ranks(target):
        if target not in cache:
            cache[target] = _ranks(target)
        return cache[target]

    label = model._meta.label
    fields = [f for f in model._meta.concrete_fields if f"{label}.{f.name}" not in excluded]
    lines = []
    for row in model._default_manager.values_list(*[f.attname for f in fields]):
        lines.append("\t".join(_value(f, v, ranks) for f, v in zip(fields, row, strict=True)))
    if label in TEMPORARY:
        pattern, replacement = TEMPORARY[label]
        lines = [pattern.sub(replacement, line) for line in lines]
    if _auto_pk(model):
        return sorted(lines, key=lambda line: int(line.split("\t", 1)[0]))
    return sorted(lines)


def digest(excluded=EXCLUDED) -> dict[str, tuple[int, str]]:
    """Per table (db_table): the number of rows and the SHA-256 of its normalised rows."""
    out = {}
    for model in tables():
        lines = table_rows(model, excluded)
        out[model._meta.db_table] = (len(lines), hashlib.sha256("\n".join(lines).encode()).hexdigest())
    return out
