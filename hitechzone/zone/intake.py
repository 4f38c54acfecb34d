"""Workbook kind ``parcels``: land parcels with their area in 亩 and/or m² (kept consistent)."""

from __future__ import annotations

from decimal import Decimal
from functools import partial

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hitechzone.common.intake import Column, Counts, Kind, Progress
from hitechzone.common.intake_write import upsert
from hitechzone.common.spreadsheets import CellError, clean_text, parse_date, parse_decimal
from hitechzone.common.units import MU_TOLERANCE, m2_to_mu, mu_to_m2
from hitechzone.enterprises.intake import _lookup, _names_table, parse_choice, parse_uscc
from hitechzone.enterprises.models import Enterprise

from .models import Block, Brand, FunctionalArea, Parcel

LAND_USES_ZH = {
    "工业": "industrial",
    "工业用地": "industrial",
    "仓储物流": "warehouse",
    "仓储": "warehouse",
    "商业": "commercial",
    "研发": "research",
    "科研": "research",
    "居住": "residential",
    "生活配套": "residential",
    "公共设施": "public",
    "储备用地": "reserve",
    "储备": "reserve",
}

LAND_USE_EXPORT = {
    "industrial": "工业",
    "warehouse": "仓储物流",
    "commercial": "商业",
    "research": "研发",
    "residential": "生活配套",
    "public": "公共设施",
    "reserve": "储备用地",
}


class ParcelKind(Kind):
    name = "parcels"
    label = gettext_lazy("parcels")
    key = ("code",)
    columns = (
        Column("地块编号", "code", clean_text, required=True, width=18),
        Column("坐落", "name", clean_text, aliases=("位置", "地块位置"), width=24),
        Column("所属园区", "brand", clean_text, required=True, aliases=("园区", "牌子"), width=18),
        Column("区块", "block", clean_text, width=14),
        Column("功能区", "functional_area", clean_text, width=16),
        Column(
            "用地企业统一社会信用代码", "enterprise_uscc", parse_uscc, aliases=("用地单位统一社会信用代码",), width=24
        ),
        Column("用地性质", "land_use", partial(parse_choice, LAND_USES_ZH), width=10),
        Column("面积(亩)", "area_mu", partial(parse_decimal, places=4)),
        Column("面积(平方米)", "area_m2", partial(parse_decimal, places=2), aliases=("面积(m²)", "面积(m2)")),
        Column("纬度", "latitude", partial(parse_decimal, places=6, minimum=Decimal(-90)), width=12),
        Column("经度", "longitude", partial(parse_decimal, places=6, minimum=Decimal(-180)), width=12),
        Column("取得日期", "acquired_on", parse_date, width=12),
    )
    FIELDS = (
        "name",
        "brand_id",
        "block_id",
        "functional_area_id",
        "enterprise_id",
        "land_use",
        "area_mu",
        "area_m2",
        "latitude",
        "longitude",
        "acquired_on",
    )

    def prepare(self, rows):
        self.brands = _names_table(Brand.objects.all(), "name", "short_name", "code")
        self.areas = _names_table(FunctionalArea.objects.all(), "name", "code")
        self.blocks = _names_table(Block.objects.all(), "name", "code")
        codes = {r["enterprise_uscc"] for r in rows if r.get("enterprise_uscc")}
        self.enterprises = dict(Enterprise.objects.filter(uscc__in=codes).values_list("uscc", "id"))

    def check_row(self, values, error):
        for field, table, what in (
            ("brand", self.brands, _("brand")),
            ("functional_area", self.areas, _("functional area")),
            ("block", self.blocks, _("block")),
        ):
            values[f"{field}_id"] = None
            if values.get(field):
                try:
                    values[f"{field}_id"] = _lookup(table, values[field], what).pk
                except CellError as exc:
                    error(field, str(exc))
        values["enterprise_id"] = None
        if values.get("enterprise_uscc"):
            values["enterprise_id"] = self.enterprises.get(values["enterprise_uscc"])
            if values["enterprise_id"] is None:
                error("enterprise_uscc", _("No enterprise with this USCC is registered."))
        mu, m2 = values.get("area_mu"), values.get("area_m2")
        if mu is None and m2 is None:
            error("area_mu", _("Give the area in mu or in square metres."))
            return
        if (mu is not None and mu <= 0) or (m2 is not None and m2 <= 0):
            error("area_mu" if mu is not None and mu <= 0 else "area_m2", _("The area must be greater than zero."))
            return
        if mu is None:
            values["area_mu"] = m2_to_mu(m2)
        elif m2 is None:
            values["area_m2"] = mu_to_m2(mu)
        elif abs(m2_to_mu(m2) - mu) > MU_TOLERANCE:
            error(
                "area_m2",
                _("%(m2)s m² is %(mu)s mu, not %(given)s mu (1 mu = 666.67 m²).")
                % {"m2": m2, "mu": m2_to_mu(m2), "given": mu},
            )
        for coordinate, limit in (("latitude", 90), ("longitude", 180)):
            if values.get(coordinate) is not None and abs(values[coordinate]) > limit:
                error(coordinate, _("%(v)s is out of range.") % {"v": values[coordinate]})
        values["land_use"] = values.get("land_use") or Parcel.LandUse.INDUSTRIAL
        values["name"] = values.get("name") or ""

    def write(self, rows, *, batch, progress: Progress) -> Counts:
        codes = [r["code"] for r in rows]
        existing = {}
        for i in range(0, len(codes), 5000):
            for stored in Parcel.objects.filter(code__in=codes[i : i + 5000]).values("id", "code", *self.FIELDS):
                existing[(stored["code"],)] = stored
        payload = [{"code": r["code"], **{f: r.get(f) for f in self.FIELDS}} for r in rows]
        counts, _ids = upsert(
            model=Parcel,
            rows=payload,
            key=self.key,
            fields=self.FIELDS,
            existing=existing,
            describe=lambda r: (r["code"], r["enterprise_id"]),
            batch=batch,
            progress=progress,
        )
        return counts

    def example_rows(self):
        return [
            [
                "DK-EXAMPLE-0001",
                "示例片区 1 号地块",
                "绿色产业集聚区",
                "",
                "氟硅化工功能区",
                "91330800MA28F1PT0X",
                "工业",
                50.5,
                "",
                28.95,
                118.88,
                None,
            ]
        ]

    def export_rows(self, queryset):
        for p in queryset:
            yield [
                p.code,
                p.name,
                p.brand.name,
                p.block.name if p.block else "",
                p.functional_area.name if p.functional_area else "",
                p.enterprise.uscc if p.enterprise else "",
                LAND_USE_EXPORT.get(p.land_use, p.land_use),
                p.area_mu,
                p.area_m2,
                p.latitude,
                p.longitude,
                p.acquired_on,
            ]
