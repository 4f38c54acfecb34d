"""The write half of intake, shared by every kind: compare with what is stored, upsert what changed, audit it."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation

from django.db import connection, models, transaction

from .bulk import copy_text_rows
from .intake import Counts, Progress

BATCH = 2000
SELF = "self"  # describe() says this when the row is itself the enterprise


# Field classes whose ``to_python`` returns a value of the listed type unchanged: for such a value ``_plain`` is the
# value itself (or, for a finite Decimal, its text at the field's places). Exact classes only: a subclass may
# override ``to_python``.
_AS_IS = {
    models.BooleanField: bool,
    models.CharField: str,
    models.TextField: str,
    models.IntegerField: int,
    models.SmallIntegerField: int,
    models.BigIntegerField: int,
    models.PositiveIntegerField: int,
    models.PositiveSmallIntegerField: int,
    models.PositiveBigIntegerField: int,
}
_INT_KEYS = (models.AutoField, models.BigAutoField, models.SmallAutoField, *(k for k, t in _AS_IS.items() if t is int))


def _plain_fast(field):
    """``value -> _plain(field, value)``, with a shortcut for the common types of imported cells (100,000 rows make
    1.5 million calls). Any other field or value goes through ``_plain`` itself."""
    from .audit import _plain

    kind = type(field)
    as_is = int if kind is models.ForeignKey and type(field.target_field) in _INT_KEYS else _AS_IS.get(kind)
    if as_is is not None:

        def plain(value):
            if value is None or value.__class__ is as_is:
                return value
            return _plain(field, value)

        return plain
    if kind is models.DecimalField and field.decimal_places is not None:
        quantum = Decimal(1).scaleb(-field.decimal_places)

        def plain_decimal(value):
            if value is None:
                return None
            if value.__class__ is not Decimal or not value.is_finite():
                return _plain(field, value)
            with contextlib.suppress(InvalidOperation):  # as _plain: too many digits to quantize, the value as is
                value = value.quantize(quantum)
            return format(value, "f")

        return plain_decimal
    return lambda value: _plain(field, value)


def same(a, b) -> bool:
    if a.__class__ is Decimal and b.__class__ is Decimal:
        return a == b
    if isinstance(a, Decimal) or isinstance(b, Decimal):
        try:
            return a is not None and b is not None and Decimal(a) == Decimal(b)
        except (TypeError, ValueError, ArithmeticError):
            return False
    return a == b


def upsert(
    *,
    model: type[models.Model],
    rows: list[dict],
    key: tuple[str, ...],
    fields: Iterable[str],
    existing: dict[tuple, dict],
    describe: Callable[[dict], tuple[str, int | None]],
    batch,
    progress: Progress,
    progress_span: tuple[int, int] = (62, 95),
    touch: dict | None = None,
) -> tuple[Counts, dict[tuple, int]]:
    """Insert new rows, update changed ones, leave unchanged ones alone, and audit each change.

    ``touch`` gives fields set on every written row but never compared (``updated_at``).
    ``rows`` hold attnames (``enterprise_id``, ``year`` …); ``existing`` maps a key to the stored values (with
    ``id``). ``describe(row)`` gives the object's text and its enterprise id for the audit record.
    Returns the counts and the id of every written row by key.
    """
    from .audit import bulk_events, bulk_write

    fields = [f for f in fields if f not in key]
    # attname → (field name, value → JSON value): the same form the audit signals record.
    plain = {f.attname: (f.name, _plain_fast(f)) for f in model._meta.concrete_fields}

    def changes_of(triples) -> dict:
        changes = {}
        for attname, before, after in triples:
            name, to_plain = plain[attname]
            changes[name] = [to_plain(before), to_plain(after)]
        return changes

    counts = Counts()
    to_write: list[dict] = []
    audit_rows: list[tuple[tuple, str, int | None, str, dict]] = []
    for row in rows:
        k = tuple(row[f] for f in key)
        before = existing.get(k)
        if before is None:
            counts.created += 1
            to_write.append(row)
            changes = changes_of((f, None, row[f]) for f in (*key, *fields) if row.get(f) is not None)
            text, enterprise_id = describe(row)
            audit_rows.append((k, text, enterprise_id, "create", changes))
            continue
        changes = changes_of((f, before.get(f), row[f]) for f in fields if f in row and not same(before.get(f), row[f]))
        if not changes:
            counts.unchanged += 1
            continue
        counts.updated += 1
        to_write.append({**{f: before.get(f) for f in fields}, **row})
        text, enterprise_id = describe(row)
        audit_rows.append((k, text, enterprise_id, "update", changes))
    start, end = progress_span
    with bulk_write(model):  # the rows in bulk, then their audit records
        if connection.vendor == "postgresql" and to_write:
            ids = _copy_upsert(model, key, fields, to_write, touch or {}, progress, (start, end))
        else:
            unique = [model._meta.get_field(f).name for f in key]
            update_fields = [model._meta.get_field(f).name for f in (*fields, *(touch or {}))]
            for i in range(0, len(to_write), BATCH):
                chunk = [model(**row, **(touch or {})) for row in to_write[i : i + BATCH]]
                model.objects.bulk_create(
                    chunk, update_conflicts=True, unique_fields=unique, update_fields=update_fields
                )
                progress(start + int((end - start) * 0.7 * (i + len(chunk)) / max(len(to_write), 1)), "")
            ids = _ids(model, key, to_write)
        events = [
            (str(ids[k]), text, ids[k] if enterprise_id == SELF else enterprise_id, action, changes)
            for k, text, enterprise_id, action, changes in audit_rows
        ]
        bulk_events(model=model, rows=events, user=batch.user, source="import", batch=batch)
    progress(end, "")
    return counts, ids


# A value of one of these types goes to COPY as it is: ``get_db_prep_save`` would return it unchanged on PostgreSQL.
_COPY_AS_IS = {**_AS_IS, models.DecimalField: Decimal}


def _db_value(field):
    """``value -> what bulk_create would send for it`` (``get_db_prep_save``), skipped when that is the value itself."""
    kind = type(field)
    as_is = int if kind is models.ForeignKey and type(field.target_field) in _INT_KEYS else _COPY_AS_IS.get(kind)

    def prep(value):
        if value is None or value.__class__ is as_is:
            return value
        return field.get_db_prep_save(value, connection)

    return prep


def _copy_upsert(model, key, fields, rows, touch, progress, span) -> dict[tuple, int]:
    """PostgreSQL: the rows go into a temporary table with COPY, then one ``INSERT … SELECT … ON CONFLICT (key) DO
    UPDATE … RETURNING`` writes them and gives their ids. The same statement ``bulk_create(update_conflicts=True)``
    makes, without building a model instance per row and a parameter per cell (5 times faster at 100,000 rows).

    Columns a row does not give get what ``Model(**row)`` would: the ``touch`` value, ``now`` for auto_now(_add)
    fields, else the field's default (a callable default is called per row)."""
    from django.utils import timezone

    # The SQL is built from the model's table and column names only; the values go through COPY.
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    temp = qn(f"_upsert_{model._meta.db_table}")
    now = timezone.now()
    columns = [f for f in model._meta.concrete_fields if not f.primary_key]
    getters = []
    for f in columns:
        prep = _db_value(f)
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            getters.append(lambda row, _v=now: _v)  # pre_save() sets these whatever the row says
        elif f.attname in touch:
            value = prep(touch[f.attname])
            getters.append(lambda row, _a=f.attname, _v=value, _p=prep: _p(row[_a]) if _a in row else _v)
        elif f.has_default() and callable(f.default):
            getters.append(lambda row, _a=f.attname, _f=f, _p=prep: _p(row[_a] if _a in row else _f.get_default()))
        else:
            default = f.get_default()
            getters.append(lambda row, _a=f.attname, _v=default, _p=prep: _p(row.get(_a, _v)))
    names = ", ".join(qn(f.column) for f in columns)
    key_columns = [qn(model._meta.get_field(k).column) for k in key]
    update = [model._meta.get_field(f).column for f in (*fields, *touch)]
    sets = ", ".join(f"{qn(c)} = EXCLUDED.{qn(c)}" for c in update)
    if not sets:  # nothing to update: still touch the row, so that RETURNING gives its id
        sets = ", ".join(f"{c} = EXCLUDED.{c}" for c in key_columns)
    conflict = f"DO UPDATE SET {sets}"
    start, end = span
    ids: dict[tuple, int] = {}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {temp}")
        cursor.execute(f"CREATE TEMPORARY TABLE {temp} AS SELECT {names} FROM {table} WITH NO DATA")  # noqa: S608
        step = BATCH * 10
        for i in range(0, len(rows), step):
            copy_text_rows(cursor, temp, names, ([get(row) for get in getters] for row in rows[i : i + step]))
            # The progress callback may write (a job's row): never inside the COPY.
            progress(start + int((end - start) * 0.5 * min(i + step, len(rows)) / len(rows)), "")
        cursor.execute(
            f"INSERT INTO {table} ({names}) SELECT {names} FROM {temp} "  # noqa: S608
            f"ON CONFLICT ({', '.join(key_columns)}) {conflict} "
            f"RETURNING {qn(model._meta.pk.column)}, {', '.join(key_columns)}"
        )
        for pk, *values in cursor.fetchall():
            ids[tuple(values)] = pk
        cursor.execute(f"DROP TABLE {temp}")
    progress(start + int((end - start) * 0.7), "")
    return ids


def _ids(model, key: tuple[str, ...], rows: list[dict]) -> dict[tuple, int]:
    """The ids of the written rows, looked up by key in chunks (bulk upserts do not return ids everywhere)."""
    ids: dict[tuple, int] = {}
    if not rows:
        return ids
    first = key[0]
    for i in range(0, len(rows), BATCH * 5):
        chunk = rows[i : i + BATCH * 5]
        qs = model.objects.filter(**{f"{first}__in": {r[first] for r in chunk}})
        if len(key) > 1:
            for other in key[1:]:
                qs = qs.filter(**{f"{other}__in": {r[other] for r in chunk}})
        wanted = {tuple(r[f] for f in key) for r in chunk}
        for values in qs.values_list("id", *key):
            if values[1:] in wanted:
                ids[values[1:]] = values[0]
    return ids
