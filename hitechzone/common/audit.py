"""The audit trail: who changed what, when, from where, each field before and after.

Every ``save()`` and ``delete()`` of a registered model — from a page, the API, the admin, an import or the
shell — writes one :class:`~hitechzone.common.models.AuditEvent` through the model signals connected here.
Where a write came from is the *audit context*: :class:`~hitechzone.common.middleware.AuditMiddleware` opens
one per request (source ``ui``, ``api`` or ``admin``), an import opens one with its batch, and a write outside
any context (shell, management command, demo load) is recorded as ``system`` with no user.

Bulk writes (``bulk_create``, ``bulk_update``, ``QuerySet.update()``, raw SQL, ``COPY``) send no signals: whoever
makes them records them with :func:`bulk_events`, building each record's changes with :func:`snapshot` and
:func:`diff`, and says so where it writes: ``with audit.bulk_write(Model): …`` around the write and its records
(or ``with audit.unrecorded(Model, reason=…)`` for a write that is, on purpose, not recorded). The test suite's
audit guard (:mod:`hitechzone.common.audit_guard`) fails a test whose code writes an audited model in bulk
without either. A ``QuerySet.update()`` that sets only fields the registration does not record (``exclude=`` and
``operational=``) needs neither.

Public API::

    audit_context(*, user=None, source, batch=None, request=None)   # context manager
    current() -> AuditContext | None
    register(model, *, exclude=..., masked=(), enterprise=..., m2m=None, operational=None)  # from AppConfig.ready()
    NO_ENTERPRISE                                                    # enterprise= of models outside any history
    AUDITED_MODELS: dict[type[Model], Registration]
    snapshot(obj) -> dict
    diff(before: dict | None, after: dict | None) -> dict
    bulk_events(*, model, rows, user, source, batch=None) -> int
    record_bulk(model, [(obj, action, changes)], *, by=None) -> int  # bulk_events by the context's user
    bulk_write(*models)                       # context manager: this block records its bulk writes to these models
    unrecorded(*models, reason)               # context manager: this block's bulk writes are not recorded, because
    declared(model) -> str | None             # what the enclosing block declared for the model
    recorded(event) -> dict                   # the event's changes without the fields now stated operational
    describe(event) -> list[Change]; entries(events) -> list[Entry]  # for pages
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .models import AuditEvent, Source

MASK = "***"
BULK_BATCH_SIZE = 2000
DEFAULT_EXCLUDE = ("updated_at", "created_at")


# --- The context ------------------------------------------------------------------------------------------------


@dataclass(eq=False)
class AuditContext:
    """Where the writes made inside an ``audit_context`` come from."""

    source: str
    user: Any = None
    batch: Any = None
    request: Any = None

    def resolve_user(self):
        """The acting user, read at write time.

        DRF authenticates a token inside the view, after the middleware ran; its ``Request.user`` setter also
        sets the Django request's ``user``, so reading the Django request here finds the token's user.
        """
        if self.user is not None:
            return self.user
        user = getattr(self.request, "user", None)
        if user is not None and getattr(user, "is_authenticated", False):
            return user
        return None


_context: ContextVar[AuditContext | None] = ContextVar("audit_context", default=None)
# The last event this thread wrote, and the context it wrote it in: a many-to-many change that follows a save of
# the same object (a service's save() then chains.set(), or set()'s own remove() then add()) joins that event.
_last_event: ContextVar[tuple[AuditEvent, AuditContext | None] | None] = ContextVar("audit_last_event", default=None)


@contextlib.contextmanager
def audit_context(*, user=None, source: str, batch=None, request=None) -> Iterator[AuditContext]:
    """Attribute the writes made inside the block to ``user`` (or the request's user) and ``source``."""
    context = AuditContext(source=str(source), user=user, batch=batch, request=request)
    token = _context.set(context)
    last_token = _last_event.set(None)
    try:
        yield context
    finally:
        _last_event.reset(last_token)
        _context.reset(token)


def current() -> AuditContext | None:
    """The active audit context, or ``None`` outside any (such writes are recorded as ``system``)."""
    return _context.get()


# --- The registry -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Registration:
    model: type[models.Model]
    fields: tuple[models.Field, ...]
    masked: frozenset[str]
    enterprise: Callable[[models.Model], int | None]
    m2m: dict[str, str] = field(default_factory=dict)  # field name → attribute of the related object recorded
    # Operational fields (bookkeeping of the platform itself, not facts of the record): never recorded, and a bulk
    # ``update()`` that sets only these needs no audit record. Field name → why it is operational.
    operational: dict[str, str] = field(default_factory=dict)

    def fields_for(self, update_fields) -> tuple[models.Field, ...]:
        if update_fields is None:
            return self.fields
        wanted = set(update_fields)
        return tuple(f for f in self.fields if f.name in wanted or f.attname in wanted)

    def enterprise_id(self, obj) -> int | None:
        try:
            return self.enterprise(obj)
        except ObjectDoesNotExist:
            return None


@dataclass(frozen=True)
class _ManyToMany:
    registration: Registration
    name: str  # the field's name on the registered model
    label: str  # the related object's attribute recorded (its code)
    source: str  # the through model's FK to the registered model
    target: str  # the through model's FK to the related model


AUDITED_MODELS: dict[type[models.Model], Registration] = {}
_THROUGH: dict[type[models.Model], _ManyToMany] = {}
# A recorded foreign key with on_delete=SET_NULL or SET_DEFAULT: Django's collector updates the rows that point to a
# deleted object without a signal. Target model → [(registration, foreign key)]; recorded when the target is audited
# too (deleted one signalled object at a time): its pre_delete writes the pointing rows' records.
_SET_ON_DELETE: dict[type[models.Model], list[tuple[Registration, models.ForeignKey]]] = {}


def _own_enterprise(obj) -> int | None:
    return obj.enterprise_id


def _no_enterprise(obj) -> None:
    return None


#: ``register(model, enterprise=NO_ENTERPRISE)``: the model's events belong to no enterprise's history.
NO_ENTERPRISE: Callable[[models.Model], None] = _no_enterprise


def register(
    model: type[models.Model],
    *,
    exclude: Iterable[str] = DEFAULT_EXCLUDE,
    masked: Iterable[str] = (),
    enterprise: Callable[[models.Model], int | None] = _own_enterprise,
    m2m: dict[str, str] | None = None,
    operational: dict[str, str] | None = None,
) -> Registration:
    """Audit every save and delete of ``model``.

    ``exclude``: fields never recorded. ``masked``: fields recorded as ``"***"`` (a change shows, its value
    does not). ``enterprise(obj)``: the enterprise whose history shows the object's events. ``m2m``: many-to-many
    fields recorded as the sorted list of an attribute of the related objects (``{"chains": "code"}``).
    ``operational``: fields that are the platform's bookkeeping (a reminder sent, a timing), each with the reason;
    they are not recorded, and may be written in bulk without audit records.
    """
    operational = dict(operational or {})
    for name, reason in operational.items():
        model._meta.get_field(name)  # FieldDoesNotExist for a misspelt one
        if not str(reason).strip():
            raise ValueError(f"{model._meta.label}.{name}: an operational field needs the reason")
    excluded = set(exclude) | set(operational)
    fields = tuple(
        f for f in model._meta.concrete_fields if f.name not in excluded and not (f.primary_key and f.auto_created)
    )
    registration = Registration(
        model=model,
        fields=fields,
        masked=frozenset(masked),
        enterprise=enterprise,
        m2m=dict(m2m or {}),
        operational=operational,
    )
    AUDITED_MODELS[model] = registration
    uid = f"audit:{model._meta.label_lower}"
    pre_save.connect(_pre_save, sender=model, dispatch_uid=uid)
    post_save.connect(_post_save, sender=model, dispatch_uid=uid)
    post_delete.connect(_post_delete, sender=model, dispatch_uid=uid)
    for name, label in registration.m2m.items():
        relation = model._meta.get_field(name)
        through = relation.remote_field.through
        _THROUGH[through] = _ManyToMany(
            registration=registration,
            name=name,
            label=label,
            source=relation.m2m_field_name(),
            target=relation.m2m_reverse_field_name(),
        )
        m2m_changed.connect(_m2m_changed, sender=through, dispatch_uid=f"{uid}.{name}")
    for model_field in fields:
        if model_field.many_to_one and model_field.remote_field.on_delete in (models.SET_NULL, models.SET_DEFAULT):
            _SET_ON_DELETE.setdefault(model_field.related_model, []).append((registration, model_field))
    for target in _SET_ON_DELETE:
        if target in AUDITED_MODELS:
            pre_delete.connect(_target_deleted, sender=target, dispatch_uid=f"audit:set-on-delete:{target._meta.label}")
    return registration


def records_on_delete(model: type[models.Model], name: str) -> bool:
    """Whether the trail records the change Django's ``on_delete`` makes to ``model.name`` (the audit guard asks)."""
    return any(
        registration.model is model and fk.name == name and target in AUDITED_MODELS
        for target, pairs in _SET_ON_DELETE.items()
        for registration, fk in pairs
    )


# --- Values -----------------------------------------------------------------------------------------------------


class _Secret(str):
    """A masked field's value inside a snapshot: compared like the value, written by :func:`diff` as ``***``."""

    __slots__ = ()


def _secret(value) -> _Secret | None:
    if value in (None, ""):
        return None
    return _Secret(hashlib.sha256(str(value).encode()).hexdigest())


def _plain(model_field: models.Field, value):
    """A field's value as JSON: Decimal → str (at the field's places), dates → ISO 8601, FK → the raw id."""
    if value is None:
        return None
    if isinstance(model_field, models.FileField):
        return getattr(value, "name", value) or ""
    try:
        value = model_field.to_python(value)
    except (ValidationError, TypeError, ValueError):
        return str(value)
    if value is None:
        return None
    if isinstance(value, Decimal):
        places = getattr(model_field, "decimal_places", None)
        if places is not None and value.is_finite():
            with contextlib.suppress(InvalidOperation):
                value = value.quantize(Decimal(1).scaleb(-places))
        return format(value, "f")
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = value.astimezone(dt.UTC)
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, bool | int | float | str | list | dict):
        return value
    return str(value)


