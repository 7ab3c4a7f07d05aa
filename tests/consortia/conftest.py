"""People around one consortium, by how they relate to it."""

import pytest

from consortia.models import Contact

from ..factories import ContactFactory, UserFactory


@pytest.fixture
def consortium(db):
    return ContactFactory(role=Contact.Role.LEAD).consortium


@pytest.fixture
def lead(consortium):
    """A lead-agency contact of `consortium`."""
    return consortium.contacts.get(role=Contact.Role.LEAD).user


@pytest.fixture
def partner(consortium):
    """A partner contact of `consortium`."""
    return ContactFactory(consortium=consortium, role=Contact.Role.PARTNER).user


@pytest.fixture
def outsider(db):
    """The lead contact of a different consortium."""
    return ContactFactory(role=Contact.Role.LEAD).user


@pytest.fixture
def persona():
    """Parametrize tests with a persona name: anonymous, lead, partner, outsider, reader, staff or admin."""
    raise NotImplementedError("parametrize the test with `persona`")


@pytest.fixture
def person(request, persona, db):
    """The user the test's `persona` stands for (None when anonymous)."""
    name = persona
    if name == "anonymous":
        return None
    if name in ("lead", "partner", "outsider"):
        return request.getfixturevalue(name)
    group = {"reader": "Readers", "staff": "Program staff", "admin": "Administrators"}[name]
    return UserFactory(role=group)
