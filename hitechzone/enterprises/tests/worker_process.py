"""``hitechzone run_worker`` in a process of its own, for the fault tests (test_jobs_faults.py).

``python worker_process.py [--pause-after-write MARKER] run_worker ARGS…``: with the option, an indicators import
writes its rows (inside the job's transaction), touches MARKER and then waits a minute, so that the test can kill
or stop the worker at that point. Without it, this is the plain command.
"""

import os
import sys
import time
from pathlib import Path


def pause_after_write(marker: Path) -> None:
    from hitechzone.enterprises.intake import IndicatorKind

    write = IndicatorKind.write

    def write_then_wait(self, rows, **kwargs):
        counts = write(self, rows, **kwargs)
        marker.write_text(str(os.getpid()))
        time.sleep(60)
        return counts

    IndicatorKind.write = write_then_wait


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hitechzone.settings")
    import django

    django.setup()
    if argv[:1] == ["--pause-after-write"]:
        pause_after_write(Path(argv[1]))
        argv = argv[2:]
    from django.core.management import call_command

    call_command(*argv)


if __name__ == "__main__":
    main(sys.argv[1:])