def _snapshot(registration: Registration, obj, fields: Iterable[models.Field]) -> dict:
    values = {}
    for model_field in fields:
        raw = getattr(obj, model_field.attname)
        if model_field.name in registration.masked:
            values[model_field.name] = _secret(raw)
        else:
            values[model_field.name] = _plain(model_field, raw)
    return values


def _registration(model: type[models.Model]) -> Registration:
    registration = AUDITED_MODELS.get(model)
    if registration is None:
        registration = Registration(
            model=model,
            fields=tuple(f for f in model._meta.concrete_fields if not (f.primary_key and f.auto_created)),
            masked=frozenset(),
            enterprise=lambda obj: None,
        )
    return registration


def snapshot(obj: models.Model) -> dict:
    """The object's recorded fields as JSON-safe values, keyed by field name; feed two of them to :func:`diff`."""
    registration = _registration(type(obj))
    return _snapshot(registration, obj, registration.fields)


def _shown(value):
    if isinstance(value, _Secret):
        return MASK
    return value


def diff(before: dict | None, after: dict | None) -> dict:
    """``{field: [before, after]}``.

    ``diff(None, after)``: a creation, every field ``[None, value]``. ``diff(before, None)``: a deletion, every
    field ``[value, None]``. Otherwise only the fields whose value changed. Masked values come out as ``"***"``.
    """
    if before is None and after is None:
        return {}
    if before is None:
        return {name: [None, _shown(value)] for name, value in after.items()}
    if after is None:
        return {name: [_shown(value), None] for name, value in before.items()}
    changes = {}
    for name in dict.fromkeys([*before, *after]):
        old, new = before.get(name), after.get(name)
        if old != new:
            changes[name] = [_shown(old), _shown(new)]
    return changes


