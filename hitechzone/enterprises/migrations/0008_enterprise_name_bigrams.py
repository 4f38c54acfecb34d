"""A bigram index for the two-character name search (issue 16 item 4), PostgreSQL only.

A Chinese trade name is usually searched by its two characters ("衡图"); pg_trgm finds no trigram in them, so
``name__icontains`` scanned the whole table (0004's trigram index serves three characters and more, and the search
keeps it for them). This adds an immutable function ``hz_bigrams(text)`` — the distinct two-character substrings of
a text — and a GIN index on ``hz_bigrams(UPPER(name))``. For a two-character fragment the search
(``EnterpriseQuerySet.search``) adds the lookup ``name__bigrams`` (every bigram of the fragment among the name's:
the index) to ``name__icontains`` (the exact test): the same rows as ``icontains`` alone, found through the index.
An *expression* index rather than the generated column the issue sketches: the same index, and no column that SQLite
could not compute or the model would have to know. On SQLite nothing is created and the search is ``icontains`` alone.
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION hz_bigrams(t text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT substr(t, i, 2)), '{}')
    FROM generate_series(1, char_length(t) - 1) AS i
$$
"""
INDEX = (
    'CREATE INDEX IF NOT EXISTS "enterprise_name_bigrams" ON "enterprises_enterprise"'
    ' USING gin (hz_bigrams(UPPER("name")))'
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION)
        schema_editor.execute(INDEX)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute('DROP INDEX IF EXISTS "enterprise_name_bigrams"')
        schema_editor.execute("DROP FUNCTION IF EXISTS hz_bigrams(text)")


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0007_enterprise_name_id")]
    operations = [migrations.RunPython(create, drop)]
