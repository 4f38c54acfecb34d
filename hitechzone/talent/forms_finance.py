"""The page forms of technology finance, partnerships and fund calls (they read and check input; the views hand
the cleaned data to the services)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from .forms import _date, _number, _select, _text
from .models import Cooperation, FinanceDeal, FundCall, PartnerAgreement


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


class AgreementForm(forms.Form):
    partner = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Partner institution"), widget=_select())
    title = forms.CharField(label=gettext_lazy("Title"), max_length=128, widget=_text())
    signed_on = forms.DateField(label=gettext_lazy("Signed on"), widget=_date())
    valid_from = forms.DateField(label=gettext_lazy("In force from"), required=False, widget=_date())
    valid_until = forms.DateField(label=gettext_lazy("In force until"), required=False, widget=_date())
    scope = forms.CharField(label=gettext_lazy("Scope of cooperation"), max_length=200, required=False, widget=_text())
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=PartnerAgreement.Status.choices, widget=_select())

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners


class CooperationForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=Cooperation.Kind.choices, widget=_select())
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200, widget=_text())
    partner = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Partner institution"), widget=_select())
    enterprise = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Enterprise"), widget=_select())
    contract_value_wan_yuan = forms.DecimalField(
        label=gettext_lazy("Contract value (10k yuan)"), min_value=0, decimal_places=2, max_digits=14, widget=_number()
    )
    signed_on = forms.DateField(label=gettext_lazy("Signed on"), widget=_date())
    platform = forms.ModelChoiceField(
        queryset=None, label=gettext_lazy("Technology-transfer centre"), required=False, widget=_select()
    )
    note = forms.CharField(label=gettext_lazy("Note"), max_length=200, required=False, widget=_text())

    def __init__(self, *args, partners, enterprises, platforms, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners
        self.fields["enterprise"].queryset = enterprises
        self.fields["platform"].queryset = platforms


class FundCallForm(forms.Form):
    fund = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Fund"), widget=_select())
    title = forms.CharField(label=gettext_lazy("Title"), max_length=128, widget=_text())
    opens_on = forms.DateField(label=gettext_lazy("Opens on"), widget=_date())
    closes_on = forms.DateField(label=gettext_lazy("Closes on"), widget=_date())
    offered_wan_yuan = forms.DecimalField(
        label=gettext_lazy("Amount offered (10k yuan)"), min_value=0, decimal_places=2, max_digits=14, widget=_number()
    )
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=FundCall.Status.choices, widget=_select())

    def __init__(self, *args, funds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fund"].queryset = funds
