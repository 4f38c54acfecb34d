"""The official Chinese term beside a page's English title: ``{% translate "Applications" %} {% zh_term "办件" %}``.

It is for readers of the English UI (the term they will meet in documents and on the phone). On the Chinese UI the
title already is that term, or says the same, so the page would repeat itself ("办件 办件"): nothing is shown.
"""

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language

register = template.Library()


@register.simple_tag
def zh_term(term: str) -> str:
    if (get_language() or "").startswith("zh"):
        return ""
    return format_html('<small class="text-muted fs-6" lang="zh-Hans">{}</small>', term)
