from decimal import Decimal
from functools import partial

import pytest

from ccpt.lib.refusal import Refusal
from grants.setaside.models import SetAsideEntry
from grants.setaside.services import draw_set_aside
from tests.factories import ConsortiumFactory, ProgramFactory, UserFactory
from tests.helpers import race


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_draws_at_once_never_exceed_the_reserve():
    """Each draw of $3M fits the $5M reserve on its own; together they do not. One is refused."""
    program = ProgramFactory()
    staff = UserFactory(role="Program staff")
    consortia = [ConsortiumFactory(), ConsortiumFactory()]

    def draw(consortium):
        try:
            draw_set_aside(
                program=program, kind="planning_grant", amount=Decimal("3000000"), by=staff, consortium=consortium
            )
            return "drawn"
        except Refusal as refusal:
            return str(refusal)

    outcomes = race(*(partial(draw, consortium) for consortium in consortia))
    assert sorted(outcomes) == ["$3,000,000.00 is more than the $2,000,000.00 left in the set-aside.", "drawn"]
    assert SetAsideEntry.objects.count() == 1
