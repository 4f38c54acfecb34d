"""The pages of the catalogue: items, versions, materials with their blank forms and samples."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hitechzone.accounts.models import Role
from hitechzone.accounts.roles import effective_role
from hitechzone.approvals import exports, services
from hitechzone.approvals.forms import (
    ItemForm,
    ItemStatusForm,
    MaterialFilesForm,
)
from hitechzone.approvals.models import (
    Item,
    ItemType,
    ItemVersion,
    Material,
    Mode,
)
from hitechzone.common.views import deny_unless as _deny_unless
from hitechzone.common.views import int_param as _int_param
from hitechzone.common.views import paginate
from hitechzone.zone.models import Department

from .base import FILE_ROLES, PAGE_ROLES, _render

# --- The catalogue -------------------------------------------------------------------------------------------------


@login_required
def item_list(request):
    user = request.user
    _deny_unless(user, PAGE_ROLES)
    items = Item.objects.for_user(user).select_related("department", "current")
    department_id = _int_param(request, "department")
    if department_id:
        items = items.filter(department_id=department_id)
    mode = request.GET.get("mode", "")
    if mode in Mode.values:
        items = items.filter(current__mode=mode)
    item_type = request.GET.get("type", "")
    if item_type in ItemType.values:
        items = items.filter(current__item_type=item_type)
    status = request.GET.get("status", "")
    if status in Item.Status.values:
        items = items.filter(status=status)
    q = request.GET.get("q", "").strip()
    if q:
        items = items.filter(Q(code__icontains=q) | Q(current__name__icontains=q))
    if request.GET.get("export") == "xlsx":
        return exports.catalogue_response(items)  # the columns of the catalogue import
    items = items.annotate(n_materials=Count("current__materials")).order_by("department__sort_order", "code")
    page, query = paginate(request, items)
    return _render(
        request,
        "approvals/items.html",
        {
            "page": page,
            "query": query,
            "departments": Department.objects.for_user(user),
            "modes": Mode.choices,
            "types": ItemType.choices,
            "statuses": Item.Status.choices,
            "can_create": effective_role(user) == Role.ADMIN,
        },
    )


def _display(version: ItemVersion, field: str) -> str:
    value = getattr(version, field)
    if field in ("mode", "item_type"):
        return str(getattr(version, f"get_{field}_display")())
    if value in (None, ""):
        return "—"
    text = str(value)
    return text if len(text) <= 40 else f"{text[:40]}…"


def version_changes(before: ItemVersion, after: ItemVersion) -> list[str]:
    """What changed from one version to the next, in words (fields, then materials added, removed, changed)."""
    changes = []
    for field in services.VERSION_FIELDS:
        if getattr(before, field) != getattr(after, field):
            label = capfirst(ItemVersion._meta.get_field(field).verbose_name)
            changes.append(f"{label}: {_display(before, field)} → {_display(after, field)}")
    old = {m.name: m for m in before.materials.all()}
    new = {m.name: m for m in after.materials.all()}
    for name in new:
        if name not in old:
            changes.append(_("Material added: %(m)s") % {"m": name})
        elif any(getattr(old[name], f) != getattr(new[name], f) for f in services.MATERIAL_FIELDS):
            changes.append(_("Material changed: %(m)s") % {"m": name})
    changes += [_("Material removed: %(m)s") % {"m": name} for name in old if name not in new]
    if [n for n in old if n in new] != [n for n in new if n in old]:
        changes.append(_("Materials reordered"))
    return changes


def _scoped_item(user, pk: int) -> Item:
    return get_object_or_404(Item.objects.for_user(user).select_related("department", "current"), pk=pk)


@login_required
def item_detail(request, pk: int):
    user = request.user
    _deny_unless(user, PAGE_ROLES)
    item = _scoped_item(user, pk)
    versions = list(item.versions.select_related("created_by").prefetch_related("materials").order_by("number"))
    wanted = _int_param(request, "version")
    shown = next((v for v in versions if v.number == wanted), None) or next(
        (v for v in versions if v.pk == item.current_id), versions[-1] if versions else None
    )
    history = []
    for i, version in enumerate(versions):
        history.append(
            {"version": version, "changes": version_changes(versions[i - 1], version) if i else [_("Created")]}
        )
    history.reverse()
    can_edit = services.can_edit_catalogue(user, item.department_id) and item.status != Item.Status.CANCELLED
    status_forms = []
    if can_edit:
        for status, label in (
            (Item.Status.ACTIVE, _("Resume")),
            (Item.Status.SUSPENDED, _("Suspend")),
            (Item.Status.CANCELLED, _("Cancel the item")),
        ):
            if status != item.status:
                status_forms.append((status, label))
    return _render(
        request,
        "approvals/item_detail.html",
        {
            "item": item,
            "version": shown,
            "is_current": shown is not None and shown.pk == item.current_id,
            "history": history,
            "can_edit": can_edit,
            # Files go on the materials of the current version only (an earlier version's are history).
            "can_attach": can_edit and shown is not None and shown.pk == item.current_id,
            "attachment_types": MaterialFilesForm.ACCEPT,
            "attachment_max_mb": services.ATTACHMENT_MAX_BYTES // (1024 * 1024),
            "status_forms": status_forms,
            "can_file": effective_role(user) in FILE_ROLES and item.status == Item.Status.ACTIVE,
        },
    )


@login_required
def item_new(request):
    user = request.user
    _deny_unless(user, {Role.ADMIN})
    form = ItemForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.item_create(
                by=user,
                code=data["code"],
                department=data["department"],
                materials=data["materials"],
                **form.version_fields(),
            )
        except services.Refused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("%(item)s added to the catalogue.") % {"item": item})
            return redirect("approvals:item", pk=item.pk)
    return _render(request, "approvals/item_form.html", {"form": form, "item": None})


@login_required
def item_edit(request, pk: int):
    user = request.user
    _deny_unless(user, PAGE_ROLES)
    item = _scoped_item(user, pk)
    if not services.can_edit_catalogue(user, item.department_id):
        raise Http404
    form = ItemForm(request.POST or None, item=item, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            version = services.item_revise(
                item=item,
                by=user,
                note=data["note"],
                department=data.get("department"),
                materials=data["materials"],
                **form.version_fields(),
            )
        except services.Refused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request,
                _("Version %(n)d saved; applications filed earlier keep the version they were filed under.")
                % {"n": version.number},
            )
            return redirect("approvals:item", pk=item.pk)
    return _render(request, "approvals/item_form.html", {"form": form, "item": item})


@login_required
@require_POST
def item_status(request, pk: int):
    user = request.user
    _deny_unless(user, PAGE_ROLES)
    item = _scoped_item(user, pk)
    form = ItemStatusForm(request.POST)
    if not form.is_valid():
        raise Http404
    try:
        services.item_set_status(
            item=item, by=user, status=form.cleaned_data["status"], reason=form.cleaned_data["reason"]
        )
    except services.Refused as refused:
        messages.error(request, str(refused))
    else:
        item.refresh_from_db()
        messages.success(request, _("The item is now %(status)s.") % {"status": item.get_status_display()})
    return redirect("approvals:item", pk=item.pk)


@login_required
@require_POST
def material_files(request, pk: int):
    """Attach, replace or remove the blank form and the sample of a material (the item's catalogue editors)."""
    user = request.user
    _deny_unless(user, PAGE_ROLES)
    material = get_object_or_404(
        Material.objects.filter(version__item__in=Item.objects.for_user(user)).select_related("version"), pk=pk
    )
    back = f"{reverse('approvals:item', args=[material.version.item_id])}#material-{material.pk}"
    form = MaterialFilesForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(back)
    try:
        services.material_attach(material=material, by=user, **form.cleaned_data)
    except services.Refused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("The files of %(material)s are saved.") % {"material": material.name})
    return redirect(back)


@login_required
def material_file(request, pk: int, kind: str):
    """The blank form or the filled-in sample of a material: every signed-in user reads the catalogue."""
    user = request.user
    if kind not in ("form", "sample"):
        raise Http404
    material = get_object_or_404(Material.objects.filter(version__item__in=Item.objects.for_user(user)), pk=pk)
    field = material.blank_form if kind == "form" else material.sample
    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=field.name.rsplit("/", 1)[-1])
