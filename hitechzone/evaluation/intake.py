"""Workbook kind ``energy-use``: the fuels each enterprise consumed in a year, one row per fuel.

Columns: 统一社会信用代码, 企业名称 (as registered), 年度, 能源品种 (the fuel's code or Chinese name, see
``energy.FUELS``: 原煤, 洗精煤, 焦炭, 原油, 燃料油, 汽油, 煤油, 柴油, 液化石油气, 炼厂干气, 天然气, 焦炉煤气,
蒸汽, 热力, 电力), 消费量 (≥ 0, up to three decimals) and 计量单位, which must be the fuel's unit: 吨 (t) for
coal, coke, oils, LPG, refinery gas and steam; 万立方米 (10^4 m³) for natural gas and coke-oven gas; 吉焦 (GJ)
for heat; 万千瓦时 (10^4 kWh) for electricity. A unit that differs is refused (never converted): a file in kWh
where 万千瓦时 is meant would be off by ten thousand.

Like every kind, the file is checked whole and written all together or not at all. The key is enterprise,
year and fuel: a row replaces the stored quantity of that fuel; fuels the file does not name stay as stored.
"""

from __future__ import annotations

from functools import partial

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hitechzone.common.intake import Column, Counts, Progress
from hitechzone.common.intake_write import upsert
from hitechzone.common.spreadsheets import CellError, clean_text, parse_decimal, parse_int
from hitechzone.enterprises.intake import EnterpriseYearKind, parse_uscc
from hitechzone.enterprises.models import FIRST_YEAR

from .energy import FUELS, find_fuel
from .models import EnergyUse

CHUNK = 5000


def parse_fuel(value) -> str:
    text = clean_text(value)
    if not text:
        return ""
    fuel = find_fuel(text)
    if fuel is None:
        raise CellError(
            _("“%(v)s” is not a fuel of the list: write one of %(names)s.")
            % {"v": text, "names": "、".join(f.name_zh for f in FUELS.values())}
        )
    return fuel.code


class EnergyUseKind(EnterpriseYearKind):
    name = "energy-use"
    label = gettext_lazy("energy use")
    key = ("enterprise_id", "year", "fuel")
    key_columns = ("uscc", "year", "fuel")
    columns = (
        Column("统一社会信用代码", "uscc", parse_uscc, required=True, width=22),
        Column("企业名称", "name", clean_text, required=True, width=32),
        Column("年度", "year", partial(parse_int, minimum=FIRST_YEAR), required=True, width=8),
        Column("能源品种", "fuel", parse_fuel, required=True, aliases=("能源名称", "品种"), width=14),
        Column(
            "消费量", "quantity", partial(parse_decimal, places=3), required=True, aliases=("消费量合计",), width=14
        ),
        Column("计量单位", "unit", clean_text, required=True, aliases=("单位",), width=12),
    )

    def check_row(self, values, error):
        if not self.check_enterprise_year(values, error):
            return
        fuel = FUELS[values["fuel"]]
        if not fuel.unit.matches(values["unit"]):
            error(
                "unit",
                _("%(fuel)s is reported in %(unit)s (write “%(unit_zh)s”), not in “%(given)s”.")
                % {"fuel": fuel.name_zh, "unit": fuel.unit.code, "unit_zh": fuel.unit.name_zh, "given": values["unit"]},
            )

    def write(self, rows, *, batch, progress: Progress) -> Counts:
        ids = list({r["enterprise_id"] for r in rows})
        years = {r["year"] for r in rows}
        existing = {}
        stored = EnergyUse.objects.filter(year__in=years).values("id", "enterprise_id", "year", "fuel", "quantity")
        for i in range(0, len(ids), CHUNK):
            for row in stored.filter(enterprise_id__in=ids[i : i + CHUNK]):
                existing[(row["enterprise_id"], row["year"], row["fuel"])] = row
        names = dict(self.enterprises.values())
        payload = [{f: r[f] for f in ("enterprise_id", "year", "fuel", "quantity")} for r in rows]
        counts, _ids = upsert(
            model=EnergyUse,
            rows=payload,
            key=self.key,
            fields=("quantity",),
            existing=existing,
            describe=lambda r: (
                f"{names[r['enterprise_id']]} {r['year']} {FUELS[r['fuel']].name_zh}",
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
            [uscc, name, year, "原煤", 12000, "吨"],
            [uscc, name, year, "天然气", 85.5, "万立方米"],
            [uscc, name, year, "蒸汽", 30000, "吨"],
            [uscc, name, year, "电力", 3600, "万千瓦时"],
        ]
