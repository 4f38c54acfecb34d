"""The Chinese catalogue is complete and compiled, and the UI speaks Chinese by default, English on request.

The catalogue is read with a small state machine (no polib): enough for what ``makemessages`` writes.
docs/0002-translations.md says how to update it.
"""

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

PO_PATH = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")

# The language names of settings.LANGUAGES stay native in every language (“English” in the Chinese UI too).
LANGUAGE_NAMES = {str(name) for _code, name in settings.LANGUAGES}

PLACEHOLDER = re.compile(r"%\([A-Za-z_]\w*\)[sdif]|%[sdif]|\{\{?\s*\w+\s*\}?\}")
LATIN_LETTER = re.compile(r"[A-Za-z]")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False
    line: int = 0


def parse_po(text: str) -> list[Entry]:
    """Entries in file order, the header (msgid "") included."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int] | None = None  # the keyword a continuation line extends

    def finish():
        nonlocal current, target
        if current is not None and (current.msgid or current.msgstr):
            entries.append(current)
        current, target = None, None

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            continue
        if current is None:
            current = Entry(line=number)
        if line.startswith("#~"):
            current.obsolete = True
            continue
        if line.startswith("#,"):
            current.flags.update(flag.strip() for flag in line[2:].split(",") if flag.strip())
            continue
        if line.startswith("#"):
            continue
        match = re.fullmatch(r'(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(".*")', line)
        if match:
            keyword, index, literal = match.groups()
            if keyword == "msgid" and (current.msgid or current.msgstr):
                finish()  # an entry without a blank line before it
                current = Entry(line=number)
            target = (keyword, int(index or 0))
            value = ast.literal_eval(literal)
            if keyword == "msgstr":
                current.msgstr[target[1]] = value
            else:
                setattr(current, keyword, value)
            continue
        if line.startswith('"') and target is not None:
            value = ast.literal_eval(line)
            keyword, index = target
            if keyword == "msgstr":
                current.msgstr[index] += value
            else:
                setattr(current, keyword, getattr(current, keyword) + value)
            continue
        raise AssertionError(f"{PO_PATH.name}:{number}: cannot read {raw!r}")
    finish()
    return entries


@pytest.fixture(scope="module")
def catalogue() -> list[Entry]:
    assert PO_PATH.is_file(), f"{PO_PATH} is missing: run makemessages (docs/0002-translations.md)"
    return parse_po(PO_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def messages(catalogue) -> list[Entry]:
    return [e for e in catalogue if e.msgid and not e.obsolete]


def where(entry: Entry) -> str:
    return f"{PO_PATH.name}:{entry.line} {entry.msgid!r}"


def test_header_is_chinese_with_one_plural_form(catalogue):
    header = catalogue[0]
    assert header.msgid == ""
    assert "fuzzy" not in header.flags
    assert "Language: zh_Hans\n" in header.msgstr[0]
    assert "Plural-Forms: nplurals=1; plural=0;" in header.msgstr[0]
    assert "charset=UTF-8" in header.msgstr[0]


def test_catalogue_has_the_apps_strings(messages):
    # One project catalogue for all the apps: a sample from several of them is in it.
    ids = {e.msgid for e in messages}
    assert {"Log in", "unified social credit code", "brand (sub-zone)", "Make-up workday", "Service officer"} <= ids
    assert len(messages) > 300


def test_no_fuzzy_untranslated_or_obsolete_entry(catalogue, messages):
    assert not [e for e in catalogue if e.obsolete], "obsolete entries: run makemessages with --no-obsolete"
    assert not [where(e) for e in messages if "fuzzy" in e.flags], "fuzzy entries: check and unflag them"
    untranslated = [where(e) for e in messages if not all(s.strip() for s in e.msgstr.values()) or not e.msgstr]
    assert not untranslated, "untranslated entries"
    # Chinese has one plural form: exactly msgstr[0].
    assert not [where(e) for e in messages if e.msgid_plural is not None and set(e.msgstr) != {0}]


def test_placeholders_are_kept(messages):
    wrong = []
    for e in messages:
        wanted = sorted(PLACEHOLDER.findall(e.msgid_plural or e.msgid))
        for text in e.msgstr.values():
            if sorted(PLACEHOLDER.findall(text)) != wanted:
                wrong.append(f"{where(e)} → {text!r}")
    assert not wrong


def test_source_strings_are_english(messages):
    # A source string such as {% translate "规上" %} leaves the English UI in Chinese. English with a
    # Chinese term in brackets or a Chinese example is fine; only the native language names are exempt.
    chinese_only = [where(e) for e in messages if not LATIN_LETTER.search(e.msgid) and e.msgid not in LANGUAGE_NAMES]
    assert not chinese_only


def test_compiled_catalogue_matches_the_po(messages):
    """Every entry of the .po comes back translated from the .mo: the .mo was compiled after the last edit."""
    assert MO_PATH.is_file(), f"{MO_PATH} is missing: run compilemessages (docs/0002-translations.md)"
    stale = []
    with translation.override("zh-hans"):
        for e in messages:
            if e.msgid_plural is not None:
                got = (
                    translation.npgettext(e.msgctxt, e.msgid, e.msgid_plural, 1)
                    if e.msgctxt
                    else translation.ngettext(e.msgid, e.msgid_plural, 1)
                )
                got_many = translation.ngettext(e.msgid, e.msgid_plural, 5) if not e.msgctxt else got
                if got != e.msgstr[0] or got_many != e.msgstr[0]:
                    stale.append(where(e))
            else:
                got = translation.pgettext(e.msgctxt, e.msgid) if e.msgctxt else translation.gettext(e.msgid)
                if got != e.msgstr[0]:
                    stale.append(where(e))
    assert not stale, "the .mo is older than the .po: run compilemessages"


def test_language_names_stay_native():
    for code in ("zh-hans", "en"):
        with translation.override(code):
            assert [str(name) for _code, name in settings.LANGUAGES] == ["简体中文", "English"]


@pytest.mark.django_db
def test_login_page_is_chinese_by_default(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert "登录" in html
    assert "Log in" not in html


@pytest.mark.django_db
def test_login_page_is_english_with_the_language_cookie(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Log in" in html
    assert "登录" not in html


@pytest.mark.django_db
def test_set_language_switches_to_english_and_back(client):
    login = reverse("login")
    response = client.post(reverse("set_language"), {"language": "en", "next": login})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "Log in" in client.get(login).content.decode()
    client.post(reverse("set_language"), {"language": "zh-hans", "next": login})
    assert "登录" in client.get(login).content.decode()


@pytest.mark.django_db
def test_above_scale_badge_in_both_languages(client, zone):
    client.force_login(zone.users.admin)
    url = reverse("enterprises:list")
    assert "规上" in client.get(url).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(url).content.decode()
    assert "Above scale" in html
    assert "规上" not in html
