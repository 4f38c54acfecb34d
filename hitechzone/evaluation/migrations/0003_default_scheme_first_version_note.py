"""The default scheme's first version said "Issue 6 default" (a developer's note) on its page: no note now; the page
says "First version" for a first version without one (issue 13, item 7)."""

from django.db import migrations


def forwards(apps, schema_editor):
    SchemeVersion = apps.get_model("evaluation", "SchemeVersion")
    SchemeVersion.objects.filter(scheme__name="default", number=1, note="Issue 6 default").update(note="")


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0002_default_scheme")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
