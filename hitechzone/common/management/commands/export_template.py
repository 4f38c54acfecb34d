from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from hitechzone.common.intake import get_kind, registry, template_bytes


class Command(BaseCommand):
    help = _("Write the import template of a kind (fixed Chinese headers) to FILE.")

    def add_arguments(self, parser):
        parser.add_argument("--kind", required=True, choices=sorted(registry()))
        parser.add_argument("file", help=_("where to write the .xlsx"))

    def handle(self, *args, kind: str, file: str, **options):
        try:
            data = template_bytes(get_kind(kind))
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        Path(file).write_bytes(data)
        self.stdout.write(
            self.style.SUCCESS(_("Template for %(kind)s written to %(file)s") % {"kind": kind, "file": file})
        )
