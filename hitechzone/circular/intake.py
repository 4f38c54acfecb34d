"""Workbook kinds of M5: ``circular-materials``, ``circular-flows``, ``circular-exchanges`` and
``circular-resources``.

Like every kind, a file is checked whole (every bad row reported, with its cell and reason) and written all
together or not at all; rows are upserted on the kind's key, rows the file does not name stay as stored. The rules
are the services' (``services.formula_problem``, ``services.supplier_has_flow`` …), checked here in bulk.

- ``circular-materials`` (key: code): 物料代码, 物料名称, 英文名称, 化学式 (must parse; blank for a mixture),
  危险类别 (无, 腐蚀性, 毒性, 易燃, 氧化性, 环境危害 or the English code), 危险废物代码 (国家危险废物名录),
  处置成本(元/吨), 原生料价格(元/吨), 运输成本(元/吨·公里), 替代原生料减排CO2(吨/吨). Blank money cells are 0.
- ``circular-flows`` (key: enterprise, year, material, role): 统一社会信用代码, 企业名称 (as registered), 年度,
  物料代码 (a material's code or name), 类别 (投入, 产品, 副产品, 废物, 排放 or input, product, byproduct, waste,
  emission), 数量(吨/年), 纯度 (a fraction 0–1; blank: 1), 工艺.
- ``circular-exchanges`` (key: year, supplier, receiver, material): 年度, 供方统一社会信用代码,
  需方统一社会信用代码, 物料代码, 数量(吨/年), 运输方式 (管道 or 汽运), 距离(公里) (blank: from the parcels'
  centroids). The supplier must have a flow of the material in the year as a product, by-product or waste
  (already stored: import the flows first).
- ``circular-resources`` (key: enterprise, year): 统一社会信用代码, 企业名称, 年度, 新鲜水取用量(吨),
  重复用水量(吨), 工业固体废物产生量(吨), 工业固体废物综合利用量(吨), 工业固体废物贮存量(吨),
  主要资源消耗量(吨). Blank cells: not known.
"""

from __future__ import annotations

from decimal import Decimal
from functools import partial

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Avg
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hitechzone.common.intake import Column, Counts, Kind, Progress
from hitechzone.common.intake_write import upsert
from hitechzone.common.spreadsheets import CellError, clean_text, parse_decimal, parse_int
from hitechzone.enterprises.intake import INDICATOR_FIRST_YEAR, EnterpriseYearKind, name_key, parse_uscc
from hitechzone.enterprises.models import FIRST_YEAR, Enterprise
from hitechzone.zone.models import Parcel

from . import services
from .models import ZERO, Exchange, Flow, Material, ResourceYear

CHUNK = 5000

HAZARDS = {
    "无": "none",
    "非危险": "none",
    "腐蚀性": "corrosive",
    "毒性": "toxic",
    "易燃": "flammable",
    "氧化性": "oxidising",
    "环境危害": "environment",
}
ROLES = {
    "投入": "input",
    "原料": "input",
    "产品": "product",
    "副产品": "byproduct",
    "副产物": "byproduct",
    "by-product": "byproduct",
    "废物": "waste",
    "固废": "waste",
    "排放": "emission",
}
MODES = {"管道": "pipeline", "汽运": "truck", "汽车": "truck", "槽车": "truck"}
ROLE_EXPORT = {"input": "投入", "product": "产品", "byproduct": "副产品", "waste": "废物", "emission": "排放"}
HAZARD_EXPORT = {v: k for k, v in reversed(HAZARDS.items())}
MODE_EXPORT = {"pipeline": "管道", "truck": "汽运"}


def _choice(table: dict[str, str], value) -> str | None:
    """A Chinese term of ``table``, or one of its codes (any case); None for a blank cell."""
    text = clean_text(value)
    if not text:
        return None
    folded = text.lower()
    if folded in table:
        return table[folded]
    if text in table:
        return table[text]
    if folded in table.values():
        return folded
    raise CellError(
        _("“%(v)s” is not one of %(choices)s.")
        % {"v": text, "choices": "、".join([*(k for k in table if not k.isascii()), *sorted(set(table.values()))])}
    )


