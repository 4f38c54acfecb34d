"""The forms of the circular-economy pages (M5). They only read and check input; every write goes through the
services (the optimiser's ``run_optimization``).

An uploaded scenario is checked whole: unreadable JSON is one problem, otherwise ``optimize.validate`` lists every
problem it finds and the form shows them all (nothing is stored).
"""

from __future__ import annotations

import json

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hitechzone.enterprises.models import IndustryChain

MAX_SCENARIO_BYTES = 20 * 1024 * 1024
FIRST_YEAR = 2000


def _number(**attrs) -> forms.NumberInput:
    return forms.NumberInput(attrs={"class": "form-control", "inputmode": "numeric", **attrs})


class ZoneScenarioForm(forms.Form):
    """Optimise the zone's exchanges of a year (and chain), from the flows on record."""

    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, widget=_number())
    chain = forms.ModelChoiceField(
        label=_("Industry chain"),
        queryset=IndustryChain.objects.none(),
        required=False,
        empty_label=_("All chains"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    name = forms.CharField(
        label=_("Name"), max_length=100, required=False, widget=forms.TextInput(attrs={"class": "form-control"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Built per form, so that "next year" is today's.
        self.fields["year"] = forms.IntegerField(
            label=_("Year"), min_value=FIRST_YEAR, max_value=timezone.localdate().year + 1, widget=_number()
        )
        self.fields["chain"].queryset = IndustryChain.objects.all()


class ScenarioUploadForm(forms.Form):
    """Optimise an uploaded scenario (JSON in the issue's form: materials, supplies, demands, arcs)."""

    file = forms.FileField(
        label=_("Scenario (JSON)"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".json,application/json"}),
    )
    name = forms.CharField(
        label=_("Name"), max_length=100, required=False, widget=forms.TextInput(attrs={"class": "form-control"})
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_SCENARIO_BYTES:
            raise ValidationError(gettext("The file is larger than 20 MB."))
        try:
            scenario = json.loads(upload.read().decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise ValidationError(gettext("The file is not UTF-8 text.")) from None
        except json.JSONDecodeError as exc:
            raise ValidationError(
                gettext("The file is not valid JSON: %(error)s (line %(line)d, column %(column)d).")
                % {"error": exc.msg, "line": exc.lineno, "column": exc.colno}
            ) from None
        from . import optimize

        problems = optimize.validate(scenario)
        if problems:
            raise ValidationError([str(p) for p in problems])
        self.scenario = scenario
        return upload
