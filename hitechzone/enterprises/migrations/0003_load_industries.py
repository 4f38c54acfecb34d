from django.db import migrations


def forwards(apps, schema_editor):
    from hitechzone.enterprises.reference import load_industries

    load_industries(apps.get_model("enterprises", "Industry"))


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0002_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
