from datetime import date

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from hitechzone.demo.approvals import HINTS
from hitechzone.demo.circular import hints as circular_hints
from hitechzone.demo.evaluation import hints as evaluation_hints
from hitechzone.demo.generator import PASSWORD, PERSONAS, load_demo
from hitechzone.demo.projects import hints as project_hints
from hitechzone.demo.talent import hints as talent_hints


class Command(BaseCommand):
    help = _("Load the deterministic demo zone (idempotent: a second run adds nothing).")

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=42, help=_("random seed (same seed, same zone)"))
        parser.add_argument(
            "--today", type=date.fromisoformat, default=None, help=_("the demo's today, YYYY-MM-DD (default: today)")
        )
        parser.add_argument("--quiet-logins", action="store_true", help=_("do not print the persona logins"))

    def handle(self, *args, seed: int, quiet_logins: bool, today=None, **options):
        report = load_demo(seed=seed, today=today)
        if report.total:
            for name, n in report.created.items():
                self.stdout.write(f"  {name}: +{n}")
            self.stdout.write(self.style.SUCCESS(_("Demo zone loaded (seed %(seed)s).") % {"seed": seed}))
        else:
            self.stdout.write(_("Demo zone already loaded: nothing added."))
        if not quiet_logins:
            self.stdout.write("")
            self.stdout.write(_("Logins (password for all: %(password)s)") % {"password": PASSWORD})
            more = evaluation_hints()
            for source in (circular_hints(), project_hints(), talent_hints()):
                for username, hint in source.items():
                    more[username] = f"{more[username]}; {hint}" if username in more else hint
            for username, role, full_name in PERSONAS:
                found = [str(h) for h in (HINTS.get(username), more.pop(username, None)) if h]
                hint = f"  — {'; '.join(found)}" if found else ""
                self.stdout.write(f"  {username:<10} {role.label!s:<18} {full_name}{hint}")
            for username, hint in more.items():  # logins beyond the personas (same password)
                self.stdout.write(f"  {username:<10} {hint}")
