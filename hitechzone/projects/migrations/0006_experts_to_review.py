"""The expert pool and the scoring weights move to the shared review (docs/0013): M3 forgets them here, the review
app takes the same tables over in its migration 0001 (no row touched); the panels' references follow."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0005_merge_links"),
        ("review", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="panelmember",
                    name="expert",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="seats",
                        to="review.expert",
                        verbose_name="expert",
                    ),
                ),
                migrations.AlterField(
                    model_name="panel",
                    name="weights",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="review.scoringweights",
                        verbose_name="scoring weights",
                    ),
                ),
                migrations.DeleteModel(name="Expert"),
                migrations.DeleteModel(name="ScoringWeights"),
            ]
        ),
    ]
