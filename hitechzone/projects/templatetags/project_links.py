"""``{% project_links project %}``: a project's land, parallel approvals and enterprise on its page (issue 14, items
10-11), read through ``links`` for the viewer (a bounded number of queries)."""

from django import template

from hitechzone.common.bundles import bundle_provider
from hitechzone.projects import links

register = template.Library()


@register.inclusion_tag("projects/_links.html", takes_context=True)
def project_links(context, project):
    user = context["request"].user
    return {
        "project": project,
        "placements": links.project_placements(user, project),
        "linked": links.project_enterprise(user, project),
        "bundles": links.project_bundles(user, project),
        "approvals_installed": bundle_provider() is not None,
        "can_change": links.can_change(user, project),
    }
