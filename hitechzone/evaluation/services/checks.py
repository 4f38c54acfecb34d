"""What every write of the evaluation checks: who, the year, a scheme's definition."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from hitechzone.common.rules import Refused
from hitechzone.common.rules import require as _require
from hitechzone.enterprises.models import FIRST_YEAR, LAST_YEAR
from hitechzone.evaluation.models import EvaluationResult
from hitechzone.evaluation.roles import EDITORS
from hitechzone.evaluation.roles import role as _role
from hitechzone.evaluation.schemes import scheme_from_dict

#: The background job that runs :func:`run_evaluation` (params ``{"year", "scheme_version", "note"}``).
JOB_KIND = "evaluation.run"
DEFAULT_SCHEME_NAME = "default"
#: Results per COPY statement / bulk_create batch (the progress bar moves between chunks).
STORE_CHUNK = 20_000
Progress = Callable[[int, str], None]
Exclusion = EvaluationResult.Exclusion


def _is_admin(user) -> bool:
    """The system (``None``) or an administrator."""
    return user is None or _role(user) in EDITORS


def _require_admin(user, message: str) -> None:
    _require(_is_admin(user), message)


def _check_year(year) -> int:
    _require(
        isinstance(year, int) and not isinstance(year, bool) and FIRST_YEAR <= year <= LAST_YEAR,
        _("The year must be a whole number between %(first)d and %(last)d.") % {"first": FIRST_YEAR, "last": LAST_YEAR},
    )
    return year


def _check_definition(definition) -> None:
    try:
        scheme_from_dict(definition)
    except ValidationError as exc:
        raise Refused(_("The scheme is not valid: %(problems)s") % {"problems": " ".join(exc.messages)}) from exc
