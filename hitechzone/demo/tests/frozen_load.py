"""Load the demo on the database of ``DATABASE_URL`` with the clock stopped, then print its digest as JSON.

``python -m hitechzone.demo.tests.frozen_load 2026-12-07T10:00:00+08:00``: the test of the same zone on SQLite
and PostgreSQL runs this in a subprocess against the other database. The clock is stopped (time-machine) so
that what the services stamp with "now" (publication, escalation, the audit trail, auto timestamps) is the same
instant on both sides; the generator's "today" is that instant's local date.
"""

import json
import sys
from datetime import datetime
from io import StringIO


def main(moment: str) -> None:
    import django

    django.setup()
    import time_machine
    from django.core.management import call_command
    from django.test.utils import override_settings

    from hitechzone.demo.digest import digest

    with time_machine.travel(datetime.fromisoformat(moment), tick=False):
        call_command("migrate", verbosity=0, interactive=False)
        call_command("seed_calendar", stdout=StringIO())
        # MD5: the personas' password hashes are left out of the digest, and PBKDF2 would take seconds.
        with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
            call_command("load_demo", seed=42, quiet_logins=True, stdout=StringIO())
    sys.stdout.write(json.dumps(digest(), sort_keys=True))


if __name__ == "__main__":
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hitechzone.settings")
    main(sys.argv[1])
