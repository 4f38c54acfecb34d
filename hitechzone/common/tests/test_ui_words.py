"""The frame's words on the Chinese UI (issue 13, items 7 and 8): the API's page in the user menu of the roles whose
work the API carries, the admin named after the platform, an import's kind by its label, and a Chinese term glossed
beside an English title only where the title is not already Chinese."""

from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import translation

from hitechzone.accounts.models import Role
from hitechzone.common.intake import get_kind, kind_label
from hitechzone.common.models import ImportBatch
from hitechzone.common.permissions import api_roles

PERSONAS = ("admin", "leader", "dept_a", "officer_a", "expert_a", "ent_a")
#: Who writes through the API, read off its views' write roles (docs: hitechzone/common/permissions.py). Experts
#: since they score their panels' projects there (docs/0009).
API_ROLES = {Role.ADMIN, Role.LEADER, Role.DEPARTMENT, Role.OFFICER, Role.EXPERT, Role.ENTERPRISE}


class Links(HTMLParser):
    """The hrefs of the main menu (``ul.navbar-nav``) and of the whole page."""

    def __init__(self):
        super().__init__()
        self.menu, self.all, self._depth = [], [], 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "ul" and "navbar-nav" in (a.get("class") or ""):
            self._depth = 1
        elif tag == "ul" and self._depth:
            self._depth += 1
        if tag == "a" and a.get("href"):
            self.all.append(a["href"])
            if self._depth:
                self.menu.append(a["href"])

    def handle_endtag(self, tag):
        if tag == "ul" and self._depth:
            self._depth -= 1


def chinese(user) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    client.force_login(user)
    return client


def test_the_api_serves_work_to_every_role():
    assert api_roles() == API_ROLES


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_api_page_is_in_the_user_menu_of_the_roles_it_serves_and_never_in_the_main_menu(zone, persona):
    user = getattr(zone.users, persona)
    links = Links()
    links.feed(chinese(user).get("/").content.decode())
    docs = reverse("api-docs")
    assert docs not in links.menu
    assert (docs in links.all) == (user.effective_role in API_ROLES)


def test_the_admin_is_titled_with_the_platforms_name(zone):
    page = chinese(zone.users.admin).get(reverse("admin:index")).content.decode()
    assert "Django" not in page.split("<body", 1)[1].split("</header>", 1)[0]  # the header: "高新区", not "Django 管理"
    assert "<title>后台管理 | 高新区</title>" in page


def test_an_import_is_shown_with_its_kinds_label_not_its_code(zone):
    ImportBatch.objects.create(kind="indicators", file_name="指标.xlsx", user=zone.users.admin, status="written")
    with translation.override("zh-hans"):
        label = str(get_kind("indicators").label)
    page = chinese(zone.users.admin).get(reverse("imports:list")).content.decode()
    assert f">{label}</td>" in page
    assert ">indicators<" not in page
    assert kind_label("gone") == "gone"  # a kind no app registers any more: its name, not an error


@pytest.mark.parametrize(("language", "shown"), [("zh-hans", "<h1>办件 </h1>"), ("en", "<h1>Applications <small")])
def test_a_chinese_term_is_glossed_beside_an_english_title_only(language, shown):
    template = Template('{% load i18n terms %}<h1>{% translate "Applications" %} {% zh_term "办件" %}</h1>')
    with translation.override(language):
        assert template.render(Context()).startswith(shown)
