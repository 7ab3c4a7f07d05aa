"""Reading the signed-in person on each request.

Every page needs four facts about the person before its view runs: who they are (AuthenticationMiddleware), their
roles (the navigation, the session's idle limit, every rule), the consortia they speak for and in what role (every
applicant rule: consortia.rules.contact_role) and, until their session is verified, whether they have an
authenticator to be asked a code for (SecondFactorMiddleware). Django's ModelBackend reads the first; the others
were a query each. This backend reads all four in one query, fresh on every request: nothing is remembered between
requests, so a role taken away, a contact removed or an authenticator turned on counts from the next request, as
before.
"""

from functools import cache

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import connection
from django_otp.plugins.otp_totp.models import TOTPDevice

from consortia.models import ROLE_FLAGS, Contact, User
from consortia.rules import remember_contact_roles

PATH = "consortia.accounts.backends.PersonBackend"


@cache
def _person_sql() -> str:
    """The person with a flag per role (the annotations User.roles reads), `has_authenticator`, and
    `contact_roles` ("<consortium id>:<role>,..."), in plain SQL built once from the models' tables: it runs on every
    request, and the ORM took longer to compose these subqueries (some 2 ms) than the database takes to answer
    them."""
    # Only names from the models' metadata are written into it; every value is a parameter.
    qn = connection.ops.quote_name
    member, device, contact = User.groups.through._meta, TOTPDevice._meta, Contact._meta
    in_group = (
        f"EXISTS (SELECT 1 FROM {qn(member.db_table)} m INNER JOIN {qn(Group._meta.db_table)} g"  # noqa: S608
        f" ON g.id = m.{qn(member.get_field('group').column)}"
        f" WHERE m.{qn(member.get_field('user').column)} = u.id AND g.name = %s)"
    )
    roles = ", ".join(f"{in_group} AS {qn(flag)}" for flag in ROLE_FLAGS.values())
    authenticator = (
        f"EXISTS (SELECT 1 FROM {qn(device.db_table)} d"  # noqa: S608
        f" WHERE d.{qn(device.get_field('user').column)} = u.id AND d.confirmed = %s) AS has_authenticator"
    )
    pair = f"c.{qn(contact.get_field('consortium').column)} || ':' || c.{qn(contact.get_field('role').column)}"
    joined = f"string_agg({pair}, ',')" if connection.vendor == "postgresql" else f"group_concat({pair}, ',')"
    consortia = (
        f"(SELECT {joined} FROM {qn(contact.db_table)} c"  # noqa: S608
        f" WHERE c.{qn(contact.get_field('user').column)} = u.id) AS contact_roles"
    )
    # The person's columns by name, not u.*: a prepared statement (settings.py) must keep its result's shape when a
    # migration adds a column while the site runs.
    columns = ", ".join(f"u.{qn(field.column)}" for field in User._meta.concrete_fields)
    return (
        f"SELECT {columns}, {roles}, {authenticator}, {consortia} FROM {qn(User._meta.db_table)} u"  # noqa: S608
        " WHERE u.id = %s"
    )


class PersonBackend(ModelBackend):
    """Signing in is ModelBackend's (email and password); only the per-request read of the person differs."""

    def get_user(self, user_id):
        try:
            pk = User._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        params = [*(role.value for role in ROLE_FLAGS), True, pk]
        person = next(iter(User._default_manager.raw(_person_sql(), params)), None)
        if person is None or not self.user_can_authenticate(person):
            return None
        person.has_authenticator = bool(person.has_authenticator)
        pairs = (pair.split(":", 1) for pair in (person.contact_roles or "").split(",") if pair)
        remember_contact_roles(person, {int(consortium): role for consortium, role in pairs})
        return person
