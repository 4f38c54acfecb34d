"""The forms of the approval centre's pages (M2). They only read and check input: every write goes through
``services.py``, whose ``Refused`` message the view shows.

Several forms depend on the application they act on (its materials, its department's staff): they take it as
a keyword argument and build their fields from it.
"""

from __future__ import annotations

from itertools import groupby

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hitechzone.accounts.models import Role, User
from hitechzone.common.forms import DateInput
from hitechzone.common.spreadsheets import CellError
from hitechzone.enterprises.models import Enterprise
from hitechzone.enterprises.queries import officer_enterprises as officers_enterprises
from hitechzone.zone.models import Department

from . import intake
from .models import Application, ApplicationMaterial, Item, ItemType, Level, Mode, Pause
from .services import ATTACHMENT_EXTENSIONS

M = ApplicationMaterial.Status


def _text(rows: int = 3, **attrs) -> forms.Textarea:
    return forms.Textarea(attrs={"class": "form-control", "rows": rows, **attrs})


def _input(**attrs) -> forms.TextInput:
    return forms.TextInput(attrs={"class": "form-control", **attrs})


def _select(**attrs) -> forms.Select:
    return forms.Select(attrs={"class": "form-select", **attrs})


def _number(**attrs) -> forms.NumberInput:
    return forms.NumberInput(attrs={"class": "form-control", "inputmode": "numeric", **attrs})


def _checkboxes() -> forms.CheckboxSelectMultiple:
    return forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"})


def item_choices(items) -> list[tuple[str, list[tuple[int, str]]]]:
    """Items grouped by department (``<optgroup>``s), in the catalogue's order."""
    ordered = sorted(items, key=lambda i: (i.department.sort_order, i.department.code, i.code))
    return [
        (department.short_name or department.name, [(i.pk, f"{i.code} {i.name}") for i in group])
        for department, group in groupby(ordered, key=lambda i: i.department)
    ]


def open_items():
    """The items that take applications, with what their labels need."""
    return Item.objects.filter(status=Item.Status.ACTIVE).select_related("department", "current")


def enterprises_for(user):
    """The enterprises ``user`` may file for: an officer's own (as agent), everything for an administrator."""
    if user.effective_role == Role.OFFICER:
        return officers_enterprises(user)
    return Enterprise.objects.for_user(user).order_by("name")


# --- The catalogue ----------------------------------------------------------------------------------------------


def parse_materials(text: str) -> list[dict]:
    """One material per line (or per ``；``): ``name | marks``, in the grammar of the catalogue's import
    (``intake.parse_materials``: 必需/可选 or required/optional, 容缺, 原件/复印件 or original/copy).

    Raises ``ValidationError`` with the import's message, which names the material it cannot read.
    """
    try:
        return intake.parse_materials(text) or []
    except CellError as error:
        raise forms.ValidationError(str(error)) from None


def materials_text(materials) -> str:
    """The materials of a version as the lines :func:`parse_materials` reads back (one per line)."""
    return intake.materials_text(materials).replace("；", "\n").replace("|", " | ")


class ItemForm(forms.Form):
    """A new item (with code and department) or a revision of one (a new version, with a note)."""

    VERSION_FIELDS = (
        "name",
        "mode",
        "item_type",
        "statutory_limit",
        "promised_limit",
        "pre_reform_days",
        "yellow_threshold",
        "fees",
        "legal_basis",
    )

    code = forms.CharField(label=_("Item code"), max_length=40, widget=_input(autocomplete="off"))
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.none(),
        empty_label=_("Choose a department"),
        widget=_select(),
    )
    name = forms.CharField(label=_("Item name"), max_length=100, widget=_input())
    mode = forms.ChoiceField(label=_("Delegation mode"), choices=Mode.choices, widget=_select())
    item_type = forms.ChoiceField(label=_("Item type"), choices=ItemType.choices, widget=_select())
    statutory_limit = forms.IntegerField(
        label=_("Statutory limit (working days)"), min_value=0, max_value=1000, widget=_number()
    )
    promised_limit = forms.IntegerField(
        label=_("Promised limit (working days)"),
        min_value=0,
        max_value=1000,
        widget=_number(),
        help_text=_("0 for an immediate item (即办件)."),
    )
    pre_reform_days = forms.IntegerField(
        label=_("Typical duration before the reform (working days)"),
        min_value=0,
        max_value=1000,
        required=False,
        widget=_number(),
    )
    yellow_threshold = forms.IntegerField(
        label=_("Yellow light threshold (working days)"),
        min_value=0,
        max_value=100,
        initial=1,
        widget=_number(),
        help_text=_("The light turns yellow when this many working days or fewer remain."),
    )
    fees = forms.CharField(label=_("Fees"), max_length=200, required=False, widget=_input())
    legal_basis = forms.CharField(label=_("Legal basis"), required=False, widget=_text(3))
    materials = forms.CharField(
        label=_("Required materials"),
        required=False,
        widget=_text(6, spellcheck="false"),
        help_text=_(
            "One material per line: name | 必需 or 可选 | 容缺 (may be supplied later) | 原件 or 复印件 "
            "(required/optional/original/copy also do). E.g. 营业执照 | 必需 | 复印件"
        ),
    )
    note = forms.CharField(
        label=_("What changed"),
        max_length=200,
        required=False,
        widget=_input(),
        help_text=_("Kept in the version history."),
    )

    def __init__(self, *args, item: Item | None = None, user: User, **kwargs):
        if item is not None and "initial" not in kwargs:
            version = item.current
            kwargs["initial"] = {
                "department": item.department_id,
                **{f: getattr(version, f) for f in self.VERSION_FIELDS},
                "materials": materials_text(version.materials.all()),
            }
        super().__init__(*args, **kwargs)
        self.item = item
        if user.effective_role == Role.ADMIN:
            self.fields["department"].queryset = Department.objects.for_user(user)
        else:
            del self.fields["department"]  # the department's own staff edit in their department
        if item is None:
            del self.fields["note"]
        else:
            del self.fields["code"]

    def clean_materials(self) -> list[dict]:
        return parse_materials(self.cleaned_data.get("materials", ""))

    def version_fields(self) -> dict:
        return {f: self.cleaned_data[f] for f in self.VERSION_FIELDS}


