"""A trigram index for the name search (``name__icontains`` → ``UPPER(name) LIKE UPPER('%…%')``), PostgreSQL only.

Without it every search of three characters or more scans the whole table (bench/README.md: 100,000
enterprises). A two-character fragment gives pg_trgm no trigram and still scans. On SQLite nothing
is created. The index is not in the model state (a ``Meta`` GinIndex would break SQLite), so
``makemigrations`` neither sees nor removes it. Plain SQL: ``OpClass`` in an index needs
``django.contrib.postgres`` in INSTALLED_APPS, which the project does not have.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

CREATE = (
    'CREATE INDEX IF NOT EXISTS "enterprise_name_trgm" ON "enterprises_enterprise"'
    ' USING gin (UPPER("name") gin_trgm_ops)'
)
DROP = 'DROP INDEX IF EXISTS "enterprise_name_trgm"'


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0003_load_industries")]
    operations = [
        TrigramExtension(),  # does nothing on other databases
        migrations.RunPython(create_index, drop_index),
    ]
