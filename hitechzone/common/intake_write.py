"""The write half of intake, shared by every kind: compare with what is stored, upsert what changed, audit it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal

from django.db import models

from .intake import Counts, Progress

BATCH = 2000
SELF = "self"  # describe() says this when the row is itself the enterprise


def _recorder(model):
    """``record(attname, value) -> (field name, JSON value)``: the same form the audit signals record."""
    from .audit import _plain

    fields = {f.attname: f for f in model._meta.concrete_fields}

    def record(attname: str, value):
        field = fields[attname]
        return field.name, _plain(field, value)

    return record


def same(a, b) -> bool:
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
    from .audit import bulk_events

    fields = [f for f in fields if f not in key]
    record = _recorder(model)

    def changes_of(triples) -> dict:
        changes = {}
        for attname, before, after in triples:
            name, old = record(attname, before)
            changes[name] = [old, record(attname, after)[1]]
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
    unique = [model._meta.get_field(f).name for f in key]
    update_fields = [model._meta.get_field(f).name for f in (*fields, *(touch or {}))]
    for i in range(0, len(to_write), BATCH):
        chunk = [model(**row, **(touch or {})) for row in to_write[i : i + BATCH]]
        model.objects.bulk_create(chunk, update_conflicts=True, unique_fields=unique, update_fields=update_fields)
        progress(start + int((end - start) * 0.7 * (i + len(chunk)) / max(len(to_write), 1)), "")
    ids = _ids(model, key, to_write)
    events = [
        (str(ids[k]), text, ids[k] if enterprise_id == SELF else enterprise_id, action, changes)
        for k, text, enterprise_id, action, changes in audit_rows
    ]
    bulk_events(model=model, rows=events, user=batch.user, source="import", batch=batch)
    progress(end, "")
    return counts, ids


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
