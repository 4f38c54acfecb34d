"""``hitechzone prune_audit --days N``: delete the audit records older than N days (N ≥ 180)."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from hitechzone.common.models import AuditEvent

MIN_RETENTION_DAYS = 180
CHUNK = 10_000


class Command(BaseCommand):
    help = _(
        "Delete the audit records older than --days days. Records are kept at least %(min)d days: "
        "a shorter window is refused."
    ) % {"min": MIN_RETENTION_DAYS}

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=MIN_RETENTION_DAYS,
            help=_("Keep the records of the last N days (default and minimum: %(default)s)."),
        )
        parser.add_argument("--dry-run", action="store_true", help=_("Only count what would be deleted."))

    def handle(self, *args, days: int, dry_run: bool, **options):
        if days < MIN_RETENTION_DAYS:
            raise CommandError(
                _("Audit records are kept at least %(min)d days; --days %(days)d is refused.")
                % {"min": MIN_RETENTION_DAYS, "days": days}
            )
        cutoff = timezone.now() - timedelta(days=days)
        old = AuditEvent.objects.filter(at__lt=cutoff)
        if dry_run:
            count = old.count()
            self.stdout.write(
                _("%(count)d audit records older than %(cutoff)s would be deleted.")
                % {"count": count, "cutoff": timezone.localtime(cutoff).isoformat(timespec="seconds")}
            )
            return
        deleted = 0
        while True:
            # In chunks, to keep each transaction short on a large table. QuerySet.delete() does not call
            # AuditEvent.delete() (which refuses): this command is the one place records are removed.
            ids = list(old.order_by("at", "id").values_list("id", flat=True)[:CHUNK])
            if not ids:
                break
            deleted += AuditEvent.objects.filter(id__in=ids).delete()[0]
        self.stdout.write(
            _("%(count)d audit records older than %(cutoff)s deleted.")
            % {"count": deleted, "cutoff": timezone.localtime(cutoff).isoformat(timespec="seconds")}
        )
