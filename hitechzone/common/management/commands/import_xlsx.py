import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from hitechzone.common.intake import import_workbook, registry
from hitechzone.common.models import ImportBatch, Source


class TerminalProgress:
    """A one-line progress bar on the terminal (plain lines when the output is not a terminal)."""

    def __init__(self, stream, width: int = 30):
        self.stream, self.width, self.last = stream, width, -1
        self.tty = hasattr(stream, "isatty") and stream.isatty()

    def __call__(self, percent: int, stage: str) -> None:
        if percent == self.last and not stage:
            return
        self.last = percent
        filled = self.width * percent // 100
        bar = "█" * filled + "·" * (self.width - filled)
        line = f"[{bar}] {percent:3d}% {stage}"
        if self.tty:
            self.stream.write("\r" + line[:100].ljust(100))
            if percent >= 100:
                self.stream.write("\n")
        elif stage:
            self.stream.write(line + "\n")
        self.stream.flush()


class Command(BaseCommand):
    help = _(
        "Import a workbook. Every row is checked first: all rows are written, or none. "
        "Exit 0 when written, 1 when refused."
    )

    def add_arguments(self, parser):
        parser.add_argument("--kind", required=True, choices=sorted(registry()))
        parser.add_argument("--report", help=_("where to write the error report (.xlsx) when rows are refused"))
        parser.add_argument("--user", help=_("the username recorded as the importer"))
        parser.add_argument("file")

    def handle(self, *args, kind: str, file: str, report: str | None, user: str | None, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("No such file: %(file)s") % {"file": file})
        importer = None
        if user:
            from hitechzone.accounts.models import User

            importer = User.objects.filter(username=user).first()
            if importer is None:
                raise CommandError(_("No such user: %(user)s") % {"user": user})
        batch = import_workbook(
            kind=kind,
            file_name=path.name,
            data=path.read_bytes(),
            user=importer,
            source=Source.IMPORT,
            progress=TerminalProgress(sys.stderr),
        )
        self.stdout.write(batch.message)
        validation = getattr(batch, "validation", None)
        if validation is not None and validation.errors:
            for error in validation.errors[:50]:
                self.stdout.write(f"  {error}")
            if len(validation.errors) > 50:
                self.stdout.write(_("  … and %(n)d more (see the report)") % {"n": len(validation.errors) - 50})
        if batch.status == ImportBatch.Status.INVALID and batch.report and report:
            with batch.report.open("rb") as fh:
                Path(report).write_bytes(fh.read())
            self.stdout.write(_("Error report written to %(file)s") % {"file": report})
        if batch.status in (ImportBatch.Status.WRITTEN, ImportBatch.Status.DUPLICATE):
            return
        sys.exit(1)