def _purity(value):
    number = parse_decimal(value, places=4)
    if number is not None and number > 1:
        raise CellError(_("%(v)s is above 1: give the purity as a fraction (0.995 for 99.5 %%).") % {"v": number})
    return number


def _fits(model, values: dict, error) -> None:
    """Text within the model field's length, numbers within its digits."""
    for name, value in values.items():
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue  # not a model field (uscc, name …)
        if isinstance(value, str) and getattr(field, "max_length", None) and len(value) > field.max_length:
            error(name, _("At most %(n)d characters.") % {"n": field.max_length})
        elif (
            isinstance(value, Decimal)
            and getattr(field, "max_digits", None)
            and abs(value) >= Decimal(10) ** (field.max_digits - field.decimal_places)
        ):
            error(name, _("%(v)s is too large.") % {"v": value})


def _in_chunks(queryset, field: str, ids):
    ids = list(ids)
    for i in range(0, len(ids), CHUNK):
        yield from queryset.filter(**{f"{field}__in": ids[i : i + CHUNK]})


def _materials_table() -> dict[str, tuple[int, str]]:
    table = {}
    for pk, code, name in Material.objects.values_list("id", "code", "name"):
        table[name_key(name).lower()] = (pk, code)
        table[code.lower()] = (pk, code)
    return table


def _material(kind, values, error) -> bool:
    found = kind.materials.get(name_key(values["material"]).lower())
    if found is None:
        error(
            "material",
            _("No material has the code or name “%(v)s”: add it first (kind “circular-materials”).")
            % {"v": values["material"]},
        )
        return False
    values["material_id"], values["material_code"] = found
    return True


# --- Materials ---------------------------------------------------------------------------------------------------


class MaterialKind(Kind):
    name = "circular-materials"
    label = gettext_lazy("materials")
    key = ("code",)
    money = partial(parse_decimal, places=2)
    ratio = partial(parse_decimal, places=3)
    columns = (
        Column("物料代码", "code", clean_text, required=True, aliases=("代码",), width=16),
        Column("物料名称", "name", clean_text, required=True, aliases=("名称",), width=18),
        Column("英文名称", "name_en", clean_text, width=22),
        Column("化学式", "formula", clean_text, aliases=("分子式",), width=16),
        Column("危险类别", "hazard", partial(_choice, HAZARDS), width=10),
        Column("危险废物代码", "hazardous_waste_code", clean_text, aliases=("危废代码",), width=14),
        Column("处置成本(元/吨)", "disposal_cost_yuan_per_t", money, width=16),
        Column("原生料价格(元/吨)", "virgin_price_yuan_per_t", money, aliases=("原料价格(元/吨)",), width=16),
        Column("运输成本(元/吨·公里)", "transport_cost_yuan_per_t_km", ratio, width=20),
        Column("替代原生料减排CO2(吨/吨)", "co2_avoided_t_per_t", ratio, width=22),
    )
    FIELDS = (
        "name",
        "name_en",
        "formula",
        "hazard",
        "hazardous_waste_code",
        "disposal_cost_yuan_per_t",
        "virgin_price_yuan_per_t",
        "transport_cost_yuan_per_t_km",
        "co2_avoided_t_per_t",
    )
    NUMBERS = FIELDS[5:]

    def check_row(self, values, error):
        code = values["code"]
        if slugify(code) != code:
            error("code", _("The code is a short slug of letters, digits and hyphens, e.g. “hcl”."))
        problem = services.formula_problem(values.get("formula") or "")
        if problem:
            error("formula", problem)
        values["hazard"] = values.get("hazard") or Material.Hazard.NONE
        for text in ("name_en", "formula", "hazardous_waste_code"):
            values[text] = values.get(text) or ""
        for number in self.NUMBERS:
            if values.get(number) is None:
                values[number] = ZERO
        _fits(Material, values, error)

    def write(self, rows, *, batch, progress: Progress) -> Counts:
        existing = {
            (m["code"],): m
            for m in _in_chunks(Material.objects.values("id", "code", *self.FIELDS), "code", [r["code"] for r in rows])
        }
        counts, _ids = upsert(
            model=Material,
            rows=[{f: r[f] for f in ("code", *self.FIELDS)} for r in rows],
            key=self.key,
            fields=self.FIELDS,
            existing=existing,
            describe=lambda r: (f"{r['name']} ({r['formula']})" if r["formula"] else r["name"], None),
            batch=batch,
            progress=progress,
        )
        return counts

    def example_rows(self):
        return [
            ["hcl", "氯化氢", "hydrogen chloride", "HCl", "腐蚀性", "", 800, 600, 0.8, 0.5],
            ["hcfc-22", "二氟一氯甲烷", "chlorodifluoromethane", "CHClF2", "环境危害", "", 0, 15000, 1.2, 0],
            ["fluorogypsum", "氟石膏", "fluorogypsum", "CaSO4·2H2O", "无", "", 60, 30, 0.6, 0.1],
        ]

    def export_rows(self, queryset):
        for m in queryset.order_by("code"):
            yield [
                m.code,
                m.name,
                m.name_en,
                m.formula,
                HAZARD_EXPORT.get(m.hazard, m.hazard),
                m.hazardous_waste_code,
                *(getattr(m, f) for f in self.NUMBERS),
            ]


