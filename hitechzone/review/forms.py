"""The score form of any kind of review (docs/0013): the kind's criteria as whole numbers 0-100 (phone-friendly
inputs), a comment, a veto with its reason. It reads and checks input; ``services.score_submit`` writes."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import panels


def _points(label):
    return forms.IntegerField(
        label=label,
        min_value=panels.MIN_POINTS,
        max_value=panels.MAX_POINTS,
        widget=forms.NumberInput(
            attrs={"class": "form-control", "min": "0", "max": "100", "step": "1", "inputmode": "numeric"}
        ),
    )


class ScoreForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("Comment"), required=False, widget=forms.Textarea(attrs={"class": "form-control", "rows": 3})
    )
    veto = forms.BooleanField(
        label=gettext_lazy("Veto (一票否决)"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    veto_reason = forms.CharField(
        label=gettext_lazy("Reason for the veto"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )

    def __init__(self, *args, weights: dict, kind: str = panels.PROJECT, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        criteria = {}
        for code, label, chinese in panels.criteria_of(kind):
            field = _points(label)
            field.chinese, field.weight = chinese, weights.get(code)
            criteria[code] = field
        self.fields = {**criteria, **self.fields}

    def criteria_fields(self):
        return [self[code] for code in panels.codes_of(self.kind)]

    def criteria(self) -> dict[str, int]:
        return {code: self.cleaned_data[code] for code in panels.codes_of(self.kind)}

    def clean(self):
        data = super().clean()
        if data.get("veto") and not (data.get("veto_reason") or "").strip():
            self.add_error("veto_reason", _("A veto needs its reason."))
        return data
