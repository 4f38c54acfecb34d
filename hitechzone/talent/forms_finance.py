"""The page forms of technology finance, partnerships and fund calls (they read and check input; the views hand
the cleaned data to the services)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from .forms import _date, _number, _select, _text
from .models import FinanceDeal


class FinanceDealForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=FinanceDeal.Kind.choices, widget=_select())
    enterprise = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Enterprise"), widget=_select())
    counterparty = forms.CharField(label=gettext_lazy("Lender, guarantor or investor"), max_length=128, widget=_text())
    amount_wan_yuan = forms.DecimalField(
        label=gettext_lazy("Amount (10k yuan)"), min_value=0.01, decimal_places=2, max_digits=14, widget=_number()
    )
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=FinanceDeal.Status.choices, widget=_select())
    signed_on = forms.DateField(label=gettext_lazy("Signed on"), required=False, widget=_date())
    starts_on = forms.DateField(label=gettext_lazy("Starts on"), required=False, widget=_date())
    ends_on = forms.DateField(label=gettext_lazy("Matures or exits on"), required=False, widget=_date())
    note = forms.CharField(label=gettext_lazy("Note"), max_length=200, required=False, widget=_text())

    def __init__(self, *args, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises
