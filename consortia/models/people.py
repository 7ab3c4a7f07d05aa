"""People: the custom user (sign-in by email, roles as groups) and what is read with them on each request."""

from datetime import timedelta

import rules
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.utils.functional import cached_property

from consortia.roles import Role

INVITATION_LIFETIME = timedelta(days=14)
# Whether the person is in each role's group, when read with the person (accounts/backends.py): User.roles then
# asks nothing more.
ROLE_FLAGS = {role: f"in_{role.name.lower()}_group" for role in Role}


class UserManager(DjangoUserManager):
    """People sign in with their email address; there is no separate username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)


class User(AbstractUser):
    username = None
    email = models.EmailField("email address", unique=True)
    title = models.CharField("job title", max_length=150, blank=True)
    # Messages about applications the person has not read yet (grants.conversations keeps it with their inbox), read
    # with the person on each request so that the navigation shows it without a query of its own.
    unread_messages = models.PositiveIntegerField(default=0, editable=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        ordering = ["last_name", "first_name", "email"]

    def __str__(self):
        return self.get_full_name() or self.email

    def save(self, *args, **kwargs):
        self.email = self.email.lower()
        super().save(*args, **kwargs)

    @cached_property
    def roles(self) -> frozenset[str]:
        """The person's roles: their groups, nothing else. Being a superuser (the back office's flag) is not a role."""
        if not self.is_active:
            return frozenset()
        if all(flag in self.__dict__ for flag in ROLE_FLAGS.values()):  # read with the person
            return frozenset(role.value for role, flag in ROLE_FLAGS.items() if self.__dict__[flag])
        return frozenset(self.groups.values_list("name", flat=True))

    def has_perm(self, perm, obj=None):
        """A permission the site's rules know (rules.py) is answered by those rules only, for every person:
        Django would let a superuser pass every one of them, and a superuser would then accept an award or delete
        an applicant's files. Any other permission (the admin's model permissions) keeps Django's answer."""
        if rules.perm_exists(perm):
            return self.is_active and rules.has_perm(perm, self, obj)
        return super().has_perm(perm, obj)

    def has_model_perm(self, perm: str) -> bool:
        """Django's own answer for a model permission ("consortia.change_consortium"), as the back office asks
        it: some of the rules share such a name and answer another question (may this person change *this*
        consortium?). An active superuser has every model permission."""
        from django.contrib.auth.backends import ModelBackend  # it reads the user model: not while defining it

        if self.is_active and self.is_superuser:
            return True
        return ModelBackend().has_perm(self, perm)

    def has_role(self, role: Role) -> bool:
        return role in self.roles

    @property
    def is_administrator(self) -> bool:
        return self.has_role(Role.ADMINISTRATOR)

    @property
    def is_program_staff(self) -> bool:
        """Program staff, or an administrator (who can do everything staff can)."""
        return self.has_role(Role.PROGRAM_STAFF) or self.is_administrator

    @property
    def is_reader(self) -> bool:
        return self.has_role(Role.READER)

    @property
    def is_applicant(self) -> bool:
        return self.has_role(Role.APPLICANT)
