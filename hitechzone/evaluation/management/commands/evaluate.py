"""``hitechzone evaluate --year Y [--scheme NAME] [--output FILE.csv] [--publish]``: run the 亩均 evaluation."""

import csv
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from hitechzone.common.management.commands.import_xlsx import TerminalProgress
from hitechzone.evaluation import services
from hitechzone.evaluation.models import EvaluationResult

CSV_COLUMNS = ("uscc", "name", "group", "score", "class", "rank")


def write_csv(run, path: Path) -> int:
    """The run's results as CSV (plain UTF-8, no BOM): above, then below designated size, by rank; then the
    enterprises not evaluated, by USCC. Score to 4 decimals; class and rank empty when not evaluated."""
    rows = (
        EvaluationResult.objects.filter(run=run)
        .order_by("group", "rank", "uscc")
        .values_list("uscc", "name", "group", "score", "klass", "rank")
    )
    n = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(CSV_COLUMNS)
        for uscc, name, group, score, klass, rank in rows.iterator(chunk_size=10_000):
            writer.writerow((uscc, name, group, "" if score is None else f"{score:.4f}", klass, rank or ""))
            n += 1
    return n


class Command(BaseCommand):
    help = _(
        "Run the 亩均 evaluation of a year with the version of a scheme that applies to it, as the system, and "
        "store the run. Optionally write the results as CSV (plain UTF-8 without BOM; columns "
        "uscc,name,group,score,class,rank) and publish the run. Progress on stderr."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help=_("The year evaluated."))
        parser.add_argument("--scheme", default=None, help=_("The scheme's name (default: “default”)."))
        parser.add_argument("--note", default="", help=_("A note stored with the run."))
        parser.add_argument(
            "--output", default=None, metavar="FILE.csv", help=_("Write the results to this CSV file (UTF-8).")
        )
        parser.add_argument(
            "--publish", action="store_true", help=_("Publish the run (enterprises and officers then see it).")
        )

    def handle(self, *args, year: int, scheme: str | None, note: str, output: str | None, publish: bool, **options):
        try:
            run = services.run_evaluation(
                by=None,
                year=year,
                scheme=scheme,
                note=note,
                progress=TerminalProgress(options.get("stderr") or sys.stderr),
            )
            if publish:
                run = services.run_publish(by=None, run=run)
        except services.Refused as exc:
            raise CommandError(str(exc)) from exc
        counts = run.summary.get("counts", {})
        classes = {k: sum(c.get(k, 0) for c in counts.values()) for k in ("A", "B", "C", "D")}
        self.stdout.write(
            _(
                "Evaluation #%(run)d of %(year)d (%(scheme)s): %(above)d above and %(below)d below designated size, "
                "%(excluded)d not evaluated; A %(A)d, B %(B)d, C %(C)d, D %(D)d; %(seconds).1f s."
            )
            % {
                "run": run.pk,
                "year": run.year,
                "scheme": run.scheme_version,
                "above": run.n_above,
                "below": run.n_below,
                "excluded": run.n_excluded,
                "seconds": run.seconds or 0.0,
                **classes,
            }
        )
        if publish:
            self.stdout.write(_("Published."))
        if output:
            n = write_csv(run, Path(output))
            self.stdout.write(_("%(n)d rows written to %(file)s") % {"n": n, "file": output})