class ItemStatusForm(forms.Form):
    status = forms.ChoiceField(choices=Item.Status.choices, widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False, widget=_input())


class MaterialFilesForm(forms.Form):
    """The blank form and the filled-in sample of one material: attach or replace each, or remove it.

    Empty files are let through: the service refuses them (with the file types and the size), in one place.
    """

    ACCEPT = ",".join(f".{extension}" for extension in ATTACHMENT_EXTENSIONS)

    blank_form = forms.FileField(label=_("Blank form"), required=False, allow_empty_file=True)
    sample = forms.FileField(label=_("Filled-in sample"), required=False, allow_empty_file=True)
    remove_blank_form = forms.BooleanField(label=_("Remove the blank form"), required=False)
    remove_sample = forms.BooleanField(label=_("Remove the sample"), required=False)


# --- Filing -----------------------------------------------------------------------------------------------------


class ApplicationForm(forms.Form):
    """A new application: the enterprise files for itself; its service officer files as its agent (代办)."""

    enterprise = forms.ModelChoiceField(
        label=_("Enterprise"),
        queryset=Enterprise.objects.none(),
        empty_label=_("Choose an enterprise"),
        widget=_select(),
    )
    item = forms.TypedChoiceField(label=_("Item"), coerce=int, widget=_select())
    title = forms.CharField(
        label=_("Subject"),
        max_length=120,
        required=False,
        widget=_input(placeholder=_("e.g. the project or the premises concerned")),
    )
    provided = forms.TypedMultipleChoiceField(
        label=_("Materials handed in"), coerce=int, required=False, widget=_checkboxes()
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        if user.effective_role == Role.ENTERPRISE:
            del self.fields["enterprise"]  # always its own
        else:
            self.fields["enterprise"].queryset = enterprises_for(user)
        items = list(open_items())
        self.items = {i.pk: i for i in items}
        self.fields["item"].choices = [("", gettext("Choose an item")), *item_choices(items)]
        self.fields["item"].widget.attrs.update(
            {"hx-get": reverse("approvals:filing-materials"), "hx-target": "#filing-materials", "hx-swap": "outerHTML"}
        )
        self.chosen = self._chosen_item()
        self.materials = list(self.chosen.current.materials.all()) if self.chosen is not None else []
        self.fields["provided"].choices = [(m.pk, m.name) for m in self.materials]

    def _chosen_item(self) -> Item | None:
        value = self.data.get(self.add_prefix("item")) if self.is_bound else self.initial.get("item")
        try:
            return self.items.get(int(value))
        except (TypeError, ValueError):
            return None

    def material_boxes(self):
        """(checkbox, material) pairs, for the marks next to each box."""
        return zip(self["provided"], self.materials, strict=True)

    def clean_item(self) -> Item:
        item = self.items.get(self.cleaned_data["item"])
        if item is None:
            raise forms.ValidationError(gettext("Choose an item that takes applications."))
        return item


class BundleForm(forms.Form):
    """并联审批: one project, several items of several departments, filed together."""

    enterprise = forms.ModelChoiceField(
        label=_("Enterprise"),
        queryset=Enterprise.objects.none(),
        empty_label=_("Choose an enterprise"),
        widget=_select(),
    )
    name = forms.CharField(label=_("Project"), max_length=120, widget=_input())
    items = forms.TypedMultipleChoiceField(
        label=_("Items"), coerce=int, widget=_checkboxes(), help_text=_("At least two, usually of several departments.")
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        if user.effective_role == Role.ENTERPRISE:
            del self.fields["enterprise"]
        else:
            self.fields["enterprise"].queryset = enterprises_for(user)
        items = list(open_items())
        self.items = {i.pk: i for i in items}
        self.fields["items"].choices = item_choices(items)

    def clean_items(self) -> list[Item]:
        return [self.items[pk] for pk in self.cleaned_data["items"] if pk in self.items]


# --- The window and processing -----------------------------------------------------------------------------------


class CheckForm(forms.Form):
    """The window's check: per material, handed in or (容缺 only) promised by a date. One notice for the rest."""

    note = forms.CharField(label=_("Note"), required=False, widget=_text(2))

    def __init__(self, *args, application: Application, rows: list[ApplicationMaterial], **kwargs):
        super().__init__(*args, **kwargs)
        self.application = application
        self.material_rows = rows
        today = timezone.localdate()
        for row in rows:
            material = row.material
            self.fields[f"m{material.pk}"] = forms.BooleanField(
                label=material.name,
                required=False,
                initial=row.status in (M.PROVIDED, M.SUPPLIED),
                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
            )
            if material.tolerable:
                self.fields[f"p{material.pk}"] = forms.DateField(
                    label=_("or promised by"),
                    required=False,
                    initial=row.promised_by,
                    widget=DateInput(attrs={"min": today.isoformat()}),
                )

    def rows(self):
        """(application material, its "provided" field, its "promised by" field or None) for the template."""
        for row in self.material_rows:
            pk = row.material_id
            yield row, self[f"m{pk}"], (self[f"p{pk}"] if f"p{pk}" in self.fields else None)

    def clean(self):
        data = super().clean()
        for row in self.material_rows:
            pk = row.material_id
            if data.get(f"m{pk}") and data.get(f"p{pk}"):
                self.add_error(f"p{pk}", gettext("Either handed in or promised, not both."))
        return data

    def provided(self) -> list[int]:
        return [row.material_id for row in self.material_rows if self.cleaned_data.get(f"m{row.material_id}")]

    def promised(self) -> dict:
        return {
            row.material_id: self.cleaned_data[f"p{row.material_id}"]
            for row in self.material_rows
            if self.cleaned_data.get(f"p{row.material_id}") and not self.cleaned_data.get(f"m{row.material_id}")
        }


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=_text(2))


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, widget=_text(2))


