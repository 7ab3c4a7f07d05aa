"""Who takes part: organizations, consortia and their members, people and their affiliations."""

import secrets
from datetime import timedelta

import rules
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from simple_history.models import HistoricalRecords

from ccpt.lib.identifiers import validate_cds_code, validate_ein

from .roles import Role

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


class County(models.Model):
    name = models.CharField(max_length=40, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "counties"

    def __str__(self):
        return self.name


class Region(models.Model):
    """A region consortia are grouped by; the eight defaults are editable by administrators."""

    name = models.CharField(max_length=80, unique=True)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class Organization(models.Model):
    class Kind(models.TextChoices):
        SCHOOL_DISTRICT = "school_district", "School district"
        COUNTY_OFFICE = "county_office", "County office of education"
        CHARTER_SCHOOL = "charter_school", "Charter school"
        COMMUNITY_COLLEGE = "community_college", "Community college district"
        ROCP = "rocp", "Regional occupational center/program (JPA)"
        BUSINESS = "business", "Business or industry"
        WORKFORCE_BOARD = "workforce_board", "Workforce board"
        NONPROFIT = "nonprofit", "Nonprofit"
        STATE_AGENCY = "state_agency", "State agency"

    # Eligible lead applicants (fiscal agents), REFERENCE.md "Rules on the record". A round may narrow this.
    LEAD_KINDS = frozenset(
        {Kind.SCHOOL_DISTRICT, Kind.COUNTY_OFFICE, Kind.CHARTER_SCHOOL, Kind.COMMUNITY_COLLEGE, Kind.ROCP}
    )
    K12_KINDS = frozenset({Kind.SCHOOL_DISTRICT, Kind.COUNTY_OFFICE, Kind.CHARTER_SCHOOL, Kind.ROCP})

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="organizations")
    cds_code = models.CharField(
        "CDS code",
        max_length=14,
        blank=True,
        validators=[validate_cds_code],
        help_text="California's County-District-School code of a school district, county office of education, "
        "charter school or ROCP: 14 digits, ending in 0000000 for a district or county office.",
    )
    # Not unique: a dependent charter school or a program run by a district is the district's legal entity.
    ein = models.CharField(
        "EIN",
        max_length=10,
        blank=True,
        validators=[validate_ein],
        help_text="The federal Employer Identification Number, where known, e.g. 94-1234567.",
    )
    code = models.CharField(
        "other official code",
        max_length=20,
        blank=True,
        help_text="Any other official code, such as a community college's college code.",
    )
    is_direct_funded = models.BooleanField(
        "direct-funded charter",
        default=False,
        help_text="Only direct-funded charter schools may act as lead agency.",
    )
    website = models.URLField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=~Q(code=""),
                name="organization_code_unique",
                violation_error_message="Another organization already has this official code.",
            ),
            models.UniqueConstraint(
                fields=["cds_code"],
                condition=~Q(cds_code=""),
                name="organization_cds_code_unique",
                violation_error_message="Another organization already has this CDS code.",
            ),
            models.UniqueConstraint(
                fields=["name", "county"],
                name="organization_name_county_unique",
                violation_error_message="An organization with this name already exists in this county.",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("consortia:organization", args=[self.pk])

    def clean(self):
        if self.cds_code and self.kind not in self.K12_KINDS:
            raise ValidationError(
                {
                    "cds_code": "Only K-12 agencies have CDS codes: school districts, county offices of education, "
                    "charter schools and ROCPs. Leave it blank, or change the kind."
                }
            )

    @property
    def lead_eligibility_problem(self) -> str:
        """Why this organization cannot be a lead agency, or "" when it can."""
        if self.kind not in self.LEAD_KINDS:
            return (
                f"A {self.get_kind_display().lower()} cannot be the lead agency: the lead must be a school "
                "district, county office of education, direct-funded charter school, community college "
                "district, or regional occupational center/program."
            )
        if self.kind == self.Kind.CHARTER_SCHOOL and not self.is_direct_funded:
            return "Only a direct-funded charter school can be the lead agency."
        return ""


class Affiliation(models.Model):
    """A person works for or represents an organization (used for invitations and conflicts of interest)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="affiliations")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="affiliations")
    position = models.CharField(max_length=150, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="affiliation_unique"),
        ]

    def __str__(self):
        return f"{self.user} at {self.organization}"


class ConsortiumQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.has_perm("consortia.view_every_consortium"):
            return self
        return self.filter(contacts__user=user).distinct()


class Consortium(models.Model):
    name = models.CharField(max_length=200, unique=True)
    lead_agency = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="led_consortia",
        help_text="The fiscal agent that applies on the consortium's behalf.",
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="consortia")
    counties_served = models.ManyToManyField(County, related_name="consortia", blank=True)
    labor_market_region = models.TextField(
        "labor-market region",
        blank=True,
        help_text="Describe the regional labor market the consortium serves, in your own words.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ConsortiumQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[counties_served])

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "consortia"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("consortia:detail", args=[self.pk])

    def clean(self):
        if self.lead_agency_id and (problem := self.lead_agency.lead_eligibility_problem):
            raise ValidationError({"lead_agency": problem})

    def member_kinds(self) -> set[str]:
        """Kinds of every organization in the consortium, the lead agency included."""
        kinds = set(self.memberships.values_list("organization__kind", flat=True))
        if self.lead_agency_id:
            kinds.add(self.lead_agency.kind)
        return kinds

    def composition_checklist(self) -> list:
        from .composition import checklist

        return checklist(self.member_kinds())


class Membership(models.Model):
    class Role(models.TextChoices):
        K12 = "k12", "K-12 partner"
        POSTSECONDARY = "postsecondary", "Postsecondary partner"
        BUSINESS = "business", "Business partner"
        WORKFORCE = "workforce", "Workforce partner"
        OTHER = "other", "Other partner"

    consortium = models.ForeignKey(Consortium, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    joined_on = models.DateField(default=timezone.localdate)

    history = HistoricalRecords()

    class Meta:
        ordering = ["role", "organization__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["consortium", "organization"],
                name="membership_unique",
                violation_error_message="This organization is already a member of the consortium.",
            ),
        ]

    def __str__(self):
        return f"{self.organization} ({self.get_role_display()}) in {self.consortium}"

    @classmethod
    def role_for(cls, kind: str) -> str:
        """The usual role for an organization of this kind."""
        if kind in Organization.K12_KINDS:
            return cls.Role.K12
        return {
            Organization.Kind.COMMUNITY_COLLEGE: cls.Role.POSTSECONDARY,
            Organization.Kind.BUSINESS: cls.Role.BUSINESS,
            Organization.Kind.WORKFORCE_BOARD: cls.Role.WORKFORCE,
        }.get(kind, cls.Role.OTHER)


class Contact(models.Model):
    """A person who acts for a consortium in the site. Lead contacts manage it and submit applications."""

    class Role(models.TextChoices):
        LEAD = "lead", "Lead agency staff"
        PARTNER = "partner", "Partner staff"

    consortium = models.ForeignKey(Consortium, on_delete=models.CASCADE, related_name="contacts")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="contacts")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.PARTNER)
    added_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["role", "user__last_name", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["consortium", "user"], name="contact_unique"),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()}, {self.consortium})"


def _new_token() -> str:
    return secrets.token_urlsafe(32)


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, created_at__gt=timezone.now() - INVITATION_LIFETIME
        )


class Invitation(models.Model):
    consortium = models.ForeignKey(Consortium, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="The member organization the person works for.",
    )
    role = models.CharField(max_length=10, choices=Contact.Role.choices, default=Contact.Role.PARTNER)
    token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    invited_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Invitation of {self.email} to {self.consortium}"

    def get_absolute_url(self):
        return reverse("consortia:accept-invitation", args=[self.token])

    @property
    def expires_at(self):
        return self.created_at + INVITATION_LIFETIME

    @property
    def is_usable(self) -> bool:
        return not self.accepted_at and not self.revoked_at and timezone.now() < self.expires_at
