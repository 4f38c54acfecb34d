"""Workbook kind of M3: ``experts`` (the expert pool panels are drawn from; docs/0009).

Like every kind, a file is checked whole (every bad row reported, with its cell and reason) and written all
together or not at all. Key: 姓名 and 工作单位 together (the pool has no official number; two experts of the same
name at the same unit are one). Rows the file does not name stay as stored.

Columns: 姓名, 职称, 院士 (是/否), 专业领域 (chain codes or names, 通用 or general; separated by 、 , ; or a new
line), 工作单位, 原工作单位 (each as ``名称（至2024-06-30）``, separated by ；), 申报回避单位 (names or USCCs),
启用 (是/否; blank: 是), 登录账号 (the username of an expert-role user; blank: none).
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hitechzone.accounts.models import Role, User
from hitechzone.common.intake import Column, Counts, Kind, Progress
from hitechzone.common.spreadsheets import CellError, clean_text, parse_bool, parse_date
from hitechzone.enterprises.models import IndustryChain

from . import panels
from .models import Expert

_SPLIT = re.compile(r"[、,，;；\n]+")
_FORMER_SPLIT = re.compile(r"[;；\n]+")
_FORMER = re.compile(r"^(?P<name>.+?)\s*[（(]\s*(?:至|until|to)?\s*(?P<until>[^（()）]+?)\s*[）)]$", re.IGNORECASE)
GENERAL_WORDS = {"通用", "general", "综合"}


def _list(value) -> list[str]:
    return [part.strip() for part in _SPLIT.split(clean_text(value) or "") if part.strip()]


def _formers(value) -> list[dict]:
    out = []
    for part in _FORMER_SPLIT.split(clean_text(value) or ""):
        part = part.strip()
        if not part:
            continue
        match = _FORMER.match(part)
        if match is None:
            raise CellError(_("Write each former affiliation as 名称（至2024-06-30）: “%(v)s”.") % {"v": part})
        until = parse_date(match["until"])
        out.append({"name": match["name"].strip(), "until": until.isoformat()})
    return out


def _yes(value) -> bool:
    found = parse_bool(value)
    return bool(found)


class ExpertKind(Kind):
    name = "experts"
    label = gettext_lazy("experts")
    key = ("name", "affiliation")
    columns = (
        Column("姓名", "name", clean_text, required=True, width=12),
        Column("职称", "title", clean_text, width=16),
        Column("院士", "academician", _yes, width=8),
        Column("专业领域", "specialties", _list, required=True, aliases=("专业",), width=22),
        Column("工作单位", "affiliation", clean_text, aliases=("单位",), width=26),
        Column("原工作单位", "former_affiliations", _formers, width=36),
        Column("申报回避单位", "declared_conflicts", _list, aliases=("回避单位",), width=30),
        Column("启用", "active", parse_bool, width=8),
        Column("登录账号", "username", clean_text, width=14),
    )
    FIELDS = ("title", "academician", "specialties", "former_affiliations", "declared_conflicts", "active", "user_id")

    def prepare(self, rows):
        self.chains = {}
        for code, name in IndustryChain.objects.values_list("code", "name"):
            self.chains[code.lower()] = code
            self.chains[name] = code
        names = {r.get("username") for r in rows if r.get("username")}
        self.logins = dict(User.objects.filter(username__in=names).values_list("username", "role"))
        self.login_ids = dict(User.objects.filter(username__in=names).values_list("username", "pk"))

    def check_row(self, values, error):
        values["name"] = values.get("name") or ""
        values["affiliation"] = values.get("affiliation") or ""
        values["title"] = values.get("title") or ""
        specialties = []
        for item in values.get("specialties") or []:
            code = (
                panels.GENERAL
                if item.lower() in GENERAL_WORDS
                else self.chains.get(item.lower(), self.chains.get(item))
            )
            if code is None:
                error("specialties", _("No industry chain has the code or name “%(v)s”.") % {"v": item})
            elif code not in specialties:
                specialties.append(code)
        values["specialties"] = specialties
        values["former_affiliations"] = values.get("former_affiliations") or []
        values["declared_conflicts"] = values.get("declared_conflicts") or []
        values["academician"] = bool(values.get("academician"))
        values["active"] = True if values.get("active") is None else values["active"]
        username = values.get("username") or ""
        values["user_id"] = None
        if username:
            role = self.logins.get(username)
            if role is None:
                error("username", _("No user has the username “%(v)s”.") % {"v": username})
            elif role != Role.EXPERT:
                error("username", _("The login must be a user of the role expert."))
            else:
                values["user_id"] = self.login_ids[username]
        for field, limit in (("name", 64), ("title", 64), ("affiliation", 128)):
            if len(values[field]) > limit:
                error(field, _("At most %(n)d characters.") % {"n": limit})

    def write(self, rows, *, batch, progress: Progress) -> Counts:
        """One save per changed row (the pool is hundreds of rows, not hundreds of thousands): each is audited
        through the model's signals, under the import's batch."""
        counts = Counts()
        existing = {}
        for expert in Expert.objects.filter(name__in=[r["name"] for r in rows]).order_by("pk"):
            existing.setdefault((expert.name, expert.affiliation), expert)
        users_taken = dict(
            Expert.objects.filter(user_id__in=[r["user_id"] for r in rows if r["user_id"]]).values_list("user_id", "pk")
        )
        for n, row in enumerate(rows, start=1):
            expert = existing.get((row["name"], row["affiliation"]))
            if expert is None:
                expert = Expert(name=row["name"], affiliation=row["affiliation"])
                counts.created += 1
            elif all(getattr(expert, f) == row[f] for f in self.FIELDS):
                counts.unchanged += 1
                continue
            else:
                counts.updated += 1
            for field in self.FIELDS:
                setattr(expert, field, row[field])
            holder = users_taken.get(expert.user_id) if expert.user_id else None
            if holder is not None and holder != expert.pk:  # the login moves to this expert
                previous = Expert.objects.get(pk=holder)
                previous.user = None
                previous.save()
            expert.save()
            if expert.user_id:
                users_taken[expert.user_id] = expert.pk
            progress(62 + 33 * n // len(rows), _("Writing"))
        return counts

    def example_rows(self):
        return [
            ["张某某", "中国工程院院士", "是", "fluorine、general", "浙江大学", "", "", "是", ""],
            [
                "李某某",
                "教授级高工",
                "否",
                "通用",
                "某化工设计院",
                "示例控股（至2024-06-30）",
                "示例电机集团",
                "是",
                "",
            ],
        ]