# --- Flows -------------------------------------------------------------------------------------------------------


class FlowKind(EnterpriseYearKind):
    name = "circular-flows"
    label = gettext_lazy("material flows")
    key = ("enterprise_id", "year", "material_id", "role")
    key_columns = ("uscc", "year", "material", "role")
    columns = (
        Column("统一社会信用代码", "uscc", parse_uscc, required=True, width=22),
        Column("企业名称", "name", clean_text, required=True, width=32),
        Column("年度", "year", partial(parse_int, minimum=FIRST_YEAR), required=True, width=8),
        Column("物料代码", "material", clean_text, required=True, aliases=("物料",), width=16),
        Column("类别", "role", partial(_choice, ROLES), required=True, aliases=("流向", "角色"), width=10),
        Column("数量(吨/年)", "quantity_t", partial(parse_decimal, places=3), required=True, width=14),
        Column("纯度", "purity", _purity, width=8),
        Column("工艺", "process", clean_text, width=24),
    )
    FIELDS = ("quantity_t", "purity", "process")

    def prepare(self, rows):
        super().prepare(rows)
        self.materials = _materials_table()

    def check_row(self, values, error):
        if not self.check_enterprise_year(values, error):
            return
        if not _material(self, values, error):
            return
        if values.get("purity") is None:
            values["purity"] = Decimal(1)
        values["process"] = values.get("process") or ""
        _fits(Flow, {k: values[k] for k in self.FIELDS}, error)

    def write(self, rows, *, batch, progress: Progress) -> Counts:
        stored = Flow.objects.filter(year__in={r["year"] for r in rows}).values(
            "id", "enterprise_id", "year", "material_id", "role", *self.FIELDS
        )
        existing = {
            (f["enterprise_id"], f["year"], f["material_id"], f["role"]): f
            for f in _in_chunks(stored, "enterprise_id", {r["enterprise_id"] for r in rows})
        }
        names = dict(self.enterprises.values())
        codes = dict(self.materials.values())
        counts, _ids = upsert(
            model=Flow,
            rows=[{f: r[f] for f in (*self.key, *self.FIELDS)} for r in rows],
            key=self.key,
            fields=self.FIELDS,
            existing=existing,
            describe=lambda r: (
                f"{names[r['enterprise_id']]} {r['year']} {ROLE_EXPORT[r['role']]} {codes[r['material_id']]}",
                r["enterprise_id"],
            ),
            batch=batch,
            progress=progress,
        )
        return counts

    def example_rows(self):
        year = timezone.localdate().year - 1
        uscc, name = "91330800MA28F1PT0X", "浙江示例氟材料有限公司"
        return [
            [uscc, name, year, "chcl3", "投入", 14000, 0.995, "HCFC-22"],
            [uscc, name, year, "hcfc-22", "产品", 10000, 0.999, "HCFC-22"],
            [uscc, name, year, "hcl", "副产品", 8430, 0.31, "HCFC-22"],
        ]

    def export_rows(self, queryset):
        for f in queryset.select_related("enterprise", "material").order_by("enterprise__uscc", "year", "role"):
            yield [
                f.enterprise.uscc,
                f.enterprise.name,
                f.year,
                f.material.code,
                ROLE_EXPORT[f.role],
                f.quantity_t,
                f.purity,
                f.process,
            ]


