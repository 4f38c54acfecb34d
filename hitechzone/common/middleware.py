"""Per-request middleware of the common framework."""

from .audit import audit_context
from .models import Source


def source_for_path(path: str) -> str:
    """Where a request's writes come from, by its path: the API, the admin, or else the web UI."""
    if path.startswith("/api/"):
        return Source.API
    if path.startswith("/admin/"):
        return Source.ADMIN
    return Source.UI


class AuditMiddleware:
    """Opens the audit context of each request: its source and (read at write time) its user.

    The user is read when a write happens, not here: DRF authenticates a token inside the view.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with audit_context(source=source_for_path(request.path_info), request=request):
            return self.get_response(request)
