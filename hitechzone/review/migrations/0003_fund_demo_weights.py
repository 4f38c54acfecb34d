"""M6's innovation fund applications get their kind of review and its demo weights (issue 15 point 6), labelled as
demo defaults (docs/0013)."""

from django.db import migrations, models

#: The demo weights of a fund application's criteria (issue 15), labelled as demo defaults; the values live here only.
FUND_DEMO_WEIGHTS = {
    "innovation": "25",  # 创新性
    "feasibility": "20",  # 可行性
    "economic_benefit": "25",  # 经济效益
    "capacity": "15",  # 团队与企业实力
    "chain_fit": "15",  # 产业链契合度
}


def delete_fund_weights(apps, schema_editor):
    apps.get_model("review", "ScoringWeights").objects.using(schema_editor.connection.alias).filter(
        kind="fund"
    ).delete()


def create_fund_weights(apps, schema_editor):
    weights = apps.get_model("review", "ScoringWeights")
    db = schema_editor.connection.alias
    if not weights.objects.using(db).filter(kind="fund").exists():
        weights.objects.using(db).create(
            kind="fund", version=1, weights=FUND_DEMO_WEIGHTS, is_demo_default=True,
            note="创新基金项目评审权重 demo defaults (issue 15)",
        )  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [("review", "0002_team_demo_weights")]

    operations = [
        migrations.AlterField(
            model_name="scoringweights",
            name="kind",
            field=models.CharField(
                choices=[
                    ("project", "Investment project (M3)"),
                    ("team", "Entrepreneurship team (M6)"),
                    ("fund", "Innovation fund application (M6)"),
                ],
                default="project",
                max_length=8,
                verbose_name="kind of review",
            ),
        ),
        migrations.RunPython(create_fund_weights, delete_fund_weights),
    ]
