"""Workbook kinds of the enterprise registry: ``enterprises`` and ``indicators`` (the yearly figures)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from functools import partial

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hitechzone.common.intake import Column, Counts, Kind, Progress
from hitechzone.common.intake_write import SELF, upsert
from hitechzone.common.spreadsheets import CellError, clean_text, parse_bool, parse_date, parse_decimal, parse_int
from hitechzone.zone.models import Block, Brand, FunctionalArea

from .models import FIRST_YEAR, Enterprise, EnterpriseIndicator, Industry, IndustryChain
from .uscc import normalise, problems

INDICATOR_FIRST_YEAR = 2000


def parse_uscc(value) -> str:
    code = normalise(clean_text(value))
    if not code:
        return ""
    found = problems(code)
    if found:
        raise CellError(_("Invalid USCC: %(msg)s") % {"msg": found[0].message})
    return code


def name_key(name: str) -> str:
    """Names compare without spaces and with full-width brackets folded: （） and () are the same."""
    return re.sub(r"\s+", "", clean_text(name))


def _lookup(table: dict[str, object], value: str, what: str):
    found = table.get(name_key(value).lower())
    if found is None:
        raise CellError(_("No %(what)s is called “%(v)s”.") % {"what": what, "v": value})
    return found


def _names_table(objects, *attrs: str) -> dict[str, object]:
    table = {}
    for obj in objects:
        for attr in attrs:
            value = getattr(obj, attr, "")
            if value:
                table[name_key(str(value)).lower()] = obj
    return table


class EnterpriseYearKind(Kind):
    """A kind whose rows are about a registered enterprise (USCC + name as registered) in a year up to this one.

    ``prepare`` looks the file's enterprises up in bulk; ``check_enterprise_year`` checks a row and sets its
    ``enterprise_id``, or reports the problem and answers False."""

    def prepare(self, rows):
        codes = list({r["uscc"] for r in rows})
        self.enterprises = {}
        for i in range(0, len(codes), 5000):
            found = Enterprise.objects.filter(uscc__in=codes[i : i + 5000]).values_list("id", "uscc", "name")
            self.enterprises.update({uscc: (pk, name) for pk, uscc, name in found})
        self.last_year = timezone.localdate().year

    def check_enterprise_year(self, values, error) -> bool:
        found = self.enterprises.get(values["uscc"])
        if found is None:
            error("uscc", _("No enterprise with this USCC is registered: register it first (kind “enterprises”)."))
            return False
        pk, registered = found
        if name_key(values["name"]) != name_key(registered):
            error(
                "name",
                _("This USCC belongs to “%(registered)s”, not “%(given)s”.")
                % {"registered": registered, "given": values["name"]},
            )
            return False
        if not INDICATOR_FIRST_YEAR <= values["year"] <= self.last_year:
            error(
                "year",
                _("The year must be between %(a)d and %(b)d.") % {"a": INDICATOR_FIRST_YEAR, "b": self.last_year},
            )
            return False
        values["enterprise_id"] = pk
        return True


class IndicatorKind(EnterpriseYearKind):
    name = "indicators"
    label = gettext_lazy("yearly indicators")
    key = ("enterprise_id", "year")
    key_columns = ("uscc", "year")
    money = partial(parse_decimal, places=2)
    quantity = partial(parse_decimal, places=3)
    columns = (
        Column("统一社会信用代码", "uscc", parse_uscc, required=True, width=22),
        Column("企业名称", "name", clean_text, required=True, width=32),
        Column("年度", "year", partial(parse_int, minimum=FIRST_YEAR), required=True, width=8),
        Column("是否规上", "is_above_scale", parse_bool, width=10),
        Column("用地面积(亩)", "land_mu", partial(parse_decimal, places=4)),
        Column("工业总产值(万元)", "gross_output_wan_yuan", money, width=16),
        Column("营业收入(万元)", "revenue_wan_yuan", money),
        Column("税收实际入库(万元)", "tax_wan_yuan", money, width=18),
        Column("工业增加值(万元)", "value_added_wan_yuan", money, width=16),
        Column("研发经费支出(万元)", "rd_spending_wan_yuan", money, width=18),
        Column("综合能耗(吨标准煤)", "energy_tce", quantity, width=18),
        Column("用电量(万千瓦时)", "electricity_wan_kwh", quantity, width=16),
        Column("化学需氧量(吨)", "cod_t", quantity),
        Column("氨氮(吨)", "ammonia_nitrogen_t", quantity, width=10),
        Column("二氧化硫(吨)", "so2_t", quantity),
        Column("氮氧化物(吨)", "nox_t", quantity),
        Column("年平均职工人数(人)", "employees_avg", parse_int, width=18),
        Column("用水量(万吨)", "water_wan_t", quantity, width=14),
    )
    FIELDS = ("is_above_scale", *EnterpriseIndicator.FIGURES)

    def check_row(self, values, error):
        if not self.check_enterprise_year(values, error):
            return
        if values.get("is_above_scale") is None:
            values["is_above_scale"] = False

    # Columns added to the template after files were already in use: a file without the column (an older
    # template) imports, and leaves what is stored in that field as it is. A file with the column writes it,
    # blank cells included (blank: not known).
    OPTIONAL_LATER = ("water_wan_t",)

    def fields_in(self, rows) -> tuple[str, ...]:
        """The fields this file writes: all but the later columns its header lacks (every row of a file has the
        same columns: the validation sets a field, None for a blank cell, for each column it found)."""
        sample = rows[0] if rows else {}
        return tuple(f for f in self.FIELDS if f not in self.OPTIONAL_LATER or f in sample)

    def write(self, rows, *, batch, progress: Progress) -> Counts:
        enterprise_ids = {r["enterprise_id"] for r in rows}
        years = {r["year"] for r in rows}
        fields = self.fields_in(rows)
        existing = {}
        qs = EnterpriseIndicator.objects.filter(year__in=years).values("id", "enterprise_id", "year", *fields)
        ids = list(enterprise_ids)
        for i in range(0, len(ids), 5000):
            for stored in qs.filter(enterprise_id__in=ids[i : i + 5000]):
                existing[(stored["enterprise_id"], stored["year"])] = stored
        names = dict(self.enterprises.values())
        payload = [{f: r.get(f) for f in ("enterprise_id", "year", *fields)} for r in rows]
        counts, _ids = upsert(
            model=EnterpriseIndicator,
            rows=payload,
            key=self.key,
            fields=fields,
            existing=existing,
            describe=lambda r: (f"{names[r['enterprise_id']]} {r['year']}", r["enterprise_id"]),
            touch={"updated_at": timezone.now()},
            batch=batch,
            progress=progress,
        )
        return counts

    def example_rows(self):
        return [
            [
                "91330800MA28F1PT0X",
                "浙江示例氟材料有限公司",
                timezone.localdate().year - 1,
                "是",
                50.5,
                25000,
                24800,
                1250.5,
                6200,
                750,
                12000,
                3600,
                12.5,
                1.2,
                8.4,
                9.6,
                180,
                42.5,
            ]
        ]

    def export_rows(self, queryset):
        for ind in queryset.select_related("enterprise").order_by("enterprise__uscc", "year"):
            yield [
                ind.enterprise.uscc,
                ind.enterprise.name,
                ind.year,
                "是" if ind.is_above_scale else "否",
                *(getattr(ind, f) for f in EnterpriseIndicator.FIGURES),
            ]


SIZES = {"大型": "large", "中型": "medium", "小型": "small", "微型": "micro"}
STATUSES = {"在营": "operating", "正常": "operating", "在建": "construction", "停产": "suspended", "退出": "exited"}
CHAIN_SEPARATORS = re.compile(r"[、,，;；/|]+")


def parse_choice(table: dict[str, str], value):
    text = clean_text(value)
    if not text:
        return None
    if text in table:
        return table[text]
    if text in table.values():
        return text
    raise CellError(_("“%(v)s” is not one of %(choices)s.") % {"v": text, "choices": "、".join(table)})


def parse_chains(value) -> list[str]:
    return [c for c in (clean_text(x) for x in CHAIN_SEPARATORS.split(clean_text(value))) if c]


class EnterpriseKind(Kind):
    name = "enterprises"
    label = gettext_lazy("enterprises")
    key = ("uscc",)
    columns = (
        Column("统一社会信用代码", "uscc", parse_uscc, required=True, width=22),
        Column("企业名称", "name", clean_text, required=True, width=32),
        Column("法定代表人", "legal_representative", clean_text, width=12),
        Column("所属园区", "brand", clean_text, required=True, aliases=("园区", "牌子", "所属牌子"), width=18),
        Column("功能区", "functional_area", clean_text, width=16),
        Column("区块", "block", clean_text, width=14),
        Column("行业代码", "industry", clean_text, aliases=("国民经济行业代码",), width=10),
        Column("产业链", "chains", parse_chains, width=18),
        Column("是否规上", "is_above_scale", parse_bool, width=10),
        Column("是否工业企业", "is_industrial", parse_bool, width=12),
        Column("企业规模", "size", partial(parse_choice, SIZES), width=10),
        Column("企业状态", "status", partial(parse_choice, STATUSES), width=10),
        Column("成立日期", "established_on", parse_date, width=12),
        Column("注册资本(万元)", "registered_capital_wan_yuan", parse_decimal, width=14),
        Column("地址", "address", clean_text, width=30),
    )
    FIELDS = (
        "name",
        "legal_representative",
        "brand_id",
        "functional_area_id",
        "block_id",
        "industry_id",
        "is_above_scale",
        "is_industrial",
        "size",
        "status",
        "established_on",
        "registered_capital_wan_yuan",
        "address",
    )

    def prepare(self, rows):
        self.brands = _names_table(Brand.objects.all(), "name", "short_name", "code")
        self.areas = _names_table(FunctionalArea.objects.all(), "name", "code")
        self.blocks = _names_table(Block.objects.all(), "name", "code")
        self.chains = _names_table(IndustryChain.objects.all(), "name", "code", "name_en")
        self.industries = set(Industry.objects.values_list("code", flat=True))

    def check_row(self, values, error):
        for field, table, what in (
            ("brand", self.brands, _("brand")),
            ("functional_area", self.areas, _("functional area")),
            ("block", self.blocks, _("block")),
        ):
            if values.get(field):
                try:
                    values[f"{field}_id"] = _lookup(table, values[field], what).pk
                except CellError as exc:
                    error(field, str(exc))
            else:
                values[f"{field}_id"] = None
        code = values.get("industry") or ""
        code = code.split(" ")[0]
        if code and code not in self.industries:
            error("industry", _("“%(v)s” is not a GB/T 4754-2017 code.") % {"v": code})
        values["industry_id"] = code or None
        chain_ids = []
        for chain in values.get("chains") or []:
            try:
                chain_ids.append(_lookup(self.chains, chain, _("industry chain")).pk)
            except CellError as exc:
                error("chains", str(exc))
        values["chain_ids"] = sorted(set(chain_ids)) if "chains" in values else None
        for flag, default in (("is_above_scale", False), ("is_industrial", True)):
            if values.get(flag) is None:
                values[flag] = default
        values["size"] = values.get("size") or ""
        values["status"] = values.get("status") or Enterprise.Status.OPERATING
        for text_field in ("legal_representative", "address"):
            values[text_field] = values.get(text_field) or ""

    def write(self, rows, *, batch, progress: Progress) -> Counts:
        codes = [r["uscc"] for r in rows]
        existing = {}
        for i in range(0, len(codes), 5000):
            for stored in Enterprise.objects.filter(uscc__in=codes[i : i + 5000]).values("id", "uscc", *self.FIELDS):
                existing[(stored["uscc"],)] = stored
        payload = [{"uscc": r["uscc"], **{f: r.get(f) for f in self.FIELDS}} for r in rows]
        counts, ids = upsert(
            model=Enterprise,
            rows=payload,
            key=self.key,
            fields=self.FIELDS,
            existing=existing,
            describe=lambda r: (r["name"], SELF),
            touch={"updated_at": timezone.now()},
            batch=batch,
            progress=progress,
            progress_span=(62, 90),
        )
        self._write_chains(rows, ids, batch)
        return counts

    def _write_chains(self, rows, ids, batch) -> None:
        from hitechzone.common.audit import bulk_events, bulk_write

        through = Enterprise.chains.through
        wanted = {
            ids[(r["uscc"],)]: r["chain_ids"] for r in rows if r.get("chain_ids") is not None and (r["uscc"],) in ids
        }
        if not wanted:
            return
        current: dict[int, list[int]] = {}
        for eid, cid in through.objects.filter(enterprise_id__in=list(wanted)).values_list(
            "enterprise_id", "industrychain_id"
        ):
            current.setdefault(eid, []).append(cid)
        changed = {eid: chains for eid, chains in wanted.items() if sorted(current.get(eid, [])) != chains}
        if not changed:
            return
        with bulk_write(Enterprise):  # the chains in bulk, then their audit records
            through.objects.filter(enterprise_id__in=list(changed)).delete()
            through.objects.bulk_create(
                [through(enterprise_id=eid, industrychain_id=cid) for eid, chains in changed.items() for cid in chains]
            )
            codes = dict(IndustryChain.objects.values_list("id", "code"))
            names = dict(Enterprise.objects.filter(pk__in=list(changed)).values_list("id", "name"))
            bulk_events(
                model=Enterprise,
                rows=[
                    (
                        str(eid),
                        names[eid],
                        eid,
                        "update",
                        {"chains": [[codes[c] for c in sorted(current.get(eid, []))], [codes[c] for c in chains]]},
                    )
                    for eid, chains in changed.items()
                ],
                user=batch.user,
                source="import",
                batch=batch,
            )

    def example_rows(self):
        return [
            [
                "91330800MA28F1PT0X",
                "浙江示例氟材料有限公司",
                "张三",
                "绿色产业集聚区",
                "氟硅化工功能区",
                "",
                "2614",
                "氟化工、有机硅",
                "是",
                "是",
                "中型",
                "在营",
                date(2015, 6, 1),
                Decimal("5000"),
                "示例路 1 号",
            ]
        ]

    def export_rows(self, queryset):
        for e in queryset:
            yield [
                e.uscc,
                e.name,
                e.legal_representative,
                e.brand.name,
                e.functional_area.name if e.functional_area else "",
                e.block.name if e.block_id and e.block else "",
                e.industry_id or "",
                "、".join(c.name for c in e.chains.all()),
                "是" if e.is_above_scale else "否",
                "是" if e.is_industrial else "否",
                {v: k for k, v in SIZES.items()}.get(e.size, ""),
                {"operating": "在营", "construction": "在建", "suspended": "停产", "exited": "退出"}.get(e.status, ""),
                e.established_on,
                e.registered_capital_wan_yuan,
                e.address,
            ]
