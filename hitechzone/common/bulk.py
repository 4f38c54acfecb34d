"""The one bulk writer: many rows into a table as fast as the database takes them, without a model instance
per row and without signals (the caller records the audit trail: :func:`hitechzone.common.audit.bulk_events`).

- :func:`bulk_insert` — dicts of attnames: PostgreSQL ``COPY`` in its text format, elsewhere one
  ``executemany``.
- :func:`copy_text_rows` — rows already in column order into a table (a temporary one too), text ``COPY``.
- :func:`copy_arrays` — numpy arrays, one per column, as one binary ``COPY`` (no Python per row).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from django.db import connection, models


def _sqlite_preparer(field, ops):
    """``value -> what sqlite3 takes`` for the fields that need it (dates, JSON), else ``None``."""
    if isinstance(field, models.JSONField):
        return lambda v, _e=field.encoder: None if v is None else ops.adapt_json_value(v, _e)
    if isinstance(field, models.DateField):  # and DateTimeField: the same values recur, convert each once
        adapt = ops.adapt_datetimefield_value if isinstance(field, models.DateTimeField) else ops.adapt_datefield_value
        cache = {}

        def adapted(v):
            if v is None:
                return None
            if v not in cache:
                cache[v] = adapt(v)
            return cache[v]

        return adapted
    return None


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value) -> str:
    """A value in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    cls = value.__class__
    if cls is str:
        return value.translate(_COPY_ESCAPES)
    if cls is bool:
        return "t" if value else "f"
    if cls is int:
        return str(value)
    if cls is date or cls is datetime:  # an aware datetime carries its offset
        return value.isoformat()
    if isinstance(value, str):  # a choice (TextChoices member)
        return str.translate(value, _COPY_ESCAPES)
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, int):
        return str(int(value))
    raise TypeError(f"{cls.__name__} is not written by bulk_insert")


def bulk_insert(model, rows: Iterable[dict]) -> int:
    """Insert new rows (dicts of attnames, every column but the id) as fast as the database takes them.

    PostgreSQL: ``COPY`` in its text format. Elsewhere: one ``executemany``. Django's ``bulk_create`` builds a model
    instance and a prepared parameter per cell and, on SQLite, a statement per 999 parameters: 20,000 applications
    with their steps and audit records take a minute that way, a few seconds this way. Values are ``None``,
    ``str``, ``int``, ``bool``, ``date``, aware ``datetime`` or, for a JSON field, what ``json.dumps`` takes. No
    signals are sent (as with ``bulk_create``): the caller records the audit trail.
    """
    rows = rows if isinstance(rows, list) else list(rows)
    if not rows:
        return 0
    attnames = list(rows[0])
    columns = [model._meta.get_field(attname) for attname in attnames]
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    names = ", ".join(qn(f.column) for f in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            as_json = [
                (lambda v, _e=f.encoder: None if v is None else json.dumps(v, cls=_e))
                if isinstance(f, models.JSONField)
                else None
                for f in columns
            ]
            with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for i in range(0, len(rows), 2000):
                    lines = []
                    for row in rows[i : i + 2000]:
                        cells = [
                            _copy_text(row[a] if j is None else j(row[a]))
                            for a, j in zip(attnames, as_json, strict=True)
                        ]
                        lines.append("\t".join(cells))
                    copy.write("\n".join(lines) + "\n")
        else:
            ops = connection.ops
            prepare = [_sqlite_preparer(f, ops) for f in columns]
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(
                f"INSERT INTO {table} ({names}) VALUES ({marks})",  # noqa: S608 — names from the model's meta
                [[row[a] if p is None else p(row[a]) for a, p in zip(attnames, prepare, strict=True)] for row in rows],
            )
    return len(rows)


def copy_text_rows(cursor, table: str, names: str, rows: Iterable[Sequence]) -> None:
    """One ``COPY table (names) FROM STDIN`` of rows whose values psycopg adapts (``write_row``). ``table`` and
    ``names`` are quoted SQL. Nothing else may use the connection until it returns (report progress between
    calls, never inside one)."""
    with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


#: numpy big-endian dtype of each PostgreSQL type :func:`copy_arrays` writes.
BINARY_TYPES = {"int8": ">i8", "int4": ">i4", "int2": ">i2", "float8": ">f8", "bool": "u1"}
_BINARY_SIGNATURE = b"PGCOPY\n\xff\r\n\x00"


def binary_payload(columns: Sequence[tuple[str, str, object]]) -> bytes:
    """PostgreSQL's binary COPY format of ``columns`` = ``(name, type, array)`` (types of ``BINARY_TYPES``; no
    NULLs: use a sentinel, or NaN for floats)."""
    import numpy as np

    dtype = [("nf", ">i2")]
    for name, pgtype, _a in columns:
        dtype += [(f"l_{name}", ">i4"), (f"d_{name}", BINARY_TYPES[pgtype])]
    n = len(columns[0][2]) if columns else 0
    rows = np.zeros(n, dtype=dtype)
    rows["nf"] = len(columns)
    for name, pgtype, values in columns:
        rows[f"l_{name}"] = np.dtype(BINARY_TYPES[pgtype]).itemsize
        rows[f"d_{name}"] = values
    return _BINARY_SIGNATURE + bytes(8) + rows.tobytes() + b"\xff\xff"


def copy_arrays(cursor, table: str, columns: Sequence[tuple[str, str, object]]) -> None:
    """One binary ``COPY table (names) FROM STDIN`` of numpy arrays, ``columns`` = ``(name, type, array)``."""
    data = binary_payload(columns)
    names = ", ".join(name for name, _t, _a in columns)
    with cursor.copy(f"COPY {table} ({names}) FROM STDIN (FORMAT BINARY)") as copy:
        for at in range(0, len(data), 8 << 20):
            copy.write(data[at : at + (8 << 20)])
