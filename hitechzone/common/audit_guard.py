"""The audit guard: a write to an audited model that leaves no audit record fails the test that made it.

The audit signals record every ``save()`` and ``delete()`` (``QuerySet.delete()`` too: an audited model has a
``post_delete`` receiver, so Django deletes its rows one signalled object at a time). These writes send no signal:

- ``QuerySet.update()`` setting a field the registration records (``exclude=`` and ``operational=`` fields are
  not recorded, so an update of only those passes), the collector's ``on_delete=SET_NULL``/``SET_DEFAULT`` updates
  included (those of a foreign key to an audited model are recorded by the audit's ``pre_delete`` and pass);
- ``bulk_create()``, and ``bulk_update()`` of a recorded field;
- a fast ``_raw_delete()`` (the tables of audited many-to-many fields: ``through.objects.filter(…).delete()``);
- raw SQL ``INSERT``/``UPDATE``/``DELETE`` on an audited table through ``cursor.execute``/``executemany``
  (a connection execute wrapper), and PostgreSQL ``COPY … FROM STDIN`` through Django's cursor (``cursor.copy``
  bypasses the execute wrappers: :func:`install` gives Django's cursor wrapper a checking ``copy``; a COPY made on
  the raw psycopg connection, outside Django's cursor, is not seen).

A write whose caller (the innermost frame outside Django) is test code — a test module, a ``conftest.py``, test
factories — sets a test up and is not watched; the code under test is. Each other write is let through when the
code around it declares it, next to where it records its audit rows:
``with audit.bulk_write(Model):`` (it records them) or ``with audit.unrecorded(Model, reason=…):`` (on purpose
not). Writes of the many-to-many related managers (``add``, ``remove``, ``set``, ``clear``) are recorded by the
``m2m_changed`` receiver and pass.

The guard is for tests: :func:`install` patches Django's query set, compilers and cursor wrapper for the process
(the root ``conftest.py`` installs it for the session and checks each test); :func:`armed` collects what one
test does and :func:`take` returns it. Nothing is patched in production.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import sys
import sysconfig
import threading
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass

from django.db import connections, models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.backends.signals import connection_created
from django.db.backends.utils import CursorWrapper
from django.db.models.deletion import Collector
from django.db.models.signals import m2m_changed
from django.db.models.sql import compiler

from . import audit


@dataclass(frozen=True)
class Violation:
    """One write that bypassed the audit trail."""

    model: str  # app_label.ModelName (or the table, for raw SQL)
    kind: str  # "update()", "bulk_create()", "bulk_update()", "_raw_delete()", "raw SQL UPDATE", "COPY" …
    fields: tuple[str, ...]
    site: str  # file:line of the caller outside Django

    def __str__(self) -> str:
        fields = f" ({', '.join(self.fields)})" if self.fields else ""
        return f"{self.kind} on {self.model}{fields} at {self.site}"


HELP = (
    "These writes change an audited model without its audit records. Record them with audit.bulk_events() inside "
    "`with audit.bulk_write(Model):`, or state the fields operational (with the reason) in the model's "
    "audit.register(), or declare `with audit.unrecorded(Model, reason=...)`."
)

_lock = threading.Lock()
_armed = 0
_found: list[Violation] = []
_installed: dict[str, object] = {}  # what install() replaced, for uninstall()

# The model of the checked write in progress: its inner steps are not checked again.
_inside: ContextVar[type[models.Model] | None] = ContextVar("audit_guard_inside", default=None)
# Inside Collector.delete(): its fast deletes are the cascades of a deletion (the audited objects are signalled).
_cascade: ContextVar[bool] = ContextVar("audit_guard_cascade", default=False)
# Inside one of Django's SQL compilers (the statement is the ORM's, checked at the query set, or signalled) or a
# test database's flush.
_orm: ContextVar[bool] = ContextVar("audit_guard_orm", default=False)
# Watch the writes of test code too (see is_test_code).
_tests_too: ContextVar[bool] = ContextVar("audit_guard_tests_too", default=False)
# Many-to-many tables whose related manager is writing them (between m2m_changed's pre_ and post_ signals).
_m2m: ContextVar[tuple[type[models.Model], ...]] = ContextVar("audit_guard_m2m", default=())


# --- Collecting --------------------------------------------------------------------------------------------------


@contextlib.contextmanager
def armed() -> Iterator[None]:
    """Collect the violations made inside the block (by any thread); :func:`take` returns them."""
    global _armed
    with _lock:
        _armed += 1
    try:
        yield
    finally:
        with _lock:
            _armed -= 1


def take() -> list[Violation]:
    """The violations collected so far, forgotten once returned."""
    with _lock:
        found = list(dict.fromkeys(_found))
        _found.clear()
    return found


def report(violations: list[Violation]) -> str:
    lines = ["Audit guard: an audited model was written without its audit records:"]
    lines += [f"  - {v}" for v in violations]
    lines.append(HELP)
    return "\n".join(lines)


_SKIPPED_DIRS = tuple(
    {os.path.dirname(contextlib.__file__), sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
)
_SKIPPED_FILES = {__file__, audit.__file__}
_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _caller():
    """The innermost frame outside Django, the standard library and the audit modules."""
    frame = sys._getframe(1)
    while frame is not None:
        filename = frame.f_code.co_filename
        if filename not in _SKIPPED_FILES and not filename.startswith(_SKIPPED_DIRS) and not filename.startswith("<"):
            return frame
        frame = frame.f_back
    return None


def _site(frame) -> str:
    if frame is None:
        return "?"
    filename = frame.f_code.co_filename
    path = os.path.relpath(filename, _ROOT) if filename.startswith(_ROOT) else filename
    return f"{path}:{frame.f_lineno} in {frame.f_code.co_name}"


def is_test_code(filename: str) -> bool:
    """A test, a ``conftest.py`` or test factories: their direct writes set a test up (the guard watches the code
    under test: a write that the code under test makes has that code as its caller, wherever the test called it)."""
    parts = filename.replace("\\", "/").split("/")
    name = parts[-1]
    return "tests" in parts[:-1] or name == "conftest.py" or name.startswith("test_") or name == "factories.py"


def _flag(model: type[models.Model] | None, label: str, kind: str, fields=()) -> None:
    if not _armed:
        return
    if model is not None and (audit.declared(model) is not None or model in _m2m.get()):
        return
    caller = _caller()
    if caller is not None and not _tests_too.get() and is_test_code(caller.f_code.co_filename):
        return
    violation = Violation(model=label, kind=kind, fields=tuple(fields), site=_site(caller))
    with _lock:
        _found.append(violation)


@contextlib.contextmanager
def watching_tests() -> Iterator[None]:
    """Inside the block the guard watches the writes a test makes itself too (the guard's own tests)."""
    token = _tests_too.set(True)
    try:
        yield
    finally:
        _tests_too.reset(token)


def _audited(model) -> audit.Registration | None:
    return audit.registration_of(model) if model is not None else None


def _recorded(model: type[models.Model], names) -> list[str]:
    """The fields among ``names`` (names or attnames) that a save() of ``model`` would record."""
    registration = _audited(model)
    if registration is None:
        return []
    if registration.model is not model:  # a many-to-many table: every column is the relation
        return list(names)
    recorded = {f.name for f in registration.fields} | {f.attname for f in registration.fields}
    return [name for name in names if name in recorded]


# --- The query set -----------------------------------------------------------------------------------------------


def _entry_point(check):
    """Wrap a QuerySet method: ``check(queryset, *args, **kwargs)`` first, unless the call is the inner step of a
    checked write of the same model (``bulk_update()`` runs ``update()``, ``delete()`` runs ``_raw_delete()``)."""

    def wrap(original):
        @functools.wraps(original)
        def method(self, *args, **kwargs):
            if _inside.get() is self.model:
                return original(self, *args, **kwargs)
            args, kwargs = check(self, *args, **kwargs)
            token = _inside.set(self.model)
            try:
                return original(self, *args, **kwargs)
            finally:
                _inside.reset(token)

        return method

    return wrap


def _check_update(qs, **kwargs):
    fields = _recorded(qs.model, kwargs)
    kind = "update()"
    if _cascade.get():  # the collector's on_delete=SET_NULL / SET_DEFAULT of the rows pointing to a deleted object
        fields = [name for name in fields if not audit.records_on_delete(qs.model, name)]
        kind = "update() by on_delete (SET_NULL/SET_DEFAULT) of a deletion"
    if fields:
        _flag(qs.model, qs.model._meta.label, kind, fields)
    return (), kwargs


def _check_bulk_create(qs, objs, *args, **kwargs):
    objs = objs if isinstance(objs, list | tuple) else list(objs)
    if objs and _audited(qs.model) is not None:
        _flag(qs.model, qs.model._meta.label, "bulk_create()", ())
    return (objs, *args), kwargs


def _check_bulk_update(qs, objs, fields, *args, **kwargs):
    objs = objs if isinstance(objs, list | tuple) else list(objs)
    recorded = _recorded(qs.model, fields) if objs else []
    if recorded:
        _flag(qs.model, qs.model._meta.label, "bulk_update()", recorded)
    return (objs, fields, *args), kwargs


def _check_delete(qs, *args, **kwargs):
    """``QuerySet.delete()``: an audited model's rows are deleted one signalled object at a time (recorded); the
    table of an audited many-to-many field has no such signal."""
    registration = _audited(qs.model)
    if registration is not None and registration.model is not qs.model:
        _flag(qs.model, qs.model._meta.label, "delete()", ())
    return args, kwargs


def _check_raw_delete(qs, *args, **kwargs):
    """``_raw_delete()`` called directly (the collector's own calls, for the cascades of a recorded deletion, run
    inside ``Collector.delete``, an entry point)."""
    if not _cascade.get() and _audited(qs.model) is not None:
        _flag(qs.model, qs.model._meta.label, "_raw_delete()", ())
    return args, kwargs


def _collector_delete(original):
    @functools.wraps(original)
    def delete(self, *args, **kwargs):
        token = _cascade.set(True)
        try:
            return original(self, *args, **kwargs)
        finally:
            _cascade.reset(token)

    return delete


# --- Raw SQL -----------------------------------------------------------------------------------------------------

_WRITE = re.compile(r"\b(INSERT\s+INTO|UPDATE|DELETE\s+FROM|COPY)\s+(?:ONLY\s+)?[`\"\[]?(\w+)", re.IGNORECASE)
_SET = re.compile(r"\bSET\b(.*?)(?:\bWHERE\b|\bFROM\b|\bRETURNING\b|$)", re.IGNORECASE | re.DOTALL)
_ASSIGNED = re.compile(r"[`\"\[]?(\w+)[`\"\]]?\s*=")
_tables: dict[str, type[models.Model]] = {}
_tables_of: list[int] = [-1]


def _table_models() -> dict[str, type[models.Model]]:
    """Audited table name (lower case) → its model (or the many-to-many model), rebuilt when registrations grow."""
    size = len(audit.AUDITED_MODELS) + len(audit._THROUGH)
    if _tables_of[0] != size:
        _tables.clear()
        for model in (*audit.AUDITED_MODELS, *audit._THROUGH):
            _tables[model._meta.db_table.lower()] = model
        _tables_of[0] = size
    return _tables


def _check_sql(sql, kind_prefix: str = "raw SQL") -> None:
    if not _armed or _orm.get() or not isinstance(sql, str):
        return
    tables = _table_models()
    for match in _WRITE.finditer(sql):
        verb, table = " ".join(match.group(1).upper().split()), match.group(2).lower()
        model = tables.get(table)
        if model is None:
            continue
        if verb == "COPY":
            if not re.search(r"\bFROM\s+STDIN\b", sql, re.IGNORECASE):
                continue  # COPY … TO: a read
            _flag(model, model._meta.label, "COPY", ())
            continue
        fields: list[str] = []
        if verb == "UPDATE":
            assigned = _SET.search(sql, match.end())
            columns = _ASSIGNED.findall(assigned.group(1)) if assigned else []
            by_column = {f.column: f.name for f in model._meta.concrete_fields}
            fields = _recorded(model, [by_column.get(c, c) for c in columns]) if columns else ["?"]
            if not fields:
                continue  # only columns the trail does not record
        _flag(model, model._meta.label, f"{kind_prefix} {verb.split()[0]}", fields)


def _execute_wrapper(execute, sql, params, many, context):
    _check_sql(sql)
    return execute(sql, params, many, context)


def _connection_created(sender, connection, **kwargs) -> None:
    if _execute_wrapper not in connection.execute_wrappers:
        connection.execute_wrappers.append(_execute_wrapper)


def _copy(self, statement, *args, **kwargs):
    """``cursor.copy()`` through Django's cursor: the statement is checked like an executed one."""
    if not isinstance(statement, str) and hasattr(statement, "as_string"):  # psycopg.sql.Composed
        with contextlib.suppress(Exception):
            statement = statement.as_string(self.cursor)
    _check_sql(statement if isinstance(statement, str) else str(statement))
    return self.cursor.copy(statement, *args, **kwargs)


def _orm_statement(original):
    @functools.wraps(original)
    def execute_sql(self, *args, **kwargs):
        token = _orm.set(True)
        try:
            return original(self, *args, **kwargs)
        finally:
            _orm.reset(token)

    return execute_sql


# --- Many-to-many related managers -------------------------------------------------------------------------------


def _m2m_changed(sender, action, **kwargs) -> None:
    if sender not in audit._THROUGH:
        return
    stage = action.partition("_")[0]
    active = _m2m.get()
    if stage == "pre":
        _m2m.set((*active, sender))
    elif sender in active:
        index = len(active) - 1 - active[::-1].index(sender)
        _m2m.set(active[:index] + active[index + 1 :])


# --- Installing --------------------------------------------------------------------------------------------------

_PATCHES = (
    (models.QuerySet, "update", _check_update),
    (models.QuerySet, "bulk_create", _check_bulk_create),
    (models.QuerySet, "bulk_update", _check_bulk_update),
    (models.QuerySet, "delete", _check_delete),
    (models.QuerySet, "_raw_delete", _check_raw_delete),
)
_COMPILERS = (compiler.SQLInsertCompiler, compiler.SQLUpdateCompiler, compiler.SQLDeleteCompiler)


def install() -> None:
    """Patch Django for the process (idempotent): the checks run from now on, collected while :func:`armed`."""
    if _installed:
        return
    for owner, name, check in _PATCHES:
        original = owner.__dict__[name]
        _installed[f"{owner.__name__}.{name}"] = (owner, name, original)
        setattr(owner, name, _entry_point(check)(original))
    # Deletes the collected objects: the audited ones signalled, plus the fast deletes of their cascades.
    _installed["Collector.delete"] = (Collector, "delete", Collector.__dict__["delete"])
    Collector.delete = _collector_delete(Collector.delete)
    for cls in _COMPILERS:
        _installed[f"{cls.__name__}.execute_sql"] = (cls, "execute_sql", cls.__dict__.get("execute_sql"))
        cls.execute_sql = _orm_statement(cls.execute_sql)
    # A transactional test's flush (DELETE FROM every table) is the test database's reset, not a write.
    flush = BaseDatabaseOperations.__dict__["execute_sql_flush"]
    _installed["BaseDatabaseOperations.execute_sql_flush"] = (BaseDatabaseOperations, "execute_sql_flush", flush)
    BaseDatabaseOperations.execute_sql_flush = _orm_statement(flush)
    _installed["CursorWrapper.copy"] = (CursorWrapper, "copy", CursorWrapper.__dict__.get("copy"))
    CursorWrapper.copy = _copy
    connection_created.connect(_connection_created, dispatch_uid="audit_guard")
    m2m_changed.connect(_m2m_changed, dispatch_uid="audit_guard")
    for connection in connections.all(initialized_only=True):
        _connection_created(None, connection)


def uninstall() -> None:
    """Undo :func:`install`."""
    for owner, name, original in _installed.values():
        if original is None:
            delattr(owner, name)
        else:
            setattr(owner, name, original)
    _installed.clear()
    connection_created.disconnect(dispatch_uid="audit_guard")
    m2m_changed.disconnect(dispatch_uid="audit_guard")
    for connection in connections.all(initialized_only=True):
        if _execute_wrapper in connection.execute_wrappers:
            connection.execute_wrappers.remove(_execute_wrapper)