# --- Writing events ---------------------------------------------------------------------------------------------


def _repr(obj) -> str:
    try:
        text = str(obj)
    except ObjectDoesNotExist:  # a related object the text needs is not there (e.g. loaddata, cascades)
        text = f"{obj._meta.verbose_name} #{obj.pk}"
    return text[:200]


def _is_user(obj) -> bool:
    return obj._meta.label_lower == settings.AUTH_USER_MODEL.lower()


def _who(context: AuditContext | None) -> tuple[int | None, str]:
    user = context.resolve_user() if context is not None else None
    if user is None:
        return None, ""
    return user.pk, user.get_username()[:150]


def _write(obj, *, action: str, changes: dict, registration: Registration, using: str) -> AuditEvent:
    context = current()
    user_id, username = _who(context)
    if action == AuditEvent.Action.DELETE and user_id is not None and obj.pk == user_id and _is_user(obj):
        user_id = None  # a user deleting their own account: the row the foreign key would point to is gone
    event = AuditEvent(
        user_id=user_id,
        username=username,
        source=context.source if context is not None else Source.SYSTEM,
        action=action,
        content_type=ContentType.objects.db_manager(using).get_for_model(type(obj)),
        object_id=str(obj.pk),
        object_repr=_repr(obj),
        changes=changes,
        enterprise_id=registration.enterprise_id(obj),
        batch=context.batch if context is not None else None,
    )
    event.save(using=using)
    _last_event.set((event, context))
    return event


