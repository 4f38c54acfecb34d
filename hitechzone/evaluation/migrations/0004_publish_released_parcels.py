"""Publish into the zone the parcels that exit cases handed back before the zone recorded releases (issue 14, item
10): every case whose land was handed back (returned, re-used or closed) gives one ``zone.ParcelRelease`` per parcel
given up, dated the day the land was handed back."""

from django.db import migrations


def publish(apps, schema_editor):
    ExitCase = apps.get_model("evaluation", "ExitCase")
    ParcelRelease = apps.get_model("zone", "ParcelRelease")
    ContentType = apps.get_model("contenttypes", "ContentType")
    cases = ExitCase.objects.filter(returned_on__isnull=False).prefetch_related("parcels")
    if not cases.exists():
        return
    kind, _created = ContentType.objects.get_or_create(app_label="evaluation", model="exitcase")
    for case in cases:
        for parcel in case.parcels.all():
            ParcelRelease.objects.get_or_create(
                parcel=parcel,
                source_type=kind,
                source_id=case.pk,
                defaults={
                    "former_enterprise_id": case.enterprise_id,
                    "released_on": case.returned_on,
                    "reference": case.code,
                },
            )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("evaluation", "0003_default_scheme_first_version_note"),
        ("zone", "0003_parcelrelease"),
    ]

    operations = [migrations.RunPython(publish, migrations.RunPython.noop)]
