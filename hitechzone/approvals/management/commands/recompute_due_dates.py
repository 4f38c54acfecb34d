"""``hitechzone recompute_due_dates [--year YYYY] [--dry-run]``: recompute the stored clock of the applications."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from hitechzone.approvals.recompute import affected_by_year, recompute_due_dates
from hitechzone.common.models import MAX_YEAR, MIN_YEAR


class Command(BaseCommand):
    help = _(
        "Recompute the due dates, yellow days, paused and used working days of the accepted applications from the "
        "working-day calendar (after a calendar year was entered or corrected). Writes only the rows that change."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--year",
            type=int,
            default=None,
            help=_("Only the applications whose clock touches this calendar year (default: all)."),
        )
        parser.add_argument("--dry-run", action="store_true", help=_("Count the changes without writing them."))

    def handle(self, *args, year: int | None, dry_run: bool, **options):
        if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
            raise CommandError(
                _("The working-day calendar covers the years %(first)s to %(last)s.")
                % {"first": MIN_YEAR, "last": MAX_YEAR}
            )
        queryset = affected_by_year(year) if year is not None else None
        result = recompute_due_dates(queryset, dry_run=dry_run)
        seconds = result["seconds"]
        line = _(
            "%(applications)s applications (%(pauses)s closed pauses): %(changed)s changed, %(written)s written, "
            "%(skipped)s left to a concurrent change; %(bundles)s parallel approvals updated."
        ) % {k: f"{v:,}" if isinstance(v, int) else v for k, v in result.items()}
        self.stdout.write(line if not dry_run else f"{line} " + _("(dry run: nothing written)"))
        timing = _("read %(read)s s, compute %(compute)s s, write %(write)s s, total %(total)s s") % {
            "read": f"{seconds.get('read', 0):.2f}",
            "compute": f"{seconds.get('compute', 0):.2f}",
            "write": f"{seconds.get('write', 0):.2f}",
            "total": f"{seconds.get('total', 0):.2f}",
        }
        self.stdout.write(timing)
