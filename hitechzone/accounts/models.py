from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    LEADER = "leader", _("Leader")
    DEPARTMENT = "dept", _("Department staff")
    OFFICER = "officer", _("Service officer")
    EXPERT = "expert", _("Expert")
    ENTERPRISE = "enterprise", _("Enterprise user")


class User(AbstractUser):
    """A person who logs in. What they may see follows from ``role`` and the links below."""

    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.ENTERPRISE, db_index=True)
    full_name = models.CharField(_("full name"), max_length=64, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    department = models.ForeignKey(
        "zone.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username

    def clean(self) -> None:
        super().clean()
        if self.role == Role.DEPARTMENT and not self.department_id:
            raise ValidationError({"department": _("Department staff must belong to a department.")})
        if self.role == Role.ENTERPRISE and not self.enterprise_id:
            raise ValidationError({"enterprise": _("An enterprise user must belong to an enterprise.")})

    @property
    def effective_role(self) -> str:
        """The role that scoping uses: a superuser always acts as administrator."""
        if self.is_superuser:
            return Role.ADMIN
        return self.role

    @property
    def is_admin_role(self) -> bool:
        return self.effective_role == Role.ADMIN

    @property
    def sees_everything(self) -> bool:
        return self.effective_role in (Role.ADMIN, Role.LEADER)