# --- Signal handlers --------------------------------------------------------------------------------------------

_SKIP = object()  # pre_save found nothing to record (only excluded fields are saved)


def _pre_save(sender, instance, raw=False, using="default", update_fields=None, **kwargs) -> None:
    registration = AUDITED_MODELS[sender]
    fields = registration.fields_for(update_fields)
    if not fields:
        instance._audit_before = _SKIP
        return
    if instance.pk is None:
        instance._audit_before = None
        return
    row = sender._base_manager.using(using).filter(pk=instance.pk).values(*(f.attname for f in fields)).first()
    if row is None:
        instance._audit_before = None
        return
    before = {}
    for model_field in fields:
        raw_value = row[model_field.attname]
        if model_field.name in registration.masked:
            before[model_field.name] = _secret(raw_value)
        else:
            before[model_field.name] = _plain(model_field, raw_value)
    instance._audit_before = before


def _post_save(sender, instance, created, raw=False, using="default", update_fields=None, **kwargs) -> None:
    registration = AUDITED_MODELS[sender]
    before = instance.__dict__.pop("_audit_before", None)
    if before is _SKIP:
        return
    after = _snapshot(registration, instance, registration.fields_for(update_fields))
    if created or before is None:
        action, changes = AuditEvent.Action.CREATE, diff(None, after)
    else:
        action, changes = AuditEvent.Action.UPDATE, diff(before, after)
    if changes or action == AuditEvent.Action.CREATE:
        _write(instance, action=action, changes=changes, registration=registration, using=using)


def _post_delete(sender, instance, using="default", **kwargs) -> None:
    registration = AUDITED_MODELS[sender]
    changes = diff(_snapshot(registration, instance, registration.fields), None)
    _write(instance, action=AuditEvent.Action.DELETE, changes=changes, registration=registration, using=using)


def _target_deleted(sender, instance, using="default", **kwargs) -> None:
    """An audited object is about to be deleted: record the audited rows its deletion sets to NULL (or the default)."""
    for registration, fk in _SET_ON_DELETE.get(sender, ()):
        if AUDITED_MODELS.get(registration.model) is not registration:
            continue
        new = _plain(fk, None if fk.remote_field.on_delete is models.SET_NULL else fk.get_default())
        key = getattr(instance, fk.target_field.attname)
        pointing = registration.model._base_manager.using(using).filter(**{fk.attname: key})
        for obj in pointing.iterator():
            changes = diff({fk.name: _plain(fk, getattr(obj, fk.attname))}, {fk.name: new})
            if changes:
                _write(obj, action=AuditEvent.Action.UPDATE, changes=changes, registration=registration, using=using)


def _m2m_labels(relation: _ManyToMany, source_ids: Iterable, using: str) -> dict[Any, list]:
    """``{source id: sorted labels}`` of the registered objects' related objects, in one query."""
    source_ids = list(source_ids)
    labels: dict[Any, list] = {pk: [] for pk in source_ids}
    if not source_ids:
        return labels
    through = relation.registration.model._meta.get_field(relation.name).remote_field.through
    rows = (
        through._base_manager.using(using)
        .filter(**{f"{relation.source}_id__in": source_ids})
        .values_list(f"{relation.source}_id", f"{relation.target}__{relation.label}")
    )
    for pk, label in rows:
        labels.setdefault(pk, []).append(label)
    return {pk: sorted(values, key=str) for pk, values in labels.items()}


