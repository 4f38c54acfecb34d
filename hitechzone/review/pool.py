"""The one expert pool as every panel draw reads it (M3's and M6's alike, docs/0013):
each expert's :class:`panels.Candidate` (what the rules read) and name.

Every draw and every replacement reads the whole pool — 2,000 experts at province scale, where reading and parsing
it was a third of a draw (bench/README.md, issue 14). On PostgreSQL the parsed pool is therefore kept in the
process, under a **version** read at every draw: the ids with each row's ``xmin`` (the transaction that wrote its
current version) and ``ctid`` (where that version lies). Any write to a row — a save, a ``QuerySet.update()``, raw
SQL, ``COPY``, an insert or a delete, inside the current transaction or any other — gives the row a new version
with a new ``ctid``, or adds or removes an id, so the version changes and the pool is read again; a rolled-back
write leaves the rows it touched invisible and the version back where the committed rows put it. Reading the
version costs a scan of the table's row headers (~1 ms for 2,000 experts); it comes in the same statement as the
rows, when they are needed, so both are of one snapshot. Elsewhere (SQLite) the pool is read each time.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connections, router

from . import panels
from .models import Expert

FIELDS = ("id", "name", "academician", "active", "specialties", "affiliation", "former_affiliations",
          "declared_conflicts")  # fmt: skip


@dataclass(frozen=True)
class Pool:
    candidates: tuple[panels.Candidate, ...]  # by id
    names: dict[int, str]


_cache: dict[str, tuple[str, Pool]] = {}  # database alias → (version, pool)


def _formers(items) -> tuple[tuple[str, object], ...]:
    out = []
    for item in items or ():
        until = panels.parse_date(item.get("until"))
        if until is not None:
            out.append((item["name"], until))
    return tuple(out)


def _parse(rows) -> Pool:
    candidates, names = [], {}
    for row in sorted(rows, key=lambda row: row[0]):
        pk, name, academician, active, specialties, affiliation, former, declared = row
        names[pk] = name
        candidates.append(
            panels.Candidate(
                id=pk,
                academician=academician,
                active=active,
                specialties=tuple(specialties or ()),
                affiliation=affiliation,
                former_affiliations=_formers(former),
                declared_conflicts=tuple(declared or ()),
            )
        )
    return Pool(candidates=tuple(candidates), names=names)


def _version_and_rows(connection, known: str | None) -> tuple[str, list | None]:
    """The pool's version, and its rows unless the version is ``known`` — in one statement, so both come from the
    same snapshot. The rows come as one JSON array that psycopg decodes at once (Django's JSON fields decode three
    values per expert one by one)."""
    qn = connection.ops.quote_name
    table = qn(Expert._meta.db_table)
    columns = ", ".join(qn(Expert._meta.get_field(f).column) for f in FIELDS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH v AS (SELECT count(*)::text || ':' || coalesce(md5(string_agg("  # noqa: S608 — names from the model's meta
            f"id::text || '/' || xmin::text || '/' || ctid::text, ',' ORDER BY id)), '') AS version FROM {table}) "
            f"SELECT v.version, CASE WHEN v.version = %s THEN NULL "
            f"ELSE (SELECT json_agg(json_build_array({columns})) FROM {table}) END FROM v",
            [known or ""],
        )
        version, rows = cursor.fetchone()
        return version, (None if version == known else rows or [])


def read() -> Pool:
    """The pool as the database holds it now, for the transaction under way."""
    alias = router.db_for_read(Expert)
    connection = connections[alias]
    if connection.vendor != "postgresql":
        return _parse(Expert.objects.using(alias).values_list(*FIELDS))
    cached = _cache.get(alias)
    version, rows = _version_and_rows(connection, cached[0] if cached is not None else None)
    if rows is None:
        return cached[1]
    pool = _parse(rows)
    _cache[alias] = (version, pool)  # one assignment: a thread reads the old pair or the new one
    return pool
