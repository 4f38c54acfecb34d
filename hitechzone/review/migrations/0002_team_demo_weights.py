"""M6's team criteria get their demo weights (issue 15), labelled as demo defaults (docs/0013)."""

from django.db import migrations

#: The demo weights of a team application's criteria (issue 15), labelled as demo defaults; the values live here only.
TEAM_DEMO_WEIGHTS = {
    "innovation": "25",  # 创新性
    "team": "25",  # 团队实力
    "market": "20",  # 市场前景
    "feasibility": "15",  # 可行性
    "chain_fit": "15",  # 产业链契合度
}


def delete_team_weights(apps, schema_editor):
    apps.get_model("review", "ScoringWeights").objects.using(schema_editor.connection.alias).filter(
        kind="team"
    ).delete()


def create_team_weights(apps, schema_editor):
    weights = apps.get_model("review", "ScoringWeights")
    db = schema_editor.connection.alias
    if not weights.objects.using(db).filter(kind="team").exists():
        weights.objects.using(db).create(
            kind="team", version=1, weights=TEAM_DEMO_WEIGHTS, is_demo_default=True,
            note="创业团队评审权重 demo defaults (issue 15)",
        )  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [("review", "0001_initial")]

    operations = [migrations.RunPython(create_team_weights, delete_team_weights)]
