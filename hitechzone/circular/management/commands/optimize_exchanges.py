"""``hitechzone optimize_exchanges (--scenario IN.json | --from-zone YEAR) --output OUT.json``: the by-product
exchange optimiser on a JSON scenario (see ``hitechzone.circular.optimize``).

A file-to-file tool for what-if planning: it stores no run unless ``--store`` is given (then as the system). An
invalid scenario exits 1 with every problem listed."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from hitechzone.circular import optimize


class Command(BaseCommand):
    help = _(
        "Optimise the by-product exchanges of a scenario (a JSON file, or the zone's data of a year) and write the "
        "result as JSON. Exit 1 with every problem listed when the scenario is invalid."
    )

    def add_arguments(self, parser):
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("--scenario", metavar="IN.json", help=_("The scenario (JSON)."))
        source.add_argument("--from-zone", type=int, metavar="YEAR", help=_("Build the scenario from the zone's data."))
        parser.add_argument("--chain", default=None, help=_("With --from-zone: only this industry chain's materials."))
        parser.add_argument("--output", required=True, metavar="OUT.json", help=_("Write the result here (JSON)."))
        parser.add_argument("--store", action="store_true", help=_("Also store the run (as the system)."))
        parser.add_argument("--name", default="", help=_("With --store: the run's name."))

    def handle(self, *args, scenario, from_zone, chain, output, store, name, **options):
        if scenario:
            try:
                data = json.loads(Path(scenario).read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                message = _("Cannot read the scenario %(file)s: %(error)s") % {"file": scenario, "error": exc}
                raise CommandError(message) from exc
        else:
            data = optimize.scenario_from_zone(year=from_zone, chain=chain)
        try:
            if store:
                result = optimize.run_optimization(by=None, scenario=data, name=name, year=from_zone).result
            else:
                result = optimize.solve(data)
        except optimize.ScenarioError as exc:
            lines = "\n".join(f"  - {p}" for p in exc.problems)
            raise CommandError(
                _("The scenario is invalid (%(n)d problems):") % {"n": len(exc.problems)} + "\n" + lines
            ) from exc
        Path(output).write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
        self.stdout.write(
            _(
                "%(status)s: total cost %(total)s, savings %(savings)s against no exchange; %(n)d flows (%(solver)s, "
                "%(seconds).3f s). Written to %(file)s."
            )
            % {
                "status": result["status"],
                "total": result["total_cost"],
                "savings": result["savings"],
                "n": len(result["flows"]),
                "solver": result["solver"],
                "seconds": result["solve_seconds"],
                "file": output,
            }
        )
