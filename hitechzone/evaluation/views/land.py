"""Land exit pages (腾笼换鸟): the candidates, the exit cases with their totals and charts, one case with its
timeline and actions, opening a case, and the yearly reward policy.

Reads are scoped like the cases (``land.cases`` / ``land.inefficient``): admin and leaders everything, an officer
the enterprises they serve, an enterprise its own; department staff and experts get a 404. Writes go through
``land``: a ``Refused`` is shown as a message and nothing is written; writes answer with a redirect.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from hitechzone.common.models import AuditEvent
from hitechzone.common.params import year_from_query
from hitechzone.common.rules import Refused
from hitechzone.common.views import deny_unless as _deny_unless
from hitechzone.common.views import int_param as _int_param
from hitechzone.common.views import paginate
from hitechzone.enterprises.models import Enterprise
from hitechzone.evaluation import land
from hitechzone.evaluation.models import ExitCase, ExitPolicy, RewardBasis
from hitechzone.evaluation.roles import EDITORS, POLICY_ROLES
from hitechzone.zone.models import Parcel

from .menu import render_page

S = ExitCase.Status


def _parcels_by_code(user, text: str) -> list[Parcel]:
    """Parcels named by their codes, separated by commas, semicolons or spaces; an unknown code is refused."""
    codes = list(dict.fromkeys(c for c in re.split(r"[\s,，;；]+", text or "") if c))
    found = {p.code: p for p in Parcel.objects.for_user(user).filter(code__in=codes)}
    missing = [c for c in codes if c not in found]
    if missing:
        raise Refused(_("No parcel has the code %(codes)s.") % {"codes": ", ".join(missing)})
    return [found[c] for c in codes]


def _enterprise_by_uscc_or_name(user, text: str) -> Enterprise | None:
    text = (text or "").strip()
    if not text:
        return None
    found = list(Enterprise.objects.for_user(user).filter(Q(uscc=text.upper()) | Q(name=text))[:2])
    if len(found) != 1:
        raise Refused(_("No single enterprise has the code or name %(text)s.") % {"text": text})
    return found[0]


# --- Forms ------------------------------------------------------------------------------------------------------


def _date_input():
    return forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")


def _number_input(step: str = "0.01"):
    return forms.NumberInput(attrs={"class": "form-control", "step": step, "min": "0", "inputmode": "decimal"})


class ParcelChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} · {obj.get_land_use_display()} · {obj.area_mu.normalize():f} {_('mu')}"


class CaseOpenForm(forms.Form):
    mode = forms.ChoiceField(
        label=gettext_lazy("Mode"),
        choices=ExitCase.Mode.choices,
        initial=ExitCase.Mode.AGREED_EXIT,
        widget=forms.RadioSelect,
    )
    trigger = forms.ChoiceField(
        label=gettext_lazy("Why"),
        choices=ExitCase.Trigger.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    parcels = ParcelChoices(
        label=gettext_lazy("Parcels given up"), queryset=Parcel.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    swap_parcels = forms.CharField(
        label=gettext_lazy("Parcels received in the swap (codes)"),
        required=False,
        help_text=gettext_lazy("Only for a negotiated swap: parcel codes separated by commas; may be added later."),
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    identified_on = forms.DateField(label=gettext_lazy("Identified on"), widget=_date_input())
    compensation_wan_yuan = forms.DecimalField(
        label=gettext_lazy("Assessed compensation (10k yuan)"), required=False, min_value=0, widget=_number_input()
    )
    reward_basis = forms.ChoiceField(
        label=gettext_lazy("Reward basis"),
        required=False,
        choices=[("", gettext_lazy("The year's policy")), *RewardBasis.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    reward_rate = forms.DecimalField(
        label=gettext_lazy("Reward rate"),
        required=False,
        min_value=0,
        help_text=gettext_lazy("10k yuan per mu, or a share of the compensation (0.10 = 10 %). Blank: the policy's."),
        widget=_number_input("0.0001"),
    )
    notes = forms.CharField(
        label=gettext_lazy("Notes on the case"),
        required=False,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )

    def __init__(self, *args, enterprise: Enterprise, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parcels"].queryset = Parcel.objects.filter(enterprise=enterprise).order_by("code")


class AdvanceForm(forms.Form):
    to = forms.ChoiceField(choices=S.choices, widget=forms.HiddenInput)
    on = forms.DateField(label=gettext_lazy("Date"), widget=_date_input())
    compensation_wan_yuan = forms.DecimalField(
        label=gettext_lazy("Assessed compensation (10k yuan)"), required=False, min_value=0, widget=_number_input()
    )
    reuse = forms.CharField(
        label=gettext_lazy("What is placed on the land"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    successor = forms.CharField(
        label=gettext_lazy("New user of the land (USCC or name)"),
        required=False,
        help_text=gettext_lazy("Optional: the enterprise that then uses the freed parcels."),
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    note = forms.CharField(
        label=gettext_lazy("Note"), required=False, widget=forms.TextInput(attrs={"class": "form-control"})
    )


class UpdateForm(forms.Form):
    compensation_wan_yuan = forms.DecimalField(
        label=gettext_lazy("Assessed compensation (10k yuan)"), required=False, min_value=0, widget=_number_input()
    )
    reward_basis = forms.ChoiceField(
        label=gettext_lazy("Reward basis"),
        required=False,
        choices=RewardBasis.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    reward_rate = forms.DecimalField(
        label=gettext_lazy("Reward rate"), required=False, min_value=0, widget=_number_input("0.0001")
    )
    swap_parcels = forms.CharField(
        label=gettext_lazy("Parcels received in the swap (codes)"),
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    notes = forms.CharField(
        label=gettext_lazy("Notes on the case"),
        required=False,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"), max_length=500, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    on = forms.DateField(label=gettext_lazy("Date"), widget=_date_input())


class PolicyForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100, widget=_number_input("1"))
    reward_basis = forms.ChoiceField(
        label=gettext_lazy("Reward basis"),
        choices=RewardBasis.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    reward_rate = forms.DecimalField(
        label=gettext_lazy("Reward rate"),
        min_value=0,
        help_text=gettext_lazy("10k yuan per mu, or a share of the compensation (0.10 = 10 %)."),
        widget=_number_input("0.0001"),
    )


def _form_errors(form) -> str:
    """A form's errors in one line, each after its field's label."""
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        parts.append(f"{label}: {' '.join(errors)}" if label else " ".join(errors))
    return " ".join(parts)


# --- The candidates ---------------------------------------------------------------------------------------------


@login_required
def inefficient_list(request):
    user = request.user
    _deny_unless(user, land.READERS)
    year = land.candidates_year(year_from_query(request, None))
    rows = land.inefficient(user=user, year=year)
    reason = request.GET.get("reason", "")
    if reason in land.Reason.labels():
        rows = [r for r in rows if reason in r.reasons]
    return render_page(
        request,
        "evaluation/land_inefficient.html",
        {
            "rows": rows,
            "year": year,
            "years": sorted({year, *range(timezone.localdate().year, timezone.localdate().year - 5, -1)}, reverse=True),
            "reasons": land.Reason.labels().items(),
            "reason": reason,
            "total_mu": sum((r.total_mu for r in rows), Decimal(0)),
            "can_open": land.can_manage(user),
        },
    )


# --- The cases --------------------------------------------------------------------------------------------------


def _filtered_cases(request):
    cases = land.cases(request.user)
    year = year_from_query(request, None)
    if year:
        cases = cases.filter(identified_on__year=year)
    status = request.GET.get("status", "")
    if status in S.values:
        cases = cases.filter(status=status)
    mode = request.GET.get("mode", "")
    if mode in ExitCase.Mode.values:
        cases = cases.filter(mode=mode)
    q = request.GET.get("q", "").strip()
    if q:
        cases = cases.filter(Q(code__icontains=q) | Q(enterprise__name__icontains=q))
    return cases, year


def _charts(totals: dict) -> dict:
    labels = dict(S.choices)
    freed = [round(float(r["land_freed_mu"]), 2) for r in totals["freed_by_year"]]
    return {
        "freed_chart": {
            "type": "bar",
            "unit": _("mu"),
            "categories": [str(r["year"]) for r in totals["freed_by_year"]],
            "series": [{"name": _("Land freed"), "data": freed}],
        },
        "status_chart": {
            "type": "bar",
            "unit": _("cases"),
            "integer": True,
            "categories": [str(labels[r["status"]]) for r in totals["by_status"]],
            "series": [{"name": _("Cases"), "data": [r["cases"] for r in totals["by_status"]]}],
            "links": [f"{reverse('evaluation:exits')}?status={r['status']}" for r in totals["by_status"]],
        },
    }


@login_required
def case_list(request):
    user = request.user
    _deny_unless(user, land.READERS)
    cases, year = _filtered_cases(request)
    totals = land.totals(user=user, cases_qs=cases)
    page, query = paginate(request, cases.select_related("enterprise").order_by("-identified_on", "-id"))
    today = timezone.localdate()
    return render_page(
        request,
        "evaluation/exits.html",
        {
            "page": page,
            "query": query,
            "totals": totals,
            "year": year,
            "years": list(range(today.year, today.year - 8, -1)),
            "statuses": S.choices,
            "modes": ExitCase.Mode.choices,
            "can_open": land.can_manage(user),
            **_charts(totals),
        },
    )


def _scoped_case(user, pk: int) -> ExitCase:
    return get_object_or_404(
        land.cases(user).select_related("enterprise", "successor", "evaluation_result__run", "created_by"), pk=pk
    )


def timeline(case: ExitCase) -> list[dict]:
    """The steps of the case: each status of the flow (and a cancellation) with its date and who recorded it (from
    the audit trail; a step without a date field of its own shows the day it was recorded); the steps still to
    come last, without a date."""
    recorded: dict[str, tuple[str, object]] = {}
    events = AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(ExitCase), object_id=str(case.pk)
    ).order_by("at", "pk")
    for event in events.only("action", "changes", "username", "at"):
        status = (event.changes or {}).get("status")
        after = status[1] if isinstance(status, list) and len(status) > 1 else None
        if event.action == AuditEvent.Action.CREATE:
            after = after or S.IDENTIFIED
        if after and after not in recorded:
            recorded[after] = (event.username, timezone.localdate(event.at))
    labels = dict(S.choices)
    reached = land.FLOW.index(case.status) if case.status in land.FLOW else None

    def step(status, done: bool) -> dict:
        field = land.STEP_DATE.get(status)
        by, at = recorded.get(status, ("", None))
        on = getattr(case, field) if field else None
        return {
            "status": status,
            "label": labels[status],
            "done": done,
            "current": status == case.status,
            "on": on if done else None,
            # A step without a date field of its own (negotiations): the day it was recorded.
            "recorded_on": at if done and on is None else None,
            "by": by if done else "",
        }

    if reached is not None:
        return [step(status, i <= reached) for i, status in enumerate(land.FLOW)]
    # Cancelled: the steps it went through, then the cancellation.
    return [*(step(s, True) for s in land.FLOW if s in recorded), step(S.CANCELLED, True)]


@login_required
def case_detail(request, pk: int):
    user = request.user
    _deny_unless(user, land.READERS)
    case = _scoped_case(user, pk)
    can_manage = land.can_manage(user)
    following = land.next_status(case)
    today = timezone.localdate()
    context = {
        "case": case,
        "parcels": list(case.parcels.order_by("code")),
        "swap_parcels": list(case.swap_parcels.order_by("code")),
        "steps": timeline(case),
        "can_manage": can_manage,
        "next_status": following,
        "next_label": dict(S.choices).get(following, ""),
    }
    if can_manage and following:
        context["advance_form"] = AdvanceForm(
            initial={"to": following, "on": today, "compensation_wan_yuan": case.compensation_wan_yuan}
        )
    if can_manage and case.status not in (S.CLOSED, S.CANCELLED):
        context["update_form"] = UpdateForm(
            initial={
                "compensation_wan_yuan": case.compensation_wan_yuan,
                "reward_basis": case.reward_basis,
                "reward_rate": case.reward_rate,
                "swap_parcels": ", ".join(p.code for p in context["swap_parcels"]),
                "notes": case.notes,
            }
        )
        context["can_change_swap"] = case.mode == ExitCase.Mode.NEGOTIATED_SWAP and case.status in land.CANCELLABLE
    if can_manage and case.status in land.CANCELLABLE:
        context["cancel_form"] = CancelForm(initial={"on": today})
    return render_page(request, "evaluation/exit_detail.html", context)


def _pick_enterprise(request, user) -> Enterprise | None:
    pk = _int_param(request, "enterprise") if request.method == "GET" else None
    if pk is None and request.method == "POST":
        value = request.POST.get("enterprise", "")
        pk = int(value) if value.isdecimal() and len(value) < 10 else None
    if pk is None:
        return None
    return get_object_or_404(Enterprise.objects.for_user(user), pk=pk)


@login_required
def case_new(request):
    user = request.user
    _deny_unless(user, land.MANAGERS)
    enterprise = _pick_enterprise(request, user)
    if enterprise is None:
        q = request.GET.get("q", "").strip()
        found = Enterprise.objects.for_user(user).search(q).only("pk", "name", "uscc")[:20] if len(q) >= 2 else []
        return render_page(
            request,
            "evaluation/exit_form.html",
            {"enterprise": None, "found": found, "q": q, "inefficient_url": reverse("evaluation:inefficient")},
        )
    today = timezone.localdate()
    year = year_from_query(request, None)
    candidate = next((r for r in land.inefficient(user=user, year=year) if r.enterprise.pk == enterprise.pk), None)
    initial = {
        "identified_on": today,
        "trigger": candidate.trigger if candidate else ExitCase.Trigger.VOLUNTARY,
        "parcels": [p.pk for p in candidate.parcels]
        if candidate
        else [p.pk for p in Parcel.objects.filter(enterprise=enterprise, land_use=Parcel.LandUse.INDUSTRIAL)],
    }
    form = CaseOpenForm(request.POST or None, enterprise=enterprise, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            swap = _parcels_by_code(user, data["swap_parcels"])
            case = land.case_open(
                by=user,
                enterprise=enterprise,
                mode=data["mode"],
                trigger=data["trigger"],
                parcels=list(data["parcels"]),
                identified_on=data["identified_on"],
                compensation_wan_yuan=data["compensation_wan_yuan"],
                reward_basis=data["reward_basis"] or None,
                reward_rate=data["reward_rate"],
                swap_parcels=swap,
                notes=data["notes"],
            )
        except Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Exit case %(code)s opened.") % {"code": case.code})
            return redirect("evaluation:exit", pk=case.pk)
    policy = ExitPolicy.objects.filter(year=today.year).first()
    return render_page(
        request,
        "evaluation/exit_form.html",
        {"enterprise": enterprise, "form": form, "candidate": candidate, "policy": policy},
    )


def _act(request, pk: int, action):
    """The shape of every action on a case: a manager, the case in scope, the form, the service, a message."""
    user = request.user
    _deny_unless(user, land.MANAGERS)
    case = _scoped_case(user, pk)
    try:
        text = action(user, case)
    except Refused as refusal:
        messages.error(request, str(refusal))
    else:
        if text:
            messages.success(request, text)
    return redirect("evaluation:exit", pk=case.pk)


@require_POST
@login_required
def case_advance(request, pk: int):
    def action(user, case):
        form = AdvanceForm(request.POST)
        if not form.is_valid():
            raise Refused(_form_errors(form))
        data = form.cleaned_data
        fields = {}
        if data["to"] == S.AGREED and data["compensation_wan_yuan"] is not None:
            fields["compensation_wan_yuan"] = data["compensation_wan_yuan"]
        if data["to"] == S.REUSED:
            fields["reuse"] = data["reuse"]
            successor = _enterprise_by_uscc_or_name(user, data["successor"])
            if successor is not None:
                fields["successor"] = successor
        case = land.case_advance(by=user, case=case, to=data["to"], on=data["on"], note=data["note"], **fields)
        return _("%(code)s: %(status)s.") % {"code": case.code, "status": case.get_status_display()}

    return _act(request, pk, action)


@require_POST
@login_required
def case_update(request, pk: int):
    def action(user, case):
        form = UpdateForm(request.POST)
        if not form.is_valid():
            raise Refused(_form_errors(form))
        data = form.cleaned_data
        # Only what the form sent: a field left out is left as it is (a blank one is cleared).
        names = ("compensation_wan_yuan", "reward_basis", "reward_rate", "notes")
        fields = {name: data[name] for name in names if name in request.POST}
        if "swap_parcels" in request.POST and case.mode == ExitCase.Mode.NEGOTIATED_SWAP:
            swap = _parcels_by_code(user, data["swap_parcels"])
            if {p.pk for p in swap} != set(case.swap_parcels.values_list("pk", flat=True)):
                fields["swap_parcels"] = swap
        land.case_update(by=user, case=case, **fields)
        return _("%(code)s saved.") % {"code": case.code}

    return _act(request, pk, action)


@require_POST
@login_required
def case_cancel(request, pk: int):
    def action(user, case):
        form = CancelForm(request.POST)
        if not form.is_valid():
            raise Refused(_form_errors(form))
        land.case_cancel(by=user, case=case, reason=form.cleaned_data["reason"], on=form.cleaned_data["on"])
        return _("%(code)s cancelled.") % {"code": case.code}

    return _act(request, pk, action)


# --- The reward policy ------------------------------------------------------------------------------------------


@login_required
def policy_list(request):
    user = request.user
    _deny_unless(user, POLICY_ROLES)
    can_edit = land.can_set_policy(user)
    form = PolicyForm(request.POST or None, initial={"year": timezone.localdate().year, "reward_basis": "per_mu"})
    if request.method == "POST":
        _deny_unless(user, EDITORS)
        if form.is_valid():
            try:
                policy = land.policy_set(by=user, **form.cleaned_data)
            except Refused as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(request, _("The reward policy of %(year)d is saved.") % {"year": policy.year})
                return redirect("evaluation:exit-policies")
    return render_page(
        request,
        "evaluation/exit_policies.html",
        {"policies": ExitPolicy.objects.for_user(user), "form": form if can_edit else None, "can_edit": can_edit},
    )


@require_POST
@login_required
def policy_delete(request, pk: int):
    user = request.user
    _deny_unless(user, EDITORS)
    policy = get_object_or_404(ExitPolicy.objects.for_user(user), pk=pk)
    try:
        land.policy_delete(by=user, policy=policy)
    except Refused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("The reward policy of %(year)d is removed.") % {"year": policy.year})
    return redirect("evaluation:exit-policies")


urlpatterns = [
    path("inefficient/", inefficient_list, name="inefficient"),
    path("exits/", case_list, name="exits"),
    path("exits/new/", case_new, name="exit-new"),
    path("exits/<int:pk>/", case_detail, name="exit"),
    path("exits/<int:pk>/advance/", case_advance, name="exit-advance"),
    path("exits/<int:pk>/update/", case_update, name="exit-update"),
    path("exits/<int:pk>/cancel/", case_cancel, name="exit-cancel"),
    path("exit-policies/", policy_list, name="exit-policies"),
    path("exit-policies/<int:pk>/delete/", policy_delete, name="exit-policy-delete"),
]
