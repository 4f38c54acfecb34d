"""The forms of the evaluation pages (M4). They only read and check input: every write goes through
``services.py``, whose ``Refused`` message the view puts on the form.

The scheme form edits a version's definition through the kernel's dataclasses (``schemes.scheme_from_dict`` →
``dataclasses.replace`` → ``schemes.scheme_to_dict``), so it needs to know nothing of the JSON's layout; the JSON
itself is offered as an advanced field, checked by ``scheme_from_dict`` (one error per problem).
"""

from __future__ import annotations

import dataclasses
import json
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hitechzone.common.forms import DateInput
from hitechzone.enterprises.models import Enterprise
from hitechzone.enterprises.uscc import normalise

from .models import Exemption, Scheme, Veto

FIRST_EVALUATION_YEAR = 2000


def _input(**attrs) -> forms.TextInput:
    return forms.TextInput(attrs={"class": "form-control", **attrs})


def _number(**attrs) -> forms.NumberInput:
    return forms.NumberInput(attrs={"class": "form-control", "inputmode": "decimal", **attrs})


def _select(**attrs) -> forms.Select:
    return forms.Select(attrs={"class": "form-select", **attrs})


def year_field(*, ahead: int = 0, label=None, initial=None) -> forms.IntegerField:
    """A year from 2000 to this year (+ ``ahead``); built per form, so that "this year" is today's."""
    return forms.IntegerField(
        label=label or _("Year"),
        min_value=FIRST_EVALUATION_YEAR,
        max_value=timezone.localdate().year + ahead,
        initial=initial,
        widget=_number(inputmode="numeric"),
    )


def default_year() -> int:
    """The year evaluated by default: the last full year."""
    return timezone.localdate().year - 1


# --- Runs ---------------------------------------------------------------------------------------------------------


class RunForm(forms.Form):
    """Start an evaluation of a year (a background job), with the year's default scheme or a named one."""

    scheme = forms.ChoiceField(label=_("Scheme"), required=False, widget=_select())
    note = forms.CharField(label=_("Note"), max_length=200, required=False, widget=_input())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"year": year_field(initial=default_year()), **self.fields}
        self.fields["scheme"].choices = [("", _("The zone's scheme for the year"))] + [
            (s.name, s.title or s.name) for s in Scheme.objects.for_user(user).filter(current__isnull=False)
        ]


class SchemeNewForm(forms.Form):
    """A new scheme (another whole-zone scheme, or one for a brand), starting from an existing scheme's rules."""

    name = forms.SlugField(label=_("Name"), max_length=40, widget=_input(), help_text=_("Letters, digits, - and _."))
    title = forms.CharField(label=_("Scheme title"), max_length=100, widget=_input())
    brand = forms.ModelChoiceField(
        label=_("Brand"),
        queryset=None,
        required=False,
        empty_label=_("Whole zone"),
        widget=_select(),
    )
    start_from = forms.ModelChoiceField(
        label=_("Start from the rules of"), queryset=None, empty_label=None, widget=_select()
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"class": "form-control", "rows": 2})
    )

    def __init__(self, *args, user, **kwargs):
        from hitechzone.zone.models import Brand

        super().__init__(*args, **kwargs)
        self.fields = {**self.fields, "effective_from": year_field(ahead=1, label=_("Used from year"))}
        self.fields["brand"].queryset = Brand.objects.for_user(user).order_by("sort_order", "code")
        self.fields["start_from"].queryset = Scheme.objects.for_user(user).filter(current__isnull=False)

    def clean_name(self):
        name = self.cleaned_data["name"]
        if Scheme.objects.filter(name=name).exists():
            raise ValidationError(_("A scheme with this name exists already."))
        return name


# --- The enterprise picker ------------------------------------------------------------------------------------------


class EnterpriseField(forms.CharField):
    """An enterprise typed as its USCC or (part of) its name; the picker suggests both (a ``<datalist>``)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Enterprise"))
        kwargs.setdefault(
            "widget",
            _input(autocomplete="off", list="enterprise-options", placeholder=_("USCC or name")),
        )
        kwargs.setdefault("help_text", _("Type the unified social credit code, or part of the name and pick it."))
        super().__init__(*args, max_length=128, **kwargs)
        self.queryset = Enterprise.objects.none()

    def clean(self, value):
        text = super().clean(value).strip()
        code = normalise(text)
        if len(code) == 18:
            found = self.queryset.filter(uscc=code).first()
            if found:
                return found
        exact = list(self.queryset.filter(name=text)[:2])
        if len(exact) == 1:
            return exact[0]
        matches = list(self.queryset.search(text)[:6])
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise ValidationError(gettext("No enterprise matches “%(q)s”.") % {"q": text})
        names = "、".join(e.name for e in matches[:5])
        raise ValidationError(
            gettext("Several enterprises match “%(q)s” (%(names)s…): type the USCC or the full name.")
            % {"q": text, "names": names}
        )


class _EnterpriseYearForm(forms.Form):
    enterprise = EnterpriseField()

    def __init__(self, *args, user, year=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = Enterprise.objects.for_user(user)
        enterprise = self.fields.pop("enterprise")
        enterprise.widget.attrs.update(
            {
                "hx-get": reverse("evaluation:enterprise-options"),
                "hx-trigger": "input changed delay:300ms",
                "hx-target": "#enterprise-options",
                "hx-swap": "innerHTML",
            }
        )
        self.fields = {"enterprise": enterprise, "year": year_field(ahead=1, initial=year), **self.fields}


class ExemptionForm(_EnterpriseYearForm):
    reason = forms.ChoiceField(label=_("Reason"), choices=Exemption.Reason.choices, widget=_select())
    details = forms.CharField(label=_("Details"), max_length=200, widget=_input())


class VetoForm(_EnterpriseYearForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=Veto.Kind.choices, widget=_select())
    occurred_on = forms.DateField(label=_("Occurred on"), required=False, widget=DateInput())
    reason = forms.CharField(label=_("Reason"), max_length=200, widget=_input())


# --- Schemes ------------------------------------------------------------------------------------------------------


def weight_field_name(group: str, key: str) -> str:
    return f"weight__{group}__{key}"


class SchemeVersionForm(forms.Form):
    """A new version of a scheme: the weights, the cap, the class shares and the minimum land as a table, or the
    whole definition as JSON (advanced)."""

    note = forms.CharField(label=_("What changed"), max_length=200, widget=_input())
    cap = forms.FloatField(
        label=_("Cap (× weight)"),
        required=False,
        min_value=0,
        widget=_number(step="any"),
        help_text=_("A sub-score is at most weight × cap; leave empty for no cap."),
    )
    share_a = forms.DecimalField(
        label=_("Share in A"), min_value=0, max_value=1, max_digits=5, decimal_places=4, widget=_number(step="0.01")
    )
    share_b = forms.DecimalField(
        label=_("Share in B"), min_value=0, max_value=1, max_digits=5, decimal_places=4, widget=_number(step="0.01")
    )
    share_d = forms.DecimalField(
        label=_("Share in D"), min_value=0, max_value=1, max_digits=5, decimal_places=4, widget=_number(step="0.01")
    )
    min_land_below_scale = forms.FloatField(
        label=_("Minimum land below designated size (mu)"), min_value=0, widget=_number(step="any")
    )
    use_json = forms.BooleanField(
        label=_("Save the JSON definition below as written (the table above is then ignored)"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    definition = forms.CharField(
        label=_("Definition (JSON)"),
        required=False,
        widget=forms.Textarea(attrs={"class": "form-control font-monospace small", "rows": 18, "spellcheck": "false"}),
    )

    def __init__(self, *args, version, **kwargs):
        from .schemes import scheme_to_dict

        self.version = version
        self.base = version.kernel()
        super().__init__(*args, **kwargs)
        self.fields = {
            "effective_from": year_field(
                ahead=5, label=_("Used from year"), initial=max(version.effective_from, default_year())
            ),
            **self.fields,
        }
        self.fields["cap"].initial = self.base.cap
        self.fields["share_a"].initial = self.base.classes.share_a
        self.fields["share_b"].initial = self.base.classes.share_b
        self.fields["share_d"].initial = self.base.classes.share_d
        self.fields["min_land_below_scale"].initial = self.base.scope.min_land_below_scale
        self.fields["definition"].initial = json.dumps(scheme_to_dict(self.base), ensure_ascii=False, indent=2)
        self.weight_rows = []
        for group in self.base.groups:
            for ind in group.indicators:
                name = weight_field_name(group.key, ind.key)
                self.fields[name] = forms.FloatField(
                    label=ind.label, min_value=0, initial=ind.weight, widget=_number(step="any")
                )
                self.weight_rows.append({"group": group, "indicator": ind, "name": name})

    def weight_fields(self):
        """(group, indicator, bound field) of every weight, in the scheme's order (for the table)."""
        return [(row["group"], row["indicator"], self[row["name"]]) for row in self.weight_rows]

    def _from_table(self, data) -> dict:
        from .schemes import scheme_to_dict

        groups = tuple(
            dataclasses.replace(
                group,
                indicators=tuple(
                    dataclasses.replace(ind, weight=data[weight_field_name(group.key, ind.key)])
                    for ind in group.indicators
                ),
            )
            for group in self.base.groups
        )
        scheme = dataclasses.replace(
            self.base,
            groups=groups,
            cap=data.get("cap"),
            scope=dataclasses.replace(self.base.scope, min_land_below_scale=data["min_land_below_scale"]),
            classes=dataclasses.replace(
                self.base.classes,
                share_a=Decimal(data["share_a"]).normalize(),
                share_b=Decimal(data["share_b"]).normalize(),
                share_d=Decimal(data["share_d"]).normalize(),
            ),
        )
        return scheme_to_dict(scheme)

    def clean(self):
        from .schemes import scheme_from_dict

        data = super().clean()
        if data.get("use_json"):
            text = (data.get("definition") or "").strip()
            # The table is ignored: its errors must not block the JSON.
            for row in self.weight_rows:
                self.errors.pop(row["name"], None)
            for name in ("cap", "share_a", "share_b", "share_d", "min_land_below_scale"):
                self.errors.pop(name, None)
            try:
                definition = json.loads(text)
            except ValueError as exc:
                self.add_error("definition", gettext("This is not valid JSON: %(error)s") % {"error": exc})
                return data
            if not isinstance(definition, dict):
                self.add_error("definition", gettext("The definition must be a JSON object."))
                return data
        else:
            if any(name in self.errors for name in self.fields if name not in ("definition", "use_json", "note")):
                return data
            if data["share_a"] + data["share_b"] + data["share_d"] > 1:
                self.add_error(None, gettext("The shares of A, B and D add up to more than 1."))
                return data
            definition = self._from_table(data)
        try:
            scheme_from_dict(definition)
        except ValidationError as error:
            for message in error.messages:
                self.add_error("definition" if data.get("use_json") else None, message)
            return data
        data["definition_dict"] = definition
        return data
