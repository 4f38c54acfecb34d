"""The demo defaults of the 标准地 admission rules (issue 14 item 3), stored for the year the migration runs in and
labelled as demo defaults in the UI. An administrator adds the adopted rules as a new version in the Django admin.
The values live here only (the engine reads them from the table)."""

from django.db import migrations
from django.utils import timezone

DEMO_THRESHOLDS = {
    "investment_intensity": {"default": "300", "by_class": {"C26": "350", "C27": "350", "C39": "400"}},
    "plot_ratio": {"default": "0.8", "by_class": {"C26": "0.6", "C27": "0.7", "C38": "0.7", "C39": "1.0"}},
    "building_coverage": "30",
    "admin_land_share": "7",
    "green_ratio": "20",
    "tax_per_mu": "30",
    "energy_per_value_added": "0.52",
    "catalogue": {
        "": "allowed",
        "C2614": "encouraged",  # 有机化学原料制造 (the fluorine and silicon chains' intermediates)
        "C2651": "encouraged",  # 初级形态塑料及合成树脂制造 (fluoropolymers, silicones)
        "C2662": "encouraged",  # 专项化学用品制造
        "C3985": "encouraged",  # 电子专用材料制造
        "C3812": "encouraged",  # 电动机制造
        "C2631": "restricted",  # 化学农药制造
        "C31": "restricted",  # 黑色金属冶炼和压延加工业
        "C2211": "prohibited",  # 木竹浆制造
        "C2521": "prohibited",  # 炼焦
    },
}




def create_demo_defaults(apps, schema_editor):
    AdmissionRules = apps.get_model("projects", "AdmissionRules")
    year = timezone.localdate().year
    if not AdmissionRules.objects.filter(year=year).exists():
        AdmissionRules.objects.create(
            year=year,
            version=1,
            thresholds=DEMO_THRESHOLDS,
            is_demo_default=True,
            note="标准地 demo defaults (issue 14)",
        )


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]

    operations = [migrations.RunPython(create_demo_defaults, migrations.RunPython.noop)]
