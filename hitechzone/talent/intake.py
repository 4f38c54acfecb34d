"""Workbook kinds of M6 (issue 15, point 9): ``talent-platforms``, ``talents``, ``team-applications`` (with their
members) and ``talent-partners``.

Like every kind, a file is checked whole (every bad row reported, with its cell and reason) and written all together
or not at all, each row through the module's services under the import's batch (so each is checked and audited as
one recorded on its page). Only the talent office and administrators import them (``may_import``, the services'
own ``roles.may_write``); the checks are the importer's (``bind``): an enterprise named by its USCC, a platform by
its name, must be one the importer sees.

- ``talent-platforms``, keyed by 名称: 类型 and 级别 by their Chinese or English label or their code.
- ``talents``: an 身份证号 is checked for its GB 11643 check digit and a real birth date, and never shown back: the
  error report masks it (first 6 and last 4 characters) and so does the audit trail. A row is the talent of that ID
  number, or (without one) of that name at that employer; a row naming one again updates it.
- ``team-applications``: one row per application, its members in one cell, ``姓名/学位/人才计划/计划级别`` each,
  separated by ；or a new line (``王某/博士/国家“千人计划”/国家级；李某/硕士``). An application is submitted once:
  a team and leader already recorded is a bad row (its changes go through its page).
- ``talent-partners``, keyed by 名称: 类型 大学 / 科研院所.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hitechzone.common.intake import Column, Counts, Kind, Progress
from hitechzone.common.spreadsheets import CellError, clean_text, parse_bool, parse_date, parse_decimal
from hitechzone.enterprises.models import Enterprise
from hitechzone.enterprises.uscc import is_valid, normalise

from . import roles, services
from .idnumber import mask_id_number
from .models import Degree, Level, Partner, Platform, Talent, TeamApplication, TeamMember

_MEMBERS_SPLIT = re.compile(r"[;；\n]+")
_PARTS_SPLIT = re.compile(r"[/／|]")


def _money(value):
    return parse_decimal(value, places=2)


def _id_text(value):
    """An ID number as text: a number cell has lost its last digits (Excel keeps 15)."""
    if isinstance(value, float):
        raise CellError(_("Write the ID number as text: a number cell loses its last digits."))
    return clean_text(value).upper()


def _choice(choices) -> dict[str, str]:
    """Each choice by its code, its English label and its Chinese label (lower-cased)."""
    from django.utils import translation

    found = {}
    for language in ("en", "zh-hans"):
        with translation.override(language):
            for code, label in choices:
                found[code.lower()] = code
                found[str(label).lower()] = code
    return found


LEVEL_WORDS = {"国家": Level.NATIONAL, "国家级": Level.NATIONAL, "省": Level.PROVINCIAL, "省级": Level.PROVINCIAL,
               "市": Level.CITY, "市级": Level.CITY}  # fmt: skip
DEGREE_WORDS = {"博士": Degree.PHD, "硕士": Degree.MASTER, "学士": Degree.BACHELOR, "本科": Degree.BACHELOR,
                "其他": Degree.OTHER}  # fmt: skip


def _lookup(table: dict, value: str, extra: dict | None = None):
    key = (value or "").strip().lower()
    return (extra or {}).get(value.strip()) or table.get(key)


class TalentKind(Kind):
    """The common part: bound to the importer, admitted for the talent office and administrators."""

    user = None

    def may_import(self, user) -> bool:
        return user is not None and roles.may_write(user)

    def bind(self, user) -> Kind:
        bound = type(self)()
        bound.user = user
        return bound

    def _check_importer(self, error) -> bool:
        if self.user is None or not roles.may_write(self.user):
            error("", _("Only the talent office or an administrator imports these records."))
            return False
        return True

    def _enterprises(self, usccs) -> dict[str, Enterprise]:
        if self.user is None:
            return {}
        return {e.uscc: e for e in Enterprise.objects.for_user(self.user).filter(uscc__in=usccs)}

    def _enterprise(self, values, field, error):
        """The enterprise a USCC names, if the importer sees it."""
        raw = values.get(field) or ""
        values[field] = None
        if not raw:
            return
        uscc = normalise(raw)
        if not is_valid(uscc):
            error(field, _("“%(v)s” is not a valid USCC.") % {"v": raw})
        elif uscc not in self.enterprises:
            error(field, _("No enterprise you may see has the USCC %(v)s.") % {"v": uscc})
        else:
            values[field] = self.enterprises[uscc]

    def _upsert_by_name(self, rows, model, save, instance_kw: str, progress: Progress) -> Counts:
        """Create the rows whose name is new, update those that differ, count the unchanged: through ``save``
        (the app's service, ``instance_kw`` naming the object to update)."""
        counts = Counts()
        existing = {o.name: o for o in model.objects.filter(name__in=[r["name"] for r in rows])}
        for n, row in enumerate(rows, start=1):
            obj = existing.get(row["name"])
            fields = {f: row[f] for f in self.FIELDS}
            if obj is None:
                counts.created += 1
                save(by=self.user, name=row["name"], **fields)
            elif all(getattr(obj, f) == v for f, v in fields.items()):
                counts.unchanged += 1
            else:
                counts.updated += 1
                save(by=self.user, **{instance_kw: obj}, **fields)
            progress(62 + 33 * n // len(rows), _("Writing"))
        return counts

    def _limits(self, values, error, limits) -> None:
        for field, limit in limits:
            if len(values.get(field) or "") > limit:
                error(field, _("At most %(n)d characters.") % {"n": limit})


def _usccs(rows, field) -> set[str]:
    return {normalise(r[field]) for r in rows if r.get(field)}


# --- Platforms ------------------------------------------------------------------------------------------------------


class PlatformKind(TalentKind):
    name = "talent-platforms"
    label = gettext_lazy("innovation platforms")
    key = ("name",)
    columns = (
        Column("名称", "name", clean_text, required=True, aliases=("平台名称",), width=30),
        Column("类型", "kind", clean_text, required=True, aliases=("平台类型",), width=20),
        Column("级别", "level", clean_text, required=True, width=8),
        Column("依托单位", "host", clean_text, width=24),
        Column("地址", "address", clean_text, width=26),
        Column("成立日期", "founded_on", parse_date, width=12),
        Column("状态", "status", clean_text, width=8),
    )
    FIELDS = ("kind", "level", "host", "address", "founded_on", "status")

    def prepare(self, rows):
        self.kinds = _choice(Platform.Kind.choices)
        self.levels = _choice(Level.choices)
        self.statuses = _choice(Platform.Status.choices)

    def check_row(self, values, error):
        if not self._check_importer(error):
            return
        for field, table, extra, message in (
            ("kind", self.kinds, None, _("Unknown platform type “%(v)s”.")),
            ("level", self.levels, LEVEL_WORDS, _("Unknown level “%(v)s”: 国家级, 省级 or 市级.")),
            ("status", self.statuses, None, _("Unknown status “%(v)s”.")),
        ):
            given = values.get(field) or ""
            if field == "status" and not given:
                values[field] = Platform.Status.ACTIVE
                continue
            values[field] = _lookup(table, given, extra)
            if values[field] is None:
                error(field, message % {"v": given})
        values["host"], values["address"] = values.get("host") or "", values.get("address") or ""
        self._limits(values, error, (("name", 128), ("host", 128), ("address", 200)))

    def write(self, rows, *, batch, progress: Progress) -> Counts:
        return self._upsert_by_name(rows, Platform, services.platform_save, "platform", progress)

    def example_rows(self):
        return [
            ["某某国家工程研究中心", "国家工程研究中心", "国家级", "某某研究院", "高新区创新大道1号", "2012-05-01",
             "正常"],
            ["某某博士后工作站", "postdoc", "省级", "某某大学", "", "2016-09-10", ""],
        ]  # fmt: skip


# --- Talents --------------------------------------------------------------------------------------------------------


class TalentRowsKind(TalentKind):
    name = "talents"
    label = gettext_lazy("talents")
    key = ("identity",)
    key_columns = ("name", "id_number")
    columns = (
        Column("姓名", "name", clean_text, required=True, width=12),
        Column("人才计划", "programme", clean_text, width=20),
        Column("计划级别", "level", clean_text, width=10),
        Column("院士", "academician", parse_bool, width=8),
        Column("学位", "degree", clean_text, width=8),
        Column("领域", "field", clean_text, width=14),
        Column("工作单位统一社会信用代码", "enterprise", clean_text, aliases=("统一社会信用代码",), width=22),
        Column("所在平台", "platform", clean_text, width=26),
        Column("团队", "team", clean_text, width=18),
        Column("身份证号", "id_number", _id_text, aliases=("身份证号码",), width=22),
        Column("手机", "phone", clean_text, aliases=("手机号", "电话"), width=14),
    )
    FIELDS = services.TALENT_FIELDS

    def report_value(self, field, value):
        """The report shows an ID number and a phone masked, as every other page does (docs/0012)."""
        from .idnumber import mask_phone

        if field == "id_number" and value not in (None, ""):
            return mask_id_number(str(value))
        if field == "phone" and value not in (None, ""):
            return mask_phone(str(value))
        return value

    def prepare(self, rows):
        self.levels = _choice(Level.choices)
        self.degrees = _choice(Degree.choices)
        self.enterprises = self._enterprises(_usccs(rows, "enterprise"))
        names = {r["platform"] for r in rows if r.get("platform")}
        self.platforms = (
            {p.name: p for p in Platform.objects.for_user(self.user).filter(name__in=names)} if self.user else {}
        )

    def check_row(self, values, error):
        if not self._check_importer(error):
            return
        for field, table, extra in (("level", self.levels, LEVEL_WORDS), ("degree", self.degrees, DEGREE_WORDS)):
            given = values.get(field) or ""
            values[field] = _lookup(table, given, extra) if given else ""
            if values[field] is None:
                error(field, _("Unknown value “%(v)s”.") % {"v": given})
        values["academician"] = bool(values.get("academician"))
        self._enterprise(values, "enterprise", error)
        platform = values.get("platform") or ""
        values["platform"] = None
        if platform:
            values["platform"] = self.platforms.get(platform)
            if values["platform"] is None:
                error("platform", _("No platform is named “%(v)s”.") % {"v": platform})
        message = services.id_number_error(values.get("id_number") or "")
        if message:
            error("id_number", message)
        for field in ("programme", "field", "team", "id_number", "phone"):
            values[field] = values.get(field) or ""
        self._limits(values, error, (("name", 64), ("programme", 64), ("field", 64), ("team", 128), ("phone", 32)))
        number = values["id_number"]
        values["identity"] = (
            ("id", number)
            if number
            else (
                "name",
                values["name"],
                getattr(values["enterprise"], "pk", None),
                getattr(values["platform"], "pk", None),
            )
        )

    def write(self, rows, *, batch, progress: Progress) -> Counts:
        counts = Counts()
        by_number = {
            t.id_number: t
            for t in Talent.objects.filter(id_number__in=[r["id_number"] for r in rows if r["id_number"]])
        }
        by_name = {}
        for t in Talent.objects.filter(name__in=[r["name"] for r in rows], id_number="").order_by("pk"):
            by_name.setdefault((t.name, t.enterprise_id, t.platform_id), t)
        for n, row in enumerate(rows, start=1):
            fields = {f: row[f] for f in self.FIELDS}
            talent = (
                by_number.get(row["id_number"])
                if row["id_number"]
                else by_name.get(
                    (row["name"], getattr(row["enterprise"], "pk", None), getattr(row["platform"], "pk", None))
                )
            )
            if talent is None:
                counts.created += 1
                services.talent_save(by=self.user, **fields)
            elif all(getattr(talent, f) == v for f, v in fields.items()):
                counts.unchanged += 1
            else:
                counts.updated += 1
                services.talent_save(by=self.user, talent=talent, **fields)
            progress(62 + 33 * n // len(rows), _("Writing"))
        return counts

    def example_rows(self):
        return [
            ["张某某", "省“千人计划”", "省级", "否", "博士", "生物医药", "", "", "某某团队", "", ""],
            ["李某某", "", "", "是", "博士", "氟硅新材料", "", "", "", "", ""],
        ]


# --- Team applications ----------------------------------------------------------------------------------------------


def _members(value) -> list[dict]:
    """``姓名/学位/人才计划/计划级别`` each, separated by ；or a new line."""
    out = []
    for part in _MEMBERS_SPLIT.split("" if value is None else str(value)):
        part = clean_text(part)
        if not part:
            continue
        bits = [b.strip() for b in _PARTS_SPLIT.split(part)]
        if len(bits) > 4 or not bits[0]:
            raise CellError(_("Write each member as 姓名/学位/人才计划/计划级别: “%(v)s”.") % {"v": part})
        bits += [""] * (4 - len(bits))
        degree = DEGREE_WORDS.get(bits[1], bits[1].lower()) if bits[1] else ""
        if degree and degree not in Degree.values:
            raise CellError(_("Unknown degree “%(v)s”: 博士, 硕士, 学士 or 其他.") % {"v": bits[1]})
        level = LEVEL_WORDS.get(bits[3], bits[3].lower()) if bits[3] else ""
        if level and level not in Level.values:
            raise CellError(_("Unknown level “%(v)s”: 国家级, 省级 or 市级.") % {"v": bits[3]})
        out.append({"name": bits[0], "degree": degree, "programme": bits[2], "programme_level": level})
    return out


class TeamApplicationKind(TalentKind):
    name = "team-applications"
    label = gettext_lazy("team applications")
    key = ("team_name", "leader_name")
    columns = (
        Column("团队名称", "team_name", clean_text, required=True, aliases=("团队",), width=24),
        Column("负责人", "leader_name", clean_text, required=True, aliases=("团队负责人",), width=12),
        Column("团队成员", "members", _members, aliases=("成员",), width=48),
        Column("项目名称", "project", clean_text, required=True, aliases=("项目",), width=30),
        Column("领域", "field", clean_text, width=14),
        Column("拟注册资本（万元）", "registered_capital_wan_yuan", _money, required=True, width=14),
        Column("拟投资总额（万元）", "planned_investment_wan_yuan", _money, required=True, width=14),
        Column("需要场地", "needs_space", parse_bool, width=8),
        Column("需要资金", "needs_funds", parse_bool, width=8),
        Column("需要住房", "needs_housing", parse_bool, width=8),
        Column("扶持需求说明", "support_note", clean_text, width=24),
        Column("企业统一社会信用代码", "enterprise", clean_text, aliases=("统一社会信用代码",), width=22),
    )
    FIELDS = tuple(f for f in services.TEAM_FIELDS if f != "incubator")  # the workbook names no incubator

    def prepare(self, rows):
        self.enterprises = self._enterprises(_usccs(rows, "enterprise"))
        self.recorded = set(
            TeamApplication.objects.filter(team_name__in=[r["team_name"] for r in rows]).values_list(
                "team_name", "leader_name"
            )
        )

    def check_row(self, values, error):
        if not self._check_importer(error):
            return
        for field in ("needs_space", "needs_funds", "needs_housing"):
            values[field] = bool(values.get(field))
        values["field"], values["support_note"] = values.get("field") or "", values.get("support_note") or ""
        values["members"] = values.get("members") or []
        self._enterprise(values, "enterprise", error)
        if (values["team_name"], values["leader_name"]) in self.recorded:
            error("team_name", _("This team's application is recorded already: change it on its page."))
        self._limits(
            values,
            error,
            (("team_name", 128), ("leader_name", 64), ("project", 200), ("field", 64), ("support_note", 200)),
        )
        probe = TeamApplication(**{f: values.get(f) for f in self.FIELDS if f != "enterprise"})
        try:  # the model's own limits (digits, ranges), field by field
            probe.clean_fields(exclude=["enterprise", "submitted_by"])
        except ValidationError as problems:
            for field, messages in problems.message_dict.items():
                error(field, " ".join(messages))
        for member in values["members"]:
            try:
                TeamMember(**member).clean_fields(exclude=["application"])
            except ValidationError as problems:
                error("members", "; ".join(f"{member['name']}: {' '.join(m)}" for m in problems.message_dict.values()))

    def write(self, rows, *, batch, progress: Progress) -> Counts:
        counts = Counts()
        for n, row in enumerate(rows, start=1):
            services.team_apply(by=self.user, members=row["members"], **{f: row[f] for f in self.FIELDS})
            counts.created += 1
            progress(62 + 33 * n // len(rows), _("Writing"))
        return counts

    def example_rows(self):
        return [
            ["某某博士团队", "王某某", "王某某/博士/国家“千人计划”/国家级；李某某/硕士", "创新药物研发及产业化",
             "生物医药", 500, 2000, "是", "是", "否", "研发场地300平方米", ""],
        ]  # fmt: skip


# --- Partners -------------------------------------------------------------------------------------------------------


class PartnerKind(TalentKind):
    name = "talent-partners"
    label = gettext_lazy("partner institutions")
    key = ("name",)
    columns = (
        Column("名称", "name", clean_text, required=True, aliases=("院校名称", "合作院校"), width=28),
        Column("类型", "kind", clean_text, required=True, width=12),
        Column("城市", "city", clean_text, width=10),
        Column("协议签订日期", "agreement_signed_on", parse_date, required=True, aliases=("签订日期",), width=14),
        Column("协议到期日期", "agreement_ends_on", parse_date, aliases=("到期日期",), width=14),
        Column("合作范围", "scope", clean_text, width=30),
    )
    FIELDS = ("kind", "city", "agreement_signed_on", "agreement_ends_on", "scope")
    KIND_WORDS = {"大学": Partner.Kind.UNIVERSITY, "高校": Partner.Kind.UNIVERSITY, "院校": Partner.Kind.UNIVERSITY,
                  "科研院所": Partner.Kind.INSTITUTE, "研究所": Partner.Kind.INSTITUTE,
                  "研究院": Partner.Kind.INSTITUTE}  # fmt: skip

    def prepare(self, rows):
        self.kinds = _choice(Partner.Kind.choices)

    def check_row(self, values, error):
        if not self._check_importer(error):
            return
        given = values.get("kind") or ""
        values["kind"] = _lookup(self.kinds, given, self.KIND_WORDS)
        if values["kind"] is None:
            error("kind", _("Unknown type “%(v)s”: 大学 or 科研院所.") % {"v": given})
        values["city"], values["scope"] = values.get("city") or "", values.get("scope") or ""
        ends = values.get("agreement_ends_on")
        if ends and ends < values["agreement_signed_on"]:
            error("agreement_ends_on", _("The agreement cannot end before it is signed."))
        self._limits(values, error, (("name", 128), ("city", 32), ("scope", 200)))

    def write(self, rows, *, batch, progress: Progress) -> Counts:
        return self._upsert_by_name(rows, Partner, services.partner_save, "partner", progress)

    def example_rows(self):
        return [["某某理工大学", "大学", "杭州", "2020-05-01", "", "联合研发与人才培养"]]


KINDS = (PlatformKind(), TalentRowsKind(), TeamApplicationKind(), PartnerKind())