def _m2m_changed(sender, instance, action, reverse, model, pk_set, using="default", **kwargs) -> None:
    relation = _THROUGH[sender]
    stage, _sep, kind = action.partition("_")
    pending = instance.__dict__.setdefault("_audit_m2m", {})
    key = (sender, kind)
    if stage == "pre":
        if not reverse:
            if kind != "clear" and not pk_set:
                return
            source_ids = [instance.pk]
        elif kind == "clear":
            through = sender._base_manager.using(using)
            source_ids = list(
                through.filter(**{f"{relation.target}_id": instance.pk}).values_list(f"{relation.source}_id", flat=True)
            )
        else:
            source_ids = list(pk_set or ())
        if source_ids:
            pending[key] = _m2m_labels(relation, source_ids, using)
        return
    before = pending.pop(key, None)
    if not before:
        return
    after = _m2m_labels(relation, before, using)
    changed = [pk for pk in before if before[pk] != after.get(pk, [])]
    if not changed:
        return
    registration = relation.registration
    objects = registration.model._base_manager.using(using).in_bulk(changed) if reverse else {instance.pk: instance}
    for pk in changed:
        obj = objects.get(pk)
        if obj is not None:
            _record_m2m(obj, relation, before[pk], after.get(pk, []), using=using)


def _record_m2m(obj, relation: _ManyToMany, before: list, after: list, *, using: str) -> None:
    """Join the object's event written just before in the same context, or write a new one."""
    registration = relation.registration
    last = _last_event.get()
    context = current()
    if last is not None:
        event, last_context = last
        if (
            last_context is context
            and event.action != AuditEvent.Action.DELETE
            and event.object_id == str(obj.pk)
            and event.content_type_id == ContentType.objects.db_manager(using).get_for_model(type(obj)).pk
        ):
            changes = dict(event.changes)
            if relation.name in changes:
                first = changes[relation.name][0]
            else:
                first = None if event.action == AuditEvent.Action.CREATE else before
            if first == after and event.action != AuditEvent.Action.CREATE:
                changes.pop(relation.name, None)
            else:
                changes[relation.name] = [first, after]
            event.changes = changes
            if changes:
                updated = AuditEvent.objects.using(using).filter(pk=event.pk).update(changes=changes)
            else:
                updated = AuditEvent.objects.using(using).filter(pk=event.pk)._raw_delete(using)
                _last_event.set(None)
            if updated:
                return
    changes = {relation.name: [before, after]}
    _write(obj, action=AuditEvent.Action.UPDATE, changes=changes, registration=registration, using=using)


# --- Bulk writes ------------------------------------------------------------------------------------------------


def _chunks(rows: Iterable, size: int) -> Iterator[list]:
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def bulk_events(
    *,
    model: type[models.Model],
    rows: Iterable[tuple[str, str, int | None, str, dict]],
    user,
    source: str,
    batch=None,
) -> int:
    """Record many changes of ``model`` at once: ``rows`` of ``(object_id, object_repr, enterprise_id, action,
    changes)``, written in batches of 2000. Returns how many records were written."""
    content_type = ContentType.objects.get_for_model(model)
    at = timezone.now()
    user_id = getattr(user, "pk", None)
    username = user.get_username()[:150] if user is not None else ""
    written = 0
    for chunk in _chunks(rows, BULK_BATCH_SIZE):
        AuditEvent.objects.bulk_create(
            [
                AuditEvent(
                    at=at,
                    user_id=user_id,
                    username=username,
                    source=str(source),
                    action=str(action),
                    content_type=content_type,
                    object_id=str(object_id),
                    object_repr=str(object_repr)[:200],
                    changes=changes,
                    enterprise_id=enterprise_id,
                    batch=batch,
                )
                for object_id, object_repr, enterprise_id, action, changes in chunk
            ]
        )
        written += len(chunk)
    _last_event.set(None)
    return written


def record_bulk(model: type[models.Model], changes: Iterable[tuple[models.Model, str, dict]], *, by=None) -> int:
    """The audit records of writes to ``model`` made in bulk (``bulk_create``, ``QuerySet.update()``, a raw delete:
    no signal), one per ``(object, action, changes)`` — build ``changes`` with :func:`snapshot` and :func:`diff` —
    by the audit context's user (else ``by``), with its source and batch, in the caller's transaction. An object's
    enterprise and text are the registration's, as a ``save()`` records them (read before a deletion's rows go)."""
    registration = _registration(model)
    context = current()
    user = (context.resolve_user() if context is not None else None) or by
    return bulk_events(
        model=model,
        rows=[(obj.pk, _repr(obj), registration.enterprise_id(obj), action, change) for obj, action, change in changes],
        user=user,
        source=context.source if context is not None else Source.SYSTEM,
        batch=context.batch if context is not None else None,
    )


# --- Declared bulk writes ---------------------------------------------------------------------------------------

