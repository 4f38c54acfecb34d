"""The M6 page forms: they read and check input; the views hand the cleaned data to ``services``."""

from __future__ import annotations

from django import forms
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hitechzone.enterprises.models import FIRST_YEAR, LAST_YEAR

from .models import Degree, Incubator, Level, Partner, Platform

LEVELS = [("", "—"), *Level.choices]
DEGREES = [("", "—"), *Degree.choices]


def _text(**attrs):
    return forms.TextInput(attrs={"class": "form-control", **attrs})


def _number(step: str = "0.01"):
    return forms.NumberInput(attrs={"class": "form-control", "step": step, "min": "0", "inputmode": "decimal"})


def _date():
    return forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")


def _select():
    return forms.Select(attrs={"class": "form-select"})


def _check():
    return forms.CheckboxInput(attrs={"class": "form-check-input"})


def _money(label, **kwargs):
    return forms.DecimalField(label=label, min_value=0, decimal_places=2, max_digits=14, widget=_number(), **kwargs)


def _enterprise_choice(queryset, *, required: bool, label):
    return forms.ModelChoiceField(queryset=queryset, required=required, label=label, widget=_select())


class PlatformForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=128, widget=_text())
    kind = forms.ChoiceField(label=gettext_lazy("Type"), choices=Platform.Kind.choices, widget=_select())
    level = forms.ChoiceField(label=gettext_lazy("Level"), choices=Level.choices, widget=_select())
    host = forms.CharField(label=gettext_lazy("Host organisation"), max_length=128, required=False, widget=_text())
    address = forms.CharField(label=gettext_lazy("Address"), max_length=200, required=False, widget=_text())
    founded_on = forms.DateField(label=gettext_lazy("Founded on"), required=False, widget=_date())
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=Platform.Status.choices, widget=_select())


class IncubatorForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=128, widget=_text())
    city = forms.CharField(label=gettext_lazy("City"), max_length=32, widget=_text())
    location = forms.CharField(label=gettext_lazy("Location"), max_length=128, widget=_text())
    floor_area_m2 = _money(gettext_lazy("Floor area (m²)"))
    investment_wan_yuan = _money(gettext_lazy("Investment (10k yuan)"))
    opened_on = forms.DateField(label=gettext_lazy("Opened on"), required=False, widget=_date())
    teams_incubated = forms.IntegerField(label=gettext_lazy("Teams incubated there"), min_value=0, widget=_number("1"))


class IncubatorLinkForm(forms.Form):
    enterprise = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Enterprise"), widget=_select())
    moved_on = forms.DateField(label=gettext_lazy("Moved into the zone on"), required=False, widget=_date())
    note = forms.CharField(label=gettext_lazy("Note"), max_length=200, required=False, widget=_text())

    def __init__(self, *args, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises


class PartnerForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=128, widget=_text())
    kind = forms.ChoiceField(label=gettext_lazy("Type"), choices=Partner.Kind.choices, widget=_select())
    city = forms.CharField(label=gettext_lazy("City"), max_length=32, required=False, widget=_text())
    agreement_signed_on = forms.DateField(label=gettext_lazy("Agreement signed on"), widget=_date())
    agreement_ends_on = forms.DateField(label=gettext_lazy("Agreement ends on"), required=False, widget=_date())
    scope = forms.CharField(
        label=gettext_lazy("Scope of the agreement"), max_length=200, required=False, widget=_text()
    )


class TalentForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=64, widget=_text())
    programme = forms.CharField(label=gettext_lazy("Programme"), max_length=64, required=False, widget=_text())
    level = forms.ChoiceField(label=gettext_lazy("Programme level"), choices=LEVELS, required=False, widget=_select())
    academician = forms.BooleanField(label=gettext_lazy("Academician"), required=False, widget=_check())
    degree = forms.ChoiceField(label=gettext_lazy("Degree"), choices=DEGREES, required=False, widget=_select())
    field = forms.CharField(label=gettext_lazy("Field"), max_length=64, required=False, widget=_text())
    enterprise = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Employer"), required=False, widget=_select())
    team = forms.CharField(label=gettext_lazy("Team"), max_length=128, required=False, widget=_text())
    id_number = forms.CharField(
        label=gettext_lazy("ID number"),
        max_length=32,
        required=False,
        widget=_text(autocomplete="off"),
        help_text=gettext_lazy("Optional; shown masked afterwards."),
    )
    phone = forms.CharField(label=gettext_lazy("Phone"), max_length=32, required=False, widget=_text(inputmode="tel"))

    def __init__(self, *args, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises


class FundForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=128, widget=_text())
    year = forms.IntegerField(
        label=gettext_lazy("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR, widget=_number("1")
    )
    budget_wan_yuan = _money(gettext_lazy("Budget (10k yuan)"))


class GrantForm(forms.Form):
    fund = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Fund"), widget=_select())
    recipient_enterprise = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Recipient"), widget=_select())
    amount_wan_yuan = forms.DecimalField(
        label=gettext_lazy("Amount (10k yuan)"), min_value=0.01, decimal_places=2, max_digits=14, widget=_number()
    )
    purpose = forms.CharField(label=gettext_lazy("Purpose"), max_length=200, widget=_text())
    call = forms.ModelChoiceField(
        queryset=None, label=gettext_lazy("Call"), required=False, widget=_select(),
        help_text=gettext_lazy("The fund's call applied under, if any"),
    )  # fmt: skip

    def __init__(self, *args, funds, enterprises, calls, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fund"].queryset = funds
        self.fields["recipient_enterprise"].queryset = enterprises
        self.fields["call"].queryset = calls


class InstalmentForm(forms.Form):
    milestone = forms.CharField(label=gettext_lazy("Milestone"), max_length=200, widget=_text())
    amount_wan_yuan = forms.DecimalField(
        label=gettext_lazy("Amount (10k yuan)"), min_value=0.01, decimal_places=2, max_digits=14, widget=_number()
    )
    paid_on = forms.DateField(label=gettext_lazy("Paid on"), widget=_date())


class TeamApplicationForm(forms.Form):
    team_name = forms.CharField(label=gettext_lazy("Team"), max_length=128, widget=_text())
    leader_name = forms.CharField(label=gettext_lazy("Team leader"), max_length=64, widget=_text())
    members = forms.CharField(
        label=gettext_lazy("Members"),
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 4}),
        help_text=gettext_lazy("One a line: name, degree (PhD, Master's, Bachelor's, Other), programme title."),
    )
    project = forms.CharField(label=gettext_lazy("Project"), max_length=200, widget=_text())
    field = forms.CharField(label=gettext_lazy("Field"), max_length=64, required=False, widget=_text())
    registered_capital_wan_yuan = _money(gettext_lazy("Proposed registered capital (10k yuan)"))
    planned_investment_wan_yuan = _money(gettext_lazy("Planned total investment (10k yuan)"))
    needs_space = forms.BooleanField(label=gettext_lazy("Asks for space"), required=False, widget=_check())
    needs_funds = forms.BooleanField(label=gettext_lazy("Asks for funds"), required=False, widget=_check())
    needs_housing = forms.BooleanField(label=gettext_lazy("Asks for housing"), required=False, widget=_check())
    support_note = forms.CharField(label=gettext_lazy("Support asked"), max_length=200, required=False, widget=_text())

    def clean_members(self):
        degrees = {v: v for v in Degree.values}
        for language in ("en", "zh-hans"):  # a degree is read in either language, whichever the page is in
            with translation.override(language):
                degrees |= {str(label).lower(): value for value, label in Degree.choices}
        out = []
        for number, line in enumerate(self.cleaned_data["members"].splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            parts = [p.strip() for p in line.replace("，", ",").split(",")]
            name = parts[0]
            degree = parts[1] if len(parts) > 1 else ""
            programme = parts[2] if len(parts) > 2 else ""
            if degree and degree.lower() not in degrees:
                raise forms.ValidationError(
                    _("Line %(n)s: “%(d)s” is not a degree (PhD, Master's, Bachelor's, Other).")
                    % {"n": number, "d": degree}
                )
            out.append({"name": name, "degree": degrees.get(degree.lower(), ""), "programme": programme})
        if not out:
            raise forms.ValidationError(_("Name the team's members, one a line."))
        return out


class StepForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Note"), required=False, widget=forms.Textarea(attrs={"class": "form-control", "rows": 2})
    )
    enterprise = forms.ModelChoiceField(queryset=None, required=False, label=gettext_lazy("Enterprise"))

    def __init__(self, *args, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises


FORMS = {"platform": PlatformForm, "incubator": IncubatorForm, "partner": PartnerForm}
MODELS = {"platform": Platform, "incubator": Incubator, "partner": Partner}
