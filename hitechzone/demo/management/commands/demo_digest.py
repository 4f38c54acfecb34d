import json as _json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from hitechzone.demo.digest import digest, table_rows, tables


class Command(BaseCommand):
    help = _("Print a digest of every table (rows, SHA-256), the same on SQLite and PostgreSQL for the same zone.")

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help=_("print the digest as one JSON object"))
        parser.add_argument("--rows", metavar="TABLE", help=_("print this table's normalised rows instead"))

    def handle(self, *args, json: bool = False, rows: str | None = None, **options):
        if rows:
            found = [m for m in tables() if m._meta.db_table == rows]
            if not found:
                raise CommandError(_("No table named %(table)s.") % {"table": rows})
            for line in table_rows(found[0]):
                self.stdout.write(line)
            return
        result = digest()
        if json:
            self.stdout.write(_json.dumps(result, sort_keys=True))
            return
        for table, (count, sha) in result.items():
            self.stdout.write(f"{table:<45} {count:>7} {sha}")