# --- Exchanges ---------------------------------------------------------------------------------------------------


class ExchangeKind(Kind):
    name = "circular-exchanges"
    label = gettext_lazy("by-product exchanges")
    key = ("year", "supplier_id", "receiver_id", "material_id")
    key_columns = ("year", "supplier", "receiver", "material")
    columns = (
        Column("年度", "year", partial(parse_int, minimum=FIRST_YEAR), required=True, width=8),
        Column("供方统一社会信用代码", "supplier", parse_uscc, required=True, aliases=("供方",), width=22),
        Column("需方统一社会信用代码", "receiver", parse_uscc, required=True, aliases=("需方",), width=22),
        Column("物料代码", "material", clean_text, required=True, aliases=("物料",), width=16),
        Column("数量(吨/年)", "quantity_t", partial(parse_decimal, places=3), required=True, width=14),
        Column("运输方式", "mode", partial(_choice, MODES), required=True, width=10),
        Column("距离(公里)", "distance_km", partial(parse_decimal, places=2), width=12),
    )
    FIELDS = ("quantity_t", "mode", "distance_km")

    def prepare(self, rows):
        codes = list({r[k] for r in rows for k in ("supplier", "receiver")})
        self.enterprises = {
            uscc: (pk, name)
            for pk, uscc, name in _in_chunks(Enterprise.objects.values_list("id", "uscc", "name"), "uscc", codes)
        }
        self.materials = _materials_table()
        ids = [pk for pk, _name in self.enterprises.values()]
        years = {r["year"] for r in rows}
        supply = Flow.objects.filter(year__in=years, role__in=services.SUPPLY_ROLES).values_list(
            "enterprise_id", "year", "material_id"
        )
        self.supplies = set(_in_chunks(supply, "enterprise_id", ids))
        located = _in_chunks(
            Parcel.objects.filter(latitude__isnull=False, longitude__isnull=False)
            .values("enterprise_id")
            .annotate(lat=Avg("latitude"), lon=Avg("longitude"))
            .values_list("enterprise_id", "lat", "lon"),
            "enterprise_id",
            ids,
        )
        self.locations = {pk: (float(lat), float(lon)) for pk, lat, lon in located}
        self.last_year = timezone.localdate().year

    def check_row(self, values, error):
        ok = True
        for end in ("supplier", "receiver"):
            found = self.enterprises.get(values[end])
            if found is None:
                error(end, _("No enterprise with this USCC is registered: register it first (kind “enterprises”)."))
                ok = False
            else:
                values[f"{end}_id"], values[f"{end}_name"] = found
        if not INDICATOR_FIRST_YEAR <= values["year"] <= self.last_year:
            error(
                "year",
                _("The year must be between %(a)d and %(b)d.") % {"a": INDICATOR_FIRST_YEAR, "b": self.last_year},
            )
            ok = False
        if not _material(self, values, error) or not ok:
            return
        if values["supplier_id"] == values["receiver_id"]:
            error("receiver", _("The supplier and the receiver must be different."))
            return
        if (values["supplier_id"], values["year"], values["material_id"]) not in self.supplies:
            error(
                "material",
                services.no_supply_message(
                    supplier=values["supplier_name"], year=values["year"], material=values["material_code"]
                ),
            )
        if values.get("distance_km") is None:
            a, b = self.locations.get(values["supplier_id"]), self.locations.get(values["receiver_id"])
            if a is None or b is None:
                error(
                    "distance_km", _("Give the distance: the supplier or the receiver has no parcel with coordinates.")
                )
            else:
                values["distance_km"] = Decimal(str(round(services.haversine_km(a, b), 2)))
        _fits(Exchange, {k: values.get(k) for k in self.FIELDS}, error)

    def write(self, rows, *, batch, progress: Progress) -> Counts:
        stored = Exchange.objects.filter(year__in={r["year"] for r in rows}).values(
            "id", "year", "supplier_id", "receiver_id", "material_id", *self.FIELDS
        )
        existing = {
            tuple(x[k] for k in self.key): x
            for x in _in_chunks(stored, "supplier_id", {r["supplier_id"] for r in rows})
        }
        names = dict(self.enterprises.values())
        codes = dict(self.materials.values())
        counts, _ids = upsert(
            model=Exchange,
            rows=[{f: r[f] for f in (*self.key, *self.FIELDS)} for r in rows],
            key=self.key,
            fields=self.FIELDS,
            existing=existing,
            describe=lambda r: (
                f"{names[r['supplier_id']]} → {names[r['receiver_id']]}: {codes[r['material_id']]} {r['year']}",
                r["supplier_id"],
            ),
            batch=batch,
            progress=progress,
        )
        return counts

    def example_rows(self):
        year = timezone.localdate().year - 1
        return [[year, "91330800MA28F1PT0X", "91330800MA28F1PU8Y", "hcl", 6000, "管道", 1.2]]

    def export_rows(self, queryset):
        for x in queryset.select_related("supplier", "receiver", "material").order_by("year", "material__code"):
            yield [
                x.year,
                x.supplier.uscc,
                x.receiver.uscc,
                x.material.code,
                x.quantity_t,
                MODE_EXPORT[x.mode],
                x.distance_km,
            ]


