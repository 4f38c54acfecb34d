import signal

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from hitechzone.common.jobs import SCHEDULE_POLL_SECONDS, Worker


class Command(BaseCommand):
    help = _("Run background jobs (imports …) as they are queued. --once runs what is queued and stops.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--burst",
            "--once",
            action="store_true",
            dest="burst",
            help=_("run until the queue is empty (stale jobs taken back), then exit"),
        )
        parser.add_argument("--poll", type=float, default=1.0, help=_("seconds between looks at the queue"))
        parser.add_argument(
            "--schedule-every",
            type=float,
            default=SCHEDULE_POLL_SECONDS,
            help=_("seconds between looks at the scheduled tasks"),
        )

    def handle(self, *args, burst: bool, poll: float, schedule_every: float, **options):
        worker = Worker(poll_seconds=poll, schedule_seconds=schedule_every, burst=burst)
        previous = {sig: signal.signal(sig, worker.stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            if not burst:
                self.stdout.write(_("Worker started; waiting for jobs."))
            n = worker.work()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        if burst:
            self.stdout.write(_("%(n)d jobs run.") % {"n": n})
