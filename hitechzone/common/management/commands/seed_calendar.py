"""``hitechzone seed_calendar [--from 2020] [--to 2027]``: seed the working-day calendar (idempotent)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from hitechzone.common.calendar import MAX_YEAR, MIN_YEAR, PACKAGE_YEARS, refresh_package_years
from hitechzone.common.models import CalendarYear

DEFAULT_FIRST_YEAR = 2020


class Command(BaseCommand):
    help = _(
        "Seed the working-day calendar for a range of years: from chinese_calendar where it knows the year "
        "(confirmed), else weekdays only (not confirmed). Years entered by hand are left alone. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--from",
            dest="first",
            type=int,
            default=DEFAULT_FIRST_YEAR,
            help=_("First year (default %(default)s)."),
        )
        parser.add_argument(
            "--to",
            dest="last",
            type=int,
            default=None,
            help=_("Last year (default: next year)."),
        )

    def handle(self, *args, first: int, last: int | None, **options):
        if last is None:
            last = timezone.localdate().year + 1
        if first > last:
            raise CommandError(_("--from must not be after --to."))
        if first < MIN_YEAR or last > MAX_YEAR:
            message = _("The working-day calendar covers the years %(first)s to %(last)s.")
            raise CommandError(message % {"first": MIN_YEAR, "last": MAX_YEAR})
        report = refresh_package_years(first, last)
        years = {y.year: y for y in CalendarYear.objects.filter(year__gte=first, year__lte=last)}
        labels = {
            "created": _("created"),
            "upgraded": _("re-seeded from chinese_calendar"),
            "refreshed": _("refreshed from chinese_calendar"),
            "unchanged": _("unchanged"),
            "manual": _("entered by hand, left alone"),
        }
        for year, status in sorted(report.items()):
            calendar_year = years[year]
            state = _("confirmed") if calendar_year.confirmed else _("NOT confirmed")
            line = f"{year}: {labels[status]} ({calendar_year.get_source_display()}, {state})"
            self.stdout.write(self.style.SUCCESS(line) if calendar_year.confirmed else self.style.WARNING(line))
        if PACKAGE_YEARS:
            known = {"first": min(PACKAGE_YEARS), "last": max(PACKAGE_YEARS)}
            self.stdout.write(_("chinese_calendar knows the years %(first)s to %(last)s.") % known)