# --- Yearly resource data ----------------------------------------------------------------------------------------


class ResourceKind(EnterpriseYearKind):
    name = "circular-resources"
    label = gettext_lazy("yearly resource data")
    key = ("enterprise_id", "year")
    key_columns = ("uscc", "year")
    tonnes = partial(parse_decimal, places=3)
    columns = (
        Column("统一社会信用代码", "uscc", parse_uscc, required=True, width=22),
        Column("企业名称", "name", clean_text, required=True, width=32),
        Column("年度", "year", partial(parse_int, minimum=FIRST_YEAR), required=True, width=8),
        Column("新鲜水取用量(吨)", "fresh_water_t", tonnes, aliases=("新鲜水用量(吨)",), width=16),
        Column("重复用水量(吨)", "reused_water_t", tonnes, width=14),
        Column("工业固体废物产生量(吨)", "solid_waste_generated_t", tonnes, width=20),
        Column("工业固体废物综合利用量(吨)", "solid_waste_used_t", tonnes, width=22),
        Column("工业固体废物贮存量(吨)", "solid_waste_stored_t", tonnes, width=20),
        Column("主要资源消耗量(吨)", "main_resources_t", tonnes, width=18),
    )
    FIELDS = (
        "fresh_water_t",
        "reused_water_t",
        "solid_waste_generated_t",
        "solid_waste_used_t",
        "solid_waste_stored_t",
        "main_resources_t",
    )

    def check_row(self, values, error):
        if self.check_enterprise_year(values, error):
            _fits(ResourceYear, {k: values.get(k) for k in self.FIELDS}, error)

    def write(self, rows, *, batch, progress: Progress) -> Counts:
        fields = tuple(f for f in self.FIELDS if rows and f in rows[0])
        stored = ResourceYear.objects.filter(year__in={r["year"] for r in rows}).values(
            "id", "enterprise_id", "year", *fields
        )
        existing = {
            (x["enterprise_id"], x["year"]): x
            for x in _in_chunks(stored, "enterprise_id", {r["enterprise_id"] for r in rows})
        }
        names = dict(self.enterprises.values())
        counts, _ids = upsert(
            model=ResourceYear,
            rows=[{f: r.get(f) for f in (*self.key, *fields)} for r in rows],
            key=self.key,
            fields=fields,
            existing=existing,
            describe=lambda r: (f"{names[r['enterprise_id']]} {r['year']}", r["enterprise_id"]),
            batch=batch,
            progress=progress,
        )
        return counts

    def example_rows(self):
        year = timezone.localdate().year - 1
        return [["91330800MA28F1PT0X", "浙江示例氟材料有限公司", year, 820000, 2460000, 36000, 34200, 1800, 120000]]

    def export_rows(self, queryset):
        for r in queryset.select_related("enterprise").order_by("enterprise__uscc", "year"):
            yield [r.enterprise.uscc, r.enterprise.name, r.year, *(getattr(r, f) for f in self.FIELDS)]


KINDS = (MaterialKind, FlowKind, ExchangeKind, ResourceKind)
