"""Consortium composition checks, reported as a checklist.

Which checks are *required* is a round setting (grants.Round.required_composition), not law:
the statute lists partner kinds (EC 53011(c)) but no minimum mix.
"""

from dataclasses import dataclass

from django.db import models

from .models import Organization

Kind = Organization.Kind


class Requirement(models.TextChoices):
    K12 = "k12", "At least one K-12 local educational agency"
    COLLEGE = "college", "At least one community college district"
    BUSINESS = "business", "At least one business partner"
    WORKFORCE = "workforce", "At least one workforce board"


KINDS_FOR = {
    Requirement.K12: Organization.K12_KINDS,
    Requirement.COLLEGE: frozenset({Kind.COMMUNITY_COLLEGE}),
    Requirement.BUSINESS: frozenset({Kind.BUSINESS}),
    Requirement.WORKFORCE: frozenset({Kind.WORKFORCE_BOARD}),
}


@dataclass(frozen=True)
class CompositionCheck:
    requirement: Requirement
    met: bool

    @property
    def label(self) -> str:
        return self.requirement.label


def checklist(member_kinds: set[str], requirements=tuple(Requirement)) -> list[CompositionCheck]:
    return [CompositionCheck(Requirement(r), bool(KINDS_FOR[Requirement(r)] & member_kinds)) for r in requirements]
