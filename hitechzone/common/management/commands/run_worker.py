import signal

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from hitechzone.common.jobs import run_pending, work_forever


class Command(BaseCommand):
    help = _("Run background jobs (imports …) as they are queued. --once runs what is queued and stops.")

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true")
        parser.add_argument("--poll", type=float, default=1.0, help=_("seconds between looks at the queue"))

    def handle(self, *args, once: bool, poll: float, **options):
        if once:
            self.stdout.write(_("%(n)d jobs run.") % {"n": run_pending()})
            return
        stopping = []
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stopping.append(True))
        self.stdout.write(_("Worker started; waiting for jobs."))
        work_forever(poll_seconds=poll, stop=lambda: bool(stopping))
