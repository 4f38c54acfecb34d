"""The evaluation schemes and their versions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hitechzone.common.rules import Refused
from hitechzone.common.views import deny_unless as _deny_unless
from hitechzone.enterprises.models import EnterpriseIndicator
from hitechzone.evaluation import kernel, services
from hitechzone.evaluation.forms import SchemeNewForm, SchemeVersionForm
from hitechzone.evaluation.models import Scheme, SchemeVersion
from hitechzone.evaluation.roles import ADMIN, M4_ROLES
from hitechzone.evaluation.roles import role as _role

from .helpers import fmt, group_labels
from .menu import render_page

# --- Schemes --------------------------------------------------------------------------------------------------------


def _figure_label(name: str) -> str:
    try:
        return str(EnterpriseIndicator._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:  # a quantity is shown by its name
        return name


QUANTITY_LABELS = {"pollution_equivalents": gettext_lazy("pollution equivalents (污染当量)")}


def quantity_label(name: str) -> str:
    """A scheme quantity's name for reading (the default scheme's pollution equivalents; else the key)."""
    return str(QUANTITY_LABELS.get(name, name))


def scheme_rules(version: SchemeVersion) -> dict:
    """A version's rules for reading: per group its indicators (formula, weight, unit); quantities, cap, scope,
    class shares."""
    try:
        scheme = version.kernel()
    except ValidationError as error:
        return {"errors": error.messages}
    quantities = {q.name: q for q in scheme.quantities}

    def operand(name: str) -> str:
        return quantity_label(name) if name in quantities else _figure_label(name)

    def _term(t: kernel.Term) -> str:
        text = _figure_label(t.figure)
        if t.scale != 1:
            text += f" × {fmt(t.scale)}"
        if t.divisor != 1:
            text += f" ÷ {fmt(t.divisor)}"
        return text

    return {
        "groups": [
            {
                "key": g.key,
                "label": group_labels().get(g.key, g.label),
                "total": fmt(sum(i.weight for i in g.indicators)),
                "indicators": [
                    {
                        "label": i.label,
                        "formula": f"{operand(i.numerator)} ÷ {operand(i.denominator)}",
                        "weight": fmt(i.weight),
                        "unit": i.unit,
                    }
                    for i in g.indicators
                ],
            }
            for g in scheme.groups
        ],
        "quantities": [
            {"name": q.name, "label": quantity_label(q.name), "formula": " + ".join(_term(t) for t in q.terms)}
            for q in scheme.quantities
        ],
        "cap": None if scheme.cap is None else fmt(scheme.cap),
        "min_land": fmt(scheme.scope.min_land_below_scale),
        "exclude_exempt": scheme.scope.exclude_exempt,
        "shares": {
            "A": fmt(float(scheme.classes.share_a) * 100, 1),
            "B": fmt(float(scheme.classes.share_b) * 100, 1),
            "D": fmt(float(scheme.classes.share_d) * 100, 1),
        },
        "veto_class": scheme.classes.veto_class,
    }


@login_required
def scheme_list(request):
    user = request.user
    _deny_unless(user, M4_ROLES)
    schemes = Scheme.objects.for_user(user).select_related("current", "brand").annotate(n_versions=Count("versions"))
    return render_page(request, "evaluation/schemes.html", {"schemes": schemes, "can_edit": _role(user) == ADMIN})


@login_required
def scheme_new(request):
    """An administrator adds a scheme (e.g. one for a brand), starting from the rules of an existing one."""
    user = request.user
    _deny_unless(user, {ADMIN})
    form = SchemeNewForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            scheme = services.scheme_create(
                by=user,
                name=data["name"],
                title=data["title"],
                brand=data["brand"],
                description=data["description"],
                definition=data["start_from"].current.definition,
                effective_from=data["effective_from"],
                note=_("Copied from %(scheme)s v%(n)d")
                % {"scheme": data["start_from"].name, "n": data["start_from"].current.number},
            )
        except (Refused, ValidationError) as problem:
            for message in getattr(problem, "messages", [str(problem)]):
                form.add_error(None, message)
        else:
            messages.success(
                request, _("Scheme %(name)s created: adjust its rules in a new version.") % {"name": scheme}
            )
            return redirect("evaluation:scheme", pk=scheme.pk)
    return render_page(request, "evaluation/scheme_new.html", {"form": form})


@login_required
def scheme_detail(request, pk: int):
    user = request.user
    _deny_unless(user, M4_ROLES)
    scheme = get_object_or_404(Scheme.objects.for_user(user).select_related("current", "brand"), pk=pk)
    versions = list(scheme.versions.select_related("created_by").order_by("-number"))
    return render_page(
        request,
        "evaluation/scheme_detail.html",
        {
            "scheme": scheme,
            "versions": [
                {"version": v, "rules": scheme_rules(v), "current": v.pk == scheme.current_id} for v in versions
            ],
            "can_edit": _role(user) == ADMIN,
        },
    )


@login_required
def scheme_revise(request, pk: int):
    user = request.user
    _deny_unless(user, {ADMIN})
    scheme = get_object_or_404(Scheme.objects.for_user(user).select_related("current"), pk=pk)
    version = scheme.current or scheme.versions.order_by("-number").first()
    if version is None:
        raise Http404
    form = SchemeVersionForm(request.POST or None, version=version)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            new = services.scheme_revise(
                by=user,
                scheme=scheme,
                definition=data["definition_dict"],
                effective_from=data["effective_from"],
                note=data["note"],
            )
        except Refused as refused:
            form.add_error(None, str(refused))
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                _("Version %(n)d saved; runs made earlier keep the version they used.") % {"n": new.number},
            )
            return redirect("evaluation:scheme", pk=scheme.pk)
    return render_page(request, "evaluation/scheme_form.html", {"scheme": scheme, "version": version, "form": form})
