"""An enterprise reads what its class means beside its result (issue 13, item 13): one sentence per class, from
``evaluation.models.KLASS_MEANINGS`` wherever a class is explained. The case is test_views.py's (ent_a is B)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from hitechzone.evaluation.models import KLASS_MEANINGS, Klass, klass_meanings

from . import test_views
from .test_views import as_user, html

pytestmark = pytest.mark.django_db
case = test_views.case  # the hand-computed case's fixtures
published = test_views.published


def test_every_class_has_one_sentence():
    assert [k for k, _label, _meaning in klass_meanings()] == ["A", "B", "C", "D"]
    assert set(KLASS_MEANINGS) == set(Klass)


def test_an_enterprise_reads_what_its_class_means_beside_its_result(client, published):
    client = as_user(client, published.users.ent_a)
    page = html(client.get(reverse("evaluation:result", args=[published.result_a.pk])))
    assert published.result_a.klass == Klass.B
    with translation.override("en"):
        own = escape(str(KLASS_MEANINGS[Klass.B]))
        others = [escape(str(KLASS_MEANINGS[k])) for k in (Klass.A, Klass.C, Klass.D)]
    explained = page.split('data-testid="class-meaning"')[1].split("</p>")[0]
    assert 'data-class="B"' in explained
    assert own in explained
    assert all(sentence in page for sentence in others)  # the four, folded under the result's own


def test_the_sentences_read_in_chinese_by_default(client, published):
    client.force_login(published.users.ent_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    page = html(client.get(reverse("evaluation:result", args=[published.result_a.pk])))
    assert "亩均效益较好" in page
    assert "协议退出" in page


def test_an_officer_finds_the_classes_explained_under_their_enterprises_results(client, published):
    page = html(as_user(client, published.users.officer_a).get(reverse("evaluation:mine")))
    with translation.override("en"):
        assert all(escape(str(meaning)) in page for _k, _label, meaning in klass_meanings())
