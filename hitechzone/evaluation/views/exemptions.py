"""Exemptions and vetoes (and the enterprise picker their forms use)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from hitechzone.common.params import year_from_query
from hitechzone.common.rules import Refused
from hitechzone.common.views import deny_unless as _deny_unless
from hitechzone.enterprises.models import Enterprise
from hitechzone.evaluation import services
from hitechzone.evaluation.forms import ExemptionForm, VetoForm, default_year
from hitechzone.evaluation.models import Exemption, Veto
from hitechzone.evaluation.roles import ADMIN, ZONE_ROLES
from hitechzone.evaluation.roles import role as _role

from .menu import render_page

# --- Exemptions and vetoes ------------------------------------------------------------------------------------------


class _Register:
    """Exemptions and vetoes share their pages: a year's list, an add form (admin), remove after a confirmation."""

    def __init__(self, model, form_class, url_name: str, *, title, add, remove, done_add, done_remove):
        self.model, self.form_class, self.url_name = model, form_class, url_name
        self.title, self.add, self.remove, self.done_add, self.done_remove = title, add, remove, done_add, done_remove

    def rows(self, user, year: int):
        return self.model.objects.for_user(user).filter(year=year).select_related("enterprise", "created_by")

    def set(self, user, data):
        if self.model is Exemption:
            return services.exemption_set(
                by=user,
                enterprise=data["enterprise"],
                year=data["year"],
                reason=data["reason"],
                details=data["details"],
            )
        return services.veto_set(
            by=user,
            enterprise=data["enterprise"],
            year=data["year"],
            kind=data["kind"],
            reason=data["reason"],
            occurred_on=data.get("occurred_on"),
        )

    def delete(self, user, obj):
        if self.model is Exemption:
            return services.exemption_remove(by=user, exemption=obj)
        return services.veto_remove(by=user, veto=obj)


EXEMPTIONS = _Register(
    Exemption,
    ExemptionForm,
    "evaluation:exemptions",
    title=gettext_lazy("Exemptions (免评)"),
    add=gettext_lazy("Exempt an enterprise"),
    remove=gettext_lazy("Remove the exemption"),
    done_add=gettext_lazy("%(enterprise)s is exempted from the evaluation of %(year)d."),
    done_remove=gettext_lazy("The exemption of %(enterprise)s for %(year)d is removed."),
)
VETOES = _Register(
    Veto,
    VetoForm,
    "evaluation:vetoes",
    title=gettext_lazy("Vetoes (一票否决)"),
    add=gettext_lazy("Enter a veto"),
    remove=gettext_lazy("Remove the veto"),
    done_add=gettext_lazy("The veto of %(enterprise)s for %(year)d is entered: it is class D in that year's runs."),
    done_remove=gettext_lazy("The veto of %(enterprise)s for %(year)d is removed."),
)


def _register_page(request, register: _Register):
    user = request.user
    _deny_unless(user, ZONE_ROLES)
    year = year_from_query(request, default_year())
    is_admin = _role(user) == ADMIN
    form = None
    if is_admin:
        form = register.form_class(request.POST or None, user=user, year=year)
        if request.method == "POST" and form.is_valid():
            try:
                obj = register.set(user, form.cleaned_data)
            except Refused as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(request, register.done_add % {"enterprise": obj.enterprise.name, "year": obj.year})
                return redirect(f"{reverse(register.url_name)}?year={obj.year}")
    elif request.method == "POST":
        raise Http404
    rows = list(register.rows(user, year))
    this_year = timezone.localdate().year
    return render_page(
        request,
        "evaluation/register.html",
        {
            "register": register,
            "kind": "exemption" if register.model is Exemption else "veto",
            "rows": rows,
            "year": year,
            "years": list(range(this_year + 1, this_year - 7, -1)),
            "form": form,
        },
    )


def _register_remove(request, register: _Register, pk: int):
    user = request.user
    _deny_unless(user, {ADMIN})
    obj = get_object_or_404(register.model.objects.for_user(user).select_related("enterprise"), pk=pk)
    back = f"{reverse(register.url_name)}?year={obj.year}"
    if request.method == "POST":
        name, year = obj.enterprise.name, obj.year
        try:
            register.delete(user, obj)
        except Refused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, register.done_remove % {"enterprise": name, "year": year})
        return redirect(back)
    return render_page(
        request,
        "evaluation/register_remove.html",
        {
            "register": register,
            "obj": obj,
            "back": back,
            "kind": "exemption" if register.model is Exemption else "veto",
        },
    )


@login_required
def exemption_list(request):
    return _register_page(request, EXEMPTIONS)


@login_required
def exemption_remove(request, pk: int):
    return _register_remove(request, EXEMPTIONS, pk)


@login_required
def veto_list(request):
    return _register_page(request, VETOES)


@login_required
def veto_remove(request, pk: int):
    return _register_remove(request, VETOES, pk)


@login_required
def enterprise_options(request):
    """The picker's suggestions (``<option>``s of a ``<datalist>``): USCC as the value, the name as the label."""
    user = request.user
    _deny_unless(user, {ADMIN})
    q = request.GET.get("enterprise", "") or request.GET.get("q", "")
    found = Enterprise.objects.for_user(user).search(q).only("uscc", "name")[:20] if len(q.strip()) >= 2 else []
    return render(request, "evaluation/_enterprise_options.html", {"enterprises": found})
