"""The officer assignment is registry data (decision 0007): the table ``liaison_assignment`` becomes
``enterprises_assignment`` with its rows, indexes and constraints; its content type (which the audit trail refers
to) follows, so the history of every assignment stays attached."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if not content_type.objects.using(db).filter(app_label="enterprises", model="assignment").exists():
        content_type.objects.using(db).filter(app_label="liaison", model="assignment").update(app_label="enterprises")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("enterprises", "0005_enterpriseindicator_water_wan_t"),
        ("liaison", "0003_assignment_to_enterprises"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Assignment",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"),
                        ),
                        ("started_on", models.DateField(verbose_name="started on")),
                        ("ended_on", models.DateField(blank=True, null=True, verbose_name="ended on")),
                        (
                            "enterprise",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="assignments",
                                to="enterprises.enterprise",
                                verbose_name="enterprise",
                            ),
                        ),
                        (
                            "officer",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="assignments",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="officer",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "officer assignment",
                        "verbose_name_plural": "officer assignments",
                        "ordering": ["-started_on"],
                        "db_table": "liaison_assignment",
                        "indexes": [models.Index(fields=["officer", "ended_on"], name="assignment_officer_open")],
                        "constraints": [
                            models.UniqueConstraint(
                                condition=models.Q(("ended_on__isnull", True)),
                                fields=("enterprise",),
                                name="one_open_assignment_per_enterprise",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("ended_on__isnull", True), ("ended_on__gte", models.F("started_on")), _connector="OR"
                                ),
                                name="assignment_ends_after_start",
                            ),
                        ],
                    },
                ),
            ]
        ),
        migrations.AlterModelTable(name="assignment", table=None),
        migrations.RunPython(move_content_type, migrations.RunPython.noop),
    ]