#: model → ``""`` (the enclosing block records its bulk writes) or the reason they are not recorded.
_declared: ContextVar[dict[type[models.Model], str]] = ContextVar("audit_declared", default={})  # noqa: B039


@contextlib.contextmanager
def _declare(targets: Iterable[type[models.Model]], reason: str) -> Iterator[None]:
    token = _declared.set({**_declared.get(), **dict.fromkeys(targets, reason)})
    try:
        yield
    finally:
        _declared.reset(token)


def bulk_write(*targets: type[models.Model]) -> contextlib.AbstractContextManager[None]:
    """Declare that the block records the audit trail of its bulk writes to ``targets`` itself.

    Put it around the write and the :func:`bulk_events` (or the ``AuditEvent`` rows written in bulk) that record
    it: ``bulk_create``, ``bulk_update``, ``QuerySet.update()``, raw SQL and ``COPY`` on those models' tables (and on
    their audited many-to-many tables) then pass the audit guard. It changes nothing else."""
    return _declare(targets, "")


def unrecorded(*targets: type[models.Model], reason: str) -> contextlib.AbstractContextManager[None]:
    """Declare that the block's bulk writes to ``targets`` (every audited model when none is given) are, on
    purpose, not recorded, and why. For the writes whose record would say nothing (generated data, a test's
    set-up); a field that is never worth recording is stated ``operational`` in its registration instead."""
    if not reason or not str(reason).strip():
        raise ValueError("unrecorded() needs the reason")
    return _declare(targets or (models.Model,), str(reason))


def registration_of(model: type[models.Model]) -> Registration | None:
    """The registration a write to ``model``'s table falls under: its own, or, for the table of an audited
    many-to-many field, the registered model's."""
    registration = AUDITED_MODELS.get(model)
    if registration is None and model in _THROUGH:
        registration = _THROUGH[model].registration
    return registration


def declared(model: type[models.Model]) -> str | None:
    """What the enclosing block declared for bulk writes to ``model`` (a registered model, or the table of one of
    its many-to-many fields): ``""`` (it records them), the reason they are not recorded, or ``None``."""
    declarations = _declared.get()
    if not declarations:
        return None
    registration = registration_of(model)
    for target in (model, registration.model if registration is not None else None, models.Model):
        if target is not None and target in declarations:
            return declarations[target]
    return None


# --- Reading events ---------------------------------------------------------------------------------------------


class Change(NamedTuple):
    name: str
    label: str
    before: str
    after: str
    data: bool = False  # the values are data (a stored structure's keys, a code): pages mark them translate="no"


class Entry(NamedTuple):
    """An event as a page shows it: the record, its object type's name, its changes."""

    event: AuditEvent
    type_label: str
    changes: list[Change]


def _field(model: type[models.Model] | None, name: str) -> models.Field | None:
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:  # an attname (``enterprise_id``, from an import) or a field since removed
        return next((f for f in model._meta.concrete_fields if f.attname == name), None)


def _is_fk(model_field) -> bool:
    return bool(getattr(model_field, "many_to_one", False) or getattr(model_field, "one_to_one", False)) and (
        getattr(model_field, "related_model", None) is not None and hasattr(model_field, "target_field")
    )


_Names = dict[type[models.Model], dict[str, str]]


def _related_names(wanted: dict[type[models.Model], set]) -> _Names:
    """``{related model: {str(pk): str(object)}}``: one query per related model, whatever the number of events."""
    names: _Names = {}
    for related, keys in wanted.items():
        pk_field = related._meta.pk
        clean = set()
        for key in keys:
            with contextlib.suppress(ValidationError, TypeError, ValueError):
                clean.add(pk_field.to_python(key))
        # the objects' own foreign keys come along: a name made of a related object's name costs no query each
        joins = [f.name for f in related._meta.concrete_fields if f.many_to_one]
        objects = related._base_manager.select_related(*joins).in_bulk(list(clean)) if clean else {}
        names[related] = {str(pk): _repr(obj) for pk, obj in objects.items()}
    return names


def _local(model_field, value: str) -> str:
    from django.utils.dateparse import parse_date, parse_datetime
    from django.utils.formats import date_format

    if isinstance(model_field, models.DateTimeField):
        moment = parse_datetime(value)
        if moment is None:
            return value
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment, dt.UTC)
        return date_format(timezone.localtime(moment), "Y-m-d H:i")
    day = parse_date(value)
    return date_format(day, "Y-m-d") if day is not None else value


