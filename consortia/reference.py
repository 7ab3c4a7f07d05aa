"""Reference data every site needs: counties, default regions and the role groups.

Loaded by migration 0002; also callable again (idempotent), e.g. after a test database flush.
"""

from django.contrib.auth.models import Group

from .california import COUNTIES, DEFAULT_REGIONS
from .models import County, Region
from .roles import Role


def ensure_reference_data() -> None:
    if County.objects.count() < len(COUNTIES):
        County.objects.bulk_create([County(name=name) for name in COUNTIES], ignore_conflicts=True)
    if not Region.objects.exists():
        Region.objects.bulk_create(
            [Region(name=name, position=position) for position, name in enumerate(DEFAULT_REGIONS, start=1)]
        )
    if Group.objects.filter(name__in=Role.values).count() < len(Role.values):
        for role in Role:
            Group.objects.get_or_create(name=role.value)
