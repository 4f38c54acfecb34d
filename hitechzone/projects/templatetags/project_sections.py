"""``{% project_sections project %}``: the sections other modules register for a project's page
(``common.subjects.register_subject_section``; M3 names no module), for the viewer."""

from django import template

from hitechzone.common.subjects import subject_sections_for

register = template.Library()


@register.inclusion_tag("projects/_sections.html", takes_context=True)
def project_sections(context, project):
    return {"sections": subject_sections_for(context["request"].user, project), "project": project}
