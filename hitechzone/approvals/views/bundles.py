"""The pages of parallel approvals (并联审批)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from hitechzone.accounts.models import Role
from hitechzone.accounts.roles import effective_role
from hitechzone.approvals import queries, services
from hitechzone.approvals.forms import (
    BundleForm,
)
from hitechzone.approvals.models import (
    Application,
    Bundle,
)
from hitechzone.common.views import deny_unless as _deny_unless
from hitechzone.common.views import int_param as _int_param
from hitechzone.common.views import paginate

from .base import FILE_ROLES, PAGE_ROLES, _render

# --- Parallel approvals -----------------------------------------------------------------------------------------------


@login_required
def bundle_list(request):
    user = request.user
    _deny_unless(user, PAGE_ROLES)
    done = Q(applications__state__in=Application.DONE_STATES)
    bundles = (
        Bundle.objects.filter(pk__in=Bundle.objects.for_user(user).values("pk"))
        .select_related("enterprise")
        .annotate(n_applications=Count("applications"), n_done=Count("applications", filter=done))
        .order_by("-started_on", "-id")
    )
    if request.GET.get("open"):
        bundles = bundles.filter(completed_on__isnull=True)
    q = request.GET.get("q", "").strip()
    if q:
        bundles = bundles.filter(Q(name__icontains=q) | Q(enterprise__name__icontains=q))
    page, query = paginate(request, bundles)
    return _render(
        request,
        "approvals/bundles.html",
        {"page": page, "query": query, "can_create": effective_role(user) in FILE_ROLES},
    )


@login_required
def bundle_detail(request, pk: int):
    """A parallel approval: every department's application and state (the other departments' without a link)."""
    user = request.user
    _deny_unless(user, PAGE_ROLES)
    bundle = get_object_or_404(Bundle.objects.for_user(user).select_related("enterprise", "created_by"), pk=pk)
    applications = list(
        queries.with_light(bundle.applications.all())
        .select_related("version", "department", "assignee")
        .order_by("department__sort_order", "id")
    )
    mine = set(Application.objects.for_user(user).filter(bundle=bundle).values_list("pk", flat=True))
    for a in applications:
        a.visible = a.pk in mine
        a.done = a.state in Application.DONE_STATES
    return _render(
        request,
        "approvals/bundle_detail.html",
        {
            "bundle": bundle,
            "applications": applications,
            "done_count": sum(a.done for a in applications),
        },
    )


@login_required
def bundle_new(request):
    user = request.user
    _deny_unless(user, FILE_ROLES)
    if effective_role(user) == Role.ENTERPRISE and not user.enterprise_id:
        raise Http404
    initial = {}
    enterprise_id = _int_param(request, "enterprise")
    if enterprise_id:
        initial["enterprise"] = enterprise_id
    form = BundleForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        enterprise = user.enterprise if effective_role(user) == Role.ENTERPRISE else data["enterprise"]
        try:
            bundle = services.bundle_create(by=user, enterprise=enterprise, name=data["name"], items=data["items"])
        except services.Refused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request,
                _("Parallel approval %(name)s filed: %(n)d applications.")
                % {"name": bundle.name, "n": len(data["items"])},
            )
            return redirect("approvals:bundle", pk=bundle.pk)
    pick = "enterprise" in form.fields
    return _render(
        request,
        "approvals/bundle_form.html",
        {
            "form": form,
            "pick_enterprise": pick,
            "has_enterprises": not pick or form.fields["enterprise"].queryset.exists(),
        },
    )
