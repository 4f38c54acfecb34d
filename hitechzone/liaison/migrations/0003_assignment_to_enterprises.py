"""The officer assignment moves to M0 (``enterprises.Assignment``, decision 0007): liaison forgets it here, the
enterprises app takes the same table over in its migration 0006 (no row is touched)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("liaison", "0002_problem_problemstep_visit_problem_visit_and_more"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="Assignment")]),
    ]
