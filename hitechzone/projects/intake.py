"""Workbook kinds of M3: ``projects`` (investment projects with their investors, issue 14 item 1) and ``experts``
(the expert pool panels are drawn from; docs/0009).

Like every kind, a file is checked whole (every bad row reported, with its cell and reason) and written all
together or not at all. Key: 姓名 and 工作单位 together (the pool has no official number; two experts of the same
name at the same unit are one). Rows the file does not name stay as stored.

Columns: 姓名, 职称, 院士 (是/否), 专业领域 (chain codes or names, 通用 or general; separated by 、 , ; or a new
line), 工作单位, 原工作单位 (each as ``名称（至2024-06-30）``, separated by ；), 申报回避单位 (names or USCCs),
启用 (是/否; blank: 是), 登录账号 (the username of an expert-role user; blank: none).
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hitechzone.accounts.models import Role, User
from hitechzone.common.intake import Column, Counts, Kind, Progress
from hitechzone.common.spreadsheets import CellError, clean_text, parse_bool, parse_date, parse_decimal, parse_int
from hitechzone.enterprises.models import IndustryChain
from hitechzone.enterprises.uscc import is_valid, normalise
from hitechzone.zone.models import FunctionalArea

from . import admission, panels, services
from .models import Expert, Investor, Project

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


def _money(value):
    return parse_decimal(value, places=2)


def _mu(value):
    return parse_decimal(value, places=4)


def _share(value):
    found = parse_decimal(value, places=2)
    if found is not None and found > 100:
        raise CellError(_("A share is at most 100 (%)."))
    return found


class ProjectKind(Kind):
    """Investment projects, one row each, keyed by 项目名称 and 投资方 (a name the investor list does not hold yet
    records the investor, with its USCC and parent group). Written through the module's services, so each project
    is checked and audited as one recorded on its page; a row the file names again is updated."""

    name = "projects"
    label = gettext_lazy("investment projects")
    key = ("name", "investor")
    columns = (
        Column("项目名称", "name", clean_text, required=True, width=30),
        Column("投资方", "investor", clean_text, required=True, width=26),
        Column("投资方统一社会信用代码", "investor_uscc", clean_text, width=22),
        Column("投资方母公司（集团）", "parent_group", clean_text, width=22),
        Column("行业代码", "industry_code", clean_text, aliases=("行业代码（GB/T 4754）",), width=10),
        Column("产业链", "chain", clean_text, width=14),
        Column("意向功能区", "functional_area", clean_text, width=16),
        Column("总投资（万元）", "total_investment_wan_yuan", _money, width=12),
        Column("固定资产投资（万元）", "fixed_asset_investment_wan_yuan", _money, width=14),
        Column("用地（亩）", "land_mu", _mu, width=10),
        Column("计容建筑面积（m²）", "floor_area_m2", _money, width=14),
        Column("建筑物、构筑物及堆场占地面积（m²）", "footprint_m2", _money, width=18),
        Column("行政办公及生活服务设施用地（m²）", "admin_land_m2", _money, width=18),
        Column("绿地面积（m²）", "green_area_m2", _money, width=12),
        Column("达产年产值（万元）", "annual_output_wan_yuan", _money, width=12),
        Column("达产年税收（万元）", "annual_tax_wan_yuan", _money, width=12),
        Column("达产年增加值（万元）", "annual_value_added_wan_yuan", _money, width=12),
        Column("年综合能耗（吨标准煤）", "annual_energy_tce", _money, width=12),
        Column("污染物", "pollutants", clean_text, width=20),
        Column("就业人数", "jobs", parse_int, width=10),
        Column("研发投入占比（%）", "rd_share", _share, width=12),
        Column("涉及危险化学品", "hazardous_chemicals", parse_bool, width=10),
        Column("招商引资全程帮办员（登录账号）", "officer", clean_text, aliases=("帮办员",), width=16),
    )
    FIELDS = tuple(f for f in services.PROJECT_FIELDS if f not in ("name", "investor"))
    RELATED = ("chain", "functional_area", "officer")

    def prepare(self, rows):
        self.chains = {}
        for pk, code, name in IndustryChain.objects.values_list("pk", "code", "name"):
            self.chains[code.lower()] = self.chains[name] = pk
        self.areas = {}
        for pk, code, name in FunctionalArea.objects.values_list("pk", "code", "name"):
            self.areas[code.lower()] = self.areas[name] = pk
        names = {r.get("officer") for r in rows if r.get("officer")}
        self.officers = {u.username: u for u in User.objects.filter(username__in=names)}

    def check_row(self, values, error):
        values["pollutants"] = values.get("pollutants") or ""
        values["hazardous_chemicals"] = bool(values.get("hazardous_chemicals"))
        for field, limit in (("name", 128), ("investor", 128), ("parent_group", 128)):
            if len(values.get(field) or "") > limit:
                error(field, _("At most %(n)d characters.") % {"n": limit})
        uscc = normalise(values.get("investor_uscc") or "")
        if uscc and not is_valid(uscc):
            error("investor_uscc", _("“%(v)s” is not a valid USCC.") % {"v": values["investor_uscc"]})
        values["investor_uscc"] = uscc
        values["parent_group"] = values.get("parent_group") or ""
        code = values.get("industry_code") or ""
        values["industry_code"] = ""
        if code:
            found = admission.normalise_industry_code(code)
            if found is None:
                error("industry_code", _("Unknown industry code: %(code)s") % {"code": code})
            else:
                values["industry_code"] = found
        for field, table, missing in (
            ("chain", self.chains, _("No industry chain has the code or name “%(v)s”.")),
            ("functional_area", self.areas, _("No functional area has the code or name “%(v)s”.")),
        ):
            given = values.get(field) or ""
            values[field] = None
            if given:
                values[field] = table.get(given.lower(), table.get(given))
                if values[field] is None:
                    error(field, missing % {"v": given})
        probe = Project(**{f: values.get(f) for f in self.FIELDS if f not in self.RELATED}, name=values.get("name"))
        try:  # the model's own limits (digits, ranges), field by field, before anything is written
            probe.clean_fields(exclude=["investor", *self.RELATED])
        except ValidationError as problems:
            for field, messages in problems.message_dict.items():
                error(field, " ".join(messages))
        username = values.get("officer") or ""
        values["officer"] = None
        if username:
            officer = self.officers.get(username)
            if officer is None:
                error("officer", _("No user has the username “%(v)s”.") % {"v": username})
            elif officer.role != Role.OFFICER:
                error("officer", _("The project's officer must be an investment officer."))
            else:
                values["officer"] = officer

    def write(self, rows, *, batch, progress: Progress) -> Counts:
        """Under the import's batch (each save audited through the models' signals, like the experts' kind): the
        investors the file names are found by name, else recorded; the projects by name and investor."""
        counts = Counts()
        investors: dict[str, Investor] = {}
        for investor in Investor.objects.filter(name__in={r["investor"] for r in rows}).order_by("pk"):
            investors.setdefault(investor.name, investor)
        projects = {
            (p.name, p.investor.name): p
            for p in Project.objects.filter(name__in={r["name"] for r in rows})
            .select_related("investor")
            .order_by("-pk")
        }
        chains = IndustryChain.objects.in_bulk({r["chain"] for r in rows if r["chain"]})
        areas = FunctionalArea.objects.in_bulk({r["functional_area"] for r in rows if r["functional_area"]})
        for n, row in enumerate(rows, start=1):
            investor = investors.get(row["investor"])
            if investor is None:
                investor = Investor.objects.create(
                    name=row["investor"], uscc=row["investor_uscc"], parent_group=row["parent_group"]
                )
                investors[investor.name] = investor
            fields = {f: row[f] for f in self.FIELDS}
            fields["chain"] = chains.get(row["chain"])
            fields["functional_area"] = areas.get(row["functional_area"])
            project = projects.get((row["name"], investor.name))
            if project is None:
                project = Project(name=row["name"], investor=investor)
                projects[(row["name"], investor.name)] = project
                counts.created += 1
            elif all(getattr(project, f) == fields[f] for f in self.FIELDS):
                counts.unchanged += 1
                continue
            else:
                counts.updated += 1
            for field, value in fields.items():
                setattr(project, field, value)
            project.save()
            progress(62 + 33 * n // len(rows), _("Writing"))
        return counts

    def example_rows(self):
        return [
            ["示例电机年产20万台高效电机项目", "示例电机集团有限公司", "", "示例控股", "C3812", "", "", 20000, 16000,
             40, 32000, 12000, 1800, 3500, 60000, 1400, 15000, 4000, "", 300, 5, "否", ""],
        ]  # fmt: skip
