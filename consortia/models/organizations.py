"""Organizations and where they are: California's counties, the program's regions, and readers' affiliations."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from ccpt.lib.identifiers import validate_cds_code, validate_ein

from .people import User


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
