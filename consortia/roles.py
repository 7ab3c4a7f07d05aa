from django.db import models


class Role(models.TextChoices):
    """The four kinds of people who use the site; each is a Django group of the same name."""

    APPLICANT = "Applicants", "Consortium applicant"
    READER = "Readers", "Reader"
    PROGRAM_STAFF = "Program staff", "Program staff"
    ADMINISTRATOR = "Administrators", "Administrator"
