"""The demo's link of an off-site incubator to an investment project that moved from it (issue 15, point 2), made
through the registry ``common.subjects`` as the incubator page's form makes it (docs/0016): the pharma incubator in
Shanghai and the oldest demo project whose name says pharmaceutical (药) that the administrator sees. Nothing when the
projects demo made none."""

from __future__ import annotations

from datetime import date, timedelta

from hitechzone.common.subjects import subject_search
from hitechzone.talent import links
from hitechzone.talent.models import Incubator

#: The incubator and the words of the project names it is linked to (the first match, by name).
LINKS = (("高新区上海药谷生物医药孵化器", ("药", "生物")),)


def load_incubator_projects(*, admin, today: date) -> int:
    """Link each incubator of :data:`LINKS` to one demo project; answers how many links were made."""
    made = 0
    for name, words in LINKS:
        incubator = Incubator.objects.filter(name=name).first()
        if incubator is None:
            continue
        # The oldest matching project (by its key's id, not by name: collations differ between databases).
        found = None
        for word in words:
            matches = subject_search(admin, links.PROJECT_KIND, word)
            if matches:
                found = min(matches, key=lambda s: int(s.key.rpartition(":")[2]))
                break
        if found is None:
            continue
        moved_on = min((incubator.opened_on or today) + timedelta(days=900), today)
        links.incubator_project_link(
            by=admin, incubator=incubator, project=found.key, moved_on=moved_on,
            note="药谷孵化的研发团队完成中试，项目落地高新区产业化",
        )  # fmt: skip
        made += 1
    return made