class SupplyForm(forms.Form):
    materials = forms.TypedMultipleChoiceField(label=_("Materials supplied"), coerce=int, widget=_checkboxes())

    def __init__(self, *args, rows: list[ApplicationMaterial], **kwargs):
        super().__init__(*args, **kwargs)
        awaited = [r for r in rows if r.status in (M.MISSING, M.PROMISED)]
        self.fields["materials"].choices = [(r.material_id, r.material.name) for r in awaited]
        self.fields["materials"].initial = [r.material_id for r in awaited if r.status == M.MISSING]


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.full_name or obj.username


class AssignForm(forms.Form):
    assignee = StaffChoiceField(
        label=_("Handled by"), queryset=User.objects.none(), empty_label=_("Choose a member of staff"), widget=_select()
    )
    note = forms.CharField(label=_("Note"), required=False, widget=_text(2))

    def __init__(self, *args, application: Application, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = User.objects.filter(
            role=Role.DEPARTMENT, department_id=application.department_id, is_active=True
        ).order_by("full_name", "username")
        if application.assignee_id:
            self.fields["assignee"].initial = application.assignee_id


class PauseForm(forms.Form):
    kind = forms.ChoiceField(label=_("Why the clock stops"), choices=Pause.Kind.choices, widget=_select())
    reason = forms.CharField(label=_("Reason"), max_length=200, widget=_text(2))
    missing = forms.TypedMultipleChoiceField(
        label=_("Materials to supply (补正 only)"), coerce=int, required=False, widget=_checkboxes()
    )

    def __init__(self, *args, rows: list[ApplicationMaterial], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["missing"].choices = [(r.material_id, r.material.name) for r in rows]


class CompleteForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"),
        choices=Application.Outcome.choices,
        initial=Application.Outcome.APPROVED,
        widget=forms.RadioSelect(attrs={"class": "btn-check"}),
    )
    certificate_no = forms.CharField(
        label=_("Certificate number (approved)"), max_length=60, required=False, widget=_input()
    )
    reason = forms.CharField(label=_("Reason (refused)"), required=False, widget=_text(2))


class RateForm(forms.Form):
    level = forms.TypedChoiceField(
        label=_("Your rating"),
        coerce=int,
        choices=Level.choices,
        widget=forms.RadioSelect(attrs={"class": "btn-check"}),
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=_text(2),
        help_text=_("Dissatisfied or worse: say what went wrong; the department must answer."),
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("What the department put right"), widget=_text(3))
