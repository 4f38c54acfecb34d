from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "hitechzone.accounts"
    label = "accounts"
    verbose_name = _("Users and roles")

    def ready(self) -> None:
        from hitechzone.common import audit

        from .models import User

        # An account is not part of its enterprise's history; the password hash is never copied.
        audit.register(User, exclude=("last_login",), masked=("password",), enterprise=audit.NO_ENTERPRISE)
