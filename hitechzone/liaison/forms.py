"""The forms of the service officers' pages (M1). They only read and check input: every write goes through
``services.py``, whose ``Refused`` message the view puts on the form."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hitechzone.accounts.models import Role, User
from hitechzone.accounts.roles import effective_role
from hitechzone.common.forms import DateInput
from hitechzone.enterprises.models import Enterprise
from hitechzone.enterprises.queries import officer_enterprises as officers_enterprises
from hitechzone.zone.models import Department

from .models import SERVICE_TARGETS, Category, Rating, Visit

MAX_PROBLEMS_PER_VISIT = 10


def _text(rows: int = 3, **attrs) -> forms.Textarea:
    return forms.Textarea(attrs={"class": "form-control", "rows": rows, **attrs})


def _input(**attrs) -> forms.TextInput:
    return forms.TextInput(attrs={"class": "form-control", **attrs})


def _select(**attrs) -> forms.Select:
    return forms.Select(attrs={"class": "form-select", **attrs})


class OfficerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        load = getattr(obj, "load", None)
        name = obj.full_name or obj.username
        return f"{name} ({load})" if load is not None else name


# --- Visits --------------------------------------------------------------------------------------------------------


class VisitForm(forms.Form):
    enterprise = forms.ModelChoiceField(
        label=_("Enterprise"),
        queryset=Enterprise.objects.none(),
        empty_label=_("Choose an enterprise"),
        widget=_select(),
    )
    visited_on = forms.DateField(label=_("Date of the visit"), widget=DateInput())
    form = forms.ChoiceField(
        label=_("Form of the visit"),
        choices=Visit.Form.choices,
        initial=Visit.Form.ON_SITE,
        widget=forms.RadioSelect(attrs={"class": "btn-check"}),
    )
    people_met = forms.CharField(
        label=_("People met"),
        max_length=200,
        required=False,
        widget=_input(placeholder=_("e.g. 王总 (general manager), 李经理 (HR)")),
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=_text(3))

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = officers_enterprises(user)
        self.fields["visited_on"].initial = timezone.localdate()
        self.fields["visited_on"].widget.attrs["max"] = timezone.localdate().isoformat()


class ProblemRowForm(forms.Form):
    """One problem found during the visit; an empty row is ignored."""

    category = forms.ChoiceField(
        label=_("Category"), choices=[("", _("Category…")), *Category.choices], required=False, widget=_select()
    )
    title = forms.CharField(
        label=_("Problem"), max_length=120, required=False, widget=_input(placeholder=_("What is the problem?"))
    )
    description = forms.CharField(
        label=_("Details"), required=False, widget=_text(2, placeholder=_("Details (optional)"))
    )

    def clean(self):
        data = super().clean()
        if data.get("description") and not data.get("title"):
            self.add_error("title", _("Give the problem a title."))
        if data.get("title") and not data.get("category"):
            self.add_error("category", _("Choose a category."))
        return data

    def problem(self) -> dict | None:
        data = getattr(self, "cleaned_data", None) or {}
        if not data.get("title"):
            return None
        return {"category": data["category"], "title": data["title"], "description": data.get("description", "")}


ProblemRowFormSet = forms.formset_factory(
    ProblemRowForm, extra=1, max_num=MAX_PROBLEMS_PER_VISIT, absolute_max=MAX_PROBLEMS_PER_VISIT, validate_max=True
)


# --- Problems ------------------------------------------------------------------------------------------------------


class ProblemForm(forms.Form):
    """A problem raised outside a visit: by the enterprise for itself, or by an officer for one of theirs."""

    enterprise = forms.ModelChoiceField(
        label=_("Enterprise"),
        queryset=Enterprise.objects.none(),
        empty_label=_("Choose an enterprise"),
        widget=_select(),
    )
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices, widget=_select())
    title = forms.CharField(label=_("Problem"), max_length=120, widget=_input())
    description = forms.CharField(label=_("Details"), required=False, widget=_text(4))

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        if effective_role(user) == Role.ENTERPRISE:
            del self.fields["enterprise"]  # always its own
        else:
            self.fields["enterprise"].queryset = officers_enterprises(user)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, widget=_text(2))


class SolutionForm(forms.Form):
    solution = forms.CharField(label=_("How it was handled"), widget=_text(3))


class HandOverForm(forms.Form):
    department = forms.ModelChoiceField(
        label=_("Responsible department"),
        queryset=Department.objects.none(),
        empty_label=_("Choose a department"),
        widget=_select(),
    )
    due_on = forms.DateField(
        label=_("Due on"),
        required=False,
        widget=DateInput(),
        help_text=_("A working day; by default the category's number of working days from today."),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=_text(2))

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.for_user(user)


SCORE_CHOICES = [("", "—"), *((str(n), str(n)) for n in range(5, 0, -1))]


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Your rating"),
        coerce=int,
        choices=Rating.choices,
        widget=forms.RadioSelect(attrs={"class": "btn-check"}),
    )
    comment = forms.CharField(label=_("Comment"), required=False, widget=_text(2))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in SERVICE_TARGETS.items():
            self.fields[f"target_{key}"] = forms.TypedChoiceField(
                label=label, choices=SCORE_CHOICES, coerce=int, required=False, empty_value=None, widget=_select()
            )

    def target_fields(self):
        return [self[f"target_{key}"] for key in SERVICE_TARGETS]

    def target_scores(self) -> dict[str, int]:
        return {
            key: self.cleaned_data[f"target_{key}"]
            for key in SERVICE_TARGETS
            if self.cleaned_data.get(f"target_{key}") is not None
        }


# --- Assignments ---------------------------------------------------------------------------------------------------


class AssignForm(forms.Form):
    officer = OfficerChoiceField(
        label=_("Service officer"), queryset=User.objects.none(), empty_label=_("Choose an officer"), widget=_select()
    )
    started_on = forms.DateField(label=_("Starts on"), widget=DateInput())

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers
        self.fields["started_on"].initial = timezone.localdate()