def _display(model_field: models.Field | None, value, names: _Names | None = None) -> str:
    """A recorded value as a reader expects it: the related object's name, the choice's label, local time, 是/否,
    figures with thousands separators, "—" for nothing."""
    from .formatting import number

    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, list):
        return "、".join(_nested(model_field, v, names) for v in value)
    if isinstance(value, dict):
        return "；".join(f"{k}: {_nested(None, v, names)}" for k, v in value.items())
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if value == MASK:
        return MASK
    if _is_fk(model_field) and names is not None:
        name = names.get(model_field.related_model, {}).get(str(value))
        return name if name is not None else _("#%(id)s (deleted)") % {"id": value}
    choices = getattr(model_field, "flatchoices", None) if model_field is not None else None
    if choices:
        for choice, label in choices:
            if str(choice) == str(value):
                return f"{label}"
    if isinstance(model_field, models.DateField | models.DateTimeField) and isinstance(value, str):
        return _local(model_field, value)
    if isinstance(model_field, models.DecimalField | models.FloatField) or (
        isinstance(model_field, models.IntegerField) and not model_field.primary_key
    ):
        text = number(value, getattr(model_field, "decimal_places", None))
        return text if text != "—" else str(value)
    return str(value)


def _nested(model_field: models.Field | None, value, names: _Names | None) -> str:
    """A value inside a structure: a structure of its own in braces (a list in brackets), so that its keys read as
    its own."""
    text = _display(model_field, value, names)
    if isinstance(value, dict) and value:
        return f"{{{text}}}"
    return f"[{text}]" if isinstance(value, list) and value else text


def _is_data(model_field: models.Field | None, value) -> bool:
    """Whether a recorded value is data rather than words of the UI: a stored structure (its keys are internal
    names, a JSON field's) or a code (a slug such as a material's ``hcl``)."""
    if value is None or value == "" or value == [] or value == {}:
        return False
    return isinstance(value, dict | list) or isinstance(model_field, models.SlugField)


def recorded(event: AuditEvent) -> dict:
    """The event's changes, without the fields its model's registration now states operational (a record written
    before they were declared so may hold them): the trail shows a field either always or never."""
    changes = event.changes or {}
    if not isinstance(changes, dict) or not changes:
        return changes
    model = event.content_type.model_class() if event.content_type_id else None
    registration = AUDITED_MODELS.get(model) if model is not None else None
    if registration is None or not registration.operational:
        return changes
    return {name: pair for name, pair in changes.items() if name not in registration.operational}


def _pairs(event: AuditEvent) -> list[tuple[str, Any, Any]]:
    return [
        (name, *([*pair, None, None][:2] if isinstance(pair, list) else (None, pair)))
        for name, pair in recorded(event).items()
    ]


def _model(event: AuditEvent) -> type[models.Model] | None:
    return event.content_type.model_class() if event.content_type_id else None


def _describe(event: AuditEvent, names: _Names) -> list[Change]:
    model = _model(event)
    rows = []
    for name, before, after in _pairs(event):
        model_field = _field(model, name)
        label = capfirst(str(getattr(model_field, "verbose_name", name))) if model_field is not None else name
        data = _is_data(model_field, before) or _is_data(model_field, after)
        before_text, after_text = _display(model_field, before, names), _display(model_field, after, names)
        rows.append(Change(name, label, before_text, after_text, data))
    return rows


def describe(event: AuditEvent) -> list[Change]:
    """The event's changes as rows "label: before → after": field names as verbose names, related objects by
    name, choices by label, times local, in the user's language (never an operational field)."""
    return entries([event])[0].changes


def entries(events: Iterable[AuditEvent]) -> list[Entry]:
    """The events as pages show them (select ``content_type`` with them): the related objects the changes name are
    read in one query per related model for all the events together."""
    events = list(events)
    wanted: dict[type[models.Model], set] = {}
    for event in events:
        model = _model(event)
        for name, before, after in _pairs(event):
            model_field = _field(model, name)
            if _is_fk(model_field):
                keys = wanted.setdefault(model_field.related_model, set())
                keys.update(str(v) for v in (before, after) if v not in (None, "", MASK))
    names = _related_names(wanted)
    result = []
    for event in events:
        model = _model(event)
        type_label = str(model._meta.verbose_name) if model is not None else event.content_type.model
        result.append(Entry(event, type_label, _describe(event, names)))
    return result
