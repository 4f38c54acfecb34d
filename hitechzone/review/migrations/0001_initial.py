"""The expert pool and the scoring weights move from M3 to the shared review (docs/0013): this app takes over the
tables ``projects_expert`` and ``projects_scoringweights`` as they are (no row touched; ``projects/0006`` forgets
them), their content types (which the audit trail refers to) follow, so every expert's history stays attached.
Then the weights get their kind of review (``project`` for every existing version; M6's ``team`` weights are added
with their demo defaults in 0002), a version being unique per kind."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

def move_content_types(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in ("expert", "scoringweights"):
        if not content_type.objects.using(db).filter(app_label="review", model=model).exists():
            content_type.objects.using(db).filter(app_label="projects", model=model).update(app_label="review")


def move_content_types_back(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in ("expert", "scoringweights"):
        if not content_type.objects.using(db).filter(app_label="projects", model=model).exists():
            content_type.objects.using(db).filter(app_label="review", model=model).update(app_label="projects")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("projects", "0005_merge_links"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Expert",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("name", models.CharField(max_length=64, verbose_name="name")),
                        (
                            "title",
                            models.CharField(
                                blank=True, help_text="e.g. 教授级高工, 研究员", max_length=64, verbose_name="title"
                            ),
                        ),
                        (
                            "academician",
                            models.BooleanField(
                                default=False,
                                help_text="An academician (院士) of the Chinese Academy of Sciences or of Engineering.",
                                verbose_name="academician",
                            ),
                        ),
                        ("specialties", models.JSONField(blank=True, default=list, verbose_name="specialties")),
                        ("affiliation", models.CharField(blank=True, max_length=128, verbose_name="affiliation")),
                        (
                            "former_affiliations",
                            models.JSONField(blank=True, default=list, verbose_name="former affiliations"),
                        ),
                        (
                            "declared_conflicts",
                            models.JSONField(blank=True, default=list, verbose_name="declared conflicts"),
                        ),
                        ("active", models.BooleanField(default=True, verbose_name="active")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                        ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                        (
                            "user",
                            models.OneToOneField(
                                blank=True,
                                help_text="The expert's own login (a user of the role expert).",
                                limit_choices_to={"role": "expert"},
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="expert_profile",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="login",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "expert",
                        "verbose_name_plural": "experts",
                        "db_table": "projects_expert",
                        "ordering": ["name", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="ScoringWeights",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("version", models.PositiveSmallIntegerField(unique=True, verbose_name="version")),
                        ("weights", models.JSONField(verbose_name="weights")),
                        (
                            "is_demo_default",
                            models.BooleanField(
                                default=False,
                                help_text="The demo's default values, not an adopted policy.",
                                verbose_name="demo default",
                            ),
                        ),
                        ("note", models.CharField(blank=True, max_length=200, verbose_name="note")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                    ],
                    options={
                        "verbose_name": "scoring weights",
                        "verbose_name_plural": "scoring weights",
                        "db_table": "projects_scoringweights",
                        "ordering": ["-version"],
                    },
                ),
            ]
        ),  # fmt: skip
        migrations.RunPython(move_content_types, move_content_types_back),
        migrations.AddField(
            model_name="scoringweights",
            name="kind",
            field=models.CharField(
                choices=[("project", "Investment project (M3)"), ("team", "Entrepreneurship team (M6)")],
                default="project",
                max_length=8,
                verbose_name="kind of review",
            ),
        ),
        migrations.AlterField(
            model_name="scoringweights",
            name="version",
            field=models.PositiveSmallIntegerField(verbose_name="version"),
        ),
        migrations.AlterModelOptions(
            name="scoringweights",
            options={
                "ordering": ["kind", "-version"],
                "verbose_name": "scoring weights",
                "verbose_name_plural": "scoring weights",
            },
        ),
        migrations.AddConstraint(
            model_name="scoringweights",
            constraint=models.UniqueConstraint(fields=("kind", "version"), name="review_weights_kind_version"),
        ),
    ]
