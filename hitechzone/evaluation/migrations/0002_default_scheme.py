"""The default scheme (issue 6, "Schemes" point 2), version 1, used from 2000 on.

The definition is a frozen copy of schemes.DEFAULT_DEFINITION as it was when this migration was written:
later changes of the code do not change what version 1 says (revise the scheme instead).
"""

from django.db import migrations

TITLE = "亩均效益综合评价（默认）"
EFFECTIVE_FROM = 2000
DEFINITION = {
    "quantities": [
        {
            "name": "pollution_equivalents",
            "missing": "all",
            "terms": [
                {"figure": "cod_t", "scale": 1000.0, "divisor": 1.0},
                {"figure": "ammonia_nitrogen_t", "scale": 1000.0, "divisor": 0.8},
                {"figure": "so2_t", "scale": 1000.0, "divisor": 0.95},
                {"figure": "nox_t", "scale": 1000.0, "divisor": 0.95},
            ],
        }
    ],
    "groups": [
        {
            "key": "above",
            "label": "规上",
            "tie_indicator": "tax_per_mu",
            "indicators": [
                {
                    "key": "tax_per_mu",
                    "label": "亩均税收",
                    "numerator": "tax_wan_yuan",
                    "denominator": "land_mu",
                    "weight": 30.0,
                    "unit": "万元/亩",
                },
                {
                    "key": "value_added_per_mu",
                    "label": "亩均增加值",
                    "numerator": "value_added_wan_yuan",
                    "denominator": "land_mu",
                    "weight": 20.0,
                    "unit": "万元/亩",
                },
                {
                    "key": "value_added_per_tce",
                    "label": "单位能耗增加值",
                    "numerator": "value_added_wan_yuan",
                    "denominator": "energy_tce",
                    "weight": 20.0,
                    "unit": "万元/tce",
                },
                {
                    "key": "value_added_per_pe",
                    "label": "单位排放增加值",
                    "numerator": "value_added_wan_yuan",
                    "denominator": "pollution_equivalents",
                    "weight": 10.0,
                    "unit": "万元/污染当量",
                },
                {
                    "key": "labour_productivity",
                    "label": "全员劳动生产率",
                    "numerator": "value_added_wan_yuan",
                    "denominator": "employees_avg",
                    "weight": 10.0,
                    "unit": "万元/人",
                },
                {
                    "key": "rd_share",
                    "label": "R&D占比",
                    "numerator": "rd_spending_wan_yuan",
                    "denominator": "revenue_wan_yuan",
                    "weight": 10.0,
                    "unit": "",
                },
            ],
        },
        {
            "key": "below",
            "label": "规下",
            "tie_indicator": "tax_per_mu",
            "indicators": [
                {
                    "key": "tax_per_mu",
                    "label": "亩均税收",
                    "numerator": "tax_wan_yuan",
                    "denominator": "land_mu",
                    "weight": 50.0,
                    "unit": "万元/亩",
                },
                {
                    "key": "tax_per_kwh",
                    "label": "单位用电税收",
                    "numerator": "tax_wan_yuan",
                    "denominator": "electricity_wan_kwh",
                    "weight": 50.0,
                    "unit": "万元/万kWh",
                },
            ],
        },
    ],
    "cap": None,
    "scope": {"land_figure": "land_mu", "min_land_below_scale": 3.0, "exclude_exempt": True},
    "classes": {"share_a": "0.10", "share_b": "0.35", "share_d": "0.08", "veto_class": "D"},
}


def create(apps, schema_editor):
    Scheme = apps.get_model("evaluation", "Scheme")
    SchemeVersion = apps.get_model("evaluation", "SchemeVersion")
    if Scheme.objects.filter(name="default").exists():
        return
    scheme = Scheme.objects.create(
        name="default",
        title=TITLE,
        description="规上: 亩均税收 30, 亩均增加值 20, 单位能耗增加值 20, 单位排放增加值 10, 全员劳动生产率 10, R&D占比 10; "
        "规下: 亩均税收 50, 单位用电税收 50. A 10 %, B 35 %, D 8 %.",
    )
    version = SchemeVersion.objects.create(
        scheme=scheme, number=1, effective_from=EFFECTIVE_FROM, definition=DEFINITION, note=""
    )
    scheme.current = version
    scheme.save(update_fields=["current"])


def remove(apps, schema_editor):
    Scheme = apps.get_model("evaluation", "Scheme")
    SchemeVersion = apps.get_model("evaluation", "SchemeVersion")
    scheme = Scheme.objects.filter(name="default").first()
    if scheme is None or scheme.versions.filter(runs__isnull=False).exists():
        return
    Scheme.objects.filter(pk=scheme.pk).update(current=None)
    # Raw deletes: nothing refers to them any more (no runs, current cleared), and the deletion collector trips
    # over the historical models' two-way relation (scheme.current ↔ version.scheme).
    alias = schema_editor.connection.alias
    SchemeVersion.objects.filter(scheme_id=scheme.pk)._raw_delete(alias)
    Scheme.objects.filter(pk=scheme.pk)._raw_delete(alias)


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0001_initial")]

    operations = [migrations.RunPython(create, remove)]
