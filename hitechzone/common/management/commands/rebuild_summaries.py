"""``hitechzone rebuild_summaries [--check]``: rebuild every per-month summary from its rows, or only compare them.

With ``--check`` nothing is written: each summary is compared with the full computation, any drift is reported
and the command exits 1 (docs/0014-summaries.md).
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from hitechzone.common.summaries import registered


class Command(BaseCommand):
    help = _("Rebuild every per-month summary from its rows; with --check only compare and report any drift.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help=_("Only compare with the full computation; exit 1 on drift.")
        )

    def handle(self, *args, check: bool, **options):
        drifted = 0
        for summary in registered():
            if check:
                count, examples = summary.drift()
                if count:
                    drifted += count
                    self.stdout.write(
                        _("%(name)s: %(n)d rows differ from the full computation") % {"name": summary.name, "n": count}
                    )
                    for line in examples:
                        self.stdout.write(f"  {line}")
                else:
                    self.stdout.write(_("%(name)s: no drift") % {"name": summary.name})
            else:
                with transaction.atomic():
                    rows = summary.rebuild()
                self.stdout.write(_("%(name)s: rebuilt, %(n)d rows") % {"name": summary.name, "n": rows})
        if drifted:
            raise CommandError(_("%(n)d summary rows drifted: run hitechzone rebuild_summaries") % {"n": drifted})
