"""The People page's filters: search by name or email, a role, active or deactivated."""

import django_filters
from django.contrib.auth.models import Group
from django.db.models import Prefetch, Q

from .models import User
from .roles import Role

NO_ROLE = "none"


def people_rows():
    """Everyone, with their role groups in one more query per page (`role_groups`)."""
    groups = Group.objects.filter(name__in=Role.values).order_by("name")
    return User.objects.prefetch_related(Prefetch("groups", queryset=groups, to_attr="role_groups")).order_by(
        "last_name", "first_name", "email"
    )


class PeopleFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Name or email", method="filter_search")
    role = django_filters.ChoiceFilter(
        label="Role", choices=[*Role.choices, (NO_ROLE, "No role")], empty_label="Any role", method="filter_role"
    )
    status = django_filters.ChoiceFilter(
        label="Status",
        choices=[("active", "Active"), ("deactivated", "Deactivated")],
        empty_label="Active or deactivated",
        method="filter_status",
    )

    class Meta:
        model = User
        fields: list[str] = []

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, queryset=people_rows(), **kwargs)

    def filter_search(self, queryset, name, value):
        # PostgreSQL refuses NUL characters in a query; nobody means to search for one.
        for word in value.replace("\x00", "").split():
            queryset = queryset.filter(
                Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word)
            )
        return queryset

    def filter_role(self, queryset, name, value):
        if value == NO_ROLE:
            return queryset.exclude(groups__name__in=Role.values)
        return queryset.filter(groups__name=value)

    def filter_status(self, queryset, name, value):
        return queryset.filter(is_active=value == "active")
